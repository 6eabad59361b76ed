"""Query understanding: the one check of a question, the documents it names, its key terms and language."""

import pytest

from assistant.corpus.documents import REGISTRY
from assistant.errors import BadQuery
from assistant.retrieval.query import check_documents, key_terms, language, parse_query_filters, prepare_query


@pytest.mark.parametrize(
    "question, terms",
    [
        ("what did we commit on naloxone?", ("naloxone",)),
        ("What does the 2016 Outcome Document say about the death penalty for drug offences?", ("death penalty", "drug offences")),
        ("alternatives to conviction or punishment", ("alternatives", "conviction", "punishment")),
        ("give me agreed language on alternative development", ("alternative development",)),
        ("needle exchange, prisons", ("needle exchange", "prisons")),
        ("what did we commit?", ()),
        # Contracted function words are function words; a possessive stays with its noun.
        ("Why can't cancer patients get strong painkillers?", ("cancer patients", "strong painkillers")),
        ("What's the wording on tramadol? It isn't there, is it", ("tramadol",)),
        ("women's access to treatment", ("women's access", "treatment")),
    ],
)
def test_key_terms(question, terms):
    assert key_terms(question) == terms


@pytest.mark.parametrize(
    "question, lang",
    [
        ("what did we commit on naloxone?", "en"),
        ("¿Qué dice el documento sobre desarrollo alternativo?", "es"),
        ("Quelles sont les mesures pour la prévention des surdoses ?", "fr"),
        ("что сказано об альтернативном развитии?", "ru"),
        ("关于替代发展的承诺是什么？", "zh"),
        ("ما هي الالتزامات بشأن التنمية البديلة؟", "ar"),
        ("what about the coca leaf in la Paz?", "en"),  # one French article is not a French question
        ("livraisons surveillées", "fr"),  # a short question has room for one sign only: its letters
        ("microtráfico", "es"),
        ("naïve users", "en"),
        ("Bogotá and the coca leaf", "en"),  # an accented name in an English question
    ],
)
def test_language(question, lang):
    assert language(question) == lang


def test_one_check_for_every_interface():
    for q in ("", "  ", "\x00", None):
        with pytest.raises(BadQuery, match="the question is empty"):
            prepare_query(q, 100)
    long = prepare_query("x" * 150, 100)
    assert long.query == "x" * 100 and "shortened" in long.warnings[0]
    assert check_documents(("PoA2009",), REGISTRY) == ("PoA2009",)
    with pytest.raises(BadQuery, match="Unknown document key.*NOPE.*Known documents: PD2009, PoA2009, JMS2014, UNGASS2016"):
        check_documents(("NOPE",), REGISTRY)


def test_a_named_document_and_a_named_year_are_both_searched():
    _, f = parse_query_filters("What did the 2016 outcome document do with the targets set in 2009?", REGISTRY)
    assert set(f.docs) == {"UNGASS2016", "PD2009", "PoA2009"} and not f.years


@pytest.mark.parametrize("question, lang", [
    ("blanchiment d'argent : cellules de renseignement financier", "fr"),
    ("desarrollo alternativo para campesinos que cultivan coca", "es"),
    ("programmes de réduction des risques", "fr"),
    ("prevención en las escuelas", "es"),
    ("the de facto decriminalisation debate in la paz", "en"),
    ("café growers in Colombia", "en"),
    # Short questions typed without accents or function words: the topic words tell.
    ("blanqueo de dinero", "es"), ("café de comercio justo", "es"), ("tratamiento voluntario", "es"),
    ("peine de mort", "fr"), ("precurseurs chimiques", "fr"), ("acces aux medicaments", "fr"),
    ("who pays for drug treatment in prisons?", "en"), ("cooperation on extradition and corruption", "en"),
])
def test_french_and_spanish_are_told_apart_and_from_english(question, lang):
    assert language(question) == lang


@pytest.mark.parametrize("question", ["2009 vs 2016 on precursors", "precursors: 2009 vs 2016", "between 2009 and 2016, precursors"])
def test_a_comparison_of_two_years_searches_both(question):
    cleaned, f = parse_query_filters(question, REGISTRY)
    assert set(f.years) == {2009, 2016} and "precursors" in cleaned and "2009" not in cleaned


@pytest.mark.parametrize("question, docs, years", [
    ("HIV: the 2009 universal access goal vs the 2016 commitment on ending AIDS", (), {2009, 2016}),
    ("funding for alternative development: 2009 Plan of Action vs 2016", ("PoA2009", "UNGASS2016"), set()),
    ("prisons in 2009 compared with 2016", (), {2009, 2016}),
    ("2009 vs 2016 on prisons", (), {2009, 2016}),
])
def test_a_year_on_either_side_of_vs_is_searched(question, docs, years):
    cleaned, f = parse_query_filters(question, REGISTRY)
    assert f.docs == docs and set(f.years) == years
    assert "2009" not in cleaned and "2016" not in cleaned


def test_documents_a_question_asks_about_stay_in_its_search_text_but_are_never_key_terms():
    q = "does UNGASS 2016 reaffirm the Joint Ministerial Statement of 2014?"
    cleaned, f = parse_query_filters(q, REGISTRY)
    assert cleaned == q and set(f.docs) == {"UNGASS2016", "JMS2014"}
    assert key_terms(q) == ("reaffirm",)
    # With a topic of its own, the question is searched without the names.
    assert parse_query_filters("naloxone in the 2016 Outcome Document", REGISTRY)[0] == "naloxone"


@pytest.mark.parametrize("question, years", [
    ("¿Qué dice el documento de 2016 sobre penas proporcionales?", {2016}),
    ("Как в 2014 году оценивали выращивание опийного мака?", {2014}),
    ("2016年的成果文件对纳洛酮有何承诺？", {2016}),
    ("ما موقف البيان الوزاري لعام 2014 من المؤثرات النفسانية الجديدة؟", {2014}),
    ("Qu'a-t-on dit en 2009 et en 2016 sur la prévention ?", {2009, 2016}),
])
def test_a_year_in_another_language_is_searched(question, years):
    # The English year patterns ("in 2016", "the 2016 text") cannot see "en 2016", "2014 году" or "2016年".
    cleaned, f = parse_query_filters(question, REGISTRY)
    assert set(f.years) == years and not any(str(y) in cleaned for y in years)
    # In English the patterns alone decide: a year that only qualifies a topic is not a filter.
    assert parse_query_filters("the 2016 naloxone commitment", REGISTRY)[1].years == ()


def test_a_question_about_how_the_documents_stand_to_each_other_keeps_its_words():
    q = ("How does the 2016 outcome position itself relative to the 2009 Political Declaration and Plan of Action "
         "and the 2014 Joint Ministerial Statement?")
    cleaned, f = parse_query_filters(q, REGISTRY)
    # "the 2016 outcome" names the Outcome Document; "position itself relative" is no topic of its own.
    assert set(f.docs) == {"UNGASS2016", "PD2009", "PoA2009", "JMS2014"} and cleaned == q
    assert parse_query_filters("naloxone in the 2016 outcome", REGISTRY)[1].docs == ("UNGASS2016",)
