"""Tests for the generic text-repair helpers."""

from collections import Counter

from assistant.corpus.sources.text import join_lines, keep_hyphen, normalize_space, vocabulary

VOCAB = vocabulary(
    [
        "early intervention and the health-care system\nreduction of demand; a comprehensive approach\n"
        "money-laundering and socio-economic development"
    ]
)


def test_normalize_space_collapses_and_strips():
    assert normalize_space("  a \t b\n\nc  ") == "a b c"


def test_vocabulary_counts_lowercased_words_and_compounds():
    voc = vocabulary(["Health-care and health-care", "Approach"])
    assert voc["health-care"] == 2
    assert voc["approach"] == 1


def test_vocabulary_ignores_fragments_cut_by_line_end_hyphen():
    voc = vocabulary(["early inter-\nvention here"])
    assert "inter" not in voc and "vention" not in voc
    assert voc["early"] == 1 and voc["here"] == 1


def test_keep_hyphen_from_evidence():
    assert keep_hyphen("early inter", "vention to", [VOCAB]) is False
    assert keep_hyphen("the health", "care system", [VOCAB]) is True
    assert keep_hyphen("countering money", "laundering", [VOCAB]) is True


def test_keep_hyphen_without_evidence_uses_spacing_digits_and_capitals():
    assert keep_hyphen("the period 2008", "2011;", [VOCAB]) is True
    assert keep_hyphen("including South", "South cooperation", [VOCAB]) is True
    assert keep_hyphen("sound and effective due", "diligence", [VOCAB], spaced=True) is True
    assert keep_hyphen("sound and effective xyz", "qwv", [VOCAB], spaced=False) is False


def test_keep_hyphen_first_vocabulary_that_decides_wins():
    own = Counter({"socio-economic": 2})
    later = Counter({"socioeconomic": 7})
    assert keep_hyphen("and socio", "economic", [own, later]) is True
    assert keep_hyphen("and socio", "economic", [later, own]) is False


def test_keep_hyphen_falls_back_to_last_segment():
    assert keep_hyphen("non-govern", "mental", [Counter({"governmental": 1})]) is False


def test_join_lines_repairs_hyphenation_and_spaces():
    lines = ["  principle of early inter-", "vention and the health-", "care system; a com-  "]
    lines += ["prehensive ap-", "proach"]
    assert join_lines(lines, [VOCAB]) == (
        "principle of early intervention and the health-care system; a comprehensive approach"
    )


def test_join_lines_keeps_spaced_hyphen_without_evidence_and_suspended_hyphens():
    spaced = ["effective due- ", "diligence procedures"]
    assert join_lines(spaced, [VOCAB]) == "effective due-diligence procedures"
    suspended = ["short-, medium-", "and long-term"]
    assert join_lines(suspended, [VOCAB]) == "short-, medium- and long-term"
    assert join_lines(["the period 2008-", "2011;"], [VOCAB]) == "the period 2008-2011;"


def test_join_lines_skips_blank_lines():
    assert join_lines(["one", "", "  ", "two"], [VOCAB]) == "one two"


def test_a_single_vocabulary_is_accepted():
    assert join_lines(["early inter-", "vention"], VOCAB) == "early intervention"
