"""Markdown of answers, quotes, counterparts and summaries: verbatim once unescaped, inert however hostile."""

from __future__ import annotations

import re
from dataclasses import replace
from types import SimpleNamespace

from present_samples import (
    CHAPEAU,
    CITE_12B,
    CITE_1M,
    HOSTILE,
    SOURCE,
    SUGGESTED,
    TABLE,
    TEXT,
    UNRESOLVED,
    answers,
    naloxone,
    new_in_2016,
    unescape,
)

from assistant.answer.compose import Answer
from assistant.present.counterparts import NEW_NOTE
from assistant.present.labels import CLOSEST_NOTE, NEW_IN_2016
from assistant.present.markdown import (
    MATCHED_MARK,
    answer_markdown,
    citation_markdown,
    conversation_markdown,
    groups_markdown,
    counterparts_markdown,
    emphasised,
    quote_markdown,
    summary_markdown,
)
from assistant.summary.verify import Summary, check

QUOTES = (SimpleNamespace(id="UNGASS2016:1.j", text="Encourage the voluntary participation in treatment."),)


def _inert(md: str) -> None:
    """No raw HTML, no LaTeX, no live link in the Markdown itself."""
    assert "<b>" not in md and "<script>" not in md and "javascript:" not in md
    assert not re.search(r"(?<!\\)\]\(", md)  # an escaped bracket cannot open a link
    assert not re.search(r"(?<!\\)\$", md)


def test_emphasised_bolds_spans_and_escapes_the_rest():
    text = "Member States should: (a) Promote $5 *x*"
    md = emphasised(text, ((26, 33),))
    assert "**Promote**" in md
    assert r"\$5" in md and r"\*x\*" in md
    assert unescape(md) == text


def test_quote_shows_citation_chapeau_item_label_and_bold_verb_when_asked():
    md = quote_markdown(naloxone(), mark_operative=True)
    assert md.startswith(f"**{CITE_1M}** `UNGASS2016:1.m`")
    assert "**Promote**" in md
    assert "**" not in _quote_lines(quote_markdown(naloxone()))[0]
    shown = unescape(md)
    assert f"> {CHAPEAU} … (m) {TEXT}" in shown
    assert f"{CITE_12B} `PoA2009:12.b`: " in shown and SOURCE in shown
    assert "similar in meaning (0.61)" in shown and "the table cites ‘Action 99’, which the Plan of Action does not have" in shown
    _inert(md)
    assert SOURCE not in unescape(quote_markdown(naloxone(), counterparts=False))


def test_counterparts_list_the_new_in_2016_note_and_every_link():
    from assistant.present.counterparts import NEW_GROUP, quote_groups

    assert counterparts_markdown(new_in_2016())[0].startswith(f"*{NEW_GROUP}*")
    rows = counterparts_markdown(naloxone())
    assert rows == groups_markdown(quote_groups(naloxone()))
    entries = [r for r in rows if r.startswith("- ")]
    assert len(entries) == 3
    assert any(HOSTILE in unescape(r) for r in entries) and not any(HOSTILE.replace("\x0b", "") in r for r in entries)


def test_not_negotiated_text_is_marked():
    assert citation_markdown("Footnote 1", "UNGASS2016:fn1", negotiated=False).endswith("*not negotiated text*")


def test_conversation_renders_every_quote_and_citation_verbatim():
    md = conversation_markdown(answers())
    shown = unescape(md)
    for a in answers():
        assert a.question in shown and answer_markdown(a) in md
        for q in a.quotes:
            assert q.citation in shown and q.text in shown
            for _, chapeau in q.chapeau:
                assert chapeau in shown
    assert SOURCE in shown and CITE_12B in shown
    assert CLOSEST_NOTE in shown and NEW_NOTE in shown
    _inert(md)


def test_empty_conversation_is_a_titled_file():
    assert conversation_markdown([]).startswith("# ")


