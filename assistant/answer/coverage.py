"""Honest coverage: for each key term of a question, the evidence in the texts (used, bridged, or absent).

Rules (each tested):
1. Key terms are the question's content words and phrases (`retrieval.query.key_terms`): not question
   words, function words, document names or years.
2. A term is USED when its words occur, in order, in a paragraph of the searched documents
   (`retrieval.terms`); a run of three or more words also counts when one paragraph holds all its words.
3. Otherwise it is BRIDGED when a glossary entry matched the user's words and one of the entry's agreed
   phrases occurs in a searched paragraph: the agreed phrase is quoted as printed there.
4. Otherwise it is ABSENT: "None of the texts uses the words …", and the answer is not a match.
5. A question in another UN language is judged by the glossary terms it contains (bridged or absent);
   its other words are not English and say nothing about the texts.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from assistant.retrieval.query import key_terms, language
from assistant.retrieval.terms import content_tokens

USED, BRIDGED, ABSENT = "used", "bridged", "absent"


@dataclass(frozen=True)
class TermEvidence:
    """One key term: the user's `words`, its status, and where the evidence is (`pid`, `agreed` as printed)."""

    words: str
    status: str
    pid: str = ""
    citation: str = ""
    agreed: str = ""  # BRIDGED: the agreed phrase as printed in `pid`
    printed: str = ""  # USED: the user's words as printed in `pid` ("alternative" for "alternatives")


@dataclass(frozen=True)
class Coverage:
    """The evidence for every key term of a question, and how many paragraphs were searched."""

    language: str
    terms: tuple[TermEvidence, ...]
    searched: int
    scope: str  # "all 577 paragraphs", "the 131 paragraphs of the 2016 Outcome Document"

    @property
    def absent(self) -> tuple[TermEvidence, ...]:
        return tuple(t for t in self.terms if t.status == ABSENT)

    @property
    def present(self) -> tuple[TermEvidence, ...]:
        return tuple(t for t in self.terms if t.status != ABSENT)

    def to_dict(self) -> dict:
        return {
            "language": self.language,
            "searched": self.searched,
            "scope": self.scope,
            "terms": [
                {"words": t.words, "status": t.status, "id": t.pid, "citation": t.citation, "agreed": t.agreed}
                for t in self.terms
            ],
        }


def assess(question: str, corpus, term_index, glossary, docs: Iterable[str], prefer: Iterable[str] = (), registry=None) -> Coverage:
    """The coverage of `question` in `docs` (all documents when empty); evidence from `prefer` (the quotes) first."""
    everything = not docs or set(docs) >= set(corpus.documents)
    docs = tuple(docs) or tuple(corpus.documents)
    prefer = list(prefer)
    searched = sum(1 for p in corpus if p.doc in docs)
    names = [corpus.documents[d].short if d in corpus.documents else d for d in docs]
    scope = f"all {searched} paragraphs" if everything else f"the {searched} paragraphs of the " + _join(names)
    lang = language(question)
    matched = glossary.matched_words(question)
    if lang != "en":
        terms = tuple(_bridge(words, [e], corpus, term_index, docs, prefer) for e, words in matched)
        return Coverage(lang, tuple(dict.fromkeys(terms)), searched, scope)
    out = []
    terms = key_terms(question, registry or corpus.documents)
    where = {term: _where_used(term, term_index, docs) for term in terms}
    # Evidence from one paragraph that holds most of the terms, a quoted one first.
    holds = {pid: sum(pid in pids for pids in where.values()) for pids in where.values() for pid in pids}
    rank = {pid: (-n, prefer.index(pid) if pid in prefer else len(prefer)) for pid, n in holds.items()}
    for term in terms:
        pids = where[term]
        if pids:
            pid = min(pids, key=lambda p: (rank[p], pids.index(p)))
            spans = term_index.spans(pid, term)
            printed = corpus.get(pid).text[spans[0][0] : spans[0][1]] if spans else term
            out.append(TermEvidence(term, USED, pid, corpus.get(pid).citation, printed=printed))
            continue
        low = term.lower()
        entries = [e for e, words in matched if words.lower() in low or low in words.lower()]
        out.append(_bridge(term, entries, corpus, term_index, docs, prefer))
    return Coverage(lang, tuple(out), searched, scope)


def _where_used(term: str, term_index, docs) -> list[str]:
    pids = term_index.paragraphs_with(term, docs)
    stems = {t.stem for t in content_tokens(term)}
    if pids or len(stems) < 3:
        return pids
    # A long run of words ("drug use disorders treatment") need not be one phrase of the texts.
    return [pid for pid, toks in term_index.tokens.items()
            if term_index.doc_of[pid] in docs and stems <= {t.stem for t in toks}]


def _bridge(words: str, entries, corpus, term_index, docs, prefer) -> TermEvidence:
    for entry in entries:
        for phrase in entry.agreed:
            pids = term_index.paragraphs_with(phrase, docs)
            if not pids:
                continue
            pid = _first(pids, prefer)
            spans = term_index.spans(pid, phrase)
            text = corpus.get(pid).text
            printed = text[spans[0][0] : spans[0][1]] if spans else phrase
            return TermEvidence(words, BRIDGED, pid, corpus.get(pid).citation, printed)
    return TermEvidence(words, ABSENT)


def _first(pids: list[str], prefer: list[str]) -> str:
    return next((p for p in prefer if p in pids), pids[0])


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
