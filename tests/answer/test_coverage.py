"""Honest coverage: each key term is used, bridged by the glossary, or absent — and the lead says which."""

from __future__ import annotations

import pytest

from assistant.answer.compose import make_quote, write_lead
from assistant.answer.coverage import ABSENT, BRIDGED, USED, assess
from assistant.config import Settings
from assistant.corpus.ids import unknown_refs
from assistant.corpus.load import load_corpus
from assistant.retrieval.glossary import Glossary
from assistant.retrieval.terms import TermIndex


@pytest.fixture(scope="module")
def world():
    settings = Settings.from_env()
    corpus = load_corpus(settings)
    return corpus, TermIndex(corpus), Glossary.load(settings.glossary_path)


def _assess(world, question, docs=(), prefer=()):
    corpus, terms, glossary = world
    return assess(question, corpus, terms, glossary, docs, prefer)


def test_an_absent_term_is_named_and_never_claimed(world):
    corpus = world[0]
    cov = _assess(world, "What does the 2016 Outcome Document say about the death penalty?", docs=("UNGASS2016",))
    assert [(t.words, t.status) for t in cov.terms] == [("death penalty", ABSENT)]
    assert cov.scope == "the 131 paragraphs of the 2016 Outcome Document"
    quotes = (make_quote(corpus, corpus.get("UNGASS2016:4.l"), 0.5, (), False),)
    lead = write_lead(quotes, False, "search", cov)
    assert lead.startswith('None of the texts uses the words "death penalty" (searched the 131 paragraphs')
    assert "addresses" not in lead and "para. 4 (l)" not in lead
    # The phrase is really absent from every paragraph, though each word occurs somewhere.
    assert not any("death penalty" in p.text.lower() for p in corpus)


def test_the_texts_own_words_are_a_match_cited_where_they_stand(world):
    corpus = world[0]
    cov = _assess(world, "alternatives to conviction or punishment", prefer=["UNGASS2016:4.o", "UNGASS2016:4.j"])
    assert {t.status for t in cov.terms} == {USED}
    # One paragraph holds all three words, so it is the evidence for each of them.
    assert {t.pid for t in cov.terms} == {"UNGASS2016:4.j"}
    assert [t.printed for t in cov.terms] == ["alternative", "conviction", "punishment"]
    for t in cov.terms:
        assert t.printed in corpus.get(t.pid).text
    lead = write_lead((make_quote(corpus, corpus.get("UNGASS2016:4.j"), 0.5, (), False),), True, "search", cov)
    assert lead.startswith('2016 Outcome Document, para. 4 (j) uses the words "alternative", "conviction" and "punishment".')


def test_the_glossary_bridges_everyday_words_with_the_agreed_phrase_as_printed(world):
    corpus = world[0]
    cov = _assess(world, "needle exchange")
    (term,) = cov.terms
    assert (term.words, term.status, term.pid) == ("needle exchange", BRIDGED, "UNGASS2016:1.o")
    assert term.agreed == "injecting equipment programmes" and term.agreed in corpus.get(term.pid).text


def test_question_words_document_names_and_years_are_not_key_terms(world):
    cov = _assess(world, "What did we commit in the 2009 Plan of Action on money laundering?")
    assert [t.words for t in cov.terms] == ["money laundering"]


def test_a_question_in_another_language_is_judged_by_its_glossary_terms(world):
    cov = _assess(world, "¿Qué compromisos hay sobre la naloxona?")
    assert cov.language == "es"
    lead = write_lead((), False, "search", cov)
    assert lead.startswith("Your question is in Spanish; the official texts are quoted in English.")


def test_unknown_references_inside_a_question(world):
    corpus = world[0]
    assert unknown_refs("para 99", corpus.ids) == ["para 99"]
    assert unknown_refs("what does PoA 51(z) say?", corpus.ids) == ["poa 51(z)"]
    assert unknown_refs("what does 1(m) say about 30 countries?", corpus.ids) == []


