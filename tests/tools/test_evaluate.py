import random

import pytest
from helpers import small_settings

import json
import shutil

from assistant.answer.service import Assistant
from assistant.config import Settings
from assistant.corpus.load import load_corpus
from assistant.errors import CorpusError
from assistant.retrieval.embed import Embedder
from assistant.retrieval.index import ensure_index
from assistant.tools.evaluate import (
    EvalQuestion,
    first_relevant_rank,
    format_split_report,
    evaluate_splits,
    load_eval_set,
    matches,
    mrr,
    recall_at,
)


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


@pytest.mark.parametrize("name", ["heldout.jsonl", "fresh.jsonl", "third.jsonl"])
def test_each_typed_set_is_well_formed_and_split_once(name):
    settings = Settings.from_env()
    questions = load_eval_set(settings.eval_dir / name)
    corpus = load_corpus(settings)
    by_type = {t: [q for q in questions if q.type == t] for t in {q.type for q in questions}}
    assert set(by_type) == {"everyday", "drafting", "cross_document", "non_english", "unanswerable"}
    if name == "heldout.jsonl":  # the minimum sizes; the later sets add to it
        assert len(questions) >= 300
        assert len(by_type["unanswerable"]) >= 60 and len(by_type["non_english"]) >= 40
        assert all(sum(q.lang == lang for q in by_type["non_english"]) >= 8 for lang in ("ar", "zh", "fr", "ru", "es"))
    assert len({q.id for q in questions}) == len(questions)
    for q in questions:
        assert all(g in corpus for g in q.gold), (q.id, q.gold)
    for t, qs in by_type.items():  # split per type, 60 % tune
        assert sum(q.split == "tune" for q in qs) == round(0.6 * len(qs)), (name, t)
    raw = "\n".join(p.read_text(encoding="utf-8").lower() for p in sorted(settings.raw_dir.glob("*.txt")))
    texts = "\n".join(p.text.lower() for p in corpus)
    for q in by_type["unanswerable"]:  # every absent key term really is absent from the sources
        assert q.absent_terms and not any(term.lower() in raw or term.lower() in texts for term in q.absent_terms), (q.id, q.absent_terms)


def test_malformed_question_lines_are_named(tmp_path):
    bad = tmp_path / "q.jsonl"
    bad.write_text('{"id": "X1", "q": "naloxone", "type": "everyday", "gold": ["UNGASS2016:1.m"], "split": "tune"}\n{"id": 2\n')
    with pytest.raises(CorpusError, match=r"q.jsonl:2: malformed question"):
        load_eval_set(bad)
    bad.write_text('{"id": "X1", "q": "naloxone", "type": "everyday", "gold": [], "split": "tune"}\n')
    with pytest.raises(CorpusError, match="need gold"):
        load_eval_set(bad)


@pytest.mark.slow
def test_evaluate_splits_end_to_end_on_a_small_corpus(tmp_path):
    keep = ["UNGASS2016:1", "UNGASS2016:1.m", "UNGASS2016:1.o", "PoA2009:51", "PoA2009:51.b"]
    bot = Assistant.load(small_settings(tmp_path, keep, glossary=True, build=True))
    qs = [
        EvalQuestion("A", "injecting equipment programmes", "everyday", "en", ("UNGASS2016:1.o",), "tune"),
        EvalQuestion("B", "know your customer", "drafting", "en", ("PoA2009:51.b",), "test"),
        EvalQuestion("C", "what about the death penalty?", "unanswerable", "en", (), "test", ("death penalty",)),
    ]
    report = evaluate_splits(bot, qs, k=3, methods=("hybrid", "lexical"))
    assert report.cell("tune", "everyday", "lexical").recall_at_1 == 1.0
    assert report.cell("test", "all", "hybrid").questions == 1
    test_rates = next(r for r in report.rates if r.split == "test")
    assert test_rates.unanswerable == 1 and test_rates.false_match == 0.0
    text = format_split_report(report, per_question=True)
    assert "== test split (never tuned on)" in text and "false match 0.0% of 1 unanswerable" in text
    assert json.loads(json.dumps(report.to_dict()))["cells"]


def test_the_2014_gold_set_is_well_formed_split_once_and_names_real_paragraphs():
    import random

    from assistant.config import PROJECT_ROOT, Settings
    from assistant.corpus.load import load_corpus
    from assistant.tools.evaluate import load_gold_links

    corpus = load_corpus(Settings.from_env())
    links = load_gold_links(PROJECT_ROOT / "eval" / "jms_links.jsonl", corpus.ids)
    assert len(links) >= 30 and len({g.jms for g in links}) == len(links)
    assert all(corpus.get(g.jms).doc == "JMS2014" and corpus.get(g.jms).negotiated for g in links)
    assert all(g.note for g in links)
    order = list(range(len(links)))
    random.Random(20261124).shuffle(order)
    tune = set(order[: len(links) // 2])
    assert [g.split for g in links] == ["tune" if i in tune else "test" for i in range(len(links))]


def test_gold_set_errors_name_the_line(tmp_path):
    from assistant.errors import CorpusError
    from assistant.tools.evaluate import load_gold_links

    bad = tmp_path / "g.jsonl"
    bad.write_text('{"jms": "JMS2014:A.1", "gold_2016": ["UNGASS2016:99.z"], "split": "tune"}\n', encoding="utf-8")
    with pytest.raises(CorpusError, match=":1: unknown paragraph IDs"):
        load_gold_links(bad, {"JMS2014:A.1"})


def test_hybrid_margins_compare_with_the_best_single_method():
    from assistant.tools.evaluate import Cell, hybrid_margins

    cells = [Cell("test", "everyday", "hybrid", 10, 0.5, 0.9, 1.0, 0.70),
             Cell("test", "everyday", "dense", 10, 0.5, 0.8, 1.0, 0.75),
             Cell("test", "everyday", "lexical", 10, 0.5, 0.95, 1.0, 0.60)]
    assert hybrid_margins(cells) == ["everyday -0.050 / -0.050"]
