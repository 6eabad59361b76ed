"""Check a written summary sentence by sentence against the quotes it was written from."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Protocol, Sequence

# Statuses, in order of trust.
VERIFIED, FLAGGED, WITHHELD, UNAVAILABLE = "verified", "flagged", "withheld", "unavailable"
# Issue kinds.
INVENTED_ID, UNVERIFIED_QUOTE, UNCITED_SENTENCE = "invented_id", "unverified_quote", "uncited_sentence"


class QuoteLike(Protocol):
    """Anything with a paragraph ID and its verbatim text, e.g. `answer.Quote`."""

    id: str
    text: str


@dataclass(frozen=True)
class Issue:
    """One verification failure in one sentence of a summary."""

    kind: str
    sentence: str
    detail: str


@dataclass(frozen=True)
class SentenceCheck:
    """A summary sentence, the given quote IDs it cites, and what failed in it."""

    text: str
    cited: tuple[str, ...]
    issues: tuple[Issue, ...]

    @property
    def ok(self) -> bool:
        return not self.issues


@dataclass(frozen=True)
class Verification:
    """The per-sentence check of a summary against the quotes it was written from."""

    sentences: tuple[SentenceCheck, ...]

    @property
    def issues(self) -> tuple[Issue, ...]:
        return tuple(issue for s in self.sentences for issue in s.issues)

    @property
    def failed(self) -> int:
        return sum(not s.ok for s in self.sentences)

    @property
    def status(self) -> str:
        """verified (no issue), withheld (any unverified quotation, or most sentences fail), else flagged."""
        if not self.sentences:
            return WITHHELD
        if any(i.kind == UNVERIFIED_QUOTE for i in self.issues) or 2 * self.failed > len(self.sentences):
            return WITHHELD
        return FLAGGED if self.failed else VERIFIED


@dataclass(frozen=True)
class Summary:
    """A summary and its verdict; `shown` is all of `text` a user may see (withheld text never is)."""

    text: str
    status: str
    issues: tuple[Issue, ...] = ()
    note: str = ""
    sentences: tuple[SentenceCheck, ...] = ()

    @property
    def shown(self) -> str:
        """The model's text if it may be shown (verified, or flagged with its failures marked), else ""."""
        return self.text if self.status in (VERIFIED, FLAGGED) else ""

    def to_dict(self) -> dict:
        return {
            "status": self.status,
            "text": self.shown,
            "note": self.note,
            "issues": [{"kind": i.kind, "sentence": i.sentence, "detail": i.detail} for i in self.issues],
        }


_LIST_MARKER = re.compile(r"^\s*(?:#+|[-*+•]|\d+[.)])\s+", re.M)
_SENTENCE_END = re.compile(r"[.!?]+[\"”’')\]]*(?=\s)")
_ABBREVIATION = re.compile(r"\b(?:paras?|e\.g|i\.e|cf|nos?|arts?|sect|vol|op|pp?|etc|viz|mrs?|ms|dr|st)\.$", re.I)
_LEADING_CITATIONS = re.compile(r"^(?:\s*\[[^\[\]\n]*\])+")
_BRACKET = re.compile(r"\[([^\[\]\n]*)\]")
_ID_SEPARATOR = re.compile(r"\s*(?:[,;]|\band\b)\s*")
_DOUBLE_QUOTED = re.compile(r"\"((?:[^\"\n]|\n(?!\s*\n))+)\"|“((?:[^”\n]|\n(?!\s*\n))+)”")  # within a paragraph
_SINGLE_QUOTED = re.compile(r"‘([^’\n]+)’|(?<!\w)'([^'\n]+?)'(?!\w)")
_ELLIPSIS = re.compile(r"\s*(?:\.\.\.|…)\s*")
_MIN_SINGLE_QUOTED_WORDS = 3


def _quote_spans(sentence: str) -> list[tuple[int, int, str]]:
    """(start, end, quoted text) of every quotation: double-quoted of any length, single-quoted of 3+ words."""
    spans = [(m.start(), m.end(), m.group(1) or m.group(2)) for m in _DOUBLE_QUOTED.finditer(sentence)]
    for m in _SINGLE_QUOTED.finditer(sentence):
        inner = m.group(1) or m.group(2)
        if len(inner.split()) >= _MIN_SINGLE_QUOTED_WORDS and not any(s <= m.start() < e for s, e, _ in spans):
            spans.append((m.start(), m.end(), inner))
    return spans