def test_term_spans_highlight_the_words_as_printed(world):
    corpus, terms, _ = world
    text = corpus.get("UNGASS2016:1.m").text
    (span,) = terms.spans("UNGASS2016:1.m", "naloxone")
    assert text[span[0]:span[1]] == "naloxone"
    spans = terms.spans("UNGASS2016:4.l", "proportionate sentencing")
    assert spans and text != "" and corpus.get("UNGASS2016:4.l").text[spans[0][0]:spans[0][1]].startswith("proportionate")


def test_a_word_the_stemmer_joins_to_another_is_not_claimed_as_used(world):
    # "position" and "positive" share the stem "posit": the lead must not say a text that prints only
    # "positive" uses the word "position". Inflections still count as the user's word.
    from assistant.answer.coverage import alike_words
    from assistant.retrieval.embed import query_encoder
    from assistant.retrieval.terms import light_stem

    corpus, terms, glossary = world
    assert light_stem("coordinated") == light_stem("coordination") == light_stem("coordinating")
    assert light_stem("position") != light_stem("positive")
    stemmed = terms.paragraphs_with("position")
    assert any("positive" in corpus.get(p).text and "position" not in corpus.get(p).text for p in stemmed)

    alike = alike_words(query_encoder(Settings.from_env()).encode)
    assert alike("position", ["positive"]) == [] and alike("integral", ["integrity"]) == []
    assert alike("treated", ["treatment"]) == ["treatment"]
    # A form that is the user's word but for its inflection is enough: the model is not asked.
    assert alike("positions", ["positive", "position"]) == ["position"]
    seen: dict = {}
    cov = assess("position", corpus, terms, glossary, (), seen=seen, alike=alike)
    (term,) = [t for t in cov.terms if t.words == "position"]
    assert term.status == USED and term.printed == "position"
    assert seen["position"] and all("position" in corpus.get(p).text for p in seen["position"])
    # Without the check (no model), the stem alone decides, as before.
    assess("position", corpus, terms, glossary, (), seen=(old := {}))
    assert set(old["position"]) == set(stemmed)


def test_an_alias_across_the_edge_of_a_key_term_bridges_the_words_they_share(world):
    # "people who testify" is an alias; the key terms are "people" and "testify against drug traffickers
    # kept safe" (split at "who"). "testify" is bridged, the rest of the run judged word by word.
    cov = _assess(world, "how are people who testify against drug traffickers kept safe?")
    by_words = {t.words: t for t in cov.terms}
    assert by_words["testify"].status == BRIDGED and by_words["testify"].agreed == "protection of witnesses"
    assert by_words["traffickers"].status == USED and by_words["kept"].status == ABSENT


def test_absent_terms_joined_by_and_are_weighed_together(world):
    # Each of "energy drinks" and "caffeine" seems to matter little while the other stays in the question;
    # weighed together they are the question, so their absence decides. A lone minor word still does not.
    from assistant.answer.coverage import salience_texts, weigh_absent
    from assistant.retrieval.embed import query_encoder

    enc = query_encoder(Settings.from_env())
    q = "Should energy drinks and caffeine be regulated like other drugs?"
    cov = _assess(world, q)
    texts = salience_texts(cov, q, enc.count_tokens)
    assert texts[-1].split() == ["Should", "and", "be", "regulated", "like", "other", "drugs?"] and len(texts) == 5  # with "regulated like"
    weighed = weigh_absent(cov, q, enc.encode, enc.count_tokens)
    assert {t.words for t in weighed.absent} == {"energy drinks", "caffeine"}
    lone = "Should caffeine be regulated like other drugs?"
    assert len(salience_texts(_assess(world, lone), lone, enc.count_tokens)) == 3  # the question, two variants
    q2 = "suitcases of cash carried over the border"
    assert not weigh_absent(_assess(world, q2), q2, enc.encode, enc.count_tokens).absent
