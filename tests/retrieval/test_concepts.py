"""The soft AND over a question's key words: rarer words weigh more, common ones nothing, glossary bridges hold."""

import pytest

from assistant.config import PROJECT_ROOT, Settings
from assistant.corpus.build import build_paragraphs
from assistant.corpus.paragraphs import Corpus
from assistant.retrieval.concepts import Concepts
from assistant.retrieval.glossary import Glossary
from assistant.retrieval.retriever import Retriever
from assistant.retrieval.terms import TermIndex


@pytest.fixture(scope="module")
def concepts():
    corpus = Corpus(build_paragraphs(Settings.from_env()))
    return Concepts(TermIndex(corpus), Glossary.load(PROJECT_ROOT / "corpus" / "glossary.toml"), corpus.documents)


def test_rarer_words_weigh_more_and_common_or_function_words_not_at_all(concepts):
    words = {w.stem: w for w in concepts.key_words("women in prison who are pregnant, from 2016 on")}
    assert set(words) == {"women", "prison", "pregnant"}  # no "from", no year, no asking words
    assert words["pregnant"].weight > words["prison"].weight  # fewer paragraphs say "pregnant"
    assert not concepts.key_words("drug")  # about two thirds of the paragraphs use it
    # A paragraph holding every key word holds all of the weight; one holding some, its share.
    assert concepts.share(tuple(words.values()), "UNGASS2016:4.n") == 1.0
    partial = concepts.share(tuple(words.values()), "UNGASS2016:4.b")
    assert 0 < partial < 1


def test_a_glossary_bridge_holds_the_users_words(concepts):
    # No paragraph says "needle" or "exchange" in that sense; the entry's agreed language is in 1 (o).
    words = concepts.key_words("needle exchange")
    assert words and all("UNGASS2016:1.o" in w.bridged for w in words)
    assert concepts.share(words, "UNGASS2016:1.o") == 1.0


def test_hybrid_ranks_a_paragraph_holding_more_key_words_higher(corpus_and_index):
    corpus, settings = corpus_and_index
    q = "environmental harm from illicit crop cultivation and drug laboratories"
    without = Retriever.open(settings, corpus, coverage_weight=0.0)
    with_ = Retriever.open(settings, corpus)
    try:
        concepts = with_._concepts_index()
        words = concepts.key_words(q)
        plain = [h.id for h in without.search(q, k=5)]
        soft_and = [h.id for h in with_.search(q, k=5)]
        assert plain != soft_and
        # Where the two orders differ, the paragraph moved up holds at least the share of the one it passed.
        moved = [(a, b) for a, b in zip(plain, soft_and) if a != b]
        first_up = moved[0][1]
        assert concepts.share(words, first_up) >= concepts.share(words, moved[0][0])
        # Questions in other languages are judged by the glossary alone: no key words, no change.
        es = "desarrollo alternativo para campesinos"
        assert [h.id for h in without.search(es, k=5)] == [h.id for h in with_.search(es, k=5)]
    finally:
        without.store.close()
        with_.store.close()


@pytest.fixture(scope="module")
def corpus_and_index(full_index):
    return Corpus(build_paragraphs(full_index)), full_index
