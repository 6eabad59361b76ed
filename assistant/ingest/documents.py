"""Add and remove user documents (PDF or UTF-8 text): sandboxed extraction, segmentation, atomic storage, incremental index update."""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from filelock import FileLock

from assistant.corpus.paragraphs import Corpus, Paragraph, Source
from assistant.corpus.load import load_corpus
from assistant.corpus.documents import BUILTIN, Document, cite
from assistant.config import child_env
from assistant.fsutil import atomic_write as _atomic_write
from assistant.errors import CorpusError, DocumentRejected, IndexStale
from assistant.ingest.segment import segment
from assistant.corpus.sources.text import normalize_space, vocabulary

MAX_BYTES = 20 * 2**20
MAX_PAGES = 300
EXTRACT_TIMEOUT = 60.0  # seconds of wall-clock time for the extraction child
MEMORY_LIMIT = 2**30  # address space of the extraction child
KEY = re.compile(r"^[A-Za-z][A-Za-z0-9]{1,15}$")
# Keys the reference parser already reads as a built-in document ("OD 1(m)", "PoA 51(c)").
RESERVED = {d.key.lower() for d in BUILTIN} | {"od", "pd", "poa", "jms", "ungass", "pp", "rt", "op", "para", "sect"}
LOCK = ".lock"


@dataclass(frozen=True)
class AddReport:
    """Outcome of `add_document`: action is "added", "replaced" or "unchanged"; index is the index action."""

    key: str
    action: str
    paragraphs: int
    sha256: str
    index: str
    seconds: float


@dataclass(frozen=True)
class RemoveReport:
    """Outcome of `remove_document`."""

    key: str
    paragraphs: int
    index: str
    seconds: float


@dataclass(frozen=True)
class AddedDocument:
    """A user-added document as recorded in corpus/added/KEY.json."""

    key: str
    title: str
    year: int
    short: str
    sha256: str
    file: str
    paragraphs: int
    added_at: str

    @property
    def document(self) -> Document:
        return Document(self.key, self.title, self.year, self.short, builtin=False)


def added_documents(settings) -> list[AddedDocument]:
    """The documents in corpus/added/, by key."""
    out = []
    for meta in sorted(Path(settings.added_dir).glob("*.json")):
        info = json.loads(meta.read_text(encoding="utf-8"))
        out.append(AddedDocument(**{k: info.get(k, d) for k, d in _META_DEFAULTS.items()}))
    return out


_META_DEFAULTS = {"key": "", "title": "", "year": 0, "short": "", "sha256": "", "file": "", "paragraphs": 0, "added_at": ""}


