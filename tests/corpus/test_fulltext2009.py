"""Tests for the 2009 full-text parser, on the real raw file."""

import re
from collections import Counter
from pathlib import Path

import pytest

from assistant.corpus.sources import fulltext2009
from assistant.corpus.sources.base import ACTION, CHAPEAU, OPERATIVE, PROBLEM, SUB_ITEM
from assistant.corpus.sources.text import vocabulary

RAW = Path(__file__).resolve().parents[2] / "corpus" / "raw"
PART_I_A1 = (
    "Part I. Demand reduction and related measures",
    "A. Reducing drug abuse and dependence through a comprehensive approach",
    "1. Enhancing international cooperation",
)


@pytest.fixture(scope="module")
def records():
    return fulltext2009.parse(RAW)


@pytest.fixture(scope="module")
def by_id(records):
    return {r.id: r for r in records}


def _numbers(records, doc):
    return [int(r.id.split(":")[1]) for r in records if r.id.startswith(doc + ":") and "." not in r.id]


def test_all_paragraphs_present_in_order(records):
    assert _numbers(records, "PD2009") == list(range(1, 41))
    assert _numbers(records, "PoA2009") == list(range(1, 65))


def test_ids_unique_and_sub_items_have_parents(records, by_id):
    assert len(by_id) == len(records)
    for r in records:
        if r.kind == SUB_ITEM:
            assert r.id.rsplit(".", 1)[0] in by_id


def test_counts_per_kind(records):
    poa = Counter(r.kind for r in records if r.id.startswith("PoA2009:") and "." not in r.id)
    assert poa == {PROBLEM: 33, ACTION: 31}
    pd = Counter(r.kind for r in records if r.id.startswith("PD2009:") and "." not in r.id)
    assert pd == {OPERATIVE: 38, CHAPEAU: 2}
    assert [r.id for r in records if r.kind == CHAPEAU] == ["PD2009:24", "PD2009:36"]


def test_kinds_of_specific_paragraphs(by_id):
    assert by_id["PoA2009:1"].kind == PROBLEM
    assert by_id["PoA2009:3"].kind == PROBLEM
    assert by_id["PoA2009:40"].kind == PROBLEM  # second Problem paragraph, no label of its own
    assert by_id["PoA2009:53"].kind == PROBLEM
    assert by_id["PoA2009:62"].kind == ACTION  # an Action without sub-items
    assert by_id["PoA2009:4.i"].kind == SUB_ITEM
    assert by_id["PD2009:24.b.ii"].kind == SUB_ITEM


def test_letter_i_versus_roman_i(by_id):
    assert "PoA2009:4.i" in by_id and "PoA2009:4.h.i" not in by_id  # (i) after (h) ending ";"
    assert "PoA2009:22.i" in by_id and "PoA2009:30.i" in by_id and "PoA2009:41.i" in by_id
    assert [k for k in by_id if k.startswith("PoA2009:51.a.")] == [
        f"PoA2009:51.a.{r}" for r in ("i", "ii", "iii", "iv", "v", "vi", "vii")
    ]
    assert [k.split(":")[1] for k in by_id if k.startswith("PD2009:24.")] == [
        "24.a", "24.b", "24.b.i", "24.b.ii", "24.b.iii", "24.c"
    ]
    assert sorted(k for k in by_id if k.startswith("PD2009:36.")) == [f"PD2009:36.{c}" for c in "abcde"]
    assert "PoA2009:64.h" in by_id and "PoA2009:64.i" not in by_id


