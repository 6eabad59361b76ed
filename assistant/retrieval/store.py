"""The vector store (the only module importing chromadb): one cosine collection, embedded or on a server."""

from __future__ import annotations

import logging
import os
import time
from pathlib import Path
from typing import Iterable, Sequence

import chromadb
import chromadb.errors
import httpx
import numpy as np
from chromadb.config import Settings as ChromaSettings

from assistant.errors import IndexCorrupt, IndexNotBuilt, IndexUnreadable, StoreUnavailable

log = logging.getLogger(__name__)

# The graph search explores this many candidates: more than the corpus's 641 units, so its results are
# exact and the same in every process. With Chroma's default (100), the top 20 of the 275 answerable eval
# questions differed from exact cosine search for 13-20 questions, and differently in each new process.
EF_SEARCH = 1000
# What the manifest records of the store: an index built with another version or configuration is rebuilt.
VERSION = f"{chromadb.__version__}+ef{EF_SEARCH}"
BATCH = 256
TIMEOUT = 5.0
VISIBLE_TIMEOUT = 10.0  # seconds a written vector may take to be served by queries
REWRITE_AFTER = 1.0  # seconds after which a written vector no query finds is written again
# Metadata keys Chroma reserves or adds; never part of the manifest we hand back.
_RESERVED = ("hnsw:", "chroma:")


def _client_settings() -> ChromaSettings:
    return ChromaSettings(anonymized_telemetry=False, allow_reset=False)


def connect(path: Path | None = None, host: str | None = None, port: int = 8000, timeout: float = TIMEOUT):
    """A Chroma client: embedded at `path`, or a server at host:port (StoreUnavailable within `timeout`)."""
    if host:
        url = f"http://{host}:{port}/api/v2/heartbeat"
        try:
            # The chromadb HTTP client has no timeout at all; probe first so a dead server fails fast.
            httpx.get(url, timeout=timeout).raise_for_status()
            client = chromadb.HttpClient(host=host, port=port, settings=_client_settings())
        except (httpx.HTTPError, OSError, ValueError, chromadb.errors.ChromaError) as exc:
            raise StoreUnavailable(f"Chroma server at {host}:{port} is unreachable ({exc}); is it running?") from exc
        session = getattr(getattr(client, "_server", None), "_session", None)
        if isinstance(session, httpx.Client):
            session.timeout = httpx.Timeout(timeout * 12, connect=timeout)
        return client
    if path is None:
        raise ValueError("an embedded store needs a path")
    check_access(Path(path))
    try:
        return chromadb.PersistentClient(path=str(path), settings=_client_settings())
    except Exception as exc:  # rust bindings raise assorted errors on a damaged directory
        raise IndexCorrupt(f"index at {path} cannot be opened ({exc}); run `assistant index --rebuild`") from exc


def check_access(path: Path) -> None:
    """IndexUnreadable when this process may not read or write the index files (a permission problem, not damage)."""
    targets = [path, *path.iterdir()] if path.is_dir() and os.access(path, os.R_OK | os.X_OK) else [path]
    for target in targets:
        if target.exists() and not os.access(target, os.R_OK | os.W_OK | (os.X_OK if target.is_dir() else 0)):
            raise IndexUnreadable(
                f"The index at {path} cannot be opened: permission denied on {target.name}. It is not damaged; "
                "give this user read and write access to it (or point ASSISTANT_INDEX_DIR elsewhere)."
            )


def close(client) -> None:
    """Release files and sockets (required before an embedded index directory is moved or deleted)."""
    try:
        client.close()
    except Exception:  # closing is best effort: a broken client has nothing left to release
        pass


def list_collections(client) -> list[str]:
    return sorted(c.name if hasattr(c, "name") else str(c) for c in _guard(client.list_collections))


def drop_collection(client, name: str) -> None:
    try:
        _guard(client.delete_collection, name)
    except (ValueError, chromadb.errors.NotFoundError):
        pass


def _guard(fn, *args, **kwargs):
    """Call into chromadb, turning connection failures into StoreUnavailable."""
    try:
        return fn(*args, **kwargs)
    except (httpx.TransportError, ConnectionError) as exc:
        raise StoreUnavailable(f"Chroma server unreachable ({exc})") from exc


