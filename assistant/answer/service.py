"""The assistant behind the CLI and the app: loads everything once and answers questions."""

from __future__ import annotations

import threading
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
from assistant.answer.conversation import Interpretation, Turn, carried_note, interpret, scope_words
from assistant.answer.coverage import Coverage, alike_words, assess, nearness, noting, salience_texts, weigh_absent
from assistant.config import Settings
from assistant.corpus.documents import EARLIER, LATER
from assistant.corpus.ids import find_refs, resolve, unknown_refs
from assistant.corpus.paragraphs import Corpus
from assistant.corpus.load import load_corpus
from assistant.crosswalk.explain import explain_unresolved
from assistant.crosswalk.links import read_csv
from assistant.crosswalk.table import Crosswalk
from assistant.retrieval.query import Filters, check_documents, prepare_query
from assistant.retrieval.terms import TermIndex

# The match decision rests on words (`answer/coverage.py`): no match when a decisive key term is absent
# from the searched texts, a match when every key term is used or bridged by the glossary. Only a question
# with no key term recognised falls back to this cosine cut (best question-paragraph similarity), kept
# from the first dev set; `assistant eval` reports both end-to-end rates on eval/heldout.jsonl.
NOTHING_FOUND_THRESHOLD = 0.50
SUGGESTIONS_PER_QUOTE = 2


@dataclass(frozen=True)
class Reply:
    """An answer and the turn to remember for follow-ups."""

    answer: Answer
    turn: Turn
    rule: str