EXACT = {
    # De-hyphenation ("reduc-/tion", "inter-/vention" kept as compound) and footnote marker "Rights3".
    "PD2009:1": "Reaffirm our unwavering commitment to ensure that all aspects of demand reduction, supply "
    "reduction and international cooperation are addressed in full conformity with the purposes and the "
    "principles of the Charter of the United Nations, international law and the Universal Declaration of "
    "Human Rights and, in particular, with full respect for the sovereignty and territorial integrity of "
    "States, the principle of non-intervention in the internal affairs of States, all human rights, "
    "fundamental freedoms, the inherent dignity of all individuals and the principles of equal rights and "
    "mutual respect among States;",
    # Markers "conventions4"; real compound kept.
    "PD2009:3": "Assert that the world drug problem is most effectively addressed in a multilateral setting "
    "and that the three international drug control conventions and other relevant international "
    "instruments remain the cornerstone of the international drug control system, and urge all Member "
    "States that have not yet done so to consider taking measures to ratify or accede to those instruments;",
    # Page number "9" and footnote block before it; markers 10-12; real year "2005" kept.
    "PD2009:6": "Recall also the United Nations Millennium Declaration, the provisions of the 2005 World "
    "Summit Outcome addressing the world drug problem, the Political Declaration on HIV/AIDS and other "
    "relevant United Nations resolutions, including General Assembly resolution 63/197 of 18 December 2008 "
    "and those on regional and international cooperation to prevent the diversion and smuggling of "
    "precursors;",
    # "health-/care" is a real compound.
    "PD2009:8": "Express deep concern at the high price paid by society and by individuals and their families "
    "in the fight against the world drug problem, and pay special tribute to the law enforcement and "
    "judicial personnel who have sacrificed their lives and to the health-care and civil society personnel "
    "who have dedicated themselves to addressing this scourge;",
    # Split by footnote 13 and a page break.
    "PD2009:22": "Reaffirm, consistent with the objective of promoting a society free of drug abuse, our "
    "determination, within the framework of national, regional and international strategies, to counter "
    "the world drug problem and to take effective measures to emphasize and facilitate healthy, productive "
    "and fulfilling alternatives to the illicit consumption of drugs, which must not become accepted as a "
    "way of life;",
    "PD2009:24": "Recognize that:",
    "PD2009:24.b": "Such crop control strategies include, inter alia:",
    "PD2009:24.b.ii": "Eradication;",
    "PD2009:36": "Decide to establish 2019 as a target date for States to eliminate or reduce significantly "
    "and measurably:",
    "PD2009:36.b": "The illicit demand for narcotic drugs and psychotropic substances; and drug-related health "
    "and social risks;",
    "PD2009:36.e": "Money-laundering related to illicit drugs;",
    # Marker 17 glued to the year: "199817".
    "PoA2009:1": "The commitments made by Member States in 1998 to attain significant and measurable results in "
    "the area of drug demand reduction have been attained only to a limited extent, owing largely to the "
    "lack of a balanced and comprehensive approach.",
    # Page break with page number "18"; "2008-/2011" keeps its hyphen; markers 18, 19, 20.
    "PoA2009:2.c": "Comprehensively support the reinforcement of the work that the United Nations Office on "
    "Drugs and Crime undertakes in drug demand reduction, in consultation with each other and with relevant "
    "United Nations and other intergovernmental organizations, in accordance with the Declaration on the "
    "Guiding Principles of Drug Demand Reduction, the Action Plan for the implementation of those principles "
    "and the strategy of the United Nations Office on Drugs and Crime for the period 2008-2011;",
    "PoA2009:2.d": "Encourage, in cooperation with multilateral agencies and international and regional "
    "financial institutions, short-, medium- and long-term planning and continuous financial support for "
    "drug demand reduction programmes;",
    "PoA2009:4": "Member States should:",
    "PoA2009:4.b": "Deliver comprehensive policies and programmes using a multi-agency approach, including "
    "health-care, social-care, criminal justice, employment and education agencies, non-governmental "
    "organizations and civil society, which should take full advantage of the activities of "
    "non-governmental and civil society organizations;",
    # The ninth letter item, at the top of a page.
    "PoA2009:4.i": "Strengthen their efforts aimed at reducing the adverse consequences of drug abuse for "
    "individuals and society as a whole, taking into consideration not only the prevention of related "
    "infectious diseases, such as HIV, hepatitis B and C and tuberculosis, but also all other health "
    "consequences, such as overdose, workplace and traffic accidents and somatic and psychiatric disorders, "
    "and social consequences, such as family problems, the effects of drug markets in communities and "
    "crime.",
    "PoA2009:6.a": "Ensure that drug demand reduction measures respect human rights and the inherent dignity "
    "of all individuals and facilitate access for all drug users to prevention services and health-care and "
    "social services, with a view to social reintegration;",
    # Official spelling kept.
    "PoA2009:16.d": "Provide appropriate training so that criminal justice and/or prison staff carry out drug "
    "demand reduction measures that are based on scientific evidence and are ethical and so that their "
    "attitudes are respectful, non-judgemental and non-stigmatizing.",
    # "non- /intervention" across a line end.
    "PoA2009:22.c": "Ensure that supply reduction measures are carried out in full conformity with the "
    "purposes and the principles of the Charter of the United Nations and international law, the three "
    "international drug control conventions and, in particular, with full respect for the sovereignty and "
    "territorial integrity of States, the principle of non-intervention in the internal affairs of States "
    "and all human rights and fundamental freedoms;",
    # Continues after the long footnote 29, on the next page.
    "PoA2009:39": "While legislative and regulatory controls have prevented the diversion of precursor "
    "chemicals into illicit channels, such chemicals still reach clandestine drug laboratories. Precursor "
    "chemicals are often diverted from domestic distribution channels in the countries that manufactured or "
    "imported them and are smuggled across borders. Countries not previously targeted by traffickers are now "
    "used as areas of diversion. Non-controlled precursor chemicals and/or substitute chemicals, as well as "
    "pharmaceutical preparations containing precursors, have been used in the illicit synthesis of drugs. In "
    "addition, scientific and forensic support in the identification and safe disposal of precursors is "
    "still inadequate in many countries.",
    # "socio- " / footnote 31 / " economic": the 2009 text's own spelling wins over later "socioeconomic".
    "PoA2009:43.d": "Ensure that States with the necessary expertise, the United Nations Office on Drugs and "
    "Crime and other relevant United Nations organizations assist affected States in designing and improving "
    "systems to monitor and assess the qualitative and quantitative impact of alternative development and "
    "drug crop eradication programmes with respect to the sustainability of illicit crop reduction and "
    "socio-economic development; such assessment should include the use of human development indicators "
    "that reflect the Millennium Development Goals;",
    "PoA2009:51.a.iii": "Promoting the use of internationally accepted asset-sharing procedures in "
    "international confiscation cases, such as the Model Bilateral Agreement on the Sharing of Confiscated "
    "Proceeds of Crime or Property, adopted by the Economic and Social Council in its resolution 2005/14;",
    "PoA2009:51.c.iv": "The consideration, in conformity with domestic legislation, of utilizing confiscated "
    "funds to support law enforcement activities, demand reduction programmes and efforts to counter "
    "money-laundering;",
    "PoA2009:54.d": "Ensure that when, on grounds of nationality, they do not extradite a person, they submit, "
    "in conformity with their domestic legislation, as appropriate, the case to their competent national "
    "authorities for prosecution;",
    "PoA2009:62": "Member States should take appropriate measures, within their means, including adopting, "
    "where they have not yet done so, legislation, rules and practical measures that provide for the "
    "protection of witnesses before, during and after trial and that allow, where appropriate, the "
    "implementation of measures consistent with those set out in the Organized Crime Convention, which "
    "should be used to the fullest extent possible, as it includes state-of-the-art measures in this area.",
}


