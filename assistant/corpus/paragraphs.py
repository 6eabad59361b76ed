"""The canonical paragraph corpus: build it from corpus/raw/, write and load corpus/paragraphs.jsonl."""

from __future__ import annotations

import difflib
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

from assistant.corpus.documents import REGISTRY, Document, Registry, cite, split_id
from assistant.errors import CorpusError, UnknownParagraph
from assistant.corpus.sources.base import SUMMARY, Parsed


@dataclass(frozen=True)
class Source:
    """Where a paragraph's text comes from: a raw file and its 1-based inclusive line range."""

    file: str
    line_start: int
    line_end: int


@dataclass(frozen=True)
class Paragraph:
    """One paragraph or sub-item with its canonical verbatim text and stable ID."""

    id: str
    doc: str
    kind: str
    heading: tuple[str, ...]
    text: str
    is_commitment: bool
    operative_spans: tuple[tuple[int, int], ...]
    source: Source
    citation: str
    negotiated: bool = True

    @property
    def path(self) -> list[str]:
        return split_id(self.id)[1]

    @property
    def parent_id(self) -> str | None:
        parts = self.path
        return f"{self.doc}:{'.'.join(parts[:-1])}" if len(parts) > 1 else None

    def to_json(self) -> str:
        return json.dumps(
            {
                "id": self.id,
                "doc": self.doc,
                "kind": self.kind,
                "heading": list(self.heading),
                "text": self.text,
                "is_commitment": self.is_commitment,
                "negotiated": self.negotiated,
                "operative_spans": [list(s) for s in self.operative_spans],
                "source": {"file": self.source.file, "lines": [self.source.line_start, self.source.line_end]},
                "citation": self.citation,
            },
            ensure_ascii=False,
        )

    @classmethod
    def from_dict(cls, d: dict) -> "Paragraph":
        src = d["source"]
        return cls(
            id=d["id"],
            doc=d["doc"],
            kind=d["kind"],
            heading=tuple(d["heading"]),
            text=d["text"],
            is_commitment=bool(d["is_commitment"]),
            operative_spans=tuple(tuple(s) for s in d["operative_spans"]),
            source=Source(src["file"], src["lines"][0], src["lines"][1]),
            citation=d["citation"],
            negotiated=bool(d.get("negotiated", True)),
        )


def sort_key(pid: str, registry: Registry = REGISTRY) -> tuple:
    """Document order (chronological), then natural order of the paragraph path."""
    from assistant.corpus.order import id_sort_key

    return (registry.position(pid.partition(":")[0]), id_sort_key(pid))


class Corpus:
    """Read-only view of the paragraphs with look-ups by ID and by structure."""

    def __init__(self, paragraphs: Iterable[Paragraph], documents: Iterable[Document] = ()):
        paragraphs = list(paragraphs)
        present = set(p.doc for p in paragraphs)
        # The built-in documents that have paragraphs here, and every document described by the caller.
        self.documents: Registry = Registry(
            [d for d in REGISTRY.values() if d.key in present] + list(documents)
        )
        self.paragraphs: tuple[Paragraph, ...] = tuple(sorted(paragraphs, key=lambda p: sort_key(p.id, self.documents)))
        self._by_id = {p.id: p for p in self.paragraphs}
        if len(self._by_id) != len(self.paragraphs):
            raise CorpusError("duplicate paragraph IDs in the corpus")
        self._children: dict[str, list[str]] = {}
        for p in self.paragraphs:
            if p.parent_id:
                self._children.setdefault(p.parent_id, []).append(p.id)

    def __len__(self) -> int:
        return len(self.paragraphs)

    def __iter__(self) -> Iterator[Paragraph]:
        return iter(self.paragraphs)

    def __contains__(self, pid: object) -> bool:
        return pid in self._by_id

    @property
    def ids(self) -> list[str]:
        return [p.id for p in self.paragraphs]

    def get(self, pid: str) -> Paragraph:
        try:
            return self._by_id[pid]
        except KeyError:
            raise UnknownParagraph(pid, tuple(self.closest(pid))) from None

    def closest(self, pid: str, n: int = 5) -> list[str]:
        return difflib.get_close_matches(pid, self._by_id.keys(), n=n, cutoff=0.5)

    def children(self, pid: str) -> list[Paragraph]:
        return [self._by_id[c] for c in self._children.get(pid, [])]

    def descendants(self, pid: str) -> list[Paragraph]:
        out: list[Paragraph] = []
        for child in self.children(pid):
            out.append(child)
            out.extend(self.descendants(child.id))
        return out

    def ancestors(self, pid: str) -> list[Paragraph]:
        """Enclosing paragraphs, outermost first (the chapeaus that introduce a sub-item)."""
        chain: list[Paragraph] = []
        parent = self.get(pid).parent_id
        while parent and parent in self._by_id:
            chain.insert(0, self._by_id[parent])
            parent = self._by_id[parent].parent_id
        return chain

    def order_newest_first(self, ids: Iterable[str]) -> list[str]:
        """`ids` grouped by document, newest document first, keeping their order within a document."""
        ids = list(ids)
        return sorted(ids, key=lambda pid: (self.documents.newest_first(pid.partition(":")[0]), ids.index(pid)))

    def by_doc(self, doc: str) -> list[Paragraph]:
        return [p for p in self.paragraphs if p.doc == doc]

    def digest(self) -> str:
        """Content hash of the corpus, recorded in the index manifest."""
        h = hashlib.sha256()
        for p in self.paragraphs:
            h.update(p.to_json().encode("utf-8"))
            h.update(b"\n")
        return h.hexdigest()


