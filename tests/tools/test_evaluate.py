import random

import pytest

from assistant.config import PROJECT_ROOT, Settings
from assistant.corpus.paragraphs import Corpus, build_paragraphs
from assistant.tools.evaluate import (
    EvalReport,
    Question,
    best_threshold,
    evaluate,
    first_relevant_rank,
    format_eval_text,
    load_questions,
    matches,
    mrr,
    recall_at,
)
from assistant.retrieval.glossary import Glossary
from assistant.retrieval.lexical import LexicalIndex
from assistant.retrieval.retriever import Retriever
from assistant.retrieval.units import make_units


def test_matching_rule_sub_items_and_parents():
    assert matches("UNGASS2016:1.m", "UNGASS2016:1.m")
    assert matches("UNGASS2016:1.m", "UNGASS2016:1")  # a sub-item of a gold paragraph
    assert matches("UNGASS2016:1", "UNGASS2016:1.m")  # the paragraph containing a gold sub-item
    assert matches("PoA2009:51", "PoA2009:51.c.iv")
    assert not matches("UNGASS2016:1.m", "UNGASS2016:1.n")
    assert not matches("UNGASS2016:11", "UNGASS2016:1")  # prefix of the number is not a parent
    assert not matches("PD2009:1", "PoA2009:1")


def test_metrics_on_a_hand_computed_example():
    ranked = [["A", "B", "C"], ["B", "X", "Y"], ["X", "Y", "Z"], ["X", "C.a", "Y"]]
    gold = [["A"], ["X"], ["Q"], ["C"]]
    firsts = [first_relevant_rank(r, g) for r, g in zip(ranked, gold)]
    assert firsts == [1, 2, None, 2]
    assert recall_at(firsts, 1) == 0.25
    assert recall_at(firsts, 2) == 0.75
    assert recall_at(firsts, 10) == 0.75
    assert mrr(firsts) == pytest.approx((1 + 0.5 + 0 + 0.5) / 4)


def _oracle(ranked, gold, cutoff):
    hits = 0
    rr = 0.0
    for r, g in zip(ranked, gold):
        ranks = [i + 1 for i, pid in enumerate(r) for x in g if pid == x or pid.startswith(x + ".") or x.startswith(pid + ".")]
        best = min(ranks) if ranks else None
        hits += best is not None and best <= cutoff
        rr += 1 / best if best else 0
    return hits / len(ranked), rr / len(ranked)


def test_metrics_match_a_brute_force_oracle():
    rng = random.Random(7)
    ids = ["D:1", "D:1.a", "D:1.b", "D:2", "D:2.a.i", "D:3", "E:1", "E:2"]
    for _ in range(200):
        ranked = [rng.sample(ids, rng.randint(0, 6)) for _ in range(12)]
        gold = [rng.sample(ids, rng.randint(1, 3)) for _ in range(12)]
        firsts = [first_relevant_rank(r, g) for r, g in zip(ranked, gold)]
        for cutoff in (1, 3, 5):
            want_recall, want_mrr = _oracle(ranked, gold, cutoff)
            assert recall_at(firsts, cutoff) == pytest.approx(want_recall)
            assert mrr(firsts) == pytest.approx(want_mrr)


def test_empty_inputs():
    assert recall_at([], 5) == 0.0 and mrr([]) == 0.0
    assert first_relevant_rank([], ["A"]) is None
    assert best_threshold([], [0.1]) == {}


def test_best_threshold_separates_scores():
    t = best_threshold([0.7, 0.8, 0.9], [0.2, 0.3])
    assert 0.3 < t["threshold"] <= 0.7
    assert t["missed_answerable"] == 0 and t["false_found"] == 0


def test_dev_sets_are_well_formed():
    corpus = Corpus(build_paragraphs(PROJECT_ROOT / "corpus" / "raw"))
    qs = load_questions(PROJECT_ROOT / "eval" / "questions.jsonl")
    none = load_questions(PROJECT_ROOT / "eval" / "unanswerable.jsonl")
    assert len(qs) >= 70 and len(none) >= 20
    assert all(q.gold for q in qs) and not any(q.gold for q in none)
    assert {g.partition(":")[0] for q in qs for g in q.gold} == {"PD2009", "PoA2009", "JMS2014", "UNGASS2016"}
    for q in qs:
        for g in q.gold:
            assert g in corpus, (q.q, g)


def test_evaluate_runs_the_lexical_method_end_to_end():
    corpus = Corpus(build_paragraphs(PROJECT_ROOT / "corpus" / "raw"))
    units = make_units(corpus)
    glossary = Glossary.load(PROJECT_ROOT / "corpus" / "glossary.toml")
    r = Retriever(Settings.from_env(), corpus, None, None, LexicalIndex.from_units(units), glossary, units=units)
    qs = [Question("injecting equipment programmes", ("UNGASS2016:1.o",)), Question("know-your-customer", ("PoA2009:51.b",))]
    report = evaluate(r, qs, k=5, methods=("lexical",))
    assert isinstance(report, EvalReport)
    m = report.method("lexical")
    assert m.recall[1] == 1.0 and m.mrr == 1.0 and m.questions == 2
    assert report.questions[0].ranked["lexical"][0] == "UNGASS2016:1.o"
    assert report.to_dict()["methods"][0]["method"] == "lexical"
    assert "lexical" in format_eval_text(report, per_question=True)
