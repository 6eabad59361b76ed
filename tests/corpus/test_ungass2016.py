"""Tests for the 2016 UNGASS Outcome Document parser against the real raw sources."""

import re
from collections import Counter
from pathlib import Path

import pytest

from assistant.corpus.sources.base import CHAPEAU, CLOSING, KINDS, PREAMBLE, SUB_ITEM
from assistant.corpus.sources.ungass2016 import TABLE, parse, table_headings

RAW = Path(__file__).resolve().parents[2] / "corpus" / "raw"
COMPILATION = "2023_CND_CRP_Mexico_compilation_of_commitments_2009_2014_2016.txt"


@pytest.fixture(scope="module")
def paras():
    return {p.id: p for p in parse(RAW)}


def test_ids_unique_and_kinds(paras):
    items = parse(RAW)
    assert len(items) == len(paras) == 131
    assert all(p.kind in KINDS for p in items)
    assert Counter(p.kind for p in items) == {SUB_ITEM: 103, PREAMBLE: 18, CHAPEAU: 8, CLOSING: 2}


def test_chapters_and_letters(paras):
    # counted from the compilation (and the table for 6 (b))
    expected = {1: "abcdefghijklmnopqr", 2: "abcdefg", 3: "abcdefghijklmnopqrstu", 4: "abcdefghijklmno",
                5: "abcdefghijklmnopqrstuvwxy", 6: "abcde", 7: "abcdefghijkl"}
    for chapter, letters in expected.items():
        assert paras[f"UNGASS2016:{chapter}"].kind == CHAPEAU
        found = "".join(i.split(".")[1] for i in paras if re.fullmatch(rf"UNGASS2016:{chapter}\.[a-z]", i))
        assert found == letters


def test_preamble_numbers(paras):
    pp = [int(i.split("PP")[1]) for i in paras if ":PP" in i]
    assert pp == [1, 2, 3, 4, 5, 7, 9, 11, 12, 13, 14, 15, 17, 18, 19, 21, 22, 24]


EXACT = {
    "UNGASS2016:1.m": "Promote the inclusion in national drug policies, in accordance with national legislation and as "
    "appropriate, of elements for the prevention and treatment of drug overdose, in particular opioid overdose, "
    "including the use of opioid receptor antagonists such as naloxone to reduce drug-related mortality;",
    "UNGASS2016:PP24": "We reiterate our commitment to ending, by 2030, the epidemics of AIDS and tuberculosis, as well "
    "as to combating viral hepatitis and other communicable diseases, inter alia, among people who use drugs, "
    "including people who inject drugs.",
    "UNGASS2016:6.b": "Enhance North-South, South-South and triangular cooperation among Member States, in cooperation "
    "with the international development community and other key stakeholders, in order to effectively address and "
    "counter the world drug problem;",
    "UNGASS2016:4": "We reiterate our commitment to respecting, protecting and promoting all human rights, fundamental "
    "freedoms and the inherent dignity of all individuals and the rule of law in the development and implementation "
    "of drug policies, and we recommend the following measures:",
    "UNGASS2016:PP12": "We recognize the importance of appropriately mainstreaming gender and age perspectives in "
    "drug-related policies and programmes;",
    "UNGASS2016:PP18": "We welcome continued efforts to enhance coherence within the United Nations system at all levels;",
    "UNGASS2016:1.f": "Consider enhancing cooperation between public health, education and law enforcement authorities "
    "when developing prevention initiatives;",
    "UNGASS2016:2.b": "Strengthen, as appropriate, the proper functioning of national control systems and domestic "
    "assessment mechanisms and programmes, in cooperation with the International Narcotics Control Board, the United "
    "Nations Office on Drugs and Crime, the World Health Organization and other relevant United Nations system "
    "agencies, to identify, analyse and remove impediments to the availability and accessibility of controlled "
    "substances for medical and scientific purposes, within appropriate control mechanisms, as required by the three "
    "international drug control conventions and taking into account the publication entitled \u201cEnsuring Balance "
    "in National Policies on Controlled Substances: Guidance for Availability and Accessibility of Controlled "
    "Medicines\u201d and, for that purpose, consider the provision of technical and financial assistance, upon "
    "request, to developing countries;",
    "UNGASS2016:3.p": "Strengthen and utilize existing and relevant regional, as appropriate, subregional and "
    "international networks for the exchange of operational information to prevent and counter money-laundering, "
    "illicit financial flows and terrorist financing;",
    "UNGASS2016:5.s": "Encourage the use of the Guidelines for Governments on Preventing the Illegal Sale of "
    "Internationally Controlled Substances through the Internet, as appropriate;",
    "UNGASS2016:8": "We express appreciation for the inclusive, transparent and open-ended preparatory process for the "
    "special session, led by the Commission on Narcotic Drugs with the support, guidance and involvement of the "
    "President of the General Assembly, and for all contributions to this preparatory process.",
    "UNGASS2016:9": "We resolve to take the steps necessary to implement the above-listed operational recommendations, "
    "in close partnership with the United Nations and other intergovernmental organizations and civil society, and to "
    "share with the Commission on Narcotic Drugs, as the policymaking body of the United Nations with prime "
    "responsibility for drug control matters, timely information on progress made in the implementation of these "
    "recommendations.",
}