TEXT_REPAIRS = "text_repairs.csv"


def apply_text_repairs(parsed: list[Parsed], path: Path) -> list[Parsed]:
    """Apply the reviewed extraction repairs that the parsers cannot decide alone (one row each, with evidence)."""
    import csv
    from dataclasses import replace

    if not path.exists():
        return parsed
    with path.open(encoding="utf-8", newline="") as fh:
        repairs = list(csv.DictReader(fh))
    by_id = {p.id: i for i, p in enumerate(parsed)}
    out = list(parsed)
    for r in repairs:
        i = by_id.get(r["id"])
        if i is None or out[i].text.count(r["printed"]) != 1:
            raise CorpusError(f"text repair for {r['id']} no longer applies: {r['printed']!r} not found exactly once")
        out[i] = replace(out[i], text=out[i].text.replace(r["printed"], r["repaired"]))
    return out


def build_paragraphs(raw_dir: Path) -> list[Paragraph]:
    """Parse every raw source, apply reviewed repairs, and merge in commitment data from the compilation."""
    from assistant.corpus.sources import compilation, fulltext2009, jms2014, ungass2016

    parsed: list[Parsed] = [*fulltext2009.parse(raw_dir), *jms2014.parse(raw_dir), *ungass2016.parse(raw_dir)]
    parsed = apply_text_repairs(parsed, raw_dir.parent / TEXT_REPAIRS)
    compiled = {e.id: e for e in compilation.parse(raw_dir)}
    out = []
    for p in parsed:
        entry = compiled.get(p.id) if p.negotiated and p.kind != SUMMARY else None
        spans = _close_quotes(p.text, compilation.operative_spans(p.text, entry)) if entry else ()
        out.append(
            Paragraph(
                id=p.id,
                doc=p.id.partition(":")[0],
                kind=p.kind,
                heading=tuple(p.heading),
                text=p.text,
                is_commitment=entry is not None,
                operative_spans=tuple(tuple(s) for s in spans),
                source=Source(p.file, p.line_start, p.line_end),
                citation=cite(p.id),
                negotiated=p.negotiated,
            )
        )
    return out


_PAIRS = {"“": "”", "‘": "’", '"': '"'}


def _close_quotes(text: str, spans) -> list[tuple[int, int]]:
    """Spans that open a quotation mark end after its closing mark ("Consider “marking”", not "“marking")."""
    out = []
    for start, end in spans:
        piece = text[start:end]
        for opening, closing in _PAIRS.items():
            if piece.count(opening) - (piece.count(closing) if opening != closing else 0) > 0 or (
                opening == closing and piece.count(opening) % 2
            ):
                if text[end : end + 1] == closing:
                    end += 1
        out.append((start, end))
    return out


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
            info = json.loads(meta.read_text(encoding="utf-8"))
            documents.append(Document(info["key"], info["title"], int(info["year"]), info["short"], builtin=False))
            paragraphs.extend(read_jsonl(meta.with_suffix(".jsonl")))
    return Corpus(paragraphs, documents)
