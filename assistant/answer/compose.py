"""Compose verified, verbatim answers: quotes grouped by document with citations and counterparts."""

from __future__ import annotations

from dataclasses import dataclass, field

from assistant.corpus.documents import Registry
from assistant.corpus.paragraphs import Corpus, Paragraph
from assistant.errors import UnverifiedQuote


CROSSWALK_2016 = "2016 counterpart (crosswalk table)"
CROSSWALK_2009 = "2009 source (crosswalk table)"
SUGGESTION = "suggestion (no crosswalk table; closest by meaning)"


@dataclass(frozen=True)
class Counterpart:
    """A paragraph of another document linked to a quote, with how we know (table or suggestion)."""

    id: str
    citation: str
    text: str
    relation: str
    confidence: str
    score: float | None = None
    resolved: bool = True
    via: str = ""  # the paragraph the table actually names, when it is an enclosing or enclosed one


@dataclass(frozen=True)
class Quote:
    """A verbatim passage with its citation; `chapeau` holds the enclosing paragraphs' (id, text)."""

    id: str
    doc: str
    citation: str
    text: str
    heading: tuple[str, ...]
    chapeau: tuple[tuple[str, str], ...]
    operative_spans: tuple[tuple[int, int], ...]
    score: float
    is_commitment: bool
    negotiated: bool
    counterparts: tuple[Counterpart, ...] = ()
    new_in_2016: bool = False
    matched: tuple[tuple[int, int], ...] = ()  # spans of the question's words (or their agreed language) in `text`
    kind: str = ""  # the paragraph's kind: operative, sub-item, action, problem, preamble, summary, ...


@dataclass(frozen=True)
class Answer:
    """What the user sees. `found` is False when nothing relevant was found: quotes are then 'closest, not a match'."""

    question: str
    lead: str
    quotes: tuple[Quote, ...]
    found: bool
    mode: str  # "search" | "reference" | "none"
    query: str = ""
    notes: tuple[str, ...] = ()
    filters: dict = field(default_factory=dict)
    coverage: object = None  # answer.coverage.Coverage for searches

    def to_dict(self) -> dict:
        return {
            "question": self.question,
            "query": self.query,
            "mode": self.mode,
            "found": self.found,
            "lead": self.lead,
            "notes": list(self.notes),
            "filters": self.filters,
            "coverage": self.coverage.to_dict() if self.coverage is not None else None,
            "quotes": [
                {
                    "id": q.id,
                    "doc": q.doc,
                    "citation": q.citation,
                    "text": q.text,
                    "heading": list(q.heading),
                    "chapeau": [{"id": i, "text": t} for i, t in q.chapeau],
                    "operative_spans": [list(s) for s in q.operative_spans],
                    "matched_spans": [list(s) for s in q.matched],
                    "score": round(q.score, 4),
                    "is_commitment": q.is_commitment,
                    "negotiated": q.negotiated,
                    "new_in_2016": q.new_in_2016,
                    "counterparts": [
                        {
                            "id": c.id,
                            "citation": c.citation,
                            "text": c.text,
                            "relation": c.relation,
                            "confidence": c.confidence,
                            "score": None if c.score is None else round(c.score, 4),
                            "resolved": c.resolved,
                            "via": c.via,
                        }
                        for c in q.counterparts
                    ],
                }
                for q in self.quotes
            ],
        }


def verify(corpus: Corpus, pid: str, text: str) -> str:
    """Return `text` if it is an exact substring of the paragraph's canonical text, else raise."""
    if pid not in corpus or not text or text not in corpus.get(pid).text:
        raise UnverifiedQuote(f"quote attributed to {pid} is not its verbatim text; not shown")
    return text


def make_quote(corpus: Corpus, p: Paragraph, score: float, counterparts: tuple[Counterpart, ...], new_in_2016: bool) -> Quote:
    chapeau = tuple((a.id, verify(corpus, a.id, a.text)) for a in corpus.ancestors(p.id))
    for c in counterparts:
        if c.resolved:
            verify(corpus, c.id, c.text)
    return Quote(
        id=p.id,
        doc=p.doc,
        citation=p.citation,
        text=verify(corpus, p.id, p.text),
        heading=p.heading,
        chapeau=chapeau,
        operative_spans=p.operative_spans,
        score=score,
        is_commitment=p.is_commitment,
        negotiated=p.negotiated,
        counterparts=counterparts,
        new_in_2016=new_in_2016,
        kind=p.kind,
    )


