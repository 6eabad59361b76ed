"""The one counterparts presenter: groups in plain words, strongest first, evidence and a compare pair on each link."""

from __future__ import annotations

import pytest

from assistant.answer.compose import CROSSWALK_2009, CROSSWALK_2016, SUGGESTION, Counterpart
from assistant.config import Settings
from assistant.corpus.load import load_corpus
from assistant.crosswalk.explain import explain_unresolved
from assistant.crosswalk.links import read_csv
from assistant.present.counterparts import (
    NEW_GROUP,
    NO_SUCH_GROUP,
    RELATED_GROUP,
    SUGGESTED_GROUP,
    counterpart_groups,
    unresolved_words,
)


@pytest.fixture(scope="module")
def corpus():
    return load_corpus(Settings.from_env())


def _table(corpus, pid, relation=CROSSWALK_2009):
    p = corpus.get(pid)
    return Counterpart(pid, p.citation, p.text, relation, "exact")


def test_groups_are_worded_for_the_documents_and_sorted_by_strength(corpus):
    q = corpus.get("UNGASS2016:3.o")
    links = (_table(corpus, "PoA2009:51.a"), _table(corpus, "PoA2009:51"))
    groups = counterpart_groups(q.id, q.text, links, documents=corpus.documents)
    assert [g.title for g in groups] == ["Repeats the 2009 wording", RELATED_GROUP]
    same = groups[0].entries[0]
    assert same.id == "PoA2009:51" and same.relation == "same wording" and "word for word" in same.evidence
    assert (same.earlier, same.later) == ("PoA2009:51", "UNGASS2016:3.o")
    assert same.compare_command() == "assistant compare PoA2009:51 UNGASS2016:3.o"
    back = corpus.get("PoA2009:51")
    groups = counterpart_groups(back.id, back.text, (_table(corpus, "UNGASS2016:3.o", CROSSWALK_2016),), documents=corpus.documents)
    assert groups[0].title == "Repeated in 2016"


def test_adapted_links_show_the_shared_run(corpus):
    q = corpus.get("UNGASS2016:3.k")
    (g,) = counterpart_groups(q.id, q.text, (_table(corpus, "PD2009:28"),), documents=corpus.documents)
    assert g.title == "Adapts 2009 wording"
    assert "Respond to the serious challenges posed by the increasing links between drug trafficking" in g.entries[0].evidence
    assert "and 1 more run" in g.entries[0].evidence


def test_suggestions_new_in_2016_and_unresolved_references(corpus):
    q = corpus.get("UNGASS2016:1.m")
    jms = corpus.get("JMS2014:A.6")
    weak = Counterpart(jms.id, jms.citation, jms.text, SUGGESTION, "suggestion", score=0.5)
    strong = Counterpart("JMS2014:A.12", corpus.get("JMS2014:A.12").citation, corpus.get("JMS2014:A.12").text,
                         SUGGESTION, "suggestion", score=0.7)
    groups = counterpart_groups(q.id, q.text, (weak, strong), new_in_2016=True, documents=corpus.documents)
    assert [g.title for g in groups] == [NEW_GROUP, SUGGESTED_GROUP]
    assert [e.id for e in groups[1].entries] == ["JMS2014:A.12", "JMS2014:A.6"]
    assert "similar in meaning (0.70)" in groups[1].entries[0].evidence
    bad = Counterpart("PoA2009:43.f", "PoA2009:43.f", "", CROSSWALK_2009, "exact", resolved=False)
    f = corpus.get("UNGASS2016:7.f")
    (g,) = counterpart_groups(f.id, f.text, (bad,), documents=corpus.documents)
    assert g.title == NO_SUCH_GROUP and not g.entries[0].comparable
    assert g.entries[0].evidence == "the table cites ‘Action 43.f’, which the Plan of Action does not have"


def test_unresolved_references_are_explained_and_the_proven_reading_suggested(corpus):
    explained = explain_unresolved(read_csv(Settings.from_env().crosswalk_path), corpus)
    words = unresolved_words("UNGASS2016:7.f", "PoA2009:43.f", explained, corpus.documents)
    assert words.startswith("the table cites ‘Action 43.f’, which the Plan of Action does not have: its paragraph 43 has items (a) to (e)")
    proven = unresolved_words("UNGASS2016:3.h", "PoA2009:40.g", explained, corpus.documents)
    assert "its paragraph 40 states a problem" in proven and "Suggested: 2009 Plan of Action, para. 41 (g)" in proven
    assert "advanced detection equipment, scanners, testing kits" in proven
    precursor = unresolved_words("UNGASS2016:5.c", "PoA2009:40.e", explained, corpus.documents)
    assert "Suggested: 2009 Plan of Action, para. 41 (e)" in precursor and "‘Action 40.g’" in precursor
    assert explained[("UNGASS2016:1.k", "PoA2009:42.f")].intended == ""  # 43 has no (f): nothing proven
