"""Shareable links: an answer of the Ask page as URL query parameters (`?q=…&docs=…&only=commitments&k=5`), and back."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping, Sequence
from urllib.parse import quote, urlencode, urlsplit, urlunsplit

from assistant.answer.service import Reply
from assistant.corpus.documents import Registry
from assistant.retrieval.query import Filters

Q, DOCS, ONLY, K = "q", "docs", "only", "k"
COMMITMENTS = "commitments"
K_MIN, K_MAX = 1, 20  # the Ask page's "Number of results" slider
FOLLOW_UPS = ("more", "scope", "topic")  # conversation rules whose answer depends on the previous turn


@dataclass(frozen=True)
class LinkRequest:
    """What a link asks: the question and the filters to set; `ignored` says, in words, what in it was not used."""

    question: str
    docs: tuple[str, ...] = ()
    commitments_only: bool = False
    k: int | None = None
    ignored: tuple[str, ...] = ()


def read_link(params: Mapping[str, Sequence[str]], documents: Registry) -> LinkRequest | None:
    """The request in a page's query parameters (each name to its values), or None when they ask no question.
    Document keys may be comma-separated or repeated and are matched regardless of case."""
    question = " ".join(v for v in params.get(Q, ()) if v.strip()).strip()
    if not question:
        return None
    ignored: list[str] = []
    by_lower = {key.lower(): key for key in documents}
    docs: list[str] = []
    for value in params.get(DOCS, ()):
        for name in filter(None, (part.strip() for part in value.split(","))):
            key = by_lower.get(name.lower())
            if key is None:
                ignored.append(f"The link names an unknown document, {name!r}; it was left out.")
            elif key not in docs:
                docs.append(key)
    only = [v.strip().lower() for v in params.get(ONLY, ()) if v.strip()]
    for value in only:
        if value != COMMITMENTS:
            ignored.append(f"The link's {ONLY}={value!r} means nothing here (only {ONLY}={COMMITMENTS} does); it was left out.")
    k = None
    for value in params.get(K, ())[-1:]:
        if value.strip().isdigit() and K_MIN <= int(value) <= K_MAX:
            k = int(value)
        else:
            ignored.append(f"The link's {K}={value!r} is not a number of results from {K_MIN} to {K_MAX}; "
                           "the default was used.")
    return LinkRequest(question, tuple(docs), COMMITMENTS in only, k, tuple(ignored))


def link_params(question: str, docs: Sequence[str] = (), commitments_only: bool = False, k: int | None = None) -> dict[str, str]:
    """The query parameters of a link that asks `question` with these filters (defaults left out)."""
    params = {Q: question}
    if docs:
        params[DOCS] = ",".join(docs)
    if commitments_only:
        params[ONLY] = COMMITMENTS
    if k is not None:
        params[K] = str(k)
    return params


def answer_link(reply: Reply, chosen: Filters, k: int, documents: Registry) -> dict[str, str]:
    """The parameters that reproduce `reply` on a fresh page: a new question with the filters chosen when it
    was asked; a follow-up ("and in 2009?", "more") as the search it became, with the filters it ended up using."""
    if reply.rule not in FOLLOW_UPS:
        return link_params(reply.answer.question, chosen.docs, chosen.commitments_only, k)
    used = reply.answer.filters
    docs = list(used.get("docs") or ())
    for year in used.get("years") or ():
        docs += [d for d in documents.of_year(int(year)) if d not in docs]
    # "more" adds five results a time; a link asks at most what the slider offers.
    return link_params(reply.answer.query or reply.answer.question, docs, bool(used.get("commitments_only")),
                       min(reply.turn.k, K_MAX))


def share_url(base: str, params: Mapping[str, str]) -> str:
    """`base` (the page's URL, without a query) with `params` as its query; the query alone when there is no base."""
    query = urlencode(params, quote_via=quote, safe=",")
    scheme, host, path, _, _ = urlsplit(base)
    page = urlunsplit((scheme, host, path or ("/" if host else ""), "", ""))
    return f"{page}?{query}"
