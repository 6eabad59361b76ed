"""Tests for the 2014 Joint Ministerial Statement parser, against the real raw file."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from assistant.errors import CorpusError
from assistant.corpus.sources import jms2014
from assistant.corpus.sources.base import CHAPEAU, OPERATIVE, SUB_ITEM, SUMMARY

RAW = Path(__file__).resolve().parents[2] / "corpus" / "raw"
TITLE = "Joint Ministerial Statement"
SECT_A = "A. Demand reduction and related measures"
SECT_B = "B. Supply reduction and related measures"
SECT_C = "C. Countering money-laundering and promoting judicial cooperation to enhance international cooperation"


@pytest.fixture(scope="module")
def parsed():
    return jms2014.parse(RAW)


@pytest.fixture(scope="module")
def by_id(parsed):
    return {p.id: p for p in parsed}


def test_counts_and_ids(parsed):
    negotiated = [p.id for p in parsed if p.negotiated]
    expected = (
        [f"JMS2014:{n}" for n in range(1, 34)]
        + [f"JMS2014:A.{n}" for n in range(1, 15)]
        + [f"JMS2014:B.{n}" for n in range(15, 38)]
        + [f"JMS2014:C.{n}" for n in range(38, 46)]
    )
    assert negotiated == expected
    assert len(negotiated) == 78
    assert len({p.id for p in parsed}) == len(parsed)


def test_kinds(by_id):
    kinds = Counter(p.kind for p in by_id.values() if p.negotiated)
    assert kinds == {OPERATIVE: 32, CHAPEAU: 1, SUB_ITEM: 45}
    assert by_id["JMS2014:33"].kind == CHAPEAU
    assert by_id["JMS2014:33"].text.startswith("Identify the following achievements")


TEXTS = {
    "JMS2014:22": (
        "Note with concern, while acknowledging the progress made by Member States, that some continuing and "
        "emerging challenges of the world drug problem may hinder our common efforts to achieve the goals and "
        "targets set out in the Political Declaration and Plan of Action, and call upon all Member States and "
        "relevant stakeholders to further strengthen their practical implementation;"
    ),
    "JMS2014:A.11": (
        "Reiterate our commitment to reducing the transmission of HIV among injecting drug users by 50 per cent "
        "by 2015, in line with the agreed international targets of the 2011 Political Declaration on HIV and "
        "AIDS: Intensifying Our Efforts to Eliminate HIV and AIDS, and note that available evidence indicates "
        "that further efforts are required to achieve the Declaration's global target;"
    ),
    "JMS2014:B.29": (
        "Encourage Member States to monitor trends emerging in some regions in the import, export and "
        "distribution of some synthetic opioid analgesics not under international control, in particular "
        "tramadol, which is used in many countries for the effective treatment of moderate to severe pain, to "
        "monitor patterns in the non-medical use and misuse of those substances within their national borders "
        "and to continue, together with the United Nations Office on Drugs and Crime, the World Health "
        "Organization and the International Narcotics Control Board and other relevant organizations, sharing "
        "and exchanging information on those emerging trends and patterns through bilateral and multilateral "
        "channels, while considering appropriate measures in accordance with national legislation aimed at "
        "preventing and reducing the non-medical use and misuse, the supply from illicit sources and the "
        "diversion of those substances, while ensuring their availability for medical and scientific purposes;"
    ),
    "JMS2014:C.45": (
        "Promote, where appropriate, in the framework of international cooperation, the use of law enforcement "
        "techniques, including special investigative techniques such as controlled delivery and lawful "
        "electronic surveillance, undercover operations or cooperating defendants, consistent with national "
        "legislation and international law, including applicable human rights obligations, in order to ensure "
        "that drug traffickers are brought to justice and that major criminal organizations are disrupted and "
        "dismantled."
    ),
    # Footnote markers ³ ⁴ ⁵ removed.
    "JMS2014:2": (
        "Underscore that the Single Convention on Narcotic Drugs of 1961 as amended by the 1972 Protocol, the "
        "Convention on Psychotropic Substances of 1971, the United Nations Convention against Illicit Traffic in "
        "Narcotic Drugs and Psychotropic Substances of 1988 and other relevant international instruments "
        "constitute the cornerstone of the international drug control system, welcome the efforts made by "
        "States parties to comply with the provisions and ensure the effective implementation of those "
        "conventions, and urge all Member States that have not yet done so to consider taking measures to "
        "ratify or accede to those instruments;"
    ),
    # Split by a page break with footnotes in between; trailing marker ¹ removed.
    "JMS2014:3": (
        "Reaffirm our commitment to achieving the targets and goals, and implementing the provisions, set out "
        "in the Political Declaration and Plan of Action on International Cooperation towards an Integrated "
        "and Balanced Strategy to Counter the World Drug Problem;"
    ),
    "JMS2014:10": (
        "Recognize that many challenges of the world drug problem have persisted and new ones have emerged in "
        "some parts of the world, and underscore the need to take these new trends into account in the "
        "implementation of the Political Declaration and Plan of Action;"
    ),
    # Italic title plus footnote marker ²³.
    "JMS2014:A.2": (
        "Note that some Member States, within their national drug control strategies, are expanding access to "
        "prevention, treatment, diagnosis, care and support services relating to HIV/AIDS and other blood-borne "
        "diseases for people who inject drugs, and also note that those States that have implemented the "
        "interventions outlined in the WHO, UNODC, UNAIDS Technical Guide and, in accordance with the "
        "fundamental principles of their domestic legal systems and national legislation, have remarkably "
        "reduced the number of HIV infections, with some countries approaching the elimination of injecting "
        "drug use-related transmission of HIV;"
    ),
    "JMS2014:B.18": (
        "Also recognize the efforts made by interested Member States in collaboration with the United Nations "
        "Office on Drugs and Crime to adjust their monitoring systems by taking into account country-specific "
        "conditions, in order to assess progress in preventing, eliminating or reducing significantly and "
        "measurably the illicit cultivation of crops used for the production and manufacture of narcotic drugs "
        "and psychotropic substances and to ensure the comparability of statistics, in order to allow for "
        "better assessment of progress towards achieving the targets set in the plan of action of the "
        "Political Declaration and Plan of Action on International Cooperation towards an Integrated and "
        "Balanced Strategy to Counter the World Drug Problem;"
    ),
    "JMS2014:27": "Note the emerging challenge of polydrug abuse in some regions;",
}


@pytest.mark.parametrize("pid", sorted(TEXTS))
def test_exact_text(by_id, pid):
    assert by_id[pid].text == TEXTS[pid]


def test_page_break_continuations_are_joined(by_id):
    assert by_id["JMS2014:21"].text.endswith("held in Moscow from 5 to 7 June 2013;")
    assert "the Inter-American Drug Abuse Control Commission of the Organization of American States" in by_id[
        "JMS2014:21"
    ].text
    assert "in close cooperation with the Commission on Narcotic Drugs, the United Nations Office on Drugs and Crime, the" in by_id[
        "JMS2014:A.13"
    ].text
    assert (by_id["JMS2014:3"].line_start, by_id["JMS2014:3"].line_end) == (68, 80)


def test_intro_clause_and_report_are_excluded(parsed):
    texts = " ".join(p.text for p in parsed)
    assert "We, the Ministers" not in texts
    assert "The Secretary-General has the honour" not in texts
    assert "annual report questionnaire for Member States" not in texts  # Chair's report para 2
    assert "General Assembly resolution 217 A (III)" not in texts  # footnote text


def test_headings(by_id):
    assert by_id["JMS2014:1"].heading == (TITLE,)
    assert by_id["JMS2014:16"].heading == (TITLE,)
    assert by_id["JMS2014:17"].heading == (TITLE, "General achievements")
    assert by_id["JMS2014:22"].heading == (TITLE, "General challenges and priorities for action")
    assert by_id["JMS2014:A.1"].heading == (TITLE, SECT_A, "Achievements")
    assert by_id["JMS2014:A.11"].heading == (TITLE, SECT_A, "Challenges and priorities for action")
    assert by_id["JMS2014:B.21"].heading == (TITLE, SECT_B, "Achievements")
    assert by_id["JMS2014:B.22"].heading == (TITLE, SECT_B, "Challenges and priorities for action")
    assert by_id["JMS2014:C.40"].heading == (TITLE, SECT_C, "Achievements")
    assert by_id["JMS2014:C.45"].heading == (TITLE, SECT_C, "Challenges and priorities")


def test_no_markup_or_footnote_markers(parsed):
    for p in parsed:
        assert not re.search(r"[*\\<>_#\u00b9\u00b2\u00b3\u2070\u2074-\u2079]", p.text), p.id
        assert p.text == " ".join(p.text.split()), p.id
        assert not re.match(r"\d+\.\s", p.text), p.id
        assert p.file == jms2014.FILE
        assert 1 <= p.line_start <= p.line_end


def test_summaries_not_negotiated(parsed):
    summaries = [p for p in parsed if not p.negotiated]
    assert summaries and all(p.kind == SUMMARY and p.id.startswith("JMS2014:RT.") for p in summaries)
    assert all(p.negotiated for p in parsed if p.kind != SUMMARY)
    assert Counter(p.id.split(".")[1] for p in summaries) == {"1": 9, "2": 12, "3": 9}
    first = next(p for p in summaries if p.id == "JMS2014:RT.1.1")
    assert first.text.startswith("The importance of demand reduction based on scientific evidence")
    assert first.heading[1].startswith("Outcome of the round table on demand reduction")
    joined = next(p for p in summaries if p.id == "JMS2014:RT.2.3")
    assert "non-scheduled substances not under international control to produce" in joined.text


def test_clean_handles_escapes_and_sup():
    assert jms2014.clean("  *Note*  that 3\\. and <sup>12</sup> x\u00b9\u00b2,\n y ") == "Note that 3. and x, y"


def test_missing_file_raises(tmp_path):
    with pytest.raises(CorpusError):
        jms2014.parse(tmp_path)