def add_document(settings, file: Path, key: str, title: str, year: int, encoder=None, on_progress=None) -> AddReport:
    """Add (or replace) document KEY from a .pdf or .txt file; it is searchable when this returns.

    Only the document's own units are embedded (with `encoder`, by default the torch-free QueryEncoder)
    and upserted; `on_progress(done, total)` follows the embedding. DocumentRejected, naming the
    problem, for a bad key, title, year or file; then nothing is written. Any failure later leaves the
    corpus files and the index as they were.
    """
    t0 = time.perf_counter()
    key, title, year = _check_key(key), _check_title(title), _check_year(year)
    file = Path(file)
    data = _read(file)
    sha = hashlib.sha256(data).hexdigest()
    doc = Document(key, title, year, title if title.startswith(str(year)) else f"{year} {title}", builtin=False)
    paragraphs = _paragraphs(settings, doc, file.name, _pages(file, data))
    added = Path(settings.added_dir)
    added.mkdir(parents=True, exist_ok=True)
    meta_path, rows_path = added / f"{key}.json", added / f"{key}.jsonl"
    with FileLock(str(added / LOCK)):
        _check_unique(added, key, sha)
        old = json.loads(meta_path.read_text(encoding="utf-8")) if meta_path.exists() else None
        if old and (old.get("sha256"), old.get("title"), old.get("year")) == (sha, title, year):
            index = _ensure_index(settings, encoder)
            return AddReport(key, "unchanged", int(old.get("paragraphs", 0)), sha, index, time.perf_counter() - t0)
        meta = {
            "key": key, "title": title, "year": year, "short": doc.short, "sha256": sha, "file": file.name,
            "paragraphs": len(paragraphs), "added_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        }

        def write() -> None:
            # Paragraphs first: a reader only sees a document once its metadata names it.
            _atomic_write(rows_path, "".join(p.to_json() + "\n" for p in paragraphs))
            _atomic_write(meta_path, json.dumps(meta, ensure_ascii=False, indent=2) + "\n")

        index = _change(settings, key, write, encoder, on_progress, doc, paragraphs)
    return AddReport(key, "replaced" if old else "added", len(paragraphs), sha, index, time.perf_counter() - t0)


def remove_document(settings, key: str, encoder=None) -> RemoveReport:
    """Remove user-added document KEY from the corpus and its units from the index."""
    t0 = time.perf_counter()
    added = Path(settings.added_dir)
    if key.lower() in {d.key.lower() for d in BUILTIN}:
        raise DocumentRejected(f"{key} is a built-in document and cannot be removed.")
    meta_path, rows_path = added / f"{key}.json", added / f"{key}.jsonl"
    if not KEY.fullmatch(key or "") or not meta_path.exists():
        known = ", ".join(d.key for d in added_documents(settings)) or "none"
        raise DocumentRejected(f"No added document with key {key!r} (added documents: {known}).")
    with FileLock(str(added / LOCK)):
        n = int(json.loads(meta_path.read_text(encoding="utf-8")).get("paragraphs", 0))

        def write() -> None:
            meta_path.unlink()
            rows_path.unlink(missing_ok=True)

        index = _change(settings, key, write, encoder)
    return RemoveReport(key, n, index, time.perf_counter() - t0)


# -- validation ---------------------------------------------------------------------------------


def _check_key(key: str) -> str:
    key = (key or "").strip()
    if not KEY.fullmatch(key):
        raise DocumentRejected(
            f"Invalid document key {key[:40]!r}: use 2-16 letters and digits, starting with a letter (e.g. MD2019)."
        )
    if key.lower() in RESERVED:
        raise DocumentRejected(f"Document key {key!r} is reserved for a built-in document; choose another.")
    return key


def _check_unique(added: Path, key: str, sha: str) -> None:
    for meta in added.glob("*.json"):
        if meta.stem == key:
            continue
        if meta.stem.lower() == key.lower():
            raise DocumentRejected(f"Document key {key!r} differs only in case from {meta.stem!r}; use {meta.stem!r}.")
        try:
            same = json.loads(meta.read_text(encoding="utf-8")).get("sha256") == sha
        except (OSError, ValueError, AttributeError):
            same = False  # an unreadable entry is reported by the corpus loader, not here
        if same:
            raise DocumentRejected(
                f"This file is already added as {meta.stem}; remove {meta.stem} first to add it under another key."
            )


def _check_title(title: str) -> str:
    title = normalize_space(re.sub(r"[\x00-\x1f\x7f]", " ", title or ""))
    if not title or len(title) > 200:
        raise DocumentRejected("The title must be 1-200 characters (e.g. 'Ministerial Declaration').")
    return title


def _check_year(year) -> int:
    try:
        year = int(year)
    except (TypeError, ValueError):
        raise DocumentRejected(f"Invalid year {year!r}: give the year of adoption, e.g. 2019.") from None
    if not 1900 <= year <= 2100:
        raise DocumentRejected(f"Invalid year {year}: give the year of adoption, e.g. 2019.")
    return year


def _read(file: Path) -> bytes:
    if not file.is_file():
        raise DocumentRejected(f"File not found: {file}")
    if file.stat().st_size > MAX_BYTES:
        raise DocumentRejected(f"The file is too large: {_mb(file.stat().st_size)} (the limit is {_mb(MAX_BYTES)}).")
    with file.open("rb") as fh:
        data = fh.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:  # it grew while we looked
        raise DocumentRejected(f"The file is too large (the limit is {_mb(MAX_BYTES)}).")
    if not data.strip():
        raise DocumentRejected("The file is empty.")
    return data


def _mb(n: int) -> str:
    return f"{n / 2**20:.1f} MB" if n >= 2**20 else f"{n} bytes"


# -- extraction ---------------------------------------------------------------------------------


def _pages(file: Path, data: bytes) -> list[str]:
    """Page texts of a PDF (extracted in a child process) or of a UTF-8 text file (pages split at form feeds)."""
    suffix = file.suffix.lower()
    is_pdf = b"%PDF-" in data[:1024]
    if suffix == ".pdf" and not is_pdf:
        raise DocumentRejected("The file is not a PDF (no %PDF- header): it may be damaged or another kind of file.")
    if is_pdf:
        # A complete PDF ends with %%EOF; without it pypdf would happily return whatever pages survived.
        if b"%%EOF" not in data[-2048:]:
            raise DocumentRejected("The PDF is truncated (it has no end-of-file marker): download it again.")
        pages = _extract_pdf(data)
    elif suffix in (".txt", ".text", ""):
        if b"\x00" in data:
            raise DocumentRejected("The file is not text (it contains NUL bytes).")
        try:
            pages = data.decode("utf-8-sig").split("\f")
        except UnicodeDecodeError as exc:
            raise DocumentRejected(f"The text file is not valid UTF-8 (byte {exc.start}): save it as UTF-8.") from None
    else:
        raise DocumentRejected(f"Unsupported file type {suffix!r}: add a .pdf or a UTF-8 .txt file.")
    if not any(re.search(r"\w", p) for p in pages):
        what = "the PDF seems to be scanned or image-only (run OCR first)" if is_pdf else "the file is blank"
        raise DocumentRejected(f"No extractable text: {what}.")
    return pages


def _extract_pdf(data: bytes) -> list[str]:
    env = child_env()
    args = [str(MAX_PAGES), str(MEMORY_LIMIT), str(int(EXTRACT_TIMEOUT) + 1)]
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "assistant.ingest.extract", *args],
            input=data, capture_output=True, timeout=EXTRACT_TIMEOUT, env=env,
        )
    except subprocess.TimeoutExpired:
        raise DocumentRejected(f"Reading the PDF took longer than {EXTRACT_TIMEOUT:g} s: it is too complex or damaged.") from None
    try:
        out = json.loads(proc.stdout.decode("utf-8"))
    except ValueError:
        why = f"signal {-proc.returncode}" if proc.returncode < 0 else f"exit {proc.returncode}"
        raise DocumentRejected(f"The PDF could not be read: the reader stopped ({why}), it is too large or damaged.") from None
    if "problem" in out:
        raise DocumentRejected(f"The PDF was rejected: {out['problem']}.")
    return [str(p) for p in out["pages"]]


