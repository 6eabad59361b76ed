"""Read and write the corpus files: corpus/paragraphs.jsonl and the documents users added (corpus/added/)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Iterable

from assistant.corpus.documents import Document
from assistant.corpus.paragraphs import Corpus, Paragraph, sort_key
from assistant.errors import CorpusError


def write_jsonl(paragraphs: Iterable[Paragraph], path: Path) -> None:
    ordered = sorted(paragraphs, key=lambda p: sort_key(p.id))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(p.to_json() + "\n" for p in ordered), encoding="utf-8")


def read_jsonl(path: Path) -> list[Paragraph]:
    if not path.exists():
        raise CorpusError(f"corpus file not found: {path} (run `make corpus`)")
    try:
        return [Paragraph.from_dict(json.loads(line)) for line in path.read_text(encoding="utf-8").splitlines() if line]
    except (ValueError, KeyError, IndexError) as exc:
        raise CorpusError(f"corpus file {path} is unreadable: {exc}") from exc


def load_corpus(settings) -> Corpus:
    """The built-in canonical corpus plus any documents added by users (corpus/added/)."""
    paragraphs = read_jsonl(settings.paragraphs_path)
    documents: list[Document] = []
    added = settings.added_dir
    if added.is_dir():
        for meta in sorted(added.glob("*.json")):
            documents.append(read_added_document(meta))
            paragraphs.extend(read_jsonl(meta.with_suffix(".jsonl")))
    return Corpus(paragraphs, documents)


def read_added_document(meta: Path) -> Document:
    """The registry entry of an added document from its corpus/added/KEY.json; CorpusError naming what is wrong."""
    try:
        info = json.loads(meta.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise CorpusError(f"added document {meta} is unreadable ({exc}); remove it or add the document again") from exc
    if not isinstance(info, dict):
        raise CorpusError(f"added document {meta} is not a JSON object; remove it or add the document again")
    missing = [k for k in ("key", "title", "year", "short") if k not in info]
    if missing:
        raise CorpusError(f"added document {meta} lacks {', '.join(missing)}; remove it or add the document again")
    try:
        year = int(info["year"])
    except (TypeError, ValueError):
        raise CorpusError(f"added document {meta} has a year that is not a number: {info['year']!r}") from None
    if info["key"] != meta.stem:
        raise CorpusError(f"added document {meta} names key {info['key']!r}, not {meta.stem!r}")
    return Document(str(info["key"]), str(info["title"]), year, str(info["short"]), builtin=False)
