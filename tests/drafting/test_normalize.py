"""Tokens for matching: what normalisation ignores, what it keeps, and offsets that point back into the draft."""

from __future__ import annotations

import pytest

from assistant.drafting.normalize import normalize_word, tokenize, word_count


def norms(text: str, vocabulary=None) -> list[str]:
    return [t.norm for t in tokenize(text, vocabulary)]


def test_every_token_points_back_at_its_own_text():
    text = "  Urge all\tMember States’ “evidence‑based” (m) work—now…\r\n2009–2019; soft\u00adhyphen  "
    tokens = tokenize(text)
    assert [text[t.start : t.end] for t in tokens] == [
        "Urge", "all", "Member", "States", "’", "“", "evidence‑based", "”", "(", "m", ")", "work", "—", "now", "…",
        "2009–2019", ";", "soft\u00adhyphen",
    ]
    assert all(a.end <= b.start for a, b in zip(tokens, tokens[1:]))


def test_case_and_whitespace_are_ignored():
    assert norms("Member  STATES\n\tshould") == norms("member states should") == ["member", "states", "should"]


def test_curly_and_straight_quotes_and_apostrophes_read_alike():
    assert norms("the Declaration’s “global target”") == norms("the Declaration's \"global target\"")
    assert norms("‘a’") == ["'", "a", "'"]


@pytest.mark.parametrize("dash", ["-", "\u2010", "\u2011", "\u2012", "\u2013", "\u2212"])
def test_dash_forms_inside_a_word_read_as_a_hyphen(dash):
    assert norms(f"evidence{dash}based 2009{dash}2019") == ["evidence-based", "2009-2019"]


@pytest.mark.parametrize("dash", ["-", "--", "\u2013", "\u2014", "\u2015"])
def test_a_standalone_dash_is_one_mark(dash):
    assert norms(f"drugs {dash} including") == ["drugs", "-", "including"]


def test_em_dash_between_words_is_not_a_compound():
    assert norms("drugs—including") == ["drugs", "-", "including"]


@pytest.mark.parametrize(
    ("british", "american"),
    [
        ("organisations", "organizations"),
        ("organised", "organized"),
        ("recognising", "recognizing"),
        ("minimise", "minimize"),
        ("criminalisation", "criminalization"),
        ("organisational", "organizational"),
        ("analyse", "analyze"),
    ],
)
def test_british_and_american_spellings_read_alike(british, american):
    assert normalize_word(british) == normalize_word(american)
    assert normalize_word(british.capitalize()) == normalize_word(american)


def test_ize_rule_leaves_other_words_apart():
    assert normalize_word("citizen") == "citizen"
    assert normalize_word("size") != normalize_word("sizes")


def test_compatibility_forms_and_invisible_characters():
    assert norms("ﬁnancial") == ["financial"]
    assert norms("Ｍember") == ["member"]
    assert norms("preven\u00adtion zero\u200bwidth") == ["prevention", "zerowidth"]
    assert norms("a \u200b b") == ["a", "b"]  # a lone zero-width space is no token


def test_line_break_hyphen_is_joined_for_a_broken_word():
    text = "the preven-\n  tion of drug"
    tokens = tokenize(text)
    assert [t.norm for t in tokens] == ["the", "prevention", "of", "drug"]
    assert text[tokens[1].start : tokens[1].end] == "preven-\n  tion"


def test_line_break_hyphen_follows_the_vocabulary():
    assert norms("drug-\nrelated", {"drug-related"}) == ["drug-related"]
    assert norms("drug-\nrelated", {"drugrelated"}) == ["drugrelated"]
    # Without evidence: a lower-case continuation is a broken word, a capital is a compound.
    assert norms("inter-\nvention") == ["intervention"]
    assert norms("South-\nSouth") == ["south-south"]


def test_a_hyphen_at_a_line_end_after_a_space_is_a_dash():
    assert norms("drugs -\nincluding") == ["drugs", "-", "including"]


def test_words_and_marks():
    tokens = tokenize("Urge all (m), evidence-based; 50 per cent…")
    assert [t.word for t in tokens] == [True, True, False, True, False, False, True, False, True, True, True, False]
    assert word_count(tokens) == 7
