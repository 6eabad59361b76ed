"""Word export of answers: every quote verbatim as one paragraph after its printed item letter, with its
chapeau, its citation and the quote-and-citation block to paste; operative verbs in bold only when asked."""

from __future__ import annotations

import io
import re
from typing import Sequence

from assistant.answer.compose import Answer, Quote
from assistant.present.citations import quote_block
from assistant.present.counterparts import Entry, quote_groups
from assistant.present.escape import OPERATIVE, segments
from assistant.present.labels import (
    CLOSEST_NOTE,
    PASTE_LABEL,
    TITLE,
    chapeau_line,
    citation_line,
    item_label,
    readable_ops,
)

# Characters XML 1.0 (and so Word) cannot hold; they are invisible, so dropping them changes no word.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def conversation_docx(answers: Sequence[Answer], mark_operative: bool = False) -> bytes:
    """The answers as a .docx: a heading per question, the lead, then each quote with its citation.
    A quote paragraph's text is its item letter, a space and the canonical text, character for character."""
    from docx import Document  # lazily: only exports need python-docx

    doc = Document()
    doc.core_properties.title = TITLE
    _upright_quotes(doc)
    doc.add_heading(TITLE, level=1)
    for a in answers:
        _answer(doc, a, mark_operative)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def _upright_quotes(doc) -> None:
    """Word's "Quote" style is italic: quotes are set apart by an indent instead, so that what is pasted carries
    no emphasis the official text does not have."""
    from docx.shared import Cm

    style = doc.styles["Quote"]
    style.font.italic = False
    style.paragraph_format.left_indent = Cm(1)


def xml_safe(text: str) -> str:
    """`text` without the characters XML 1.0 (and so Word) cannot hold; they are invisible, no word changes."""
    return _NOT_XML.sub("", text)


def _answer(doc, a: Answer, mark_operative: bool) -> None:
    doc.add_heading(xml_safe(a.question), level=2)
    doc.add_paragraph(xml_safe(a.lead))
    for note in a.notes:
        doc.add_paragraph().add_run(xml_safe(note)).italic = True
    if not a.found and a.quotes:
        doc.add_paragraph().add_run(CLOSEST_NOTE).bold = True
    for q in a.quotes:
        _quote(doc, q, mark_operative)


def _cited(paragraph, citation: str, pid: str, negotiated: bool = True) -> None:
    """The citation line, its citation in bold."""
    paragraph.add_run(xml_safe(citation)).bold = True
    paragraph.add_run(xml_safe(citation_line(citation, pid, negotiated)[len(citation) :]))


def _quote(doc, q: Quote, mark_operative: bool) -> None:
    _cited(doc.add_paragraph(), q.citation, q.id, q.negotiated)
    for pid, chapeau in q.chapeau:
        doc.add_paragraph(xml_safe(chapeau_line(pid, chapeau)), style="Quote")
    body = doc.add_paragraph(style="Quote")
    if item_label(q.id):
        body.add_run(item_label(q.id) + " ")
    for piece, flags in segments(q.text, operative=q.operative_spans if mark_operative else ()):
        body.add_run(xml_safe(piece)).bold = True if OPERATIVE in flags else None
    paste = doc.add_paragraph()
    paste.add_run(PASTE_LABEL + " ").italic = True
    paste.add_run(xml_safe(quote_block(q)))
    for g in quote_groups(q):
        head = doc.add_paragraph()
        head.add_run(xml_safe(g.title)).italic = True
        if g.note:
            head.add_run(xml_safe(f": {g.note}"))
        for e in g.entries:
            _entry(doc.add_paragraph(style="List Bullet"), e)


def _entry(item, e: Entry) -> None:
    if e.text:
        _cited(item, e.citation, e.id)
    else:
        item.add_run(xml_safe(e.id))
    item.add_run(xml_safe(f": {e.evidence}"))
    if e.text:
        item.add_run(xml_safe(f" — {e.text}"))


def comparison_docx(a_citation: str, b_citation: str, c) -> bytes:
    """A comparison as a .docx: deleted words struck through, inserted words in bold, then the shared runs."""
    from docx import Document

    doc = Document()
    doc.add_heading(xml_safe(f"{a_citation} → {b_citation}"), level=1)
    doc.add_paragraph(xml_safe(f"Relation: {c.relation} (word similarity {c.similarity:.2f}). "
                             "Struck through: only in the earlier text; bold: only in the later text."))
    body = doc.add_paragraph()
    for op, text in readable_ops(c.ops):
        run = body.add_run(xml_safe(text))
        run.font.strike = op == "delete"
        run.bold = op == "insert"
    for r in c.shared:
        doc.add_paragraph(xml_safe(f"{r.words} words: “{r.text_b}”"), style="List Bullet")
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
