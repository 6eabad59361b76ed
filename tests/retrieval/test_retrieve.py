import random
import warnings

import pytest

from assistant.config import PROJECT_ROOT, Settings
from assistant.corpus.paragraphs import Corpus
from assistant.corpus.build import build_paragraphs
from assistant.errors import BadQuery
from assistant.retrieval.glossary import Glossary
from assistant.retrieval.lexical import LexicalIndex
from assistant.retrieval.fusion import collapse, rrf, zfuse
from assistant.retrieval.query import Filters, QueryTruncated, parse_query_filters, prepare_query
from assistant.retrieval.retriever import Hit, Retriever
from assistant.retrieval.units import make_units


@pytest.fixture(scope="module")
def corpus():
    return Corpus(build_paragraphs(Settings.from_env()))


@pytest.fixture(scope="module")
def lexical_retriever(corpus):
    """Real corpus, units, BM25 and glossary; no model (lexical method only)."""
    units = make_units(corpus)
    glossary = Glossary.load(PROJECT_ROOT / "corpus" / "glossary.toml")
    return Retriever(Settings.from_env(max_query_chars=200), corpus, None, None, LexicalIndex.from_units(units), glossary, units=units)


@pytest.fixture(scope="module")
def retriever(corpus, full_index):
    """The full hybrid retriever over the session's index of the real corpus."""
    r = Retriever.open(full_index, corpus)
    yield r
    r.store.close()


# -- pure functions ------------------------------------------------------------------------------


def test_prepare_query_rejects_empty_and_truncates():
    for q in ("", "   ", "\n\t", None, "\x00"):
        with pytest.raises(BadQuery):
            prepare_query(q, 100)
    p = prepare_query("x" * 150, 100)
    assert len(p.query) == 100 and "100 characters" in p.warnings[0]
    assert prepare_query(" naloxone ", 100).warnings == ()


def test_parse_query_filters_documents_and_years():
    cases = {
        "what did 2014 say about the dark web?": ((), (2014,)),
        "needle exchange in the Plan of Action": (("PoA2009",), ()),
        "what does the Political Declaration say about women?": (("PD2009",), ()),
        "the 2016 outcome document on naloxone": (("UNGASS2016",), ()),
        "JMS on new psychoactive substances": (("JMS2014",), ()),
        "extradition in the Joint Ministerial Statement": (("JMS2014",), ()),
        "Political Declaration and Plan of Action on precursors": (("PD2009", "PoA2009"), ()),
        "money laundering in 2009": ((), (2009,)),
        "halving HIV infections by 2015": ((), ()),
        "decision to hold the 2016 special session": ((), ()),
    }
    for q, (docs, years) in cases.items():
        cleaned, f = parse_query_filters(q)
        assert (set(f.docs), f.years) == (set(docs), years), q
    cleaned, f = parse_query_filters("what did 2014 say about the dark web?")
    assert "2014" not in cleaned and "dark web" in cleaned
    cleaned, f = parse_query_filters("needle exchange in the Plan of Action")
    assert cleaned == "needle exchange"
    assert parse_query_filters("commitments only: prisons")[1].commitments_only


def test_filter_only_query_keeps_its_words():
    cleaned, f = parse_query_filters("the Plan of Action")
    assert cleaned == "the Plan of Action" and f.docs == ("PoA2009",)
    cleaned, f = parse_query_filters("what about the Plan of Action?")
    assert cleaned == "what about?" and f.docs == ("PoA2009",)  # callers can tell it names only a scope


def test_filters_where_clause():
    assert Filters().where() is None and not Filters()
    f = Filters(docs=("PD2009", "PoA2009"), years=(2009,), kinds=("sub-item",), commitments_only=True)
    assert f.where() == {"doc": ["PD2009", "PoA2009"], "year": [2009], "kind": ["sub-item"], "is_commitment": True}