@pytest.mark.parametrize("pid", sorted(EXACT))
def test_exact_text(paras, pid):
    assert paras[pid].text == EXACT[pid]


def test_final_punctuation_restored_from_table(paras):
    assert paras["UNGASS2016:1.d"].text.endswith("on a non-discriminatory basis;")
    assert paras["UNGASS2016:5.y"].text.endswith("policies adopted by States.")


def test_provenance(paras):
    assert (paras["UNGASS2016:6.b"].file, paras["UNGASS2016:6.b"].line_start) == (TABLE, 259)
    assert (paras["UNGASS2016:8"].file, paras["UNGASS2016:8"].line_start) == (TABLE, 286)
    assert (paras["UNGASS2016:1.m"].file, paras["UNGASS2016:1.m"].line_start) == (COMPILATION, 473)
    lines = (RAW / COMPILATION).read_text(encoding="utf-8").splitlines()
    assert "naloxone" in lines[paras["UNGASS2016:1.m"].line_start - 1]


def test_kinds(paras):
    assert paras["UNGASS2016:PP1"].kind == PREAMBLE
    assert paras["UNGASS2016:1.m"].kind == SUB_ITEM
    assert paras["UNGASS2016:8"].kind == paras["UNGASS2016:9"].kind == CLOSING
    assert paras["UNGASS2016:5.intro"].kind == CHAPEAU
    assert paras["UNGASS2016:5.intro"].text.startswith("We resolve to strengthen national and international action")


def test_no_markup(paras):
    for p in paras.values():
        assert not re.search(r"[<>*\\]|\s[,;:.]|\s\s", p.text), p.id
        assert p.text == p.text.strip() and p.text


def chapter_titles(paras) -> dict[int, str]:
    """The chapter title each chapter's chapeau carries as its heading."""
    paths = {pid: pid.split(":")[1] for pid in paras}
    return {int(path): paras[pid].heading[0] for pid, path in paths.items() if path.isdigit() and int(path) <= 7}


def test_chapter_titles(paras):
    titles = chapter_titles(paras)
    assert sorted(titles) == [1, 2, 3, 4, 5, 6, 7]
    assert titles[1] == ("Operational recommendations on demand reduction and related measures, including prevention "
                         "and treatment, as well as other health-related issues")
    assert titles[6] == ("Operational recommendations on strengthening international cooperation based on the "
                         "principle of common and shared responsibility")


def test_headings(paras):
    treatment = ("Treatment of drug use disorders, rehabilitation, recovery and social reintegration; prevention, "
                 "treatment and care of HIV/AIDS, viral hepatitis and other blood-borne infectious diseases")
    title1 = chapter_titles(paras)[1]
    assert paras["UNGASS2016:1.h"].heading == (title1,)
    assert paras["UNGASS2016:1.i"].heading == (title1, treatment)
    assert paras["UNGASS2016:1.m"].heading == (title1, treatment)
    assert paras["UNGASS2016:3.k"].heading[-1].startswith("Addressing links with other forms of organized crime")
    assert paras["UNGASS2016:6.b"].heading == (chapter_titles(paras)[6],)
    assert paras["UNGASS2016:PP24"].heading == () and paras["UNGASS2016:9"].heading == ()
    assert any(h.title == treatment and h.after == "1.h" for h in table_headings(RAW))