@pytest.mark.parametrize("pid", sorted(EXACT))
def test_exact_text(by_id, pid):
    assert by_id[pid].text == EXACT[pid]


def test_provenance(by_id):
    r = by_id["PD2009:36.e"]
    assert (r.file, r.line_start, r.line_end) == (fulltext2009.FILE, 557, 557)
    r = by_id["PoA2009:2.c"]
    assert (r.line_start, r.line_end) == (615, 630)
    assert by_id["PD2009:24"].line_end == 437  # a chapeau ends before its first sub-item
    assert all(r.negotiated for r in by_id.values())


def test_headings(by_id):
    assert by_id["PD2009:23"].heading == ("Political Declaration",)
    assert by_id["PoA2009:1"].heading == PART_I_A1
    assert by_id["PoA2009:4.i"].heading[-1] == "2. Comprehensive approach to drug demand reduction"
    assert by_id["PoA2009:51.c.iv"].heading == (
        "Part III. Countering money-laundering and promoting judicial cooperation to enhance international "
        "cooperation",
        "E. Countering money-laundering",
    )
    assert by_id["PoA2009:54.d"].heading[1:] == ("F. Judicial cooperation", "1. Extradition")
    assert by_id["PoA2009:42"].heading[1] == (
        "D. International cooperation on eradicating the illicit cultivation of crops used for the "
        "production of narcotic drugs and psychotropic substances and on alternative development"
    )


def test_headings_match_the_compilation_where_it_prints_them(records):
    comp = (RAW / "2023_CND_CRP_Mexico_compilation_of_commitments_2009_2014_2016.txt").read_text("utf-8")
    pattern = r"<b>(?:\d+ )?((?:Part [IVX]+|[A-F]|\d+)\. [^<:]+)</b>"
    printed = {h.strip().rstrip(".") for h in re.findall(pattern, comp)}
    ours = {h for r in records for h in r.heading}
    checked = 0
    for h in ours:
        twin = [p for p in printed if p.lower() == h.lower()]
        if twin:
            assert twin == [h]
            checked += 1
    assert checked >= 20


def test_global_text_hygiene(records):
    texts = [p.read_text(encoding="utf-8") for p in RAW.glob("*.txt")]
    vocab = vocabulary(texts)
    unbroken = set()
    for text in texts:
        for line in text.splitlines():
            unbroken.update(w.lower() for w in re.findall(r"[A-Za-z]+(?:-[A-Za-z]+)+", line))
    for r in records:
        t = r.text
        assert t and t == t.strip(), r.id
        assert not re.search(r"[<>*\t]|  ", t), r.id
        assert not re.search(r"[a-z][0-9]{1,2}\b", t), r.id
        for left, right in re.findall(r"([A-Za-z]+)- ([a-z]+)", t):
            assert (left + right).lower() not in vocab, (r.id, left, right)
        # A hyphenated word must be attested unbroken, or its joined form must be unknown.
        for word in re.findall(r"[A-Za-z]+(?:-[A-Za-z]+)+", t):
            joined = word.replace("-", "").lower()
            assert word.lower() in unbroken or vocab[joined] == 0, (r.id, word)