def test_summary_markdown_escapes_model_text_and_dollar_signs():
    text = "It costs $5 and *matters* <b>[UNGASS2016:1.j]</b> _x_ # not a heading [UNGASS2016:1.j]."
    markdown = summary_markdown(check(text, QUOTES))
    body = markdown.split("\n\n", 1)[1]
    assert "\\$5" in body and "\\*matters\\*" in body and "\\<b\\>" in body and "\\_x\\_" in body
    assert "$" not in body.replace("\\$", "")
    assert unescape(body) == text


def test_summary_markdown_marks_failures_and_never_shows_withheld_text():
    verified = summary_markdown(check("It encourages voluntary participation [UNGASS2016:1.j].", QUOTES))
    assert verified.startswith("**Summary** (machine-written") and "⚠" not in verified
    assert "[UNGASS2016:1.j]" in unescape(verified)
    fabricated = 'It says "compulsory treatment for all" [UNGASS2016:1.j].'
    withheld = check(fabricated, QUOTES)
    assert withheld.text == fabricated and "compulsory" not in summary_markdown(withheld)
    assert summary_markdown(withheld).startswith("**Summary withheld.**")
    flagged = summary_markdown(check("Treatment is voluntary [UNGASS2016:1.j]. PWNED. Done [UNGASS2016:1.j].", QUOTES))
    assert flagged.startswith("**Draft summary** ⚠") and "⚠ PWNED" in flagged
    assert summary_markdown(check("", QUOTES)).startswith("*Summary unavailable:")


def test_nothing_unchecked_is_called_verified():
    hand_made = Summary("Some text.", "flagged")
    assert "Some text" in summary_markdown(hand_made) and "Draft" in summary_markdown(hand_made)
    assert "Some text" not in summary_markdown(Summary("Some text.", "made-up status"))


def _quote_lines(md: str) -> list[str]:
    """The block-quote lines of exported quotes (chapeau, item letter and verbatim text)."""
    return [line for line in md.split("\n") if line.startswith("> ")]


def test_exported_quotes_have_no_emphasis_unless_asked_and_a_block_to_paste():
    matched = replace(naloxone(), matched=((120, 135),))  # the question's words, highlighted only on screen
    answer = Answer("naloxone?", "lead", (matched,), True, "search")
    plain, marked = answer_markdown(answer), answer_markdown(answer, mark_operative=True)
    (line,) = _quote_lines(plain)
    assert "**" not in line and "*" not in line.replace("\\*", "")
    assert unescape(line) == f"> {CHAPEAU} … (m) {TEXT}"
    assert "**Promote**" in _quote_lines(marked)[0]
    for md in (plain, marked, conversation_markdown([answer]), conversation_markdown([answer], mark_operative=True)):
        assert MATCHED_MARK not in md and "blue-background" not in md
        assert f"*To paste:* “{TEXT}” ({CITE_1M})" in unescape(md)
        assert "assistant compare" not in md  # counterparts in plain words: citation, evidence, text


def test_markdown_export_of_real_quotes_is_verbatim(real_quotes):
    from assistant.present.citations import FULL, styled
    from assistant.present.labels import labelled

    answer = styled(Answer("q", "lead", real_quotes, True, "reference"), FULL)
    md = answer_markdown(answer)
    lines = _quote_lines(md)
    assert len(lines) == len(real_quotes)
    for q, line in zip(answer.quotes, lines):
        assert "**" not in line
        assert unescape(line).endswith(labelled(q.id, q.text)), q.id
        assert f"*To paste:* “{q.text}” ({q.citation})" in unescape(md)
        assert q.citation.startswith(("2016 Outcome Document (A/RES/S-30/1, annex)", "2014 Joint Ministerial Statement (E/2014/28)",
                                      "2009 Plan of Action (E/2009/28, chap. I, sect. C)",
                                      "2009 Political Declaration (E/2009/28, chap. I, sect. C)"))
    _inert(md)
