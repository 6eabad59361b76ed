"""Export answers as a Markdown file or a Word document: every quote verbatim, every citation."""

from __future__ import annotations

import io
import re
from typing import Iterable, Iterator, Sequence

from assistant.answer.compose import Answer, Quote
from assistant.present.render import answer_markdown

TITLE = "UN drug-policy commitments: verbatim answers"
CLOSEST = "Closest, not a match:"
NEW_IN_2016 = "New in 2016: the crosswalk table gives no 2009 counterpart."
NOT_NEGOTIATED = "not negotiated text"

# Characters XML 1.0 (and so Word) cannot hold; they are invisible, so dropping them changes no word.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def conversation_markdown(answers: Sequence[Answer]) -> str:
    """The answers as one Markdown file, rendered with the same escaping as the app."""
    return f"# {TITLE}\n\n" + "\n".join(answer_markdown(a) for a in answers)


def conversation_docx(answers: Sequence[Answer]) -> bytes:
    """The answers as a .docx: a heading per question, the lead, then each quote with its citation."""
    from docx import Document

    doc = Document()
    doc.core_properties.title = TITLE
    doc.add_heading(TITLE, level=1)
    for a in answers:
        _answer(doc, a)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def segments(text: str, spans: Iterable[tuple[int, int]]) -> Iterator[tuple[str, bool]]:
    """`text` cut into (piece, is_operative) runs; spans as in `render.emphasise` (overlaps skipped)."""
    pos = 0
    for start, end in spans:
        if end <= pos or start >= len(text) or start < pos:
            continue
        start, end = max(start, 0), min(end, len(text))
        if start > pos:
            yield text[pos:start], False
        yield text[start:end], True
        pos = end
    if pos < len(text):
        yield text[pos:], False


def _clean(text: str) -> str:
    return _NOT_XML.sub("", text)


def _answer(doc, a: Answer) -> None:
    doc.add_heading(_clean(a.question), level=2)
    doc.add_paragraph(_clean(a.lead))
    for note in a.notes:
        doc.add_paragraph().add_run(_clean(note)).italic = True
    if not a.found and a.quotes:
        doc.add_paragraph().add_run(CLOSEST).bold = True
    for q in a.quotes:
        _quote(doc, q)


def _quote(doc, q: Quote) -> None:
    head = doc.add_paragraph()
    head.add_run(_clean(q.citation)).bold = True
    head.add_run(_clean(f"  [{q.id}]"))
    if not q.negotiated:
        head.add_run(f" ({NOT_NEGOTIATED})").italic = True
    for _, chapeau in q.chapeau:
        doc.add_paragraph(_clean(chapeau) + " …", style="Quote")
    body = doc.add_paragraph(style="Quote")
    for piece, operative in segments(q.text, q.operative_spans):
        body.add_run(_clean(piece)).bold = operative
    if q.new_in_2016:
        doc.add_paragraph().add_run(NEW_IN_2016).italic = True
    for c in q.counterparts:
        item = doc.add_paragraph(style="List Bullet")
        label = f"{c.relation}, {c.confidence}" + (f", similarity {c.score:.2f}" if c.score is not None else "")
        if c.resolved:
            item.add_run(_clean(c.citation)).bold = True
            item.add_run(_clean(f" [{c.id}] ({label}): "))
            item.add_run(_clean(c.text))
        else:
            item.add_run(_clean(f"{c.id} ({label}): names no existing paragraph"))