class Assistant:
    """Corpus, crosswalk and retriever loaded once; `ask` is thread-safe and changes nothing but a memo of counterparts."""

    def __init__(self, settings: Settings, corpus: Corpus, crosswalk: Crosswalk, retriever, suggester=None):
        self.settings = settings
        self.corpus = corpus
        # One index of where words occur, shared with the retriever's ranking when it searches the same corpus.
        self.terms = retriever.terms if getattr(retriever, "corpus", None) is corpus else TermIndex(corpus)
        self.crosswalk = crosswalk
        self.retriever = retriever
        self.suggester = suggester
        self.threshold = NOTHING_FOUND_THRESHOLD
        self.batch_salience = True  # encode the question with its variants for absent words (False: apart, for the bench)
        self._counterparts: dict[str, tuple[tuple[Counterpart, ...], bool]] = {}
        self._lock = threading.Lock()
        # Why each unresolved table reference names no paragraph, and what it probably means.
        self.unresolved = explain_unresolved(crosswalk.links, corpus)

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

    def warm(self) -> int:
        """Embed the glossary's agreed language and work out every paragraph's counterparts now (the app does
        this in a background thread at start), so no question waits for them; returns how many paragraphs
        were done."""
        if self.retriever is not None:
            self.retriever.warm()
        for p in self.corpus:
            self.counterparts(p.id)
        return len(self.corpus)

    def counterparts(self, pid: str) -> tuple[tuple[Counterpart, ...], bool]:
        """Crosswalk links both ways, then labelled suggestions; computed once per paragraph and kept."""
        with self._lock:
            kept = self._counterparts.get(pid)
        if kept is None:
            kept = self._counterparts_of(pid)
            with self._lock:
                self._counterparts[pid] = kept
        return kept

    def _counterparts_of(self, pid: str) -> tuple[tuple[Counterpart, ...], bool]:
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
        if self.suggester is not None:
            # No table covers this document, or the table gives this paragraph no link: suggest from every
            # other document. Otherwise (or when the table says new in 2016) suggest only from the documents
            # the table does not cover (2014, added).
            if not side or not (out or new):
                year = documents[doc].year if doc in documents else None
                wanted = tuple(d for d in documents if d != doc and documents[d].year != year)
            else:
                wanted = tuple(d for d in documents.untabled() if d != doc)
            # Each year's documents get their own suggestions: a 2014 item has 2016 and 2009 counterparts.
            for year in sorted({documents[d].year for d in wanted}, reverse=True):
                docs = tuple(d for d in wanted if documents[d].year == year)
                taken = 0
                for s in self.suggester.suggest(pid, docs=docs, k=SUGGESTIONS_PER_QUOTE + len(seen)):
                    cid = s.closest  # the item to quote, for a suggestion named by a numbered paragraph
                    if cid in seen or s.id in seen or cid not in self.corpus:
                        continue
                    seen.update((cid, s.id))
                    p = self.corpus.get(cid)
                    out.append(Counterpart(cid, p.citation, p.text, SUGGESTION, "suggestion", score=s.score))
                    taken += 1
                    if taken >= SUGGESTIONS_PER_QUOTE:
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
        if not refs:
            for ref in unknown_refs(question, self.corpus.ids):
                resolve(ref, self.corpus.ids)  # UnknownParagraph with suggestions, as `show` gives
        it = interpret(question, previous, refs, k, self.corpus.documents)  # a reference turn's topic is its paragraphs' text
        if it.refs:
            return self._reference_reply(question, it, notes)
        merged = (filters or Filters()).narrowed_by(it.filters)
        notes += [n for n in (carried_note(it, previous, self.corpus.documents), self._override_note(filters, it.filters)) if n]
        query, slips = self.retriever.read(it.query)
        notes += [f'Read "{c.typed}" as "{c.read}": no text uses "{c.typed}".' for c in slips]
        english = self.retriever.english_words(query)
        if english:
            notes.append("Searched the English texts for: " + ", ".join(english) + ".")
        it = replace(it, query=query)
        seen: dict[str, list[str]] = {}
        embedder = self.retriever.embedder
        alike = alike_words(self.retriever.embed) if embedder is not None else None
        near = nearness(self.retriever.embed) if embedder is not None else None
        if embedder is not None and self.batch_salience:
            # Everything the model is asked for this question in one forward pass: the question, its variants
            # without each absent word (rule 4), the glossary expansion and the words the same-word and
            # nearest-phrase checks weigh, as a first assessment that only notes them finds them.
            wanted: list[str] = []
            first = assess(it.query, self.corpus, self.terms, self.retriever.glossary, merged.docs,
                           alike=alike_words(noting(wanted)), near=nearness(noting(wanted)))
            self.retriever.prefetch(it.query, [*salience_texts(first, it.query, embedder.count_tokens), *wanted])
        hits = self.retriever.search(it.query, k=it.k, filters=merged)
        quotes = order_quotes([self.quote(h.id, h.score) for h in hits], self.corpus.documents)
        coverage = assess(it.query, self.corpus, self.terms, self.retriever.glossary, merged.docs,
                          prefer=[q.id for q in quotes], seen=seen, alike=alike, near=near)
        if embedder is not None:
            coverage = weigh_absent(coverage, it.query, self.retriever.embed, embedder.count_tokens)
        found = self.is_match(hits, coverage)
        quotes = tuple(replace(q, matched=self._matched_spans(q.id, coverage, alike)) for q in quotes)
        answer = Answer(
            question=question,
            lead=write_lead(quotes, found, "search", coverage),
            quotes=quotes,
            found=found,
            mode="search" if found else "none",
            query=it.query,
            notes=tuple(notes) + _filter_note(merged, self.corpus.documents),
            filters=_filters_dict(merged),
            coverage=coverage,
        )
        label = ", ".join(t.words for t in coverage.terms) or it.query
        return Reply(answer, Turn(question, it.query, it.filters, (), it.k, label), it.rule)

    def _override_note(self, chosen: Filters | None, named: Filters) -> str | None:
        """Say so when the documents or years a question names replace those chosen in the filters."""
        if chosen is None or not (chosen.docs or chosen.years) or not (named.docs or named.years):
            return None
        if (chosen.docs, chosen.years) == (named.docs, named.years):
            return None
        docs = self.corpus.documents
        return (f"Your question names {scope_words(named, docs)}, so it searched that instead of "
                f"{scope_words(chosen, docs)} chosen in the filters.")

    def is_match(self, hits, coverage: Coverage | None = None) -> bool:
        """The match decision, resting on words: no match when a key term occurs in no searched paragraph
        and no glossary entry bridges it; a match when every key term is used or bridged; with no key
        term at all (or none recognised in another language), the cosine rule (NOTHING_FOUND_THRESHOLD)."""
        if not hits:
            return False
        if coverage is not None and coverage.absent:
            return False
        if coverage is not None and coverage.present:
            return True
        best = max((h.dense_score for h in hits if h.dense_score is not None), default=0.0)
        return best >= self.threshold

    def _matched_spans(self, pid: str, coverage: Coverage, alike=None) -> tuple[tuple[int, int], ...]:
        """Where the question's words (or the agreed phrases bridging them) stand in paragraph `pid`; a
        word the stemmer joins to the user's but is not it ("positive" for "position") is not marked."""
        spans = set()
        text = self.corpus.get(pid).text.lower()
        for t in coverage.present:
            for phrase in (t.words, t.agreed):
                if not phrase:
                    continue
                found = self.terms.spans(pid, phrase)
                forms = self.terms.forms(phrase) if phrase == t.words and alike is not None and found else {}
                if forms:  # the forms that count as the user's word in every paragraph, as the lead's claim
                    same = set(alike(phrase, list(forms)))
                    found = [(a, b) for a, b in found if text[a:b] in same]
                spans.update(found)
        return tuple(sorted(spans))

    def _reference_reply(self, question: str, it: Interpretation, notes: list[str]) -> Reply:
        quotes = tuple(self.quote(r) for r in it.refs)
        answer = Answer(question, write_lead(quotes, True, "reference"), quotes, True, "reference", " ".join(it.refs), tuple(notes))
        topic = " ".join(self.corpus.get(r).text for r in it.refs)
        label = "the language of " + "; ".join(self.corpus.get(r).citation for r in it.refs)
        return Reply(answer, Turn(question, topic, it.filters, it.refs, it.k, label), it.rule)

    def show(self, ref: str) -> Quote:
        from assistant.corpus.ids import resolve

        return self.quote(resolve(ref, self.corpus.ids))


def _filters_dict(f: Filters) -> dict:
    return {"docs": list(f.docs), "years": list(f.years), "kinds": list(f.kinds), "commitments_only": f.commitments_only}


def _filter_note(f: Filters, documents) -> tuple[str, ...]:
    if not (f.docs or f.years or f.commitments_only):
        return ()
    where = scope_words(f, documents) if (f.docs or f.years) else "all documents"
    return (f"Searched {where}" + ("; commitments only." if f.commitments_only else "."),)
