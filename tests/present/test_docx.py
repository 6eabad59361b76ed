"""The Word export holds every quote verbatim as one paragraph, its operative verbs in bold, and every citation."""

from __future__ import annotations

import io

from docx import Document
from present_samples import CHAPEAU, CITE_12B, CITE_1M, CITE_A11, HOSTILE, SOURCE, TEXT, answers

from assistant.present.docx import conversation_docx
from assistant.present.counterparts import NEW_GROUP, NEW_NOTE
from assistant.present.labels import CLOSEST_NOTE, TITLE


def test_docx_export_holds_quotes_citations_and_bold_operative_verbs():
    doc = Document(io.BytesIO(conversation_docx(answers())))
    paragraphs = [p.text for p in doc.paragraphs]
    body = "\n".join(paragraphs)
    assert "what did we commit on naloxone?" in paragraphs
    assert "<script>alert(1)</script> $x$?" in paragraphs
    assert "(m) " + TEXT in paragraphs, "a quote is one paragraph, word for word, after its printed item label"
    assert CHAPEAU + " …" in paragraphs
    assert f"{CITE_1M}  [UNGASS2016:1.m]" in paragraphs
    assert "2016 Outcome Document, para. 4 (l)" in body
    assert any(x.startswith(f"{CITE_12B}  [PoA2009:12.b]: ") and x.endswith(f" — {SOURCE}") for x in paragraphs)
    assert CITE_A11 in body and "similar in meaning (0.61)" in body
    assert HOSTILE.replace("\x0b", "") in body  # only the character Word cannot store is dropped
    assert "PoA2009:99: the table cites ‘Action 99’, which the Plan of Action does not have" in body
    assert f"{NEW_GROUP}: {NEW_NOTE}" in paragraphs and CLOSEST_NOTE in paragraphs
    quote = next(p for p in doc.paragraphs if p.text == "(m) " + TEXT)
    assert [r.text for r in quote.runs if r.bold] == ["Promote"]
    citation = next(p for p in doc.paragraphs if p.text.startswith(CITE_1M))
    assert [r.text for r in citation.runs if r.bold] == [CITE_1M]
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading 2")]
    assert headings == [a.question for a in answers()]


def test_empty_conversation_exports_cleanly():
    doc = Document(io.BytesIO(conversation_docx([])))
    assert [p.text for p in doc.paragraphs] == [TITLE] and doc.core_properties.title == TITLE
