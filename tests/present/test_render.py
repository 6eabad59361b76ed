"""Corpus and user text render literally: Markdown, HTML and `$` are escaped."""

import re

from assistant.present.render import emphasise, escape_md


def _unescape(md: str) -> str:
    """What a CommonMark renderer shows for backslash escapes (and our hard line breaks)."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", md).replace("  \n", "\n")


def test_escape_round_trips_hostile_text():
    hostile = "<script>alert(1)</script> **bold** _x_ [link](javascript:alert(1)) $x^2$ `code` # h | t ~ 1. -"
    escaped = escape_md(hostile)
    assert "<script>" not in escaped and "**bold**" not in escaped
    assert not re.search(r"(?<!\\)[$<>*_`\[]", escaped), escaped
    assert _unescape(escaped) == hostile


def test_emphasise_bolds_spans_and_escapes_rest():
    text = "Member States should: (a) Promote $5 *x*"
    md = emphasise(text, ((26, 33),))
    assert "**Promote**" in md
    assert r"\$5" in md and r"\*x\*" in md
    assert _unescape(md.replace("**", "")) == text


def test_line_start_markers_are_escaped_only_where_they_matter():
    text = "1. first\n- item\n+ plus\nMember States should: (a) Promote, inter alia, 2.5 per cent"
    md = escape_md(text)
    assert md.startswith("1\\. first") and "\\- item" in md and "\\+ plus" in md
    assert "should: (a) Promote, inter alia, 2.5 per cent" in md  # no noise where nothing would render
    assert _unescape(md) == text
    assert escape_md(":red[x] :smile:") == "\\:red\\[x\\] \\:smile:"
