"""The Word export holds every quote verbatim as one paragraph, its operative verbs in bold, and every citation."""

from __future__ import annotations

import io

from docx import Document
from present_samples import CHAPEAU, CITE_12B, CITE_1M, CITE_A11, HOSTILE, SOURCE, TEXT, answers

from assistant.present.docx import conversation_docx
from assistant.present.counterparts import NEW_GROUP, NEW_NOTE
from assistant.present.labels import CLOSEST_NOTE, TITLE


def test_docx_export_holds_quotes_citations_and_plain_quotes():
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
    assert not [r.text for r in quote.runs if r.bold], "no emphasis inside an exported quote unless asked"
    assert quote.style.name == "Quote" and quote.style.font.italic is False and not any(r.italic for r in quote.runs)
    assert f"To paste: “{TEXT}” ({CITE_1M})" in paragraphs
    assert not any("assistant compare" in x for x in paragraphs), "counterparts in plain words, no commands"
    citation = next(p for p in doc.paragraphs if p.text.startswith(CITE_1M))
    assert [r.text for r in citation.runs if r.bold] == [CITE_1M]
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading 2")]
    assert headings == [a.question for a in answers()]


def test_empty_conversation_exports_cleanly():
    doc = Document(io.BytesIO(conversation_docx([])))
    assert [p.text for p in doc.paragraphs] == [TITLE] and doc.core_properties.title == TITLE


def test_docx_marks_operative_verbs_only_when_asked():
    doc = Document(io.BytesIO(conversation_docx(answers(), mark_operative=True)))
    quote = next(p for p in doc.paragraphs if p.text == "(m) " + TEXT)
    assert [r.text for r in quote.runs if r.bold] == ["Promote"]
    paste = next(p for p in doc.paragraphs if p.text.startswith("To paste:"))
    assert not [r.text for r in paste.runs if r.bold]


def test_every_quote_paragraph_is_the_canonical_text_character_for_character(real_quotes):
    """Real paragraphs (three levels of sub-items, a preamble, 2014 sections, curly quotes and dashes) in both
    citation forms and with and without marked verbs: each quote paragraph is its item letter, a space and the
    canonical text exactly; each chapeau and citation is there."""
    from assistant.answer.compose import Answer
    from assistant.present.citations import FULL, SHORT, styled
    from assistant.present.labels import citation_line, item_label

    for style in (SHORT, FULL):
        for marked in (False, True):
            answer = styled(Answer("q", "lead", real_quotes, True, "reference"), style)
            doc = Document(io.BytesIO(conversation_docx([answer], mark_operative=marked)))
            texts = [p.text for p in doc.paragraphs]
            for q in answer.quotes:
                at = texts.index(citation_line(q.citation, q.id, q.negotiated))
                chapeaus, body, paste = texts[at + 1 : at + 1 + len(q.chapeau)], texts[at + 1 + len(q.chapeau)], texts[at + 2 + len(q.chapeau)]
                label = item_label(q.id)
                assert body == (f"{label} {q.text}" if label else q.text)
                assert body[len(label) + 1 if label else 0 :] == q.text  # character for character
                assert [c[: -len(" …")] for c in chapeaus] == [(f"{item_label(i)} {t}" if item_label(i) else t) for i, t in q.chapeau]
                assert paste == f"To paste: “{q.text}” ({q.citation})"
                if style == FULL:
                    assert "(" in q.citation.split(",")[0], q.citation  # the symbol follows the document's name
