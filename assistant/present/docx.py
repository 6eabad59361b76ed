"""Word export of answers: every quote verbatim as one paragraph, operative verbs in bold, every citation."""

from __future__ import annotations

import io
import re
from typing import Sequence

from assistant.answer.compose import Answer, Counterpart, Quote
from assistant.present.escape import OPERATIVE, segments
from assistant.present.labels import (
    CLOSEST_NOTE,
    NEW_IN_2016,
    TITLE,
    chapeau_line,
    citation_line,
    item_label,
    relation_label,
    unresolved_line,
)

# Characters XML 1.0 (and so Word) cannot hold; they are invisible, so dropping them changes no word.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def conversation_docx(answers: Sequence[Answer]) -> bytes:
    """The answers as a .docx: a heading per question, the lead, then each quote with its citation."""
    from docx import Document  # lazily: only exports need python-docx

    doc = Document()
    doc.core_properties.title = TITLE
    doc.add_heading(TITLE, level=1)
    for a in answers:
        _answer(doc, a)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def _clean(text: str) -> str:
    return _NOT_XML.sub("", text)


def _answer(doc, a: Answer) -> None:
    doc.add_heading(_clean(a.question), level=2)
    doc.add_paragraph(_clean(a.lead))
    for note in a.notes:
        doc.add_paragraph().add_run(_clean(note)).italic = True
    if not a.found and a.quotes:
        doc.add_paragraph().add_run(CLOSEST_NOTE).bold = True
    for q in a.quotes:
        _quote(doc, q)


def _cited(paragraph, citation: str, pid: str, negotiated: bool = True) -> None:
    """The citation line, its citation in bold."""
    paragraph.add_run(_clean(citation)).bold = True
    paragraph.add_run(_clean(citation_line(citation, pid, negotiated)[len(citation) :]))


def _quote(doc, q: Quote) -> None:
    _cited(doc.add_paragraph(), q.citation, q.id, q.negotiated)
    for pid, chapeau in q.chapeau:
        doc.add_paragraph(_clean(chapeau_line(pid, chapeau)), style="Quote")
    body = doc.add_paragraph(style="Quote")
    if item_label(q.id):
        body.add_run(item_label(q.id) + " ")
    for piece, flags in segments(q.text, operative=q.operative_spans):
        body.add_run(_clean(piece)).bold = OPERATIVE in flags
    if q.new_in_2016:
        doc.add_paragraph().add_run(NEW_IN_2016).italic = True
    for c in q.counterparts:
        _counterpart(doc.add_paragraph(style="List Bullet"), c)


def _counterpart(item, c: Counterpart) -> None:
    if not c.resolved:
        item.add_run(_clean(unresolved_line(c)))
        return
    _cited(item, c.citation, c.id)
    item.add_run(_clean(f" ({relation_label(c)}): "))
    item.add_run(_clean(c.text))