def order_quotes(quotes: list[Quote], documents: Registry) -> tuple[Quote, ...]:
    """Grouped by document, newest first (2009: the Plan of Action before the Declaration); within a
    document, sub-items of one chapeau stay together (so it is shown once), groups by their best score."""
    best: dict[tuple, float] = {}
    for q in quotes:
        best[_group(q)] = max(best.get(_group(q), q.score), q.score)
    return tuple(sorted(quotes, key=lambda q: (documents.newest_first(q.doc), -best[_group(q)], _group(q), -q.score)))


def _group(q: Quote) -> tuple:
    return (q.doc, tuple(pid for pid, _ in q.chapeau) or (q.id,))


def _short_ref(citation: str) -> str:
    return citation.split(", ", 1)[1] if ", " in citation else citation


def _doc_name(citation: str) -> str:
    return citation.split(", ", 1)[0]


LANGUAGES = {"ar": "Arabic", "zh": "Chinese", "fr": "French", "ru": "Russian", "es": "Spanish"}
NOT_A_MATCH = "The closest paragraphs are listed below: they are not a match."


def write_lead(quotes: tuple[Quote, ...], found: bool, mode: str, coverage=None) -> str:
    """Sentences built by code from citations and the coverage evidence alone (the user's words, agreed
    phrases exactly as printed), never other words: what the quotes contain, and what no text contains."""
    if mode == "reference":
        return f"{quotes[0].citation}, quoted verbatim below with its counterparts." if quotes else ""
    parts: list[str] = []
    if coverage is not None and coverage.language in LANGUAGES:
        parts.append(f"Your question is in {LANGUAGES[coverage.language]}; the official texts are quoted in English.")
    if not quotes:
        return " ".join(parts + ["No paragraph of the documents searched matches the filters of this question."])
    absent = coverage.absent if coverage is not None else ()
    if absent:  # every absent term is named, the decisive ones and the minor ones alike
        words = _join([f'"{t.words}"' for t in coverage.terms if t.status == "absent"])
        parts += [f"None of the texts uses the words {words} (searched {coverage.scope}).", NOT_A_MATCH]
        return " ".join(parts)
    if not found:
        return " ".join(parts + ["No paragraph clearly matches this question.", NOT_A_MATCH])
    present = coverage.present if coverage is not None else ()
    used: dict[str, list[str]] = {}
    for t in present:
        if t.status == "used":
            used.setdefault(t.citation, []).append(f'"{t.printed or t.words}"')
    parts += [f"{citation} uses the words {_join(words)}." for citation, words in used.items()]
    parts += [f'The agreed language for "{t.words}" is "{t.agreed}" ({t.citation}).' if not t.topic else
              f'The glossary lists "{t.words}" under "{t.topic}", whose agreed language includes "{t.agreed}" ({t.citation}).'
              for t in present if t.status != "used"]
    unused = coverage.unused if coverage is not None else ()
    apart = [t for t in unused if t.apart]
    alone = [t for t in unused if not t.apart and not t.instead_of]
    parts += [f'No text uses the words "{t.words}", asked as an alternative to "{t.instead_of}".'
              for t in unused if t.instead_of and not t.apart]
    if apart:
        words = _join([f'"{t.words}"' for t in apart])
        parts.append(f"The texts use each word of {words}, but not the phrase{'s' if len(apart) > 1 else ''}.")
    if alone:
        words = _join([f'"{t.words}"' for t in alone])
        parts.append(f"No text uses the words {words}.")
    if unused:
        parts.append("The quotes match the rest of the question.")
    by_doc: dict[str, list[str]] = {}
    for q in quotes:
        by_doc.setdefault(_doc_name(q.citation), []).append(_short_ref(q.citation))
    parts.append("Quoted below: " + "; ".join(f"{doc}, {_join(refs)}" for doc, refs in by_doc.items()) + ".")
    return " ".join(parts)


def _join(refs: list[str]) -> str:
    refs = list(dict.fromkeys(refs))
    return refs[0] if len(refs) == 1 else ", ".join(refs[:-1]) + " and " + refs[-1]
