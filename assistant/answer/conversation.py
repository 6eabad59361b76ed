"""Follow-up rules: how a question in a conversation reuses the previous topic.

Rules, tried in this order (each covered by a test):
1. reference — the question names paragraphs ("and 4(l)?", "PoA 51(c)(iv)"): answer those paragraphs.
2. more — "more", "show more", "anything else?": the previous topic again, five more results.
3. scope — the question names only documents or years, optionally with a pronoun ("and in 2009?",
   "what about the Plan of Action?", "what did 2014 say about it?"): the previous topic, with the
   newly named documents/years as the filter (replacing the previous document filter).
4. topic — "what about X?", "how about X?", "and X?" with new content words: X becomes the topic;
   the previous document/year filter is kept, since the user is still looking in the same place.
5. new — anything else is a fresh question; its own named filters apply.
The topic of a reference turn is its paragraphs' text, so "and in 2009?" after "what does 1(m) say?"
searches 2009 for the language of 1 (m).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from assistant.corpus.documents import REGISTRY, Registry
from assistant.retrieval.query import Filters, parse_query_filters

_MORE = re.compile(r"^\s*(show\s+)?(me\s+)?(more|anything else|what else|other paragraphs?|more results?)\W*$", re.I)
_FOLLOW = re.compile(r"^\s*(and|what about|how about|and what about|what of|also)\b\s*", re.I)
_FILLER = re.compile(
    r"\b(and|what|about|how|in|the|did|does|do|say|said|says|it|that|this|them|those|these|on|of|there|"
    r"was|were|is|are|we|they|commit|committed|text|language|document|documents|version|same|earlier|"
    r"later|compare|with|to|a|an|then|also|please|anything|topic)\b",
    re.I,
)


@dataclass(frozen=True)
class Turn:
    """What a previous turn searched: its topic query, filters and any paragraphs it answered."""

    question: str
    query: str
    filters: Filters
    refs: tuple[str, ...] = ()
    k: int = 5
    label: str = ""  # how a follow-up names this topic: "naloxone", "the language of 2016 Outcome Document, para. 1 (m)"


@dataclass(frozen=True)
class Interpretation:
    """How to answer a question: search `query` under `filters`, or show `refs`; `rule` says why."""

    query: str
    filters: Filters
    refs: tuple[str, ...]
    rule: str
    k: int = 5


_YEAR = re.compile(r"\b((?:19|20)\d\d)\b")
_PRONOUN = re.compile(r"\b(it|that|this|them|those|these|same)\b", re.I)


def _only_scope(rest: str) -> bool:
    return not re.sub(r"[\W_]+", " ", _FILLER.sub(" ", rest)).strip()


def interpret(
    question: str, previous: Turn | None, refs: tuple[str, ...] = (), k: int = 5, registry: Registry = REGISTRY
) -> Interpretation:
    """Apply the rules above; `refs` are the paragraph references found in the question."""
    cleaned, named = parse_query_filters(question, registry, subject=False)
    searched, _ = parse_query_filters(question, registry)  # keeps the documents a question asks about
    if refs:
        return Interpretation(question, named, refs, "reference", k)
    if previous is None:
        return Interpretation(searched, named, (), "new", k)
    if _MORE.match(question):
        return Interpretation(previous.query, previous.filters, (), "more", previous.k + 5)
    known = set(registry.years())
    years = sorted(set(named.years) | {int(y) for y in _YEAR.findall(question) if int(y) in known})
    if _PRONOUN.search(question) and years != sorted(named.years):
        # "compare it with 2014": a bare year beside a pronoun names where to look next.
        named = replace(named, years=tuple(years))
        cleaned, searched = (_YEAR.sub(lambda m: " " if int(m.group(1)) in known else m.group(0), text)
                             for text in (cleaned, searched))
    scope_named = bool(named.docs or named.years)
    if scope_named and _only_scope(cleaned):
        filters = replace(previous.filters, docs=named.docs, years=named.years)
        return Interpretation(previous.query, filters, (), "scope", k)
    follow = _FOLLOW.match(question)
    if follow:
        topic, _ = parse_query_filters(question[follow.end():], registry)
        filters = named if scope_named else previous.filters
        return Interpretation(topic.strip(" ?!.") or previous.query, filters, (), "topic", k)
    return Interpretation(searched, named, (), "new", k)


def carried_note(it: Interpretation, previous: Turn | None, documents) -> str | None:
    """What a follow-up carried over from the previous turn, in words ("2009 paragraphs on “prisons”")."""
    if previous is None or it.rule not in ("more", "scope", "topic"):
        return None
    topic = previous.label or previous.query
    if it.rule == "more":
        return f"Follow-up: more paragraphs on “{topic}” (the previous question's topic)."
    if it.rule == "scope":
        return f"Follow-up: {scope_words(it.filters, documents)} on “{topic}”, the previous question's topic."
    if it.filters.docs or it.filters.years:
        return f"Follow-up: “{it.query}”, still searching {scope_words(it.filters, documents)} as before."
    return None


def scope_words(filters: Filters, documents) -> str:
    """"2009 paragraphs", "the 2014 Joint Ministerial Statement", "all documents"."""
    names = [documents[d].short if d in documents else d for d in filters.docs]
    if names:
        return "the " + " and the ".join(names)
    if filters.years:
        return " and ".join(map(str, filters.years)) + " paragraphs"
    return "all documents"