class VectorStore:
    """One Chroma collection of unit embeddings (cosine), addressed by unit id."""

    def __init__(self, client, name: str, create: bool = False, metadata: dict | None = None):
        self.client = client
        self.name = name
        self._size: int | None = None  # units stored, kept for queries; forgotten by every write here
        try:
            if create:
                self._col = _guard(
                    client.get_or_create_collection,
                    name,
                    configuration={"hnsw": {"space": "cosine", "ef_search": EF_SEARCH}},
                    metadata=metadata or None,
                    embedding_function=None,
                )
            else:
                self._col = _guard(client.get_collection, name, embedding_function=None)
        except (ValueError, chromadb.errors.NotFoundError) as exc:
            raise IndexNotBuilt(f"no collection {name!r} in the vector store; run `assistant index`") from exc

    @classmethod
    def open(cls, settings, name: str | None = None, path: Path | None = None, create: bool = False) -> "VectorStore":
        """Collection `name` on the server when `settings.chroma_host` is set, else embedded at `path`."""
        client = connect(path, settings.chroma_host, settings.chroma_port)
        return cls(client, name or settings.collection, create=create)

    def close(self) -> None:
        close(self.client)

    def upsert(self, units: Sequence, embeddings: np.ndarray, batch: int = BATCH) -> None:
        if len(units) != len(embeddings):
            raise ValueError(f"{len(units)} units but {len(embeddings)} embeddings")
        self._size = None
        for i in range(0, len(units), batch):
            chunk = units[i : i + batch]
            _guard(
                self._col.upsert,
                ids=[u.id for u in chunk],
                embeddings=np.asarray(embeddings[i : i + batch], dtype=np.float32),
                documents=[u.text for u in chunk],
                metadatas=[_unit_metadata(u) for u in chunk],
            )

    def query(self, embedding, k: int, where: dict | None = None) -> list[tuple[str, float]]:
        """Top-k unit ids with cosine similarity, best first. `where` is {field: value or [values]}."""
        if self._size is None:
            self._size = self.count()
        n = min(k, self._size)
        if n <= 0:
            return []
        res = _guard(
            self._col.query,
            query_embeddings=[np.asarray(embedding, dtype=np.float32)],
            n_results=n,
            where=_where(where),
            include=["distances"],
        )
        return [(uid, 1.0 - float(d)) for uid, d in zip(res["ids"][0], res["distances"][0])]

    def count(self) -> int:
        return int(_guard(self._col.count))

    def wait_visible(self, units: Sequence, embeddings: np.ndarray, timeout: float = VISIBLE_TIMEOUT,
                     rewrite_after: float = REWRITE_AFTER) -> None:
        """Return once a query finds each of `units` by its vector (cosine 1): the index must not switch to
        a copy that would answer without its new paragraphs. A server may count a write before its searches
        see it, and Chroma's vector index can miss a record the collection holds (seen about once in ten
        updates of a small copied index: `get` returns it, no query does, at any k); a unit still missing
        after `rewrite_after` seconds is written again, which a search then finds. IndexCorrupt naming the
        units still missing after `timeout`."""
        start = last_write = time.monotonic()
        pending = list(range(len(units)))
        while True:
            pending = [i for i in pending if not (hits := self.query(embeddings[i], 1)) or hits[0][1] < 1.0 - 1e-3]
            if not pending:
                return
            now = time.monotonic()
            if now - start > timeout:
                names = ", ".join(units[i].id for i in pending[:5])
                raise IndexCorrupt(f"{len(pending)} written vectors are still not found by a search after "
                                   f"{timeout:.0f} s ({names})")
            if now - last_write >= rewrite_after:
                log.info("writing again %d units no search finds (%s)", len(pending), ", ".join(units[i].id for i in pending[:5]))
                self.upsert([units[i] for i in pending], np.asarray([embeddings[i] for i in pending]))
                last_write = now
            time.sleep(0.05)

    def ids(self) -> list[str]:
        out: list[str] = []
        total, page = self.count(), 5000
        for offset in range(0, total, page):
            out.extend(_guard(self._col.get, include=[], limit=page, offset=offset)["ids"])
        return out

    def embeddings(self, ids: Sequence[str]) -> np.ndarray:
        """Stored vectors of `ids`, in that order (missing ids are left out)."""
        res = _guard(self._col.get, ids=list(ids), include=["embeddings"])
        got = dict(zip(res["ids"], res["embeddings"]))
        return np.asarray([got[i] for i in ids if i in got], dtype=np.float32)

    def copy_to(self, target: "VectorStore", page: int = BATCH, skip: Iterable[str] = ()) -> None:
        """Every stored unit (id, vector, text, metadata) of this collection upserted into `target`, but those
        in `skip` (an update writes its changed units once, as new records, never over a copied one: a
        server's search can go on finding the replaced vector long after the write)."""
        target._size = None
        skip = set(skip)
        for offset in range(0, self.count(), page):
            res = _guard(self._col.get, include=["embeddings", "documents", "metadatas"], limit=page, offset=offset)
            keep = [i for i, uid in enumerate(res["ids"]) if uid not in skip]
            if not keep:
                continue
            _guard(
                target._col.upsert,
                ids=[res["ids"][i] for i in keep],
                embeddings=np.asarray([res["embeddings"][i] for i in keep], dtype=np.float32),
                documents=[res["documents"][i] for i in keep],
                metadatas=[res["metadatas"][i] for i in keep],
            )

    def delete(self, ids: Iterable[str]) -> None:
        ids = list(ids)
        self._size = None
        for i in range(0, len(ids), BATCH):
            _guard(self._col.delete, ids=ids[i : i + BATCH])

    def get_metadata(self) -> dict:
        meta = _guard(lambda: self._col.metadata) or {}
        return {k: v for k, v in meta.items() if not k.startswith(_RESERVED)}

    def set_metadata(self, meta: dict) -> None:
        """Replace the collection metadata (one atomic write on the server: used as the index pointer)."""
        clean = {k: v for k, v in meta.items() if isinstance(v, (str, int, float, bool))}
        _guard(self._col.modify, metadata=clean)


def _unit_metadata(u) -> dict:
    return {
        "paragraph_id": u.paragraph_id,
        "start": int(u.start),
        "end": int(u.end),
        "doc": u.doc,
        "year": int(u.year),
        "kind": u.kind,
        "is_commitment": bool(u.is_commitment),
    }


def _where(where: dict | None) -> dict | None:
    if not where:
        return None
    clauses = [{k: {"$in": list(v)} if isinstance(v, (list, tuple, set)) else {"$eq": v}} for k, v in where.items()]
    return clauses[0] if len(clauses) == 1 else {"$and": clauses}
