"""Tests for resolving human paragraph references to canonical IDs."""

from __future__ import annotations


import pytest

from assistant.errors import UnknownParagraph
from assistant.corpus.ids import find_refs, resolve

KNOWN = frozenset({
    "UNGASS2016:PP24", "UNGASS2016:1", "UNGASS2016:1.a", "UNGASS2016:1.l", "UNGASS2016:1.m",
    "UNGASS2016:1.n", "UNGASS2016:4", "UNGASS2016:4.l", "UNGASS2016:9",
    "PoA2009:3", "PoA2009:4", "PoA2009:4.a", "PoA2009:4.i", "PoA2009:51", "PoA2009:51.c",
    "PoA2009:51.c.iv", "PoA2009:62",
    "PD2009:4", "PD2009:23", "PD2009:36", "PD2009:36.e",
    "JMS2014:22", "JMS2014:33", "JMS2014:A.11", "JMS2014:B.29", "JMS2014:C.45", "JMS2014:RT.1.1",
    "MD2019:3.b",
})

FORMS = {
    "UNGASS2016:1.m": "UNGASS2016:1.m",
    "ungass2016:1.M": "UNGASS2016:1.m",
    "1(m)": "UNGASS2016:1.m",
    "1 (m)": "UNGASS2016:1.m",
    "OD 1(m)": "UNGASS2016:1.m",
    "para. 1 m": "UNGASS2016:1.m",
    "paragraph 1 (m)": "UNGASS2016:1.m",
    "2016 1(m)": "UNGASS2016:1.m",
    "Outcome Document 1 (m)": "UNGASS2016:1.m",
    "UNGASS 1 m": "UNGASS2016:1.m",
    "  1( m )  ": "UNGASS2016:1.m",
    "PoA 51(c)(iv)": "PoA2009:51.c.iv",
    "PoA 51 (c) (iv).": "PoA2009:51.c.iv",
    "Plan of Action 4 (i)": "PoA2009:4.i",
    "PoA2009 4.i": "PoA2009:4.i",
    "Action 4.a": "PoA2009:4.a",
    "JMS A.11": "JMS2014:A.11",
    "JMS 22": "JMS2014:22",
    "2014 A.11": "JMS2014:A.11",
    "JMS RT.1.1": "JMS2014:RT.1.1",
    "jms2014:rt.1.1": "JMS2014:RT.1.1",
    "PD 36(e)": "PD2009:36.e",
    "Political Declaration 36 (e)": "PD2009:36.e",
    "OP 23": "PD2009:23",
    "PD OP 23": "PD2009:23",
    "Target 36.e": "PD2009:36.e",
    "PP24": "UNGASS2016:PP24",
    "pp 24": "UNGASS2016:PP24",
    "preambular para. 24": "UNGASS2016:PP24",
    "MD2019 3(b)": "MD2019:3.b",
    "md2019:3.B": "MD2019:3.b",
    # The display citations of CONVENTIONS.md round-trip.
    "2016 Outcome Document, para. 1 (m)": "UNGASS2016:1.m",
    "2016 Outcome Document, preambular para. 24": "UNGASS2016:PP24",
    "2009 Plan of Action, para. 51 (c) (iv)": "PoA2009:51.c.iv",
    "2009 Political Declaration, para. 36 (e)": "PD2009:36.e",
    "2014 Joint Ministerial Statement, para. 22": "JMS2014:22",
    "2014 Joint Ministerial Statement, sect. A, para. 11": "JMS2014:A.11",
}


@pytest.mark.parametrize("ref", sorted(FORMS))
def test_forms_resolve(ref):
    assert resolve(ref, KNOWN) == FORMS[ref]


def test_bare_reference_defaults_to_2016_then_to_the_only_document():
    assert resolve("4", KNOWN) == "UNGASS2016:4"  # PD2009:4 and PoA2009:4 also exist
    assert resolve("36(e)", KNOWN) == "PD2009:36.e"  # no 2016 paragraph 36
    assert resolve("62", KNOWN) == "PoA2009:62"


def test_year_2009_without_document():
    assert resolve("2009 4.i", KNOWN) == "PoA2009:4.i"
    assert resolve("2009 36(e)", KNOWN) == "PD2009:36.e"
    with pytest.raises(UnknownParagraph) as err:
        resolve("2009 4", KNOWN)
    assert err.value.reason == "ambiguous"
    assert set(err.value.suggestions) == {"PD2009:4", "PoA2009:4"}


