"""Answers: verified verbatim quotes, newest document first, deterministic lead, counterparts, follow-ups."""

import dataclasses

import pytest

from assistant.answer.compose import CROSSWALK_2009, CROSSWALK_2016, SUGGESTION, make_quote, order_quotes, verify, write_lead
from assistant.corpus.load import load_corpus
from assistant.config import Settings
from assistant.errors import BadQuery, UnverifiedQuote
from assistant.retrieval.query import Filters
from assistant.answer.service import Assistant


@pytest.fixture(scope="module")
def bot(full_index) -> Assistant:
    return Assistant.load(full_index)


def test_verify_accepts_exact_substrings_only():
    corpus = load_corpus(Settings.from_env())
    text = corpus.get("UNGASS2016:1.m").text
    assert verify(corpus, "UNGASS2016:1.m", text) == text
    assert verify(corpus, "UNGASS2016:1.m", "opioid receptor antagonists such as naloxone")
    for wrong in ("opioid receptor antagonist such as naloxone", "", text.replace("naloxone", "Naloxone")):
        with pytest.raises(UnverifiedQuote):
            verify(corpus, "UNGASS2016:1.m", wrong)
    with pytest.raises(UnverifiedQuote):
        verify(corpus, "UNGASS2016:99", text)


def test_a_tampered_paragraph_is_never_quoted():
    corpus = load_corpus(Settings.from_env())
    real = corpus.get("PD2009:36.e")
    forged = dataclasses.replace(real, text="Money laundering related to illicit drugs;")
    with pytest.raises(UnverifiedQuote):
        make_quote(corpus, forged, 1.0, (), False)


def test_naloxone_answer(bot):
    a = bot.ask("what did we commit on naloxone?").answer
    assert a.found and a.mode == "search"
    top = a.quotes[0]
    assert top.id == "UNGASS2016:1.m" and top.citation == "2016 Outcome Document, para. 1 (m)"
    assert top.chapeau and top.chapeau[0][0] == "UNGASS2016:1"
    assert top.new_in_2016 and "para. 1 (m)" in a.lead
    assert a.lead.startswith('2016 Outcome Document, para. 1 (m) uses the words "naloxone".')
    assert "addresses" not in a.lead
    docs = [q.doc for q in a.quotes]
    assert docs == sorted(docs, key=["UNGASS2016", "JMS2014", "PoA2009", "PD2009"].index)  # newest first
    for q in a.quotes:
        assert q.text in bot.corpus.get(q.id).text


def test_counterparts_both_directions_and_suggestions(bot):
    q2016 = bot.quote("UNGASS2016:1.b")
    assert {c.id for c in q2016.counterparts if c.relation == CROSSWALK_2009} == {
        "PoA2009:12.c", "PoA2009:8.c", "PoA2009:4.a", "PoA2009:4.g", "PoA2009:6.c"
    }
    q2009 = bot.quote("PoA2009:4.a")
    assert "UNGASS2016:1.b" in {c.id for c in q2009.counterparts if c.relation == CROSSWALK_2016}
    q2014 = bot.quote("JMS2014:A.11")
    assert q2014.counterparts and all(c.relation == SUGGESTION and c.score is not None for c in q2014.counterparts)
    new = bot.quote("UNGASS2016:1.m")  # new in 2016: no 2009 counterpart; 2014 only as labelled suggestions
    assert new.new_in_2016 and all(c.relation == SUGGESTION and c.id.startswith("JMS2014:") for c in new.counterparts)


def test_lead_uses_only_citations():
    corpus = load_corpus(Settings.from_env())
    quotes = order_quotes([make_quote(corpus, corpus.get(pid), s, (), False) for pid, s in [("PoA2009:4.i", 0.5), ("UNGASS2016:1.m", 0.9)]], corpus.documents)
    lead = write_lead(quotes, True, "search")
    assert lead == "Quoted below: 2016 Outcome Document, para. 1 (m); 2009 Plan of Action, para. 4 (i)."
    assert write_lead(quotes, False, "search").startswith("No paragraph clearly matches this question.")


@pytest.mark.parametrize(
    "question, pid",
    [("what does 1(m) say?", "UNGASS2016:1.m"), ("PoA 51(c)(iv)", "PoA2009:51.c.iv"), ("compare 4(l) with 2009", "UNGASS2016:4.l")],
)
def test_reference_questions(bot, question, pid):
    reply = bot.ask(question)
    assert reply.rule == "reference" and reply.answer.mode == "reference"
    assert reply.answer.quotes[0].id == pid
    assert reply.answer.lead.startswith(bot.corpus.get(pid).citation)


