"""A follow-up says what it carried over; a question-named scope says when it replaced the filters."""

from assistant.answer.conversation import Turn, carried_note, interpret, scope_words
from assistant.corpus.documents import REGISTRY
from assistant.retrieval.query import Filters

PRISONS = Turn("what did we commit on prisons?", "what did we commit on prisons?", Filters(), (), 5, "prisons")


def test_scope_follow_up_names_the_scope_and_the_topic():
    it = interpret("and in 2009?", PRISONS)
    assert it.rule == "scope"
    assert carried_note(it, PRISONS, REGISTRY) == "Follow-up: 2009 paragraphs on “prisons”, the previous question's topic."


def test_more_and_topic_follow_ups():
    assert "more paragraphs on “prisons”" in carried_note(interpret("more", PRISONS), PRISONS, REGISTRY)
    in_2014 = Turn("prisons in 2014", "prisons", Filters(docs=("JMS2014",)), (), 5, "prisons")
    it = interpret("what about naloxone?", in_2014)
    assert carried_note(it, in_2014, REGISTRY) == "Follow-up: “naloxone”, still searching the 2014 Joint Ministerial Statement as before."
    assert carried_note(interpret("naloxone", None), None, REGISTRY) is None


def test_scope_words():
    assert scope_words(Filters(docs=("PD2009", "PoA2009")), REGISTRY) == "the 2009 Political Declaration and the 2009 Plan of Action"
    assert scope_words(Filters(years=(2009,)), REGISTRY) == "2009 paragraphs"
    assert scope_words(Filters(), REGISTRY) == "all documents"
