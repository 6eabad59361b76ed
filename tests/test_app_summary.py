"""The app's optional summary: toggle, streaming from a real local HTTP endpoint, verified display."""

import threading
from pathlib import Path
from http.server import ThreadingHTTPServer

import pytest
from streamlit.testing.v1 import AppTest

from test_summary import Scripted  # the scripted chat-completions endpoint of the summary tests

pytestmark = pytest.mark.usefixtures("full_index")  # the session's private index of the full corpus

APP = str(Path(__file__).resolve().parent.parent / "app.py")

GROUNDED = (
    "The 2016 Outcome Document recommends including overdose prevention with "
    '"opioid receptor antagonists such as naloxone" in national drug policies [UNGASS2016:1.m].'
)


@pytest.fixture()
def endpoint(monkeypatch):
    server = ThreadingHTTPServer(("127.0.0.1", 0), Scripted)
    server.requests, server.reply, server.stopping = [], {"text": GROUNDED}, threading.Event()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    monkeypatch.setenv("ASSISTANT_LLM_BASE_URL", f"http://127.0.0.1:{server.server_address[1]}/v1")
    monkeypatch.setenv("ASSISTANT_LLM_MODEL", "fake")
    yield server
    server.stopping.set()
    server.shutdown()
    server.server_close()


def _ask_with_summary(question: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120).run()
    at.toggle(key="summarize").set_value(True).run()
    at.chat_input[0].set_value(question).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.mark.slow
def test_verified_summary_is_streamed_and_shown(endpoint):
    at = _ask_with_summary("what did we commit on naloxone?")
    assert endpoint.requests and endpoint.requests[-1].body.get("stream") is True
    shown = [m.value for m in at.markdown]
    assert any(v.startswith("**Summary** (machine-written") for v in shown), shown
    assert any("UNGASS2016:1.m" in v.replace("\\", "") for v in shown)


@pytest.mark.slow
def test_fabricated_quotation_is_withheld_and_quotes_still_shown(endpoint):
    endpoint.reply = {"text": 'States agreed to "decriminalise all personal drug use" [UNGASS2016:1.m].'}
    at = _ask_with_summary("what did we commit on naloxone?")
    shown = [m.value for m in at.markdown]
    assert any("Summary withheld" in v for v in shown)
    assert not any("decriminalise all personal drug use" in v.replace("\\", "") for v in shown)
    assert any(c.value.endswith("” (2016 Outcome Document, para. 1 (m))") for c in at.code)  # the card's copy box


def test_toggle_is_disabled_without_an_endpoint(monkeypatch):
    monkeypatch.delenv("ASSISTANT_LLM_BASE_URL", raising=False)
    monkeypatch.delenv("ASSISTANT_LLM_MODEL", raising=False)
    at = AppTest.from_file(APP, default_timeout=120).run()
    assert at.toggle(key="summarize").disabled
