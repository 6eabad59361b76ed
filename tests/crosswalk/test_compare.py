"""The word-level comparison: rebuilds both texts exactly, finds shared runs, and types the relation."""

from __future__ import annotations

import random

import pytest

from assistant.config import Settings
from assistant.corpus.load import load_corpus
from assistant.crosswalk.compare import ADAPTED, MIN_RUN, RELATED, SAME, SAME_WORDING, compare
from assistant.crosswalk.links import read_csv


@pytest.fixture(scope="module")
def corpus():
    return load_corpus(Settings.from_env())


def _rebuilds(a: str, b: str) -> None:
    c = compare(a, b)
    assert "".join(o.text for o in c.ops if o.op in ("equal", "delete")) == a
    assert "".join(o.text for o in c.ops if o.op in ("equal", "insert")) == b


def test_every_table_link_rebuilds_both_texts(corpus):
    pairs = 0
    for link in read_csv(Settings.from_env().crosswalk_path):
        if link.target in corpus and link.source in corpus:
            _rebuilds(corpus.get(link.target).text, corpus.get(link.source).text)
            pairs += 1
    assert pairs > 250


def test_random_texts_rebuild(corpus):
    rng = random.Random(11)
    texts = [p.text for p in corpus]
    for _ in range(200):
        a, b = rng.sample(texts, 2)
        cut = rng.randint(0, len(a))
        _rebuilds(a, a[:cut] + " inserted words, here " + a[cut:])
        _rebuilds(a, b)
    _rebuilds("", "something")
    _rebuilds("something", "")


@pytest.mark.parametrize(
    "earlier, later, relation",
    [
        ("PoA2009:51", "UNGASS2016:3.o", SAME),  # 3 (o) repeats the chapeau of Action 51 nearly word for word
        ("PD2009:28", "UNGASS2016:3.k", ADAPTED),  # carries "including money-laundering in connection with …"
        ("PoA2009:43.b", "UNGASS2016:7.e", ADAPTED),
        ("PoA2009:4.i", "UNGASS2016:1.m", RELATED),  # linked by topic, no run of six words in common
    ],
)
def test_relations_on_hand_checked_pairs(corpus, earlier, later, relation):
    assert compare(corpus.get(earlier).text, corpus.get(later).text).relation == relation


def test_shared_runs_point_at_the_same_words_in_both_texts(corpus):
    a, b = corpus.get("PD2009:28").text, corpus.get("UNGASS2016:3.k").text
    c = compare(a, b)
    assert c.shared and all(r.words >= MIN_RUN for r in c.shared)
    for r in c.shared:
        assert a[r.a_start:r.a_end] == r.text_a and b[r.b_start:r.b_end] == r.text_b
        assert r.text_a.lower() == r.text_b.lower()
    assert "including money-laundering in connection with the financing of terrorism" in [r.text_a for r in c.shared]


def test_thresholds():
    base = "Member States should strengthen cooperation among judicial and law enforcement authorities to counter money-laundering"
    assert compare(base, base).relation == SAME and compare(base, base).similarity == 1.0
    one_word = base.replace("strengthen", "enhance")
    assert compare(base, one_word).similarity >= SAME_WORDING
    five = "Member States should strengthen cooperation"  # five shared words are not a run
    assert compare(five + " on data", five + " in training").relation == RELATED
    six = "Member States should strengthen judicial cooperation"
    assert compare(six + " on data", six + " in training").relation == ADAPTED
    d = compare(base, one_word).to_dict()
    assert d["relation"] == SAME and {o["op"] for o in d["ops"]} == {"equal", "delete", "insert"}


def test_every_link_of_the_crosswalk_view_has_a_relation(corpus):
    from assistant.crosswalk.compare import RELATIONS
    from assistant.crosswalk.table import Crosswalk, link_view

    crosswalk = Crosswalk(read_csv(Settings.from_env().crosswalk_path))
    seen = set()
    for pid in sorted(({k.source for k in crosswalk.links} | {k.target for k in crosswalk.links}) & set(corpus.ids)):
        view = link_view(pid, corpus, crosswalk)
        for link in view["links"]:
            assert link["relation"] in RELATIONS + ("unresolved",)
            assert (link["relation"] == "unresolved") == (not link["resolved"] or link["target"] not in corpus)
            seen.add(link["relation"])
        if view["new_in_2016"]:
            assert view["relation"] == "new in 2016"
    assert {SAME, ADAPTED, RELATED, "unresolved"} <= seen
