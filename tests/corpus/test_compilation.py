"""Tests for the compilation parser against the real raw sources."""

import re
from collections import Counter
from dataclasses import replace
from pathlib import Path

import pytest

from assistant.corpus.sources.compilation import CompiledEntry, operative_spans, parse

RAW = Path(__file__).resolve().parents[2] / "corpus" / "raw"


@pytest.fixture(scope="module")
def entries() -> dict[str, CompiledEntry]:
    return {e.id: e for e in parse(RAW)}


def bolds(e: CompiledEntry) -> list[str]:
    return [e.text[s:t] for s, t in e.bold]


def test_counts_per_document(entries):
    assert len(entries) == len(parse(RAW))  # ids unique
    assert Counter(i.split(":")[0] for i in entries) == {"PD2009": 25, "PoA2009": 225, "JMS2014": 46, "UNGASS2016": 129}


def test_action_6_header_missing_in_compilation(entries):
    assert entries["PoA2009:6.a"].text.startswith("Ensure that drug demand reduction measures respect human rights")
    assert entries["PoA2009:6.a"].heading[-1] == "Human rights, dignity and fundamental freedoms in the context of drug demand reduction"
    assert "PoA2009:6.c" in entries and "PoA2009:4.i" in entries and "PoA2009:5.a" not in entries


def test_extradition_items_are_action_54(entries):
    assert "do not extradite a person" in entries["PoA2009:54.d"].text
    assert entries["PoA2009:54.d"].line_start == 331
    assert entries["PoA2009:56.a"].text.startswith("Make full use of multilateral treaties, notably the 1988")


def test_roman_sub_items_split(entries):
    assert entries["PoA2009:51.c"].text == "Implementing effective detection, investigation, prosecution and conviction measures, including:"
    assert [i for i in entries if i.startswith("PoA2009:51.c.")] == [f"PoA2009:51.c.{r}" for r in ("i", "ii", "iii", "iv", "v")]
    assert [i for i in entries if i.startswith("PoA2009:51.a.")][-1] == "PoA2009:51.a.vii"
    assert [i for i in entries if i.startswith("PoA2009:51.b.")][-1] == "PoA2009:51.b.vii"
    assert entries["PoA2009:51.b.iii"].text == "Financial record-keeping;"
    assert bolds(entries["PoA2009:51.b.iii"]) == ["record-keeping"]
    assert entries["PoA2009:51.a.v"].text.startswith("Granting the widest range")  # printed "v)" without "("
    assert entries["PoA2009:51.b.i"].line_start == 323 and entries["PoA2009:51.b"].line_start == 321


def test_inline_letter_sub_items_split(entries):
    assert entries["PD2009:36"].text.endswith("reduce significantly and measurably:")
    assert entries["PD2009:36.e"].text == "Money-laundering related to illicit drugs"


def test_no_markup_left(entries):
    for e in entries.values():
        assert not re.search(r"[<>*\\]", e.text), e.id
        assert not re.search(r"\s[,;:.]|\s\s", e.text), e.id
        assert all(0 <= s < t <= len(e.text) for s, t in e.bold), e.id


def test_footnote_markers_removed(entries):
    assert "1972 Protocol, the Convention on Psychotropic Substances of 1971" in entries["JMS2014:2"].text


def test_bold_spans(entries):
    assert bolds(entries["PD2009:15"]) == ["recommend", "take further measures to address"]
    assert bolds(entries["UNGASS2016:1.j"]) == ["Encourage", "develop and implement", "take measures"]  # across a page break
    assert bolds(entries["JMS2014:A.11"]) == ["to reducing", "further efforts are required"]
    assert bolds(entries["PoA2009:2.d"]) == ["Encourage", "medium- and long-term planning and continuous financial support"]


def test_ids_and_headings(entries):
    assert entries["JMS2014:B.29"].heading[-2:] == ("B. Supply reduction and related measures", "Challenges and priorities for action")
    assert entries["PoA2009:22.a"].heading[1:3] == ("Part II. Supply reduction and related measures:", "B. Reducing the illicit supply of drugs.")
    assert entries["PoA2009:62"].text.startswith("Member States should take appropriate measures")
    assert entries["UNGASS2016:PP24"].line_start == 454
    assert entries["UNGASS2016:9"].text.startswith("We resolve to take the steps necessary")


def test_operative_spans_spelling_variant(entries):
    canonical = (
        "Provide appropriate training so that criminal justice and/or prison staff carry out drug demand reduction "
        "measures that are based on scientific evidence and are ethical and so that their attitudes are respectful, "
        "non-judgemental and non-stigmatizing."
    )
    e = entries["PoA2009:16.d"]
    assert "non-judgmental" in e.text
    assert [canonical[s:t] for s, t in operative_spans(canonical, e)] == ["Provide appropriate training"]
    start = e.text.index("respectful")
    variant = replace(e, bold=e.bold + ((start, start + len("respectful, non-judgmental")),))
    assert [canonical[s:t] for s, t in operative_spans(canonical, variant)] == [
        "Provide appropriate training",
        "respectful, non-judgemental",
    ]


def test_operative_spans_hyphenation_and_spacing(entries):
    e = entries["PoA2009:2.d"]
    canonical = (
        "Encourage , in cooperation with multilateral agencies and international and regional financial institutions, "
        "short-, medium- and long-term planning and continuous finan-cial support for drug demand reduction programmes;"
    )
    spans = operative_spans(canonical, e)
    assert [canonical[s:t] for s, t in spans] == ["Encourage", "medium- and long-term planning and continuous finan-cial support"]


def test_operative_spans_skips_unlocatable(entries):
    assert operative_spans("Something else entirely.", entries["PoA2009:16.d"]) == ()


PLAN_2009 = "Political Declaration\n\nPlan of action\n\n1. Member States should act.\n"


@pytest.mark.parametrize(
    "compilation, full_text, problem",
    [
        ("# Compilation\n\nNo annex here.\n", PLAN_2009, r"no '## ANNEX' line"),
        ("## ANNEX\n\n**Minutes of a meeting**\n\n1.\tText.\n", PLAN_2009, r":3: unknown document title 'Minutes of a meeting'"),
        ("## ANNEX\n\n1.\tA paragraph before any title.\n", PLAN_2009, r":3: a paragraph before any document title"),
        ("## ANNEX\n\n\tcontinued text\n", PLAN_2009, r":3: a continuation line before any paragraph"),
        ("## ANNEX\n\n**Joint Ministerial Statement 2014**\n\n(a)\tAn item of no paragraph.\n", PLAN_2009,
         r":5: no paragraph number"),
        ("## ANNEX\n", "Political Declaration only.\n", r"no 'Plan of action' title line"),
        (None, PLAN_2009, r"cannot read .*2023_CND_CRP"),
    ],
)
def test_malformed_source_is_a_corpus_error_naming_the_problem(tmp_path, compilation, full_text, problem):
    from assistant.corpus.sources.compilation import FILE, FULL_2009
    from assistant.errors import CorpusError

    (tmp_path / FULL_2009).write_text(full_text, encoding="utf-8")
    if compilation is not None:
        (tmp_path / FILE).write_text(compilation, encoding="utf-8")
    with pytest.raises(CorpusError, match=problem):
        parse(tmp_path)
