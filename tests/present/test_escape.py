"""The one escaper shows corpus and user text literally; the one highlighter cuts text exactly along spans."""

import re

from present_samples import TEXT, unescape

from assistant.present.escape import MATCHED, OPERATIVE, code_md, escape_md, segments


def test_escape_round_trips_hostile_text():
    hostile = "<script>alert(1)</script> **bold** _x_ [link](javascript:alert(1)) $x^2$ `code` # h | t ~ 1. -"
    escaped = escape_md(hostile)
    assert "<script>" not in escaped and "**bold**" not in escaped
    assert not re.search(r"(?<!\\)[$<>*_`\[]", escaped), escaped
    assert unescape(escaped) == hostile


def test_line_start_markers_are_escaped_only_where_they_matter():
    text = "1. first\n- item\n+ plus\nMember States should: (a) Promote, inter alia, 2.5 per cent"
    md = escape_md(text)
    assert md.startswith("1\\. first") and "\\- item" in md and "\\+ plus" in md
    assert "should: (a) Promote, inter alia, 2.5 per cent" in md  # no noise where nothing would render
    assert unescape(md) == text
    assert escape_md(":red[x] :smile:") == "\\:red\\[x\\] \\:smile:"


def test_control_characters_cannot_break_lines_or_hide_text():
    assert escape_md("a\rb\x00c") == "a bc"
    assert escape_md("a\n# b") == "a  \n\\# b"


def test_segments_cover_the_text_exactly_and_skip_overlaps_within_a_kind():
    spans = ((0, 3), (2, 5), (10, 12), (40, 99), (500, 600), (-4, 1), (20, 20))
    pieces = list(segments(TEXT, operative=spans))
    assert "".join(p for p, _ in pieces) == TEXT
    assert [p for p, flags in pieces if OPERATIVE in flags] == [TEXT[0:3], TEXT[10:12], TEXT[40:99]]
    assert all(p for p, _ in pieces)


def test_segments_merge_touching_spans_and_combine_kinds():
    text = "Promote access to naloxone"
    pieces = list(segments(text, operative=((0, 3), (3, 7)), matched=((5, 14), (18, 26))))
    assert pieces == [
        ("Promo", frozenset({OPERATIVE})),
        ("te", frozenset({OPERATIVE, MATCHED})),
        (" access", frozenset({MATCHED})),
        (" to ", frozenset()),
        ("naloxone", frozenset({MATCHED})),
    ]


def test_segments_of_text_without_spans_is_the_text():
    assert list(segments("plain", operative=())) == [("plain", frozenset())]
    assert list(segments("", operative=((0, 3),))) == []


def test_code_span_cannot_be_closed_by_its_content():
    assert code_md("UNGASS2016:1.m") == "`UNGASS2016:1.m`"
    assert code_md("a`b") == "``a`b``"
    assert code_md("`x") == "`` `x ``"
