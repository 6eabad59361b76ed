"""Reviewed seed-text repairs: hyphens lost at line breaks, the chemical name, and quote-balanced operative spans."""

import csv
from dataclasses import replace

import pytest

from assistant.config import Settings
from assistant.corpus.check import suspect_joins
from assistant.corpus.paragraphs import Corpus
from assistant.corpus.load import load_corpus

SETTINGS = Settings.from_env()


@pytest.fixture(scope="module")
def corpus():
    return load_corpus(SETTINGS)


@pytest.mark.parametrize(
    "pid, repaired, damaged",
    [
        ("PoA2009:41.h", "inter-agency cooperation", "inter agency"),
        ("PoA2009:45.m", "cross-border, subregional", "cross border"),
        ("PoA2009:51.c.ii", "counter money-laundering;", "money laundering"),
        ("PoA2009:41.o", "and 1-phenyl-2-propanone, as", "1 phenyl"),
    ],
)
def test_the_four_repairs(corpus, pid, repaired, damaged):
    text = corpus.get(pid).text
    assert repaired in text and damaged not in text


def test_every_repair_has_evidence_and_applies_once():
    rows = list(csv.DictReader(SETTINGS.text_repairs_path.open(encoding="utf-8")))
    assert len(rows) >= 5 and all(r["evidence"].strip() for r in rows)


def test_corpus_check_finds_lost_hyphens_at_line_breaks(corpus):
    assert suspect_joins(corpus, SETTINGS.raw_dir) == ()
    rows = {r["id"]: r for r in csv.DictReader(SETTINGS.text_repairs_path.open(encoding="utf-8"))}
    undone = Corpus([replace(p, text=p.text.replace(rows[p.id]["repaired"], rows[p.id]["printed"])) if p.id in rows else p
                     for p in corpus])
    found = {(j.id, j.joined, j.hyphenated) for j in suspect_joins(undone, SETTINGS.raw_dir)}
    assert found == {
        ("PoA2009:41.h", "inter agency", "inter-agency"),
        ("PoA2009:45.m", "cross border", "cross-border"),
        ("PoA2009:51.c.ii", "money laundering", "money-laundering"),
    }


def test_an_operative_span_closes_its_quotation_mark(corpus):
    p = corpus.get("PoA2009:41.u")
    assert [p.text[a:b] for a, b in p.operative_spans][0] == "Consider “marking”"
    for q in corpus:
        for a, b in q.operative_spans:
            piece = q.text[a:b]
            assert piece.count("“") == piece.count("”"), (q.id, piece)