def test_collapse_keeps_the_best_unit_per_paragraph():
    hits = [("A#1", 0.9), ("B#0", 0.8), ("A#0", 0.95), ("C#0", 0.1), ("Z#0", 0.99)]
    got = collapse(hits, {"A#0": "A", "A#1": "A", "B#0": "B", "C#0": "C"})
    assert got == [("A", "A#0", 0.95), ("B", "B#0", 0.8), ("C", "C#0", 0.1)]


def test_rrf_matches_a_brute_force_oracle():
    rng = random.Random(3)
    ids = list("ABCDEFGH")
    for _ in range(100):
        lists = {n: rng.sample(ids, rng.randint(0, 8)) for n in ("d", "l", "g")}
        weights = {"d": rng.random(), "l": rng.random(), "g": rng.random()}
        k = rng.choice((1, 10, 60))
        got = rrf(lists, weights, k)
        for pid in ids:
            want = sum(weights[n] / (k + lists[n].index(pid) + 1) for n in lists if pid in lists[n])
            assert got.get(pid, 0.0) == pytest.approx(want)



def test_zfuse_matches_a_brute_force_oracle():
    rng = random.Random(5)
    ids = list("ABCDEFGH")
    for _ in range(100):
        lists = {n: [(p, rng.uniform(-1, 30)) for p in rng.sample(ids, rng.randint(0, 8))] for n in ("d", "l")}
        weights = {"d": rng.random(), "l": rng.random()}
        got = zfuse(lists, weights)
        present = {n: items for n, items in lists.items() if items}
        assert set(got) == {p for items in present.values() for p, _ in items}
        for pid in got:
            want = 0.0
            for n, items in present.items():
                xs = [s for _, s in items]
                mean = sum(xs) / len(xs)
                dev = (sum((x - mean) ** 2 for x in xs) / len(xs)) ** 0.5 or 1.0
                z = {p: (s - mean) / dev for p, s in items}
                want += weights[n] * z.get(pid, min(z.values()))
            assert got[pid] == pytest.approx(want)


def test_zfuse_keeps_a_clear_winner_ahead_of_a_runner_up_in_both_lists():
    # "A" stands far out of a 20-paragraph BM25 pool and is absent from the dense pool; "B" is near the top
    # of both. Ranks (RRF, k=10) put "B" first; z-scores keep A's lead.
    fillers = [f"P{i}" for i in range(18)]
    lexical = [("A", 40.0), ("B", 6.0)] + [(p, 5.9 - 0.1 * i) for i, p in enumerate(fillers)]
    dense = [("B", 0.62)] + [(p, 0.619 - 0.001 * i) for i, p in enumerate(reversed(fillers))]
    fused = zfuse({"dense": dense, "lexical": lexical}, {"dense": 1.0, "lexical": 1.0})
    ranked = rrf({"dense": [p for p, _ in dense], "lexical": [p for p, _ in lexical]}, {}, 10)
    assert max(fused, key=fused.get) == "A"
    assert max(ranked, key=ranked.get) == "B"

# -- lexical method on the real corpus (no model) ------------------------------------------------


def test_lexical_finds_the_agreed_wording(lexical_retriever):
    hits = lexical_retriever.search("injecting equipment programmes", k=5, method="lexical")
    assert hits[0].id == "UNGASS2016:1.o" and hits[0].lexical_rank == 1 and hits[0].dense_rank is None
    hits = lexical_retriever.search("know your customer", k=3, method="lexical")
    assert hits[0].id == "PoA2009:51.b.i"


def test_empty_query_is_bad_query(lexical_retriever):
    with pytest.raises(BadQuery):
        lexical_retriever.search("   ", method="lexical")


def test_long_query_is_truncated_with_a_warning(lexical_retriever):
    with pytest.warns(QueryTruncated):
        hits = lexical_retriever.search("naloxone " * 100, k=3, method="lexical")
    assert hits and hits[0].id == "UNGASS2016:1.m"