def test_follow_ups_through_the_service(bot):
    first = bot.ask("what did we commit on naloxone?")
    again = bot.ask("and in 2009?", previous=first.turn)
    assert again.rule == "scope" and again.answer.quotes
    assert {q.doc for q in again.answer.quotes} <= {"PD2009", "PoA2009"}
    ref = bot.ask("what does 1(m) say?")
    earlier = bot.ask("and in 2009?", previous=ref.turn)
    assert {q.doc for q in earlier.answer.quotes} <= {"PD2009", "PoA2009"}
    switched = bot.ask("what about prisons?", previous=first.turn)
    assert switched.rule == "topic" and any("prison" in q.text.lower() for q in switched.answer.quotes)


def test_filters_and_nothing_found(bot):
    a = bot.ask("alternative development", filters=Filters(docs=("JMS2014",))).answer
    assert a.quotes and {q.doc for q in a.quotes} == {"JMS2014"}
    none = bot.ask("what do the documents say about the death penalty for cryptocurrency fraud in space?").answer
    assert not none.found and none.lead.startswith('None of the texts uses the words "death penalty" and "cryptocurrency fraud" (searched all 577 paragraphs).')
    with pytest.raises(BadQuery):
        bot.ask("   ")


def test_glossary_bridges_everyday_words_to_agreed_language(bot):
    a = bot.ask("needle exchange").answer
    assert a.found and a.quotes[0].id == "UNGASS2016:1.o"
    assert a.lead.startswith(
        'The agreed language for "needle exchange" is "injecting equipment programmes" (2016 Outcome Document, para. 1 (o)).'
    )
    assert "injecting equipment programmes" in bot.corpus.get("UNGASS2016:1.o").text
    plain = bot.ask("what did we commit on naloxone?").answer
    assert "agreed language for" not in plain.lead  # the texts say "naloxone" themselves


def test_an_absent_word_that_names_the_topic_decides_and_a_minor_one_does_not(bot):
    topic = bot.ask("cocaine vaccine trials").answer
    assert not topic.found
    assert [t.words for t in topic.coverage.absent] == ["vaccine trials"]
    assert topic.coverage.absent[0].salience >= 0.15
    assert topic.lead.startswith('None of the texts uses the words "vaccine')
    minor = bot.ask("briefcases of cash smuggled across the border").answer
    assert minor.found, minor.lead
    assert [t.words for t in minor.coverage.unused] == ["briefcases"]
    assert all(t.salience is not None and t.salience < 0.15 for t in minor.coverage.unused)
    assert 'No text uses the words "briefcases". The quotes match the rest of the question.' in minor.lead


def test_a_phrase_whose_words_the_texts_use_apart_does_not_decide(bot):
    # "money" and "problems" both occur, never as "money problems": the lead says so and the quotes are
    # judged on the rest; a phrase with a word no text uses still decides.
    a = bot.ask("UNODC money problems").answer
    assert a.found, a.lead
    (apart,) = a.coverage.unused
    assert (apart.words, apart.apart, apart.decisive) == ("money problems", True, False)
    assert apart.salience >= 0.15  # meaning alone would have decided
    assert 'The texts use each word of "money problems", but not the phrase.' in a.lead
    term = next(t for t in a.coverage.to_dict()["terms"] if t["words"] == "money problems")
    assert term["words_apart"] is True and term["decisive"] is False
    none = bot.ask("racial disparities in drug arrests").answer
    assert not none.found and [t.words for t in none.coverage.absent] == ["racial disparities"]
    assert not none.coverage.absent[0].apart  # "racial" occurs in no paragraph


def test_an_absent_alternative_to_a_term_the_texts_use_does_not_decide(bot):
    # Alone, "eco labels" decides: no text uses it and it is the question's topic. Offered as an alternative
    # to "fair trade", which the texts use, the answer quotes the alternative and names what is missing.
    alone = bot.ask("eco labels for alternative development products").answer
    assert not alone.found and [t.words for t in alone.coverage.absent] == ["eco labels"]
    assert alone.coverage.absent[0].salience >= 0.15
    either = bot.ask("fair trade or eco labels for alternative development products").answer
    assert either.found, either.lead
    (term,) = either.coverage.unused
    assert (term.words, term.instead_of, term.decisive) == ("eco labels", "fair trade", False)
    assert 'No text uses the words "eco labels", asked as an alternative to "fair trade".' in either.lead
    assert next(t for t in either.coverage.to_dict()["terms"] if t["words"] == "eco labels")["instead_of"] == "fair trade"
    # A name still decides, whatever it is offered beside.
    named = bot.ask("cannabis or Sativex for pain").answer
    assert not named.found and [t.words for t in named.coverage.absent] == ["Sativex"]