# -- paragraphs, storage, index ------------------------------------------------------------------


def _paragraphs(settings, doc: Document, file: str, pages: list[str]) -> list[Paragraph]:
    raw = Path(settings.raw_dir)
    others = vocabulary(p.read_text(encoding="utf-8") for p in sorted(raw.glob("*.txt"))) if raw.is_dir() else {}
    parsed = segment(pages, doc.key, file, [others])
    if not parsed:
        raise DocumentRejected(
            "No numbered paragraphs found: the assistant quotes paragraphs numbered '1.', '2.', … "
            "(with (a), (b) … and (i), (ii) … sub-items)."
        )
    out = [
        Paragraph(
            id=p.id, doc=doc.key, kind=p.kind, heading=p.heading, text=p.text, is_commitment=False,
            operative_spans=(), source=Source(p.file, p.line_start, p.line_end), citation=cite(p.id, doc),
        )
        for p in parsed
    ]
    Corpus(out, [doc])  # same checks the loader makes (unique ids)
    return out


def _change(settings, key: str, write, encoder=None, on_progress=None, doc: Document | None = None, paragraphs=()) -> str:
    """Write the change to document KEY with `write()` and bring the index along; the index action.

    When the index serves the corpus before the change, only the document's units are embedded and
    upserted (or deleted); otherwise (no index, or a stale one) the whole index is rebuilt. If anything
    fails, both files of KEY are restored and the index stays as it was.
    """
    from assistant.retrieval.embed import QueryEncoder
    from assistant.retrieval.index import stale_reason, update_index

    meta_path, rows_path = Path(settings.added_dir) / f"{key}.json", Path(settings.added_dir) / f"{key}.jsonl"
    before = load_corpus(settings)
    after = _replaced(before, key, doc, paragraphs)
    query = encoder or QueryEncoder(settings)

    def commit() -> None:
        write()
        if load_corpus(settings).digest() != after.digest():  # what is indexed is exactly what is saved
            raise CorpusError(f"the corpus files written for {key} do not read back as the corpus indexed")

    with _rollback(meta_path, rows_path):
        if stale_reason(settings, before, query) is None:
            try:
                return update_index(settings, before, after, query, commit, on_progress).action
            except IndexStale:
                pass  # changed by another process meanwhile: nothing was written; rebuild below
        write()
        return _ensure_index(settings, encoder)


def _replaced(corpus: Corpus, key: str, doc: Document | None, paragraphs) -> Corpus:
    """`corpus` without document KEY, then with `doc` and its `paragraphs` if given."""
    documents = [d for d in corpus.documents.values() if not d.builtin and d.key != key]
    kept = [p for p in corpus if p.doc != key]
    return Corpus([*kept, *paragraphs], [*documents, *([doc] if doc else [])])


def _ensure_index(settings, encoder=None) -> str:
    """"noop" when the index serves the corpus on disk, else "built" after a full build (sentence-transformers
    unless an encoder is given)."""
    from assistant.retrieval.embed import Embedder, QueryEncoder
    from assistant.retrieval.index import ensure_index, stale_reason

    corpus = load_corpus(settings)
    if stale_reason(settings, corpus, encoder or QueryEncoder(settings)) is None:
        return "noop"
    return ensure_index(settings, corpus, encoder or Embedder(settings), progress=False).action


class _rollback:
    """Restore both files of a document if anything below fails (e.g. the index cannot be updated)."""

    def __init__(self, *paths: Path):
        self.saved = {p: p.read_bytes() if p.exists() else None for p in paths}

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc_type is None:
            return False
        # Metadata goes first and comes back last, so no reader sees metadata without its paragraphs.
        items = sorted(self.saved.items(), key=lambda kv: kv[0].suffix != ".json")
        for path, data in items:
            if data is None:
                path.unlink(missing_ok=True)
        for path, data in reversed(items):
            if data is not None:
                _atomic_write(path, data.decode("utf-8"))
        return False
