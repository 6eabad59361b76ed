"""Shareable links: query parameters read leniently, written to reproduce the answer, every value URL-quoted."""

from __future__ import annotations

from types import SimpleNamespace

from assistant.corpus.documents import REGISTRY
from assistant.present.links import LinkRequest, answer_link, link_params, read_link, share_url
from assistant.retrieval.query import Filters


def test_read_link_takes_question_filters_and_number():
    got = read_link({"q": ["naloxone?"], "docs": ["UNGASS2016,poa2009", "UNGASS2016"], "only": ["commitments"],
                     "k": ["7"]}, REGISTRY)
    assert got == LinkRequest("naloxone?", ("UNGASS2016", "PoA2009"), True, 7, ())
    assert read_link({}, REGISTRY) is None and read_link({"q": ["   "], "k": ["3"]}, REGISTRY) is None


def test_read_link_says_what_it_ignored():
    got = read_link({"q": ["<b>x</b>"], "docs": ["NOPE2020,JMS2014"], "only": ["everything"], "k": ["500"]}, REGISTRY)
    assert got.question == "<b>x</b>" and got.docs == ("JMS2014",) and not got.commitments_only and got.k is None
    assert len(got.ignored) == 3 and "'NOPE2020'" in got.ignored[0] and "1 to 20" in got.ignored[2]


def test_link_params_round_trip_through_a_url():
    from urllib.parse import parse_qs, urlsplit

    params = link_params("what about “prisons” & jails?", ("UNGASS2016", "PoA2009"), True, 5)
    url = share_url("http://127.0.0.1:8501/?old=1", params)
    assert url.startswith("http://127.0.0.1:8501/?q=") and "old=" not in url and " " not in url and "&jails" not in url
    back = {k: v for k, v in parse_qs(urlsplit(url).query).items()}
    assert read_link(back, REGISTRY) == LinkRequest("what about “prisons” & jails?", ("UNGASS2016", "PoA2009"), True, 5)
    assert share_url("", {"q": "x y"}) == "?q=x%20y"
    assert share_url("http://127.0.0.1:8501", {"q": "x"}) == "http://127.0.0.1:8501/?q=x"
    assert share_url("https://host/app/ask#top", {"q": "x"}) == "https://host/app/ask?q=x"
    assert link_params("x") == {"q": "x"}


def _reply(rule, question, query="", filters=None, k=5):
    answer = SimpleNamespace(question=question, query=query, filters=filters or {})
    return SimpleNamespace(rule=rule, answer=answer, turn=SimpleNamespace(k=k))


def test_a_new_question_links_to_itself_with_the_filters_chosen():
    chosen = Filters(docs=("JMS2014",), commitments_only=True)
    reply = _reply("new", "naloxone in 2016?", "naloxone", {"docs": ["UNGASS2016"]})
    assert answer_link(reply, chosen, 3, REGISTRY) == {"q": "naloxone in 2016?", "docs": "JMS2014", "only": "commitments", "k": "3"}


def test_a_follow_up_links_to_the_search_it_became():
    reply = _reply("scope", "and in 2009?", "naloxone", {"docs": [], "years": [2009], "commitments_only": False})
    assert answer_link(reply, Filters(), 5, REGISTRY) == {"q": "naloxone", "docs": "PD2009,PoA2009", "k": "5"}
    more = _reply("more", "more", "naloxone", {"docs": ["UNGASS2016"]}, k=25)
    assert answer_link(more, Filters(), 5, REGISTRY)["k"] == "20"
