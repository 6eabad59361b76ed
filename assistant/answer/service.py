"""The assistant behind the CLI and the app: loads everything once and answers questions."""

from __future__ import annotations

from dataclasses import dataclass, replace

from assistant.answer.compose import (
    CROSSWALK_2009,
    CROSSWALK_2016,
    SUGGESTION,
    Answer,
    Counterpart,
    Quote,
    make_quote,
    order_quotes,
    write_lead,
)
from assistant.answer.conversation import Interpretation, Turn, interpret
from assistant.config import Settings
from assistant.corpus.documents import EARLIER, LATER
from assistant.corpus.ids import find_refs
from assistant.corpus.paragraphs import Corpus, load_corpus
from assistant.crosswalk.links import read_csv
from assistant.crosswalk.table import Crosswalk
from assistant.retrieval.query import Filters, check_documents, prepare_query

# An answer is a match when the best cosine similarity between the question and the retrieved
# paragraphs reaches this, or when the top paragraph was found through the agreed-language glossary
# (the user's words are not the documents' words, e.g. "needle exchange"). Calibrated with
# `assistant eval` on eval/questions.jsonl plus eval/unanswerable.jsonl: cosine alone at its best cut
# (0.53) missed 24 % of answerable questions; with the glossary rule, 0.50 misses 8 %. False matches
# rise, mostly on questions whose topic the documents do address in agreed language (decriminalisation,
# cannabis), and those answers still show the exact text and citation. `assistant eval` reports both rates.
NOTHING_FOUND_THRESHOLD = 0.50
SUGGESTIONS_PER_QUOTE = 2


@dataclass(frozen=True)
class Reply:
    """An answer and the turn to remember for follow-ups."""

    answer: Answer
    turn: Turn
    rule: str


