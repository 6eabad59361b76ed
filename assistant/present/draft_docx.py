"""Word export of a checked draft: the draft with agreed runs highlighted, each with a real footnote (citation, agreed text)."""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from assistant.drafting.check import CheckResult
from assistant.drafting.matcher import AGREED, NEAR
from assistant.present.docx import xml_safe
from assistant.present.draft import LINE_BREAK, note_text, summary_line

TITLE = "Draft check"
LEGEND = (
    "Agreed language is highlighted green, near-agreed language yellow; "
    "each has a footnote with its citation and the agreed text."
)
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_FOOTNOTES_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
_FOOTNOTES_RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes"


def report_docx(r: CheckResult) -> bytes:
    """The .docx: title, summary line, legend, then the draft paragraph by paragraph, agreed runs highlighted
    green and near runs yellow, each followed by a footnote reference."""
    from docx import Document  # lazily: only exports need python-docx
    from docx.enum.text import WD_COLOR_INDEX

    doc = Document()
    doc.core_properties.title = TITLE
    doc.add_heading(TITLE, level=1)
    doc.add_paragraph(xml_safe(summary_line(r)))
    doc.add_paragraph().add_run(LEGEND).italic = True
    colour = {AGREED: WD_COLOR_INDEX.BRIGHT_GREEN, NEAR: WD_COLOR_INDEX.YELLOW}
    notes: list[str] = []
    para = doc.add_paragraph()
    for span in r.spans:
        for k, line in enumerate(LINE_BREAK.split(span.text)):
            if k:
                para = doc.add_paragraph()
            if line:
                run = para.add_run(xml_safe(line))
                if span.status in colour:
                    run.font.highlight_color = colour[span.status]
        if span.status in colour:
            notes.append(note_text(span))
            _footnote_reference(para, len(notes))
    _footnotes_part(doc, notes)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def _footnote_reference(paragraph, number: int) -> None:
    from docx.oxml import parse_xml

    paragraph._p.append(
        parse_xml(
            f'<w:r xmlns:w="{_W}"><w:rPr><w:vertAlign w:val="superscript"/></w:rPr>'
            f'<w:footnoteReference w:id="{number}"/></w:r>'
        )
    )


def _footnotes_part(doc, notes: list[str]) -> None:
    """word/footnotes.xml with Word's two separator notes, then one note per text, numbered from 1."""
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part

    body = [
        '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>',
        '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>',
    ]
    for number, text in enumerate(notes, 1):
        body.append(
            f'<w:footnote w:id="{number}"><w:p>'
            '<w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr><w:footnoteRef/></w:r>'
            f'<w:r><w:rPr><w:sz w:val="18"/></w:rPr><w:t xml:space="preserve"> {escape(xml_safe(text))}</w:t></w:r>'
            "</w:p></w:footnote>"
        )
    xml = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:footnotes xmlns:w="{_W}">{"".join(body)}</w:footnotes>'
    part = Part(PackURI("/word/footnotes.xml"), _FOOTNOTES_CT, xml.encode("utf-8"), doc.part.package)
    doc.part.relate_to(part, _FOOTNOTES_RT)
