"""Retrieval and answers against a real Chroma server (CHROMA_HOST), and the server going away mid-session."""

import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from assistant.config import Settings
from assistant.errors import StoreUnavailable
from assistant.service import Assistant

pytestmark = pytest.mark.slow

QUERIES = [
    "what did we commit on naloxone?",
    "needle and syringe exchange",
    "money laundering know your customer",
    "alternative development for farmers",
    "access to controlled medicines for pain relief",
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    port = _free_port()
    proc = subprocess.Popen(
        [str(Path(sys.executable).parent / "chroma"), "run", "--path", str(tmp_path_factory.mktemp("chroma")),
         "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                pytest.fail("chroma server did not start")
            time.sleep(0.2)
    yield proc, port
    if proc.poll() is None:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture(scope="module")
def bots(server, tmp_path_factory):
    _, port = server
    remote = Assistant.load(Settings.from_env(chroma_host="127.0.0.1", chroma_port=port, index_dir=tmp_path_factory.mktemp("idx")))
    local = Assistant.load(Settings.from_env())
    return remote, local


def test_server_answers_like_the_embedded_index(bots):
    remote, local = bots
    assert remote.ask(QUERIES[0]).answer.quotes[0].id == "UNGASS2016:1.m"
    for q in QUERIES:
        r = [h.id for h in remote.retriever.search(q, k=5)]
        l = [h.id for h in local.retriever.search(q, k=5)]
        assert r[0] == l[0] and len(set(r) & set(l)) >= 4, (q, r, l)


def test_server_down_mid_session_is_a_clear_error_fast(bots, server):
    remote, _ = bots
    proc, _ = server
    assert remote.ask("prevention in schools").answer.quotes
    proc.terminate()
    proc.wait(timeout=10)
    remote.retriever.clear_cache()
    t0 = time.monotonic()
    with pytest.raises(StoreUnavailable) as err:
        remote.ask("treatment in prisons")
    assert time.monotonic() - t0 < 10
    assert "127.0.0.1" in str(err.value) or "server" in str(err.value).lower()