class Assistant:
    """Corpus, crosswalk and retriever loaded once; `ask` is thread-safe and never mutates state."""

    def __init__(self, settings: Settings, corpus: Corpus, crosswalk: Crosswalk, retriever, suggester=None):
        self.settings = settings
        self.corpus = corpus
        self.crosswalk = crosswalk
        self.retriever = retriever
        self.suggester = suggester
        self.threshold = NOTHING_FOUND_THRESHOLD

    @classmethod
    def load(cls, settings: Settings | None = None, corpus: Corpus | None = None, embedder=None) -> "Assistant":
        """Everything a question needs, read only: IndexNotBuilt (naming `assistant index`) if the index is missing or stale."""
        from assistant.retrieval.retriever import Retriever
        from assistant.retrieval.suggest import Suggester

        settings = settings or Settings.from_env()
        corpus = corpus or load_corpus(settings)
        crosswalk = Crosswalk(read_csv(settings.crosswalk_path))
        retriever = Retriever.open(settings, corpus, embedder=embedder)
        return cls(settings, corpus, crosswalk, retriever, Suggester(retriever, crosswalk))

    # -- counterparts -------------------------------------------------------------------------

    def counterparts(self, pid: str) -> tuple[tuple[Counterpart, ...], bool]:
        """Crosswalk links both ways, then labelled suggestions from documents the table does not cover."""
        documents = self.corpus.documents
        doc = pid.partition(":")[0]
        side = documents[doc].crosswalk if doc in documents else ""
        out: list[Counterpart] = []
        new = False
        if side == LATER:
            new = self.crosswalk.is_new_in_2016(pid)
            for link in self.crosswalk.sources_of(pid):
                if link.target and link.target not in {c.id for c in out}:
                    out.append(self._linked(link.target, CROSSWALK_2009, link.confidence, link.resolved))
        elif side == EARLIER:
            for link in self.crosswalk.counterparts_of(pid):
                c = self._linked(link.source, CROSSWALK_2016, link.confidence, True)
                out.append(replace(c, via=link.target if link.target != pid else ""))
        seen = {c.id for c in out} | {pid}
        if self.suggester is not None and not new:
            # No table covers this document, or the table gives this paragraph no link: suggest from every
            # other document. Otherwise suggest only from the documents the table does not cover (2014, added).
            if not side or not out:
                wanted = tuple(d for d in documents if d != doc)
            else:
                wanted = tuple(d for d in documents.untabled() if d != doc)
            for s in self.suggester.suggest(pid, docs=wanted, k=SUGGESTIONS_PER_QUOTE + len(seen)) if wanted else ():
                if s.id in seen or s.id not in self.corpus:
                    continue
                seen.add(s.id)
                p = self.corpus.get(s.id)
                out.append(Counterpart(s.id, p.citation, p.text, SUGGESTION, "suggestion", score=s.score))
                if sum(c.relation == SUGGESTION for c in out) >= SUGGESTIONS_PER_QUOTE:
                    break
        return tuple(out), new

    def _linked(self, pid: str, relation: str, confidence: str, resolved: bool) -> Counterpart:
        if resolved and pid in self.corpus:
            p = self.corpus.get(pid)
            return Counterpart(pid, p.citation, p.text, relation, confidence)
        return Counterpart(pid, pid, "", relation, confidence, resolved=False)

    def quote(self, pid: str, score: float = 1.0) -> Quote:
        counterparts, new = self.counterparts(pid)
        return make_quote(self.corpus, self.corpus.get(pid), score, counterparts, new)

    # -- answering ----------------------------------------------------------------------------

    def ask(self, question: str, filters: Filters | None = None, previous: Turn | None = None, k: int = 5) -> Reply:
        """Answer a question (or a follow-up to `previous`) with verified verbatim quotes."""
        prepared = prepare_query(question, self.settings.max_query_chars)
        question, notes = prepared.query, list(prepared.warnings)
        if filters is not None:
            check_documents(filters.docs, self.corpus.documents)
        refs = tuple(find_refs(question, self.corpus.ids))
        it = interpret(question, previous, refs, k, self.corpus.documents)  # a reference turn's topic is its paragraphs' text
        if it.refs:
            return self._reference_reply(question, it, notes)
        merged = (filters or Filters()).narrowed_by(it.filters)
        hits = self.retriever.search(it.query, k=it.k, filters=merged)
        found = self.is_match(hits)
        quotes = order_quotes([self.quote(h.id, h.score) for h in hits], self.corpus.documents)
        agreed = self._agreed_language(it.query, quotes) if found else None
        answer = Answer(
            question=question,
            lead=write_lead(quotes, found, "search", agreed),
            quotes=quotes,
            found=found,
            mode="search" if found else "none",
            query=it.query,
            notes=tuple(notes) + _filter_note(merged),
            filters=_filters_dict(merged),
        )
        return Reply(answer, Turn(question, it.query, it.filters, (), it.k), it.rule)

    def is_match(self, hits) -> bool:
        """The nothing-found rule (see NOTHING_FOUND_THRESHOLD)."""
        if not hits:
            return False
        best = max((h.dense_score for h in hits if h.dense_score is not None), default=0.0)
        return best >= self.threshold or hits[0].via_glossary

    def _agreed_language(self, query: str, quotes: tuple[Quote, ...]) -> tuple[str, str, str] | None:
        """(the user's term, the agreed phrase as printed, its citation) when the documents use other words."""
        lowered = [(q, q.text.lower()) for q in quotes]
        for entry in self.retriever.glossary.match(query):
            words = (entry.term, *entry.aliases)
            if any(w.lower() in text for w in words for _, text in lowered):
                continue  # the documents use the user's own words
            said = next((w for w in sorted(words, key=len, reverse=True) if w.lower() in query.lower()), entry.term)
            for phrase in entry.agreed:
                for q, text in lowered:
                    at = text.find(phrase.lower())
                    if at >= 0:
                        return said, q.text[at : at + len(phrase)], q.citation
        return None

    def _reference_reply(self, question: str, it: Interpretation, notes: list[str]) -> Reply:
        quotes = tuple(self.quote(r) for r in it.refs)
        answer = Answer(question, write_lead(quotes, True, "reference"), quotes, True, "reference", " ".join(it.refs), tuple(notes))
        topic = " ".join(self.corpus.get(r).text for r in it.refs)
        return Reply(answer, Turn(question, topic, it.filters, it.refs, it.k), it.rule)

    def show(self, ref: str) -> Quote:
        from assistant.corpus.ids import resolve

        return self.quote(resolve(ref, self.corpus.ids))


def _filters_dict(f: Filters) -> dict:
    return {"docs": list(f.docs), "years": list(f.years), "kinds": list(f.kinds), "commitments_only": f.commitments_only}


def _filter_note(f: Filters) -> tuple[str, ...]:
    parts = []
    if f.docs:
        parts.append("documents " + ", ".join(f.docs))
    if f.years:
        parts.append("years " + ", ".join(map(str, f.years)))
    if f.commitments_only:
        parts.append("commitments only")
    return (f"Searched {'; '.join(parts)}.",) if parts else ()
