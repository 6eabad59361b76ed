"""Each follow-up rule of assistant/conversation.py, one test a rule, plus the service applying them."""

import pytest

from assistant.answer.conversation import Turn, interpret
from assistant.retrieval.query import Filters

PREV = Turn("what did we commit on naloxone?", "what did we commit on naloxone?", Filters(docs=("UNGASS2016",)))


def test_first_question_is_new_with_its_own_filters():
    it = interpret("needle exchange in the Political Declaration", None)
    assert it.rule == "new" and it.query == "needle exchange" and it.filters.docs == ("PD2009",)


def test_rule_reference_wins():
    it = interpret("and 4(l)?", PREV, refs=("UNGASS2016:4.l",))
    assert it.rule == "reference" and it.refs == ("UNGASS2016:4.l",)


@pytest.mark.parametrize("q", ["more", "show more", "anything else?", "Show me more results"])
def test_rule_more_keeps_topic_and_widens(q):
    it = interpret(q, PREV)
    assert it.rule == "more" and it.query == PREV.query and it.filters == PREV.filters and it.k == PREV.k + 5


@pytest.mark.parametrize(
    "q, years, docs",
    [
        ("and in 2009?", (2009,), ()),
        ("what about the Plan of Action?", (), ("PoA2009",)),
        ("what did 2014 say about it?", (2014,), ()),
        ("compare it with 2014", (2014,), ()),
        ("what does that say in 2009 and 2014?", (2009, 2014), ()),
    ],
)
def test_rule_scope_reuses_topic_with_new_filter(q, years, docs):
    it = interpret(q, PREV)
    assert it.rule == "scope" and it.query == PREV.query
    assert it.filters.years == years and it.filters.docs == docs


def test_rule_topic_switches_topic_and_keeps_place():
    it = interpret("what about prisons?", PREV)
    assert it.rule == "topic" and it.query == "prisons" and it.filters == PREV.filters
    it = interpret("and prisons in 2014?", PREV)
    assert it.rule == "topic" and it.query == "prisons" and it.filters.years == (2014,)


def test_unrelated_question_is_new():
    it = interpret("How do the documents treat alternative development?", PREV)
    assert it.rule == "new" and "alternative development" in it.query and it.filters == Filters()