def test_a_bridge_names_the_agreed_phrase_that_stands_for_the_users_words(bot):
    # One entry holds land titles, market access and fair trade: "coffee" shares no word with any of its
    # agreed phrases, so the one closest in meaning is named, not the entry's first ("legal titles to land"),
    # and the lead does not equate "coffee" with it: it names the entry.
    a = bot.ask("coffee grown by former coca farmers").answer
    coffee = next(t for t in a.coverage.terms if t.words == "coffee")
    assert coffee.status == "bridged" and coffee.agreed == "fair-trade principles"
    assert coffee.topic == "land and market access for farmers"
    assert ('The glossary lists "coffee" under "land and market access for farmers", whose agreed language includes '
            '"fair-trade principles" (2009 Plan of Action, para. 49 (b)).') in a.lead
    assert 'The agreed language for "coffee"' not in a.lead
    # The model's nearness cannot tell a phrase from its opposite: no equation for "mandatory treatment".
    forced = bot.ask("mandatory treatment for people who use drugs").answer
    mandatory = next(t for t in forced.coverage.terms if t.words == "mandatory treatment")
    assert mandatory.status == "bridged" and mandatory.topic == "voluntary treatment and consent"
    assert 'The agreed language for "mandatory treatment"' not in forced.lead
    # Shared words or an entry's only phrase still tie the user's words to the agreed language.
    gangs = bot.ask("violence of drug gangs").answer
    assert not next(t for t in gangs.coverage.terms if t.status == "bridged").topic
    # Another language's words cannot be weighed against English phrases: the lead names the entry instead.
    es = bot.ask("café de comercio justo").answer
    cafe = next(t for t in es.coverage.terms if t.words == "café")
    assert cafe.topic == "land and market access for farmers"
    assert f'The glossary lists "café" under "land and market access for farmers", whose agreed language includes "{cafe.agreed}"' in es.lead
    assert 'The agreed language for "café"' not in es.lead
    assert es.lead.startswith("Your question is in Spanish")  # "comercio", "justo": not French for its "é"
    # A phrase that is the entry's own name is its agreed language, typed with or without accents.
    fr = bot.ask("precurseurs chimiques").answer
    assert fr.found and fr.lead.startswith("Your question is in French; the official texts are quoted in English.")
    assert 'The agreed language for "precurseurs" is "Precursors"' in fr.lead
    spanish = bot.ask("blanqueo de dinero").answer
    assert spanish.found and "money-laundering" in spanish.quotes[0].text.lower(), spanish.lead
    assert f'The agreed language for "blanqueo" is "money-laundering" ({spanish.quotes[0].citation})' in spanish.lead


def test_a_question_in_another_language_says_what_it_searched_the_english_texts_for(bot):
    es = bot.ask("intercambio de información entre las autoridades aduaneras").answer
    note = next(n for n in es.notes if n.startswith("Searched the English texts for: "))
    assert {"information", "exchange", "authorities", "customs"} <= set(note.removeprefix("Searched the English texts for: ").rstrip(".").split(", "))
    assert "PoA2009:41.n" in [q.id for q in es.quotes]  # "exchange ... information among ... customs authorities"
    assert not any(n.startswith("Searched the English") for n in bot.ask("customs authorities").answer.notes)


def test_a_word_in_most_paragraphs_is_no_evidence_in_an_absent_pair(bot):
    # "drugs hidden": "drug" is in about two thirds of the paragraphs, so the pair's absence rests on
    # "hidden" alone, which barely moves the question's meaning; "death penalty" keeps both its words.
    a = bot.ask("drugs hidden in shipping containers").answer
    assert a.found, a.lead
    assert [t.words for t in a.coverage.unused] == ["hidden"] and not a.coverage.absent
    assert 'No text uses the words "hidden".' in a.lead
    with_drug = bot.ask("stopping drug boats at sea").answer
    assert with_drug.found and [t.words for t in with_drug.coverage.unused] == ["stopping"]
    none = bot.ask("abolishing the death penalty for drug offences").answer
    assert not none.found and "death penalty" in [t.words for t in none.coverage.absent]


