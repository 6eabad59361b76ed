"""Retrieval and answers against a real Chroma server (CHROMA_HOST), and the server going away mid-session."""

import time

import pytest
from helpers import start_chroma

from assistant.config import Settings
from assistant.corpus.load import load_corpus
from assistant.errors import StoreUnavailable
from assistant.answer.service import Assistant
from assistant.retrieval.embed import Embedder
from assistant.retrieval.index import ensure_index

pytestmark = pytest.mark.slow

QUERIES = [
    "what did we commit on naloxone?",
    "needle and syringe exchange",
    "money laundering know your customer",
    "alternative development for farmers",
    "access to controlled medicines for pain relief",
]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    server = start_chroma(tmp_path_factory.mktemp("chroma"))
    yield server
    server.stop()


@pytest.fixture(scope="module")
def bots(server, tmp_path_factory, full_index):
    settings = Settings.from_env(chroma_host="127.0.0.1", chroma_port=server.port, index_dir=tmp_path_factory.mktemp("idx"))
    ensure_index(settings, load_corpus(settings), Embedder(settings), progress=False)
    remote = Assistant.load(settings)
    local = Assistant.load(full_index)
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
    assert remote.ask("prevention in schools").answer.quotes
    server.stop()
    remote.retriever.clear_cache()
    t0 = time.monotonic()
    with pytest.raises(StoreUnavailable) as err:
        remote.ask("treatment in prisons")
    assert time.monotonic() - t0 < 10
    assert str(err.value).startswith("Chroma server") and "unreachable" in str(err.value), str(err.value)
