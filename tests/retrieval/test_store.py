"""Tests for the Chroma vector store: embedded and server clients, cosine scores, no raw dicts."""

from __future__ import annotations

import socket
import time

import numpy as np
import pytest

from assistant.config import Settings
from assistant.errors import IndexNotBuilt, StoreUnavailable
from assistant.retrieval.store import VectorStore, connect
from assistant.retrieval.units import Unit


def unit(i: int, doc: str = "PD2009", commit: bool = False) -> Unit:
    return Unit(f"{doc}:{i}#0", f"{doc}:{i}", 0, 4, f"t{i:03d}", f"ctx\nt{i:03d}", doc, 2009, "operative", commit)


def vectors(n: int, dim: int = 8) -> np.ndarray:
    v = np.random.default_rng(0).normal(size=(n, dim)).astype(np.float32)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def settings(tmp_path, **kw) -> Settings:
    return Settings.from_env(index_dir=tmp_path / "index", chroma_host=None, **kw)


def test_upsert_query_delete(tmp_path):
    s = settings(tmp_path)
    vs = VectorStore.open(s, path=tmp_path / "db", create=True)
    units = [unit(i, "PD2009" if i % 2 else "PoA2009", commit=i % 3 == 0) for i in range(600)]
    vecs = vectors(600)
    vs.upsert(units, vecs, batch=100)
    vs.upsert(units[:10], vecs[:10])  # idempotent: same ids
    assert vs.count() == 600
    assert sorted(vs.ids()) == sorted(u.id for u in units)
    hits = vs.query(vecs[7], k=3)
    assert hits[0][0] == units[7].id and hits[0][1] == pytest.approx(1.0, abs=1e-4)
    assert all(isinstance(i, str) and isinstance(s, float) for i, s in hits)
    assert [h[1] for h in hits] == sorted((h[1] for h in hits), reverse=True)
    # Cosine similarity, not L2: the score of the best non-self hit equals the dot product.
    assert hits[1][1] == pytest.approx(float(vecs[7] @ vecs[int(hits[1][0].split(":")[1].split("#")[0])]), abs=1e-4)
    filtered = vs.query(vecs[7], k=5, where={"doc": "PoA2009", "is_commitment": True})
    assert filtered and all(int(i.split(":")[1].split("#")[0]) % 6 == 0 for i, _ in filtered)
    assert vs.query(vecs[7], k=5, where={"doc": ["PD2009", "PoA2009"]})
    vs.delete([units[7].id])
    assert vs.count() == 599 and vs.query(vecs[7], k=1)[0][0] != units[7].id
    vs.set_metadata({"corpus": "abc", "units": 3, "bad": None})
    assert vs.get_metadata() == {"corpus": "abc", "units": 3}
    vs.close()
    # Persisted.
    again = VectorStore.open(s, path=tmp_path / "db")
    assert again.count() == 599
    assert VectorStore.open(s, path=tmp_path / "db").query(vecs[0], k=1000)
    again.close()


def test_missing_collection(tmp_path):
    with pytest.raises(IndexNotBuilt):
        VectorStore.open(settings(tmp_path), path=tmp_path / "empty")


def test_server_down_fails_fast():
    t0 = time.monotonic()
    with pytest.raises(StoreUnavailable):
        connect(None, "127.0.0.1", 9, timeout=2.0)  # discard port: nothing listens
    assert time.monotonic() - t0 < 5


def test_hung_server_times_out():
    with socket.socket() as sock:  # accepts connections (backlog) but never answers
        sock.bind(("127.0.0.1", 0))
        sock.listen(8)
        t0 = time.monotonic()
        with pytest.raises(StoreUnavailable):
            connect(None, "127.0.0.1", sock.getsockname()[1], timeout=2.0)
        assert time.monotonic() - t0 < 5


def test_an_update_waits_until_searches_see_what_was_written(tmp_path):
    from assistant.errors import IndexCorrupt

    vs = VectorStore.open(settings(tmp_path), path=tmp_path / "db", create=True)
    vecs = vectors(21)
    vs.upsert([unit(i) for i in range(20)], vecs[:20])
    t0 = time.monotonic()
    vs.wait_visible([unit(i) for i in range(20)], vecs[:20])  # written: found at once
    assert time.monotonic() - t0 < 5
    missing = [unit(20)]  # never written: what a write no search sees looks like
    with pytest.raises(IndexCorrupt, match=r"not found by a search after 0 s \(PD2009:20#0\)"):
        vs.wait_visible(missing, vecs[20:], timeout=0.2, rewrite_after=5)
    # Given time, a unit no search finds is written again, and then found.
    vs.wait_visible(missing, vecs[20:], timeout=5, rewrite_after=0.1)
    assert vs.count() == 21 and vs.query(vecs[20], 1)[0][0] == "PD2009:20#0"
    vs.close()