def test_a_typing_slip_is_read_as_the_text_word_and_the_answer_says_so(bot):
    a = bot.ask("canabis social clubs").answer
    assert 'Read "canabis" as "cannabis": no text uses "canabis".' in a.notes
    assert a.query == "cannabis social clubs"
    assert [(t.words, t.status) for t in a.coverage.terms] == [("cannabis", "used"), ("social clubs", "absent")]
    assert not a.found  # the slip is forgiven, the absent topic is not
    laundering = bot.ask("money laundring through banks").answer
    assert laundering.found and any("laundering" in q.text for q in laundering.quotes[:3])
    # A question in another language is never "corrected" into English words.
    spanish = bot.ask("desarrollo alternativo para campesinos que cultivan coca").answer
    assert not any(n.startswith("Read ") for n in spanish.notes)


def test_the_longest_glossary_alias_is_the_bridge(bot):
    # "overdose" is an alias too: matched alone it would leave "antidote" unexplained, and absent.
    a = bot.ask("what did we commit on the overdose antidote?").answer
    assert a.found and [(t.words, t.status) for t in a.coverage.terms] == [("overdose antidote", "bridged")]
    assert a.quotes[0].id == "UNGASS2016:1.m"
    # Of an entry's agreed phrases, the bridge is one sharing the user's words.
    gangs = bot.ask("violence of drug gangs").answer
    (bridged,) = [t for t in gangs.coverage.terms if t.status == "bridged"]
    assert (bridged.words, bridged.agreed) == ("drug gangs", "violent crimes related to gangs")
    assert bridged.agreed in bot.corpus.get(bridged.pid).text


def test_a_name_absent_from_the_texts_always_decides(bot):
    a = bot.ask("drug courts in Ruritania").answer
    assert not a.found and [t.words for t in a.coverage.absent] == ["Ruritania"]


@pytest.mark.slow  # works out all 577 paragraphs' counterparts
def test_warm_up_computes_the_same_counterparts_as_on_demand(full_index):
    cold, warm = Assistant.load(full_index), Assistant.load(full_index)
    assert warm.warm() == len(warm.corpus)
    for pid in ("UNGASS2016:1.m", "PoA2009:51.c.iv", "JMS2014:A.11", "PD2009:1"):
        assert cold.quote(pid) == warm.quote(pid)


def test_the_question_and_its_variants_without_absent_words_are_encoded_in_one_batch(full_index):
    # Rule 4 weighs an absent word with the question re-encoded without it: that variant goes through the
    # model together with the question, and the search reuses the question's vector from that batch.
    bot = Assistant.load(full_index)
    calls = []
    encode = bot.retriever.embedder.encode

    def counted(texts):
        calls.append(list(texts))
        return encode(texts)

    bot.retriever.embedder.encode = counted
    a = bot.ask("cocaine vaccine research").answer
    # One call: the question, the glossary expansion mixed into its vector, its variant without the absent words.
    assert calls == [["cocaine vaccine research", "opium poppy, coca bush and cannabis plant", "cocaine  "]]
    assert not a.found and a.coverage.absent[0].salience >= 0.15
    calls.clear()
    bot.ask("cocaine vaccine research")  # the same question again: every vector is cached
    assert [c for c in calls if "cocaine" in " ".join(c)] == []
    # Encoded apart (the bench's comparison path), the same words decide with the same salience.
    apart = Assistant.load(full_index)
    apart.batch_salience = False
    for q in ("cocaine vaccine research", "briefcases of cash smuggled across the border", "violence of drug gangs"):
        one, two = bot.ask(q).answer, apart.ask(q).answer
        assert one.found == two.found and [t.decisive for t in one.coverage.terms] == [t.decisive for t in two.coverage.terms]
        for t1, t2 in zip(one.coverage.terms, two.coverage.terms):
            assert (t1.salience is None) == (t2.salience is None)
            assert t1.salience is None or abs(t1.salience - t2.salience) <= 0.002


def test_a_word_the_stemmer_joins_to_the_users_is_not_highlighted(bot):
    # "positive" stems like "position": a quote printing only "positive" gets no mark for "position",
    # while "position" itself and the question's other words are marked where they stand.
    from assistant.answer.coverage import alike_words

    cov = bot.ask("our position").answer.coverage
    assert "position" in {t.words for t in cov.present}
    pid = next(p.id for p in bot.corpus if "positive" in p.text and "position" not in p.text.lower())
    alike = alike_words(bot.retriever.embed)
    text = bot.corpus.get(pid).text
    marked = {text[a:b].lower() for a, b in bot._matched_spans(pid, cov, alike)}
    assert "positive" not in marked
    assert "positive" in {text[a:b].lower() for a, b in bot._matched_spans(pid, cov)}  # the stem alone would mark it
    where = next(p.id for p in bot.corpus if "position" in p.text.lower().split())
    assert "position" in {bot.corpus.get(where).text[a:b].lower() for a, b in bot._matched_spans(where, cov, alike)}
