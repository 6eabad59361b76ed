"""Citations as drafters paste them: the preferred form (short, or full with the official symbol) and the quote block."""

from __future__ import annotations

from dataclasses import replace
from typing import Sequence

from assistant.answer.compose import Answer, Counterpart, Quote
from assistant.config import CITATION_STYLES
from assistant.corpus.documents import REGISTRY, Registry, cite
from assistant.errors import BadSetting

SHORT, FULL = CITATION_STYLES
STYLE_LABELS = {SHORT: "Short", FULL: "Full, with the document's official symbol"}


def check_style(style: str) -> str:
    """`style` if it is a citation form we print, else BadSetting naming the forms."""
    if style not in CITATION_STYLES:
        raise BadSetting(f"Unknown citation form {style!r}: use one of {', '.join(CITATION_STYLES)}.")
    return style


def cite_as(pid: str, style: str = SHORT, documents: Registry = REGISTRY) -> str:
    """The citation of paragraph `pid` in `style`; "full" adds the symbol where the sources give one."""
    return cite(pid, documents.get(pid.partition(":")[0]), full=check_style(style) == FULL)


def styled_quote(q: Quote, style: str = SHORT, documents: Registry = REGISTRY) -> Quote:
    """`q` with its citation, and those of its counterparts, in `style`; the texts are untouched."""
    if check_style(style) == SHORT:
        return q
    return replace(q, citation=cite_as(q.id, style, documents),
                   counterparts=tuple(_styled_counterpart(c, style, documents) for c in q.counterparts))


def styled(answer: Answer, style: str = SHORT, documents: Registry = REGISTRY) -> Answer:
    """`answer` with every quote's citation in `style` (the lead, written from the short form, is kept)."""
    if check_style(style) == SHORT:
        return answer
    return replace(answer, quotes=tuple(styled_quote(q, style, documents) for q in answer.quotes))


def styled_all(answers: Sequence[Answer], style: str = SHORT, documents: Registry = REGISTRY) -> list[Answer]:
    return [styled(a, style, documents) for a in answers]


def _styled_counterpart(c: Counterpart, style: str, documents: Registry) -> Counterpart:
    return replace(c, citation=cite_as(c.id, style, documents)) if c.resolved else c


def paste_block(text: str, citation: str) -> str:
    """Words and their citation as one block, the way drafters paste them:
    `“Promote the inclusion … mortality;” (2016 Outcome Document, para. 1 (m))`. `text` is kept exactly."""
    return f"“{text}” ({citation})"


def quote_block(q: Quote) -> str:
    """A quote's canonical text and its citation as one block (`paste_block`)."""
    return paste_block(q.text, q.citation)


def styled_check(result, style: str = SHORT, documents: Registry = REGISTRY):
    """A checked draft (drafting/check.py `CheckResult`) with every source's citation in `style`."""
    if check_style(style) == SHORT:
        return result
    spans = tuple(replace(s, sources=tuple(replace(src, citation=cite_as(src.id, style, documents)) for src in s.sources))
                  for s in result.spans)
    return replace(result, spans=spans)
