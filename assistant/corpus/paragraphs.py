"""The paragraph model: `Paragraph` records and the read-only `Corpus` with look-ups by ID and structure."""

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
