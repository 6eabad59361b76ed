"""Build, open and health-check the vector index: manifest-checked, rebuilt atomically under a file lock."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, fields
from datetime import datetime, timezone
from pathlib import Path

from filelock import FileLock, Timeout
from tqdm import tqdm

from assistant.retrieval import store
from assistant.corpus.paragraphs import Corpus
from assistant.config import child_env
from assistant.fsutil import atomic_write as _atomic_write
from assistant.errors import AssistantError, IndexBusy, IndexCorrupt, IndexNotBuilt, StoreUnavailable
from assistant.retrieval.store import VectorStore
from assistant.retrieval.units import UNITS_VERSION, make_units

MANIFEST = "manifest.json"
LOCK = ".lock"
LOCK_TIMEOUT = 300.0
EMBED_BATCH = 128


@dataclass(frozen=True)
class Manifest:
    """What an index was built from; `location` is the directory (embedded) or collection (server)."""

    corpus: str
    model: str
    dimension: int
    chroma: str
    units_version: int
    units: int
    built_at: str
    location: str

    def matches(self, other: "Manifest") -> bool:
        key = ("corpus", "model", "dimension", "chroma", "units_version")
        return all(getattr(self, k) == getattr(other, k) for k in key)

    @classmethod
    def from_dict(cls, d: dict) -> "Manifest":
        try:
            return cls(**{f.name: int(d[f.name]) if f.type == "int" else str(d[f.name]) for f in fields(cls)})
        except (KeyError, TypeError, ValueError) as exc:
            raise IndexCorrupt(f"index manifest is incomplete ({exc}); run `assistant index --rebuild`") from exc


@dataclass(frozen=True)
class BuildReport:
    """Outcome of `ensure_index`: action is "noop" or "built"."""

    action: str
    seconds: float
    units: int
    location: str
    reason: str


@dataclass(frozen=True)
class Health:
    """Outcome of `health_check`: status is "ok", "rebuild needed" or "unavailable" (server down)."""

    status: str
    reason: str
    count: int = 0

    @property
    def ok(self) -> bool:
        return self.status == "ok"


def _server(settings) -> bool:
    return bool(settings.chroma_host)


def _pointer_name(settings) -> str:
    return f"{settings.collection}-manifest"


def read_manifest(settings) -> Manifest | None:
    """The manifest of the current index; None when there is none; IndexCorrupt when unreadable."""
    if _server(settings):
        client = store.connect(None, settings.chroma_host, settings.chroma_port)
        try:
            if _pointer_name(settings) not in store.list_collections(client):
                return None
            meta = VectorStore(client, _pointer_name(settings)).get_metadata()
        finally:
            store.close(client)
        return Manifest.from_dict(meta) if meta else None
    path = Path(settings.index_dir) / MANIFEST
    if not path.exists():
        return None
    try:
        return Manifest.from_dict(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError) as exc:
        raise IndexCorrupt(f"index manifest {path} is unreadable ({exc}); run `assistant index --rebuild`") from exc


def ensure_index(
    settings, corpus: Corpus, embedder, rebuild: bool = False, progress: bool = True, lock_timeout: float = LOCK_TIMEOUT
) -> BuildReport:
    """Build the index unless the manifest matches corpus, model and chromadb version (then a no-op)."""
    t0 = time.perf_counter()
    index_dir = Path(settings.index_dir)
    index_dir.mkdir(parents=True, exist_ok=True)
    want = Manifest(
        corpus=corpus.digest(),
        model=embedder.name,
        dimension=embedder.dimension,
        chroma=store.VERSION,
        units_version=UNITS_VERSION,
        units=0,
        built_at="",
        location="",
    )
    reason = "forced rebuild" if rebuild else _stale(settings, want)
    if reason is None:
        m = _safe_manifest(settings)
        return BuildReport("noop", time.perf_counter() - t0, m.units, m.location, "up to date")
    try:
        with FileLock(str(index_dir / LOCK), timeout=lock_timeout):
            # Another builder may have finished while we waited for the lock.
            if not rebuild and _stale(settings, want) is None:
                m = _safe_manifest(settings)
                return BuildReport("noop", time.perf_counter() - t0, m.units, m.location, "built by another process")
            build = _build_server if _server(settings) else _build_embedded
            m = build(settings, corpus, embedder, want, progress)
    except Timeout:
        raise IndexBusy(f"another process is building the index (lock {index_dir / LOCK} held for {lock_timeout:.0f} s)") from None
    return BuildReport("built", time.perf_counter() - t0, m.units, m.location, reason)


def _safe_manifest(settings) -> Manifest | None:
    try:
        return read_manifest(settings)
    except IndexCorrupt:
        return None


def _stale(settings, want: Manifest) -> str | None:
    """Why the current index cannot serve `want`, or None when it can."""
    try:
        have = read_manifest(settings)
    except IndexCorrupt as exc:
        return str(exc)
    if have is None:
        return "no index"
    if not have.matches(want):
        diff = [k for k in ("corpus", "model", "dimension", "chroma", "units_version") if getattr(have, k) != getattr(want, k)]
        return "changed: " + ", ".join(diff)
    if not _server(settings) and not (Path(settings.index_dir) / have.location).is_dir():
        return f"index directory {have.location} is missing"
    return None


def _embed_into(target: VectorStore, units, embedder, progress: bool) -> None:
    with tqdm(total=len(units), desc="Embedding", unit="unit", file=sys.stderr, disable=not progress) as bar:
        for i in range(0, len(units), EMBED_BATCH):
            batch = units[i : i + EMBED_BATCH]
            target.upsert(batch, embedder.encode([u.embed_text for u in batch]))
            bar.update(len(batch))
    if target.count() != len(units):
        raise IndexCorrupt(f"index build wrote {target.count()} of {len(units)} units")


def _stamp(want: Manifest, units: int, location: str) -> Manifest:
    built_at = datetime.now(timezone.utc).isoformat(timespec="seconds")
    return Manifest(**{**asdict(want), "units": units, "built_at": built_at, "location": location})


def _build_embedded(settings, corpus: Corpus, embedder, want: Manifest, progress: bool) -> Manifest:
    index_dir = Path(settings.index_dir)
    units = make_units(corpus)
    tmp = Path(tempfile.mkdtemp(prefix=".build-", dir=index_dir))
    try:
        client = store.connect(tmp)
        try:
            _embed_into(VectorStore(client, settings.collection, create=True), units, embedder, progress)
        finally:
            store.close(client)  # files must be flushed and released before the directory moves
        final = index_dir / f"chroma-{want.corpus[:12]}-{time.time_ns():x}"
        os.rename(tmp, final)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    m = _stamp(want, len(units), final.name)
    _atomic_write(index_dir / MANIFEST, json.dumps(asdict(m), indent=2) + "\n")
    # Only now is the new index current; everything else is an old index or an abandoned build.
    for old in [*index_dir.glob("chroma-*"), *index_dir.glob(".build-*")]:
        if old.name != final.name:
            shutil.rmtree(old, ignore_errors=True)
    return m


def _build_server(settings, corpus: Corpus, embedder, want: Manifest, progress: bool) -> Manifest:
    units = make_units(corpus)
    model = hashlib.sha256(f"{want.model}:{want.dimension}".encode()).hexdigest()[:8]
    name = f"{settings.collection}-{want.corpus[:12]}-{model}-{time.time_ns():x}"
    client = store.connect(None, settings.chroma_host, settings.chroma_port)
    try:
        try:
            _embed_into(VectorStore(client, name, create=True), units, embedder, progress)
        except BaseException:
            store.drop_collection(client, name)
            raise
        m = _stamp(want, len(units), name)
        # The pointer collection's metadata is replaced in one request: readers see old or new, never half.
        VectorStore(client, _pointer_name(settings), create=True).set_metadata(asdict(m))
        prefix = f"{settings.collection}-"
        for old in store.list_collections(client):
            if old.startswith(prefix) and old not in (name, _pointer_name(settings)):
                store.drop_collection(client, old)
    finally:
        store.close(client)
    return m


def open_index(settings) -> VectorStore:
    """The current index; IndexNotBuilt when there is none, IndexCorrupt when it cannot be opened."""
    m = read_manifest(settings)
    if m is None:
        raise IndexNotBuilt("No vector index yet: run `assistant index` (or `make index`).")
    if _server(settings):
        try:
            return VectorStore.open(settings, name=m.location)
        except IndexNotBuilt as exc:
            raise IndexCorrupt(f"the index collection {m.location!r} is missing; run `assistant index --rebuild`") from exc
    path = Path(settings.index_dir) / m.location
    if not path.is_dir():
        raise IndexCorrupt(f"index directory {path} is missing; run `assistant index --rebuild`")
    try:
        return VectorStore.open(settings, path=path)
    except IndexNotBuilt as exc:
        raise IndexCorrupt(f"index at {path} has no collection; run `assistant index --rebuild`") from exc
    except AssistantError:
        raise
    except Exception as exc:  # a damaged sqlite surfaces as assorted chromadb/rust errors
        raise IndexCorrupt(f"index at {path} cannot be opened ({exc}); run `assistant index --rebuild`") from exc


def health_check(settings, timeout: float = 60.0) -> Health:
    """Open the index, count and run a probe query in a child process, so a broken index cannot crash us."""
    args = {
        "index_dir": str(settings.index_dir),
        "chroma_host": settings.chroma_host,
        "chroma_port": settings.chroma_port,
        "collection": settings.collection,
    }
    env = child_env()
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "assistant.retrieval.doctor", json.dumps(args)],
            capture_output=True,
            text=True,
            timeout=timeout,
            env=env,
        )
    except subprocess.TimeoutExpired:
        return Health("rebuild needed", f"index probe did not answer within {timeout:.0f} s")
    if proc.returncode < 0:
        return Health("rebuild needed", f"index probe crashed (signal {-proc.returncode})")
    lines = proc.stdout.strip().splitlines()
    try:
        out = json.loads(lines[-1])
        return Health(out["status"], out["reason"], int(out.get("count", 0)))
    except (IndexError, ValueError, KeyError):
        tail = (proc.stderr.strip().splitlines() or ["no output"])[-1]
        return Health("rebuild needed", f"index probe failed (exit {proc.returncode}): {tail}")


def probe(settings) -> Health:
    """In-process health check (run by `assistant.retrieval.doctor` in a child process)."""
    try:
        m = read_manifest(settings)
        if m is None:
            return Health("rebuild needed", "no index")
        vs = open_index(settings)
        try:
            n = vs.count()
            if n != m.units:
                return Health("rebuild needed", f"index holds {n} units, manifest says {m.units}", n)
            if n and not vs.query([m.dimension**-0.5] * m.dimension, 1):
                return Health("rebuild needed", "probe query returned nothing", n)
            # Stored vectors (sqlite) must find themselves through the ANN index (HNSW files).
            ids = vs.ids()
            sample = [ids[i] for i in sorted({0, len(ids) // 2, len(ids) - 1})] if ids else []
            for uid, vec in zip(sample, vs.embeddings(sample)):
                if len(vec) != m.dimension:
                    return Health("rebuild needed", f"stored vectors have {len(vec)} dimensions, manifest says {m.dimension}", n)
                best = vs.query(vec, 1)
                if not best or (best[0][0] != uid and best[0][1] < 0.999):
                    return Health("rebuild needed", f"vector search does not find stored unit {uid}", n)
            return Health("ok", f"{n} units, built {m.built_at}", n)
        finally:
            vs.close()
    except StoreUnavailable as exc:
        return Health("unavailable", str(exc))
    except AssistantError as exc:
        return Health("rebuild needed", str(exc))
    except Exception as exc:  # chromadb raises many kinds of error on damaged files
        return Health("rebuild needed", f"{type(exc).__name__}: {exc}")