def test_lexical_filters_are_post_filters(lexical_retriever):
    hits = lexical_retriever.search("money-laundering", k=10, filters=Filters(docs=("JMS2014",)), method="lexical")
    assert hits and all(h.id.startswith("JMS2014:") for h in hits)
    hits = lexical_retriever.search("extradition", k=10, filters=Filters(years=(2009,), commitments_only=True), method="lexical")
    assert hits and all(h.id.partition(":")[0] in ("PD2009", "PoA2009") for h in hits)
    assert all(lexical_retriever.corpus.get(h.id).is_commitment for h in hits)


def test_bad_method(lexical_retriever):
    with pytest.raises(ValueError):
        lexical_retriever.search("x", method="magic")


# -- the full hybrid retriever (model + Chroma) ---------------------------------------------------


@pytest.mark.slow
def test_naloxone_question_finds_1m(retriever):
    hits = retriever.search("what did we commit on naloxone?", k=5)
    assert "UNGASS2016:1.m" in [h.id for h in hits]
    h = next(h for h in hits if h.id == "UNGASS2016:1.m")
    assert isinstance(h, Hit) and h.text == retriever.corpus.get(h.id).text and h.unit_id.startswith(h.id + "#")


@pytest.mark.slow
def test_needle_exchange_finds_injecting_equipment(retriever):
    hits = retriever.search("needle exchange", k=5)
    assert "UNGASS2016:1.o" in [h.id for h in hits]
    assert next(h for h in hits if h.id == "UNGASS2016:1.o").via_glossary


@pytest.mark.slow
def test_a_question_in_another_language_is_searched_with_the_english_of_its_words(retriever):
    # No glossary entry matches; the lexicon reads "intercambio", "información", "autoridades aduaneras".
    q = "intercambio de información entre las autoridades aduaneras"
    assert not retriever.glossary.expand(q).terms
    assert {"exchange", "information", "customs", "authorities"} <= set(retriever.lexicon.english(q, "es"))
    assert retriever.search(q, k=1)[0].id == "PoA2009:41.n"  # "exchange ... information among ... customs authorities"
    retriever.tuning["lexicon"] = False
    try:
        retriever.clear_cache()
        assert "PoA2009:41.n" not in [h.id for h in retriever.search(q, k=5)]  # cognates alone do not reach it
    finally:
        retriever.tuning["lexicon"] = True
        retriever.clear_cache()


@pytest.mark.slow
def test_hybrid_results_are_paragraphs_best_first(retriever):
    hits = retriever.search("money laundering know your customer", k=10)
    assert len(hits) == 10 and len({h.id for h in hits}) == 10
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    assert "PoA2009:51.b.i" in [h.id for h in hits[:3]]
    for method in ("dense", "lexical"):
        assert len(retriever.search("money laundering", k=7, method=method)) == 7


@pytest.mark.slow
@pytest.mark.parametrize("method", ["hybrid", "dense", "lexical"])
def test_filters_by_doc_year_and_commitments(retriever, method):
    hits = retriever.search("prisons", k=10, filters=Filters(docs=("UNGASS2016",)), method=method)
    assert hits and all(h.id.startswith("UNGASS2016:") for h in hits)
    hits = retriever.search("prisons", k=10, filters=Filters(years=(2009,)), method=method)
    assert hits and all(h.id.partition(":")[0] in ("PD2009", "PoA2009") for h in hits)
    hits = retriever.search("prisons", k=10, filters=Filters(commitments_only=True), method=method)
    assert hits and all(retriever.corpus.get(h.id).is_commitment for h in hits)


@pytest.mark.slow
def test_query_named_filters_end_to_end(retriever):
    cleaned, f = parse_query_filters("what did 2014 say about the dark web?")
    hits = retriever.search(cleaned, k=5, filters=f)
    assert hits and all(h.id.startswith("JMS2014:") for h in hits)
    assert {"JMS2014:24", "JMS2014:B.28"} & {h.id for h in hits}


@pytest.mark.slow
def test_long_query_truncated_on_hybrid(retriever):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        hits = retriever.search("naloxone overdose " * 300, k=3)
    assert hits and any(issubclass(w.category, QueryTruncated) for w in caught)


