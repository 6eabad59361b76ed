"""Check a draft: the draft cut into spans (agreed, near or new), each with its sources' exact wording and diff."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from assistant.corpus.paragraphs import Paragraph
from assistant.drafting.matcher import AGREED, NEAR, NEW, Hold, Match, Matcher
from assistant.drafting.normalize import Token, tokenize
from assistant.errors import UnverifiedQuote

STATUSES = (AGREED, NEAR, NEW)


@dataclass(frozen=True)
class Source:
    """A paragraph holding a span's words: `text` is `paragraph.text[start:end]`, the agreed words as printed."""

    id: str
    citation: str
    text: str
    start: int
    end: int

    def to_dict(self) -> dict:
        return {"id": self.id, "citation": self.citation, "text": self.text, "start": self.start, "end": self.end}


@dataclass(frozen=True)
class Change:
    """One step of a near span's diff: `equal` words, or words `replace`d, `insert`ed by the draft or
    `delete`d from the agreed text (left out by the draft)."""

    op: str
    draft: str
    agreed: str

    def to_dict(self) -> dict:
        return {"op": self.op, "draft": self.draft, "agreed": self.agreed}


@dataclass(frozen=True)
class Span:
    """`text[start:end]` of the draft with its status; agreed and near spans carry their sources, newest document first."""

    start: int
    end: int
    status: str
    text: str
    words: int
    sources: tuple[Source, ...] = ()
    diff: tuple[Change, ...] = ()  # near spans: the draft against the first source

    @property
    def citations(self) -> tuple[str, ...]:
        return tuple(s.id for s in self.sources)

    @property
    def source_text(self) -> str:
        """The agreed words as the first (newest) source prints them; empty for new text."""
        return self.sources[0].text if self.sources else ""

    def to_dict(self) -> dict:
        out = {
            "start": self.start,
            "end": self.end,
            "status": self.status,
            "text": self.text,
            "words": self.words,
            "citations": list(self.citations),
        }
        if self.status != NEW:
            out["source_text"] = self.source_text
            out["sources"] = [s.to_dict() for s in self.sources]
        if self.status == NEAR:
            out["diff"] = [c.to_dict() for c in self.diff]
        return out


@dataclass(frozen=True)
class CheckResult:
    """A checked draft: its spans in order (their texts join back to `text`) and the documents it draws on."""

    text: str
    spans: tuple[Span, ...]
    words: int
    documents: tuple[str, ...]  # document keys of every source, newest first
    document_names: tuple[str, ...] = ()  # their citation names ("2016 Outcome Document"), same order

    def words_of(self, status: str) -> int:
        return sum(s.words for s in self.spans if s.status == status)

    def share(self, status: str) -> float:
        """The fraction of the draft's words in spans of `status`."""
        return self.words_of(status) / self.words if self.words else 0.0

    def to_dict(self) -> dict:
        return {
            "words": self.words,
            "summary": {
                status: {"words": self.words_of(status), "share": round(self.share(status), 4)} for status in STATUSES
            },
            "documents": [{"key": k, "name": n} for k, n in zip(self.documents, self.document_names)],
            "spans": [s.to_dict() for s in self.spans],
        }


def check_draft(text: str, matcher: Matcher) -> CheckResult:
    """Cut `text` into agreed, near and new spans against the matcher's corpus."""
    tokens = tokenize(text, matcher.vocabulary)
    words = [0]
    for t in tokens:
        words.append(words[-1] + t.word)
    spans: list[Span] = []
    pos = k = 0  # character and token where the next span begins
    for m in matcher.match(tokens, text):
        start, end = tokens[m.start].start, tokens[m.end - 1].end
        if start > pos:
            spans.append(Span(pos, start, NEW, text[pos:start], words[m.start] - words[k]))
        spans.append(_matched(text, tokens, m, matcher))
        pos, k = end, m.end
    if pos < len(text) or not spans:
        spans.append(Span(pos, len(text), NEW, text[pos:], words[-1] - words[k]))
    registry = matcher.corpus.documents
    docs = sorted({s.id.partition(":")[0] for span in spans for s in span.sources}, key=registry.newest_first)
    names = tuple(registry[d].short if d in registry else d for d in docs)
    return CheckResult(text, tuple(spans), words[-1], tuple(docs), names)


def _matched(text: str, tokens: Sequence[Token], m: Match, matcher: Matcher) -> Span:
    start, end = tokens[m.start].start, tokens[m.end - 1].end
    sources = tuple(_source(matcher, h) for h in m.holds)
    words = sum(1 for t in tokens[m.start : m.end] if t.word)
    diff: tuple[Change, ...] = ()
    if m.status == AGREED:
        # The quote shown as agreed must read, normalised, exactly as the draft's words.
        wanted = [t.norm for t in tokens[m.start : m.end]]
        for s in sources:
            if [t.norm for t in tokenize(s.text)] != wanted:
                raise UnverifiedQuote(f"{s.id}: {s.text!r} does not read as the draft's words")
    else:
        first = matcher.corpus.get(m.holds[0].id)
        ptoks = matcher.paragraph_tokens(first.id)
        diff = tuple(
            Change(e.op, _slice(text, tokens, e.i1, e.i2), _slice(first.text, ptoks, e.j1, e.j2)) for e in m.edits
        )
    return Span(start, end, m.status, text[start:end], words, sources, diff)


def _source(matcher: Matcher, hold: Hold) -> Source:
    """The held words, sliced from the paragraph's canonical text (so verbatim by construction)."""
    p: Paragraph = matcher.corpus.get(hold.id)
    ptoks = matcher.paragraph_tokens(p.id)
    start, end = ptoks[hold.start].start, ptoks[hold.end - 1].end
    return Source(p.id, p.citation, p.text[start:end], start, end)


def _slice(text: str, tokens: Sequence[Token], i1: int, i2: int) -> str:
    return text[tokens[i1].start : tokens[i2 - 1].end] if i2 > i1 else ""