def split_sentences(text: str) -> tuple[str, ...]:
    """Sentences of `text`; a citation written after the full stop stays with its sentence."""
    text = _LIST_MARKER.sub("", text)
    protected = [(s, e) for s, e, _ in _quote_spans(text)]
    ends = [m.end() for m in _SENTENCE_END.finditer(text) if not _ABBREVIATION.search(text[: m.start() + 1])]
    ends += [m.start() for m in re.finditer(r"\n", text)]
    cuts = sorted({end for end in ends if not any(s < end < e for s, e in protected)})
    sentences: list[str] = []
    for start, end in zip([0, *cuts], [*cuts, len(text)]):
        piece = text[start:end]
        lead = _LEADING_CITATIONS.match(piece)
        if lead and sentences:
            sentences[-1] += " " + _squash(lead.group(0))
            piece = piece[lead.end() :]
        if re.search(r"\w", piece):
            sentences.append(piece.strip())
    return tuple(sentences)


def _squash(text: str) -> str:
    return " ".join(text.split())


def _found_in(quoted: str, source: str) -> bool:
    """Whether `quoted` is verbatim in `source` (whitespace runs aside; '...' joins in-order fragments)."""
    source = _squash(source)
    fragments = [f for f in _ELLIPSIS.split(_squash(quoted)) if f]
    position = 0
    for n, fragment in enumerate(fragments):
        found = source.find(fragment, position)
        if found < 0 and n == len(fragments) - 1 and fragment.rstrip(".,;:"):
            # Quoting convention lets the writer's own full stop or comma sit inside the quotation marks.
            found = source.find(fragment.rstrip(".,;:"), position)
        if found < 0:
            return False
        position = found + len(fragment)
    return bool(fragments)


def _check_sentence(sentence: str, by_id: dict[str, str]) -> SentenceCheck:
    spans = _quote_spans(sentence)
    issues: list[Issue] = []
    cited: list[str] = []
    for m in _BRACKET.finditer(sentence):
        if any(s <= m.start() < e for s, e, _ in spans):
            continue
        for token in filter(None, _ID_SEPARATOR.split(m.group(1).strip())):
            if token not in by_id:
                issues.append(Issue(INVENTED_ID, sentence, f"[{token}] is not one of the quotes given"))
            elif token not in cited:
                cited.append(token)
    sources = cited or list(by_id)
    for _, _, quoted in spans:
        if not any(_found_in(quoted, by_id[i]) for i in sources):
            elsewhere = [i for i in by_id if i not in sources and _found_in(quoted, by_id[i])]
            where = f"the cited text ({', '.join(cited)})" if cited else "any quote given"
            hint = f"; it is in {', '.join(elsewhere)}, which the sentence does not cite" if elsewhere else ""
            detail = f"quotation “{quoted}” is not verbatim in {where}{hint}"
            issues.append(Issue(UNVERIFIED_QUOTE, sentence, detail))
    if not cited:
        issues.append(Issue(UNCITED_SENTENCE, sentence, "cites none of the quotes given"))
    return SentenceCheck(sentence, tuple(cited), tuple(issues))


def verify(text: str, quotes: Sequence[QuoteLike]) -> Verification:
    """Check every sentence: cited IDs are given quotes, quotations are verbatim in what it cites, it cites one."""
    by_id = {q.id: q.text for q in quotes}
    return Verification(tuple(_check_sentence(s, by_id) for s in split_sentences(text)))


def check(text: str, quotes: Sequence[QuoteLike]) -> Summary:
    """The `Summary` of a model's `text`: verified, flagged or withheld (empty text is unavailable)."""
    if not isinstance(text, str) or not text.strip():
        return Summary("", UNAVAILABLE, note="The summary service returned no text.")
    verification = verify(text, quotes)
    status, n, failed = verification.status, len(verification.sentences), verification.failed
    if status == VERIFIED:
        note = "Every sentence cites a quote above and every quotation matches its source."
    elif status == FLAGGED:
        note = f"{failed} of {n} sentences failed verification and are marked."
    elif any(i.kind == UNVERIFIED_QUOTE for i in verification.issues):
        note = "It puts in quotation marks words that are not in the text it cites."
    else:
        note = f"{failed} of {n} sentences failed verification."
    return Summary(text, status, verification.issues, note, verification.sentences)
