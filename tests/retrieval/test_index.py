"""Tests for index builds: no-op on a matching manifest, atomic rebuilds, locking, corruption, server mode."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from helpers import free_port, start_chroma, stored_vectors
from filelock import FileLock

from assistant.config import PROJECT_ROOT, Settings
from assistant.corpus.paragraphs import Corpus, Paragraph, Source
from assistant.corpus.load import write_jsonl
from assistant.retrieval.embed import Embedder
from assistant.errors import IndexBusy, IndexCorrupt, IndexNotBuilt, IndexStale, StoreUnavailable
from assistant.retrieval import store
from assistant.retrieval.doctor import health_check
from assistant.retrieval.index import MANIFEST, ensure_index, open_current, open_index, read_manifest, update_index

TOPICS = [
    "precursor chemicals diverted for illicit manufacture",
    "alternative development programmes for farmers of illicit crops",
    "access to controlled medicines for the relief of pain",
    "money-laundering and illicit financial flows",
    "drug abuse prevention in schools and families",
    "treatment, rehabilitation and social reintegration of people who use drugs",
    "maritime drug trafficking and container control",
    "new psychoactive substances and early warning",
]


def para(pid: str, text: str) -> Paragraph:
    return Paragraph(pid, pid.partition(":")[0], "operative", ("Operational recommendations",), text, True, (), Source("raw.txt", 1, 1), pid)


def corpus_of(n: int, salt: str = "") -> Corpus:
    docs = ["PD2009", "PoA2009", "JMS2014", "UNGASS2016"]
    return Corpus(
        para(f"{docs[i % 4]}:{i + 1}", f"Paragraph {i + 1}{salt}: Member States resolve to address {TOPICS[i % len(TOPICS)]}, item {i + 1}.")
        for i in range(n)
    )


SENTENCE = "Strengthen cooperation among customs services to intercept shipments of acetic anhydride at seaports."


def small_corpus(salt: str = "") -> Corpus:
    return Corpus([*corpus_of(24, salt).paragraphs, para("PoA2009:51", SENTENCE + salt)])


@pytest.fixture(scope="module")
def embedder() -> Embedder:
    return Embedder(Settings.from_env())


def settings(tmp_path: Path, **kw) -> Settings:
    kw.setdefault("chroma_host", None)
    return Settings.from_env(index_dir=tmp_path / "index", corpus_dir=tmp_path / "corpus", **kw)


def top_paragraph(s: Settings, embedder: Embedder, text: str) -> str:
    vs = open_index(s)
    try:
        return vs.query(embedder.encode([text])[0], k=1)[0][0].partition("#")[0]
    finally:
        vs.close()


def test_open_before_build(tmp_path):
    with pytest.raises(IndexNotBuilt):
        open_index(settings(tmp_path))


@pytest.mark.slow
def test_build_noop_rebuild(tmp_path, embedder):
    s = settings(tmp_path)
    report = ensure_index(s, small_corpus(), embedder, progress=False)
    assert (report.action, report.units) == ("built", 25)
    assert top_paragraph(s, embedder, SENTENCE) == "PoA2009:51"
    m = read_manifest(s)
    assert (m.dimension, m.units, m.corpus) == (384, 25, small_corpus().digest())
    assert ensure_index(s, small_corpus(), embedder, progress=False).action == "noop"

    changed = ensure_index(s, small_corpus(" (revised)"), embedder, progress=False)
    assert (changed.action, changed.reason) == ("built", "changed: corpus")
    assert [p.name for p in (tmp_path / "index").iterdir() if p.is_dir()] == [read_manifest(s).location]

    # Another model or dimension in the manifest: rebuild, never mix.
    path = tmp_path / "index" / MANIFEST
    for key, value in (("model", "other-model"), ("dimension", 768)):
        data = json.loads(path.read_text())
        data[key] = value
        path.write_text(json.dumps(data))
        assert ensure_index(s, small_corpus(" (revised)"), embedder, progress=False).reason == f"changed: {key}"
    assert health_check(s).ok
    assert ensure_index(s, small_corpus(" (revised)"), embedder, rebuild=True, progress=False).action == "built"


@pytest.mark.slow
def test_corrupt_index_is_detected_and_rebuilt(tmp_path, embedder):
    s = settings(tmp_path)
    ensure_index(s, small_corpus(), embedder, progress=False)
    assert health_check(s).status == "ok"
    sqlite = tmp_path / "index" / read_manifest(s).location / "chroma.sqlite3"
    sqlite.write_bytes(b"garbage" * 1000)
    health = health_check(s)
    assert health.status == "rebuild needed" and health.reason
    assert ensure_index(s, small_corpus(), embedder, rebuild=True, progress=False).action == "built"
    assert health_check(s).ok
    assert top_paragraph(s, embedder, SENTENCE) == "PoA2009:51"

    (tmp_path / "index" / MANIFEST).write_text("{not json")
    with pytest.raises(IndexCorrupt):
        open_index(s)
    assert health_check(s).status == "rebuild needed"
    assert ensure_index(s, small_corpus(), embedder, progress=False).action == "built"


BUILDER = textwrap.dedent(
    """
    import json, sys
    from pathlib import Path
    from assistant.config import Settings
    from assistant.corpus.paragraphs import Corpus
    from assistant.corpus.load import read_jsonl
    from assistant.retrieval.embed import Embedder
    from assistant.retrieval.index import ensure_index
    from assistant.errors import IndexBusy
    tmp = Path(sys.argv[1])
    s = Settings.from_env(index_dir=tmp / "index", corpus_dir=tmp / "corpus", chroma_host=None)
    try:
        r = ensure_index(s, Corpus(read_jsonl(Path(sys.argv[2]))), Embedder(s), progress=False, lock_timeout=float(sys.argv[3]))
        print(json.dumps({"action": r.action}))
    except IndexBusy:
        print(json.dumps({"action": "busy"}))
    """
)


def spawn_builder(tmp_path: Path, corpus: Corpus, name: str, lock_timeout: float = 300) -> subprocess.Popen:
    path = tmp_path / f"{name}.jsonl"
    write_jsonl(corpus.paragraphs, path)
    script = tmp_path / "builder.py"
    script.write_text(BUILDER)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(PROJECT_ROOT), os.environ.get("PYTHONPATH")]))}
    return subprocess.Popen(
        [sys.executable, str(script), str(tmp_path), str(path), str(lock_timeout)], stdout=subprocess.PIPE, text=True, env=env
    )


@pytest.mark.slow
def test_killed_build_leaves_previous_index(tmp_path, embedder):
    s = settings(tmp_path)
    ensure_index(s, small_corpus(), embedder, progress=False)
    before = read_manifest(s)
    proc = spawn_builder(tmp_path, corpus_of(1500, " (big)"), "big")
    deadline = time.monotonic() + 120
    while not list((tmp_path / "index").glob(".build-*")):
        assert proc.poll() is None and time.monotonic() < deadline, "builder ended before building"
        time.sleep(0.02)
    time.sleep(1.0)
    assert proc.poll() is None, "build finished before it could be killed"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert read_manifest(s) == before
    assert top_paragraph(s, embedder, SENTENCE) == "PoA2009:51"
    assert health_check(s).ok
    # The next build proceeds (the dead builder's lock is gone with it) and sweeps its leftovers.
    assert ensure_index(s, small_corpus(" v2"), embedder, progress=False).action == "built"
    assert not list((tmp_path / "index").glob(".build-*"))


@pytest.mark.slow
def test_concurrent_builders(tmp_path, embedder):
    s = settings(tmp_path)
    procs = [spawn_builder(tmp_path, small_corpus(), f"c{i}") for i in range(2)]
    actions = sorted(json.loads(p.communicate(timeout=300)[0].strip().splitlines()[-1])["action"] for p in procs)
    assert actions == ["built", "noop"]
    assert health_check(s).ok
    assert top_paragraph(s, embedder, SENTENCE) == "PoA2009:51"


def test_lock_held_raises_index_busy(tmp_path, embedder):
    s = settings(tmp_path)
    (tmp_path / "index").mkdir()
    with FileLock(str(tmp_path / "index" / ".lock")):
        t0 = time.monotonic()
        with pytest.raises(IndexBusy):
            ensure_index(s, small_corpus(), embedder, progress=False, lock_timeout=0.5)
        assert time.monotonic() - t0 < 10


@pytest.fixture(scope="module")
def chroma_server(tmp_path_factory):
    server = start_chroma(tmp_path_factory.mktemp("chroma-server"))
    yield server.port
    server.stop()


@pytest.mark.slow
def test_server_mode_build_and_query(tmp_path, embedder, chroma_server):
    s = settings(tmp_path, chroma_host="127.0.0.1", chroma_port=chroma_server)
    with pytest.raises(IndexNotBuilt):
        open_index(s)
    first = ensure_index(s, small_corpus(), embedder, progress=False)
    assert first.action == "built"
    assert top_paragraph(s, embedder, SENTENCE) == "PoA2009:51"
    assert ensure_index(s, small_corpus(), embedder, progress=False).action == "noop"
    second = ensure_index(s, small_corpus(" v2"), embedder, progress=False)
    assert second.action == "built" and second.location != first.location
    assert read_manifest(s).location == second.location
    assert open_index(s).count() == 25
    assert health_check(s).ok


def test_server_down_is_unavailable_fast(tmp_path):
    s = settings(tmp_path, chroma_host="127.0.0.1", chroma_port=free_port())
    t0 = time.monotonic()
    with pytest.raises(StoreUnavailable):
        open_index(s)
    assert time.monotonic() - t0 < 5
    assert health_check(s).status == "unavailable"


NEW_SENTENCE = "Expand opioid agonist treatment in prisons through telemedicine consultations."


def same(a: dict[str, np.ndarray], b: dict[str, np.ndarray], tolerance: float) -> bool:
    return a.keys() == b.keys() and all(np.abs(a[i] - b[i]).max() <= tolerance for i in a)


@pytest.mark.slow
@pytest.mark.parametrize("mode", ["embedded", "server"])
def test_update_embeds_only_what_changed_and_switches_atomically(tmp_path, embedder, chroma_server, mode):
    s = settings(tmp_path, **({"chroma_host": "127.0.0.1", "chroma_port": chroma_server} if mode == "server" else {}))
    # Embedded copies are bit-exact; the server's HTTP API sends floats as decimals, which may move a last bit.
    tolerance = 0.0 if mode == "embedded" else 1e-7
    old = small_corpus()
    ensure_index(s, old, embedder, progress=False)
    before, first = stored_vectors(s), read_manifest(s)
    kept = [p for p in old if p.id not in ("PD2009:1", "PoA2009:2")]
    revised = replace(old.get("PoA2009:2"), text=old.get("PoA2009:2").text + " (revised)")
    new = Corpus([*kept, revised, para("PoA2009:52", NEW_SENTENCE)])
    calls = []
    report = update_index(s, old, new, embedder, lambda: calls.append("corpus written"))
    assert (report.action, report.units, report.reason) == ("updated", 25, "2 units embedded, 1 removed")
    assert calls == ["corpus written"]
    after = stored_vectors(s)
    assert set(after) == set(before) - {"PD2009:1#0"} | {"PoA2009:52#0"}
    untouched = set(after) - {"PoA2009:2#0", "PoA2009:52#0"}
    assert same({i: after[i] for i in untouched}, {i: before[i] for i in untouched}, tolerance)
    assert np.abs(after["PoA2009:2#0"] - before["PoA2009:2#0"]).max() > 1e-4  # re-embedded: its text changed
    manifest = read_manifest(s)
    assert (manifest.corpus, manifest.units) == (new.digest(), 25) and manifest.location != first.location
    open_current(s, new, embedder).close()
    assert top_paragraph(s, embedder, NEW_SENTENCE) == "PoA2009:52"

    with pytest.raises(IndexStale):  # the index no longer serves `old`: nothing is done, nothing is called
        update_index(s, old, new, embedder, lambda: calls.append("again"))
    assert calls == ["corpus written"] and same(stored_vectors(s), after, 0.0)

    def failing_commit():
        raise OSError(28, "No space left on device")

    newer = Corpus([*new, para("PoA2009:53", SENTENCE + " again")])
    with pytest.raises(OSError):
        update_index(s, new, newer, embedder, failing_commit)
    assert read_manifest(s) == manifest and same(stored_vectors(s), after, 0.0)
    if mode == "embedded":  # the served generation and the previous one; the failed copy is gone
        assert sorted(p.name for p in (tmp_path / "index").iterdir() if p.is_dir()) == sorted([first.location, manifest.location])
    else:
        client = store.connect(None, "127.0.0.1", chroma_server)
        names = store.list_collections(client)
        store.close(client)
        assert manifest.location in names and first.location in names  # the previous generation is kept
        assert not [n for n in names if n.startswith(f"{s.collection}-{newer.digest()[:12]}")]  # the failed copy is gone
