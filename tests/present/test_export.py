"""Markdown and DOCX exports hold every quote verbatim and every citation."""

from __future__ import annotations

import io
import re

from docx import Document

from assistant.answer.compose import CROSSWALK_2009, SUGGESTION, Answer, Counterpart, Quote
from assistant.present.export import conversation_docx, conversation_markdown, segments

CHAPEAU = "We recommend the following measures on prevention of drug abuse and other health-related issues:"
TEXT = (
    "(m) Promote the inclusion in national drug policies, in accordance with national legislation and as "
    "appropriate, of elements for the prevention and treatment of drug overdose, in particular opioid "
    "overdose, including the use of opioid receptor antagonists such as naloxone to reduce drug-related mortality;"
)
HOSTILE = "Text with <b>x</b> **y** $z$ [a](javascript:alert(1)) and a control\x0bcharacter."
SOURCE = "Take appropriate measures to reduce $5 drug-related deaths_ (e.g. overdose)."


def _quote(pid: str, citation: str, text: str, spans=(), **kw) -> Quote:
    return Quote(
        id=pid, doc=pid.partition(":")[0], citation=citation, text=text, heading=("Prevention",),
        chapeau=kw.pop("chapeau", ()), operative_spans=spans, score=0.8, is_commitment=True, negotiated=True, **kw,
    )


def answers() -> list[Answer]:
    start = TEXT.index("Promote")
    naloxone = _quote(
        "UNGASS2016:1.m", "2016 Outcome Document, para. 1 (m)", TEXT, ((start, start + 7),),
        chapeau=(("UNGASS2016:1", CHAPEAU),),
        counterparts=(
            Counterpart("PoA2009:12.b", "2009 Plan of Action, para. 12 (b)", SOURCE, CROSSWALK_2009, "high"),
            Counterpart("JMS2014:A.11", "2014 Joint Ministerial Statement, sect. A, para. 11", HOSTILE,
                        SUGGESTION, "suggestion", score=0.61),
            Counterpart("PoA2009:99", "PoA2009:99", "", CROSSWALK_2009, "low", resolved=False),
        ),
    )
    new = _quote("UNGASS2016:4.l", "2016 Outcome Document, para. 4 (l)", HOSTILE, new_in_2016=True)
    return [
        Answer("what did we commit on naloxone?", "The 2016 Outcome Document addresses this in para. 1 (m).",
               (naloxone,), True, "search"),
        Answer("<script>alert(1)</script> $x$?", "No paragraph clearly addresses this.", (new,), False, "none",
               notes=("Searched documents UNGASS2016.",)),
    ]


def _unescape(md: str) -> str:
    """What a CommonMark renderer shows: backslash escapes resolved, bold markers and hard breaks gone."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", md.replace("**", "")).replace("  \n", "\n")


def test_segments_cover_the_text_exactly():
    spans = ((0, 3), (2, 5), (10, 12), (40, 99))
    pieces = list(segments(TEXT, spans))
    assert "".join(p for p, _ in pieces) == TEXT
    assert [p for p, bold in pieces if bold] == [TEXT[0:3], TEXT[10:12], TEXT[40:99]]


def test_markdown_export_renders_every_quote_and_citation_verbatim():
    md = conversation_markdown(answers())
    shown = _unescape(md)
    for a in answers():
        assert a.question in shown
        for q in a.quotes:
            assert q.citation in shown
            assert q.text in shown
            for _, chapeau in q.chapeau:
                assert chapeau in shown
    assert SOURCE in shown and "2009 Plan of Action, para. 12 (b)" in shown
    assert "**Promote**" in md
    assert "Closest, not a match" in shown
    # Hostile text is escaped in the file itself: no raw HTML, no LaTeX, no live link.
    assert "<b>" not in md and "<script>" not in md and "javascript:" not in md
    assert not re.search(r"(?<!\\)\]\(", md)  # an escaped bracket cannot open a link
    assert not re.search(r"(?<!\\)\$", md)


def test_docx_export_holds_quotes_citations_and_bold_operative_verbs():
    doc = Document(io.BytesIO(conversation_docx(answers())))
    paragraphs = [p.text for p in doc.paragraphs]
    body = "\n".join(paragraphs)
    assert "what did we commit on naloxone?" in paragraphs
    assert "<script>alert(1)</script> $x$?" in paragraphs
    assert TEXT in paragraphs, "a quote is one paragraph, word for word"
    assert CHAPEAU + " …" in paragraphs
    assert "2016 Outcome Document, para. 1 (m)" in body
    assert "2016 Outcome Document, para. 4 (l)" in body
    assert "2009 Plan of Action, para. 12 (b)" in body and SOURCE in body
    assert "2014 Joint Ministerial Statement, sect. A, para. 11" in body and "suggestion" in body
    assert HOSTILE.replace("\x0b", "") in body  # only the character Word cannot store is dropped
    assert "names no existing paragraph" in body
    assert "New in 2016" in body and "Closest, not a match" in body
    quote = next(p for p in doc.paragraphs if p.text == TEXT)
    assert [r.text for r in quote.runs if r.bold] == ["Promote"]
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading 2")]
    assert headings == [a.question for a in answers()]


def test_empty_conversation_exports_cleanly():
    assert conversation_markdown([]).startswith("# ")
    assert Document(io.BytesIO(conversation_docx([]))).paragraphs