@pytest.mark.parametrize("ref", ["1(zz)", "PoA 99", "PP99", "JMS A.99", "UNGASS2016:1.zz", "XX2020 1"])
def test_unknown_raises_with_suggestions(ref):
    with pytest.raises(UnknownParagraph) as err:
        resolve(ref, KNOWN)
    assert err.value.reason == "unknown"
    assert 1 <= len(err.value.suggestions) <= 5
    assert set(err.value.suggestions) <= KNOWN
    assert "Did you mean" in str(err.value)


def test_suggestions_prefer_siblings():
    with pytest.raises(UnknownParagraph) as err:
        resolve("1(zz)", KNOWN)
    assert all(s.startswith("UNGASS2016:1") for s in err.value.suggestions)
    with pytest.raises(UnknownParagraph) as err:
        resolve("PoA 99", KNOWN)
    assert all(s.startswith("PoA2009:") for s in err.value.suggestions)
    with pytest.raises(UnknownParagraph) as err:
        resolve("PoA 51(c)(v)", KNOWN)
    assert err.value.suggestions[0] in {"PoA2009:51.c", "PoA2009:51.c.iv"}


@pytest.mark.parametrize("ref", ["", "   ", "DROP TABLE", "1; DROP TABLE paragraphs", "x" * 10_000, "1(m", "((", "1)(m"])
def test_malformed(ref):
    with pytest.raises(UnknownParagraph) as err:
        resolve(ref, KNOWN)
    assert err.value.reason == "malformed"
    assert len(str(err.value)) < 300


def test_unbalanced_bracket_suggests_the_repair():
    with pytest.raises(UnknownParagraph) as err:
        resolve("1(m", KNOWN)
    assert err.value.suggestions == ("UNGASS2016:1.m",)


def test_error_attributes():
    with pytest.raises(UnknownParagraph) as err:
        resolve("1(zz)", KNOWN)
    assert err.value.ref == "1(zz)"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("what does 1(m) say?", ["UNGASS2016:1.m"]),
        ("compare 4(l) with 2009", ["UNGASS2016:4.l"]),
        ("How does PoA 51(c)(iv) relate to PD 36(e)?", ["PoA2009:51.c.iv", "PD2009:36.e"]),
        ("JMS A.11 vs 2014 B.29 and JMS2014:C.45", ["JMS2014:A.11", "JMS2014:B.29", "JMS2014:C.45"]),
        ("OP 23 and Action 4.a, Target 36.e", ["PD2009:23", "PoA2009:4.a", "PD2009:36.e"]),
        ("preambular paragraph 24 and PP24 again", ["UNGASS2016:PP24"]),
        ("what does paragraph 1 (m) of the outcome document say", ["UNGASS2016:1.m"]),
        ("what does para 9 say about it", ["UNGASS2016:9"]),
        ("what does para 4 a day mean", ["UNGASS2016:4"]),
        ("In 2016, 4 new things; the 9 recommendations", []),
        ("what did the 2009 plan say in 2016?", []),
        ("1(zz) and PoA 99", []),
        ("harm reduction and HIV", []),
        ("", []),
    ],
)
def test_find_refs(text, expected):
    assert find_refs(text, KNOWN) == expected


def test_find_refs_long_text_is_fast():
    text = "is 1 (m) " + "the 2016 a b c (" * 600
    assert find_refs(text, KNOWN) == ["UNGASS2016:1.m"]


def test_find_refs_keeps_text_order_across_forms():
    text = "see JMS2014:C.45, then 1(m) and PoA2009:4.i."
    assert find_refs(text, KNOWN) == ["JMS2014:C.45", "UNGASS2016:1.m", "PoA2009:4.i"]


def test_non_string_is_malformed():
    with pytest.raises(UnknownParagraph) as err:
        resolve(None, KNOWN)  # type: ignore[arg-type]
    assert err.value.reason == "malformed"


def test_jms_item_number_without_section_letter():
    assert resolve("JMS 45", KNOWN) == "JMS2014:C.45"  # items are numbered across sections
    assert resolve("JMS 22", KNOWN) == "JMS2014:22"  # a paragraph of that number wins
    with pytest.raises(UnknownParagraph):
        resolve("45", KNOWN)  # no document named: no guessing across sections