def test_a_question_naming_two_years_gets_each_in_turn(retriever, corpus):
    cleaned, filters = parse_query_filters("precursor chemicals in 2009 and in 2016", corpus.documents)
    years = [corpus.documents[h.id.partition(":")[0]].year for h in retriever.search(cleaned, k=4, filters=filters)]
    assert years.count(2009) == 2 and years.count(2016) == 2 and years[0] != years[1], years


def test_dense_search_is_exact_cosine_search(retriever):
    # The store's graph search is configured to explore every unit (store.EF_SEARCH): its top 60 equal a
    # brute-force cosine ranking of the stored vectors, for questions and for random directions alike.
    import numpy as np

    ids = retriever.store.ids()
    stored = retriever.store.embeddings(ids)
    rng = np.random.default_rng(7)
    questions = ["what did we commit on the overdose antidote?", "drugs hidden in shipping containers",
                 "money-laundering through banks", "alternative development and farmers"]
    vectors = list(retriever.embed(questions)) + [v / np.linalg.norm(v) for v in rng.normal(size=(8, stored.shape[1]))]
    for v in vectors:
        v = np.asarray(v, dtype=np.float32)
        got = [uid for uid, _ in retriever.store.query(v, 60)]
        cos = stored @ v
        want = [ids[i] for i in np.argsort(-cos, kind="stable")[:60]]
        # Equal up to the order of exact ties, which neither side fixes.
        assert len(got) == 60 and [round(float(cos[ids.index(u)]), 5) for u in got] == [round(float(cos[ids.index(u)]), 5) for u in want]


def test_the_previous_fusion_rule_stays_available_for_comparison(corpus, full_index):
    # FUSION = "rrf" (weighted reciprocal rank fusion with the glossary's own list) is what the tune-split
    # figures compare against: it still answers, marks glossary paragraphs, and differs from z-score fusion.
    old, new = Retriever.open(full_index, corpus, fusion="rrf"), Retriever.open(full_index, corpus)
    try:
        hits = old.search("needle exchange", k=5)
        assert hits[0].id == "UNGASS2016:1.o" and hits[0].via_glossary
        questions = ["what did we commit on the overdose antidote?", "drugs hidden in shipping containers",
                     "money-laundering through banks", "kids and schools drug education"]
        scores = [([h.id for h in old.search(q, k=5)], [h.id for h in new.search(q, k=5)]) for q in questions]
        assert any(a != b for a, b in scores)
    finally:
        old.store.close()
        new.store.close()


def test_french_and_spanish_words_outside_the_glossary_reach_the_texts_through_cognates(retriever):
    for q in ("¿qué dicen sobre la vulnerabilidad?", "la vulnérabilité"):
        assert not retriever.glossary.match(q)
        hits = retriever.search(q, k=3)
        assert any("vulnerab" in h.text.lower() for h in hits), q  # "vulnerable", "vulnerability"


def test_the_glossary_expansion_is_each_entrys_vector_averaged_and_warm_embeds_them_beforehand(corpus, full_index):
    import numpy as np

    r = Retriever.open(full_index, corpus)
    try:
        assert r.warm() > 50  # every entry's agreed language, once
        assert r.warm() == 0  # and never again
        calls = []
        encode = r.embedder.encode

        def counted(texts):
            calls.append(list(texts))
            return encode(texts)

        r.embedder.encode = counted
        q = "needle exchange and naloxone"
        exp = r.glossary.expand(q)
        groups = r._expansion_texts(exp.phrases)
        assert len(groups) == 2  # two entries matched, one text each
        r.search(q, k=5)
        assert calls == [[q]]  # only the question goes through the model: the entries were warmed
        vectors = np.stack([r._phrase_vectors[g] for g in groups])
        mean = vectors.mean(axis=0)
        assert np.allclose(r._phrase_vector(exp.phrases), mean / np.linalg.norm(mean), atol=1e-6)
    finally:
        r.store.close()
