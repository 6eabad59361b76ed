"""Build, update and open the vector index: manifest-checked, switched atomically under a file lock."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, fields
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

import numpy as np
from filelock import FileLock, Timeout
from tqdm import tqdm

from assistant.retrieval import store
from assistant.corpus.paragraphs import Corpus
from assistant.fsutil import atomic_write as _atomic_write
from assistant.errors import AssistantError, IndexBusy, IndexCorrupt, IndexNotBuilt, IndexStale, IndexUnreadable
from assistant.retrieval.store import VectorStore
from assistant.retrieval.units import UNITS_VERSION, make_units

MANIFEST = "manifest.json"
LOCK = ".lock"
LOCK_TIMEOUT = 300.0
NO_INDEX = "no index"
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
    """Outcome of `ensure_index` ("noop" or "built") or `update_index` ("updated")."""

    action: str
    seconds: float
    units: int
    location: str
    reason: str


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
    except PermissionError as exc:
        raise IndexUnreadable(f"The index manifest {path} cannot be read: permission denied. It is not damaged; fix its permissions.") from exc
    except (OSError, ValueError) as exc:
        raise IndexCorrupt(f"index manifest {path} is unreadable ({exc}); run `assistant index --rebuild`") from exc


def current_version(settings) -> str:
    """Names the corpus and index generation being served ("" when there is none): it changes with every build,
    add and remove, so it keys caches of loaded assistants (a reload picks up the new corpus, no cache is cleared)."""
    m = _safe_manifest(settings)
    return f"{m.corpus}:{m.location}" if m else ""


def _wanted(corpus: Corpus, embedder) -> Manifest:
    """The manifest an index serving `corpus` with `embedder` must have (build fields blank)."""
    return Manifest(
        corpus=corpus.digest(),
        model=embedder.name,
        dimension=embedder.dimension,
        chroma=store.VERSION,
        units_version=UNITS_VERSION,
        units=0,
        built_at="",
        location="",
    )


def stale_reason(settings, corpus: Corpus, embedder) -> str | None:
    """Why the current index cannot serve `corpus` and `embedder` (NO_INDEX when there is none), or None."""
    return _stale(settings, _wanted(corpus, embedder))


def open_current(settings, corpus: Corpus, embedder) -> VectorStore:
    """The index serving `corpus` and `embedder`, opened read only: never built or changed here.

    IndexNotBuilt when there is none, IndexStale when it was built from another corpus, model or
    chromadb version, IndexCorrupt when it cannot be opened; each names the command that fixes it.
    """
    reason = stale_reason(settings, corpus, embedder)
    if reason == NO_INDEX:
        where = f"Chroma server {settings.chroma_host}:{settings.chroma_port}" if _server(settings) else str(settings.index_dir)
        raise IndexNotBuilt(f"No search index yet in {where}: run `assistant index` (or `make index`) to build it.")
    if reason is not None:
        raise IndexStale(f"The search index is out of date ({reason}): run `assistant index` to update it.")
    return open_index(settings)


def ensure_index(
    settings,
    corpus: Corpus,
    embedder,
    rebuild: bool = False,
    progress: bool = True,
    lock_timeout: float = LOCK_TIMEOUT,
    on_progress=None,
) -> BuildReport:
    """Build the index unless the manifest matches corpus, model and chromadb version (then a no-op)."""
    t0 = time.perf_counter()
    index_dir = Path(settings.index_dir)
    index_dir.mkdir(parents=True, exist_ok=True)
    want = _wanted(corpus, embedder)
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
            m = build(settings, corpus, embedder, want, progress, on_progress)
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
        return NO_INDEX
    if not have.matches(want):
        diff = [k for k in ("corpus", "model", "dimension", "chroma", "units_version") if getattr(have, k) != getattr(want, k)]
        return "changed: " + ", ".join(diff)
    if not _server(settings) and not (Path(settings.index_dir) / have.location).is_dir():
        return f"index directory {have.location} is missing"
    return None


def _embed_into(target: VectorStore, units, embedder, progress: bool, on_progress=None) -> None:
    """Embed and store `units` in batches; `on_progress(done, total)` after each batch (the app's progress bar)."""
    with tqdm(total=len(units), desc="Embedding", unit="unit", file=sys.stderr, disable=not progress) as bar:
        for i in range(0, len(units), EMBED_BATCH):
            batch = units[i : i + EMBED_BATCH]
            target.upsert(batch, embedder.encode([u.embed_text for u in batch]))
            bar.update(len(batch))
            if on_progress is not None:
                on_progress(i + len(batch), len(units))
    if target.count() != len(units):
        raise IndexCorrupt(f"index build wrote {target.count()} of {len(units)} units")


def _stamp(want: Manifest, units: int, location: str) -> Manifest:
    built_at = datetime.now(timezone.utc).isoformat(timespec="seconds")
    return Manifest(**{**asdict(want), "units": units, "built_at": built_at, "location": location})


def _build_embedded(settings, corpus: Corpus, embedder, want: Manifest, progress: bool, on_progress=None) -> Manifest:
    index_dir = Path(settings.index_dir)
    units = make_units(corpus)
    tmp = Path(tempfile.mkdtemp(prefix=".build-", dir=index_dir))
    try:
        client = store.connect(tmp)
        try:
            _embed_into(VectorStore(client, settings.collection, create=True), units, embedder, progress, on_progress)
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


def _build_server(settings, corpus: Corpus, embedder, want: Manifest, progress: bool, on_progress=None) -> Manifest:
    units = make_units(corpus)
    model = hashlib.sha256(f"{want.model}:{want.dimension}".encode()).hexdigest()[:8]
    name = f"{settings.collection}-{want.corpus[:12]}-{model}-{time.time_ns():x}"
    client = store.connect(None, settings.chroma_host, settings.chroma_port)
    try:
        try:
            _embed_into(VectorStore(client, name, create=True), units, embedder, progress, on_progress)
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
    except PermissionError as exc:
        raise IndexUnreadable(f"The index at {path} cannot be opened: permission denied ({exc}). It is not damaged.") from exc
    except Exception as exc:  # a damaged sqlite surfaces as assorted chromadb/rust errors
        raise IndexCorrupt(f"index at {path} cannot be opened ({exc}); run `assistant index --rebuild`") from exc


# -- incremental updates ---------------------------------------------------------------------------


def update_index(
    settings,
    old: Corpus,
    new: Corpus,
    encoder,
    commit_corpus: Callable[[], None],
    on_progress=None,
    lock_timeout: float = LOCK_TIMEOUT,
) -> BuildReport:
    """Turn the index serving `old` into one serving `new`, embedding only the units that differ.

    Under the index lock, a copy of the current index gets the new and changed units upserted and the
    vanished ones deleted; then `commit_corpus()` writes the corpus files, and only then does the
    manifest switch to the copy. If anything raises, the copy is discarded and the current index and
    manifest are untouched. The previous generation stays on disk (readers that opened it keep
    working); older ones are removed. IndexStale when the current index does not serve `old`.
    """
    t0 = time.perf_counter()
    index_dir = Path(settings.index_dir)
    index_dir.mkdir(parents=True, exist_ok=True)
    try:
        with FileLock(str(index_dir / LOCK), timeout=lock_timeout):
            reason = _stale(settings, _wanted(old, encoder))
            if reason is not None:
                raise IndexStale(f"The search index is out of date ({reason}): run `assistant index` to update it.")
            have = read_manifest(settings)
            before = {u.id: u for u in make_units(old)}
            units = make_units(new)
            changed = [u for u in units if before.get(u.id) != u]
            gone = sorted(set(before) - {u.id for u in units})
            vectors = _encode(changed, encoder, on_progress)
            stage = _ServerStage if _server(settings) else _EmbeddedStage
            staged = stage(settings, have.location, new.digest())
            staged.apply(changed, vectors, gone, len(units))
            try:
                commit_corpus()
                m = _stamp(_wanted(new, encoder), len(units), staged.location)
                staged.commit(m)
            except BaseException:
                staged.discard()
                raise
            staged.prune(keep={have.location, staged.location})
    except Timeout:
        raise IndexBusy(f"another process is building the index (lock {index_dir / LOCK} held for {lock_timeout:.0f} s)") from None
    return BuildReport("updated", time.perf_counter() - t0, m.units, m.location, f"{len(changed)} units embedded, {len(gone)} removed")


def _encode(units, encoder, on_progress=None):
    """Vectors of `units` in batches; `on_progress(done, total)` after each batch."""
    out = [np.zeros((0, encoder.dimension), dtype=np.float32)]
    for i in range(0, len(units), EMBED_BATCH):
        batch = units[i : i + EMBED_BATCH]
        out.append(encoder.encode([u.embed_text for u in batch]))
        if on_progress is not None:
            on_progress(i + len(batch), len(units))
    return np.concatenate(out)


def _apply(target: VectorStore, changed, vectors, gone, expected: int) -> None:
    target.delete(gone)
    target.upsert(changed, vectors)
    if target.count() != expected:
        raise IndexCorrupt(f"index update left {target.count()} units, expected {expected}")
    target.wait_visible(changed, vectors)


class _EmbeddedStage:
    """A copy of the current index directory, changed in place, then renamed to its final name."""

    def __init__(self, settings, current: str, digest: str):
        self.index_dir = Path(settings.index_dir)
        self.collection = settings.collection
        self.current, self.digest = current, digest
        self.path: Path | None = None

    @property
    def location(self) -> str:
        return self.path.name

    def apply(self, changed, vectors, gone, expected: int) -> None:
        tmp = Path(tempfile.mkdtemp(prefix=".build-", dir=self.index_dir))
        self.path = tmp
        try:
            shutil.copytree(self.index_dir / self.current, tmp, dirs_exist_ok=True)
            client = store.connect(tmp)
            try:
                _apply(VectorStore(client, self.collection), changed, vectors, gone, expected)
            finally:
                store.close(client)  # files must be flushed and released before the directory moves
            self.path = self.index_dir / f"chroma-{self.digest[:12]}-{time.time_ns():x}"
            os.rename(tmp, self.path)
        except BaseException:
            self.discard()
            raise

    def commit(self, m: Manifest) -> None:
        _atomic_write(self.index_dir / MANIFEST, json.dumps(asdict(m), indent=2) + "\n")

    def discard(self) -> None:
        for path in (self.path, *self.index_dir.glob(".build-*")):
            if path is not None and path.name != self.current:
                shutil.rmtree(path, ignore_errors=True)

    def prune(self, keep: set[str]) -> None:
        for old in [*self.index_dir.glob("chroma-*"), *self.index_dir.glob(".build-*")]:
            if old.name not in keep:
                shutil.rmtree(old, ignore_errors=True)


class _ServerStage:
    """A new collection holding a copy of the current one, changed, then named by the pointer."""

    def __init__(self, settings, current: str, digest: str):
        self.settings = settings
        self.current = current
        self.location = f"{settings.collection}-{digest[:12]}-u{time.time_ns():x}"
        self.client = None

    def apply(self, changed, vectors, gone, expected: int) -> None:
        self.client = store.connect(None, self.settings.chroma_host, self.settings.chroma_port)
        try:
            target = VectorStore(self.client, self.location, create=True)
            VectorStore(self.client, self.current).copy_to(target, skip=[*(u.id for u in changed), *gone])
            _apply(target, changed, vectors, gone, expected)
        except BaseException:
            self.discard()
            raise

    def commit(self, m: Manifest) -> None:
        VectorStore(self.client, _pointer_name(self.settings), create=True).set_metadata(asdict(m))

    def discard(self) -> None:
        if self.client is not None:
            store.drop_collection(self.client, self.location)
            store.close(self.client)
            self.client = None

    def prune(self, keep: set[str]) -> None:
        prefix = f"{self.settings.collection}-"
        try:
            for old in store.list_collections(self.client):
                if old.startswith(prefix) and old not in keep and old != _pointer_name(self.settings):
                    store.drop_collection(self.client, old)
        except AssistantError:
            pass  # the switch is done; a leftover collection goes at the next build
        finally:
            store.close(self.client)
            self.client = None
