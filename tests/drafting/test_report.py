"""Rendering a check: the summary line, Markdown that shows the draft literally, Word with real footnotes, CRLF drafts."""

from __future__ import annotations

import io
import re
import zipfile

from docx import Document
from docx.enum.text import WD_COLOR_INDEX

from assistant.drafting.check import check_draft
from assistant.present.draft import report_markdown, report_text, summary_line
from assistant.present.draft_docx import report_docx

HOSTILE = "<b>x</b> **y** $z$ [a](javascript:alert(1)) # _u_"


def _draft(corpus) -> tuple[str, str]:
    exact = corpus.get("UNGASS2016:1.m").text.rstrip(";")
    return exact, f"Mr. Chair,\r\n\r\n{HOSTILE}\r\nWe will {exact}.\r\nThank you."


def test_summary_line_counts_words_and_documents(corpus, matcher):
    exact, text = _draft(corpus)
    result = check_draft(text, matcher)
    agreed = len(exact.split())
    share = round(100 * agreed / result.words)
    assert summary_line(result) == (
        f"{share}% of the draft ({agreed} of {result.words} words) is agreed language, 0% near-agreed, "
        f"{100 - share}% new; it draws on 1 document (2016 Outcome Document)."
    )
    assert summary_line(check_draft("Nothing agreed here.", matcher)).endswith("; it draws on no document.")


def test_markdown_escapes_the_draft_and_footnotes_every_run(corpus, matcher):
    exact, text = _draft(corpus)
    md = report_markdown(check_draft(text, matcher))
    assert "<b>" not in md and not re.search(r"(?<!\\)[$<]", md) and not re.search(r"(?<!\\)\]\(", md)
    assert f"**{exact}**[^1]" in md
    assert md.count("[^1]") == 2 and "[^2]" not in md
    assert "\r" not in md


def test_text_report_lists_only_spans_with_words(corpus, matcher):
    exact, text = _draft(corpus)
    out = report_text(check_draft(text, matcher))
    assert f"[agreed] {exact}\n    2016 Outcome Document, para. 1 (m)  [UNGASS2016:1.m]\n    agreed: “{exact}”" in out
    assert "[new] . Thank you." in out and "\r" not in out


def test_word_export_keeps_lines_and_adds_footnotes(corpus, matcher):
    exact, text = _draft(corpus)
    data = report_docx(check_draft(text, matcher))
    doc = Document(io.BytesIO(data))
    paragraphs = [p.text for p in doc.paragraphs][3:]  # after the title, summary and legend
    assert paragraphs == ["Mr. Chair,", "", HOSTILE, f"We will {exact}.", "Thank you."]
    green = [r.text for p in doc.paragraphs for r in p.runs if r.font.highlight_color == WD_COLOR_INDEX.BRIGHT_GREEN]
    assert green == [exact]
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        notes = z.read("word/footnotes.xml").decode("utf-8")
        body = z.read("word/document.xml").decode("utf-8")
    assert body.count("<w:footnoteReference") == 1 and 'w:footnote w:id="1"' in notes
    assert f"2016 Outcome Document, para. 1 (m)  [UNGASS2016:1.m]. “{exact}”" in notes
