"""Suggested counterparts: shared agreed language first, then meaning (stored vectors with shared wording).

A suggestion is never a crosswalk link: it says what the texts themselves show, with its evidence.

Ranking, for a paragraph P and each target document:
1. Candidates: every negotiated paragraph of the target documents, except Problem paragraphs (they state a
   problem, not a commitment) and bare lead-ins ("Member States should:", "Recognize that:"). The items of
   a numbered paragraph are suggested once, as that paragraph named by its closest items (`items`): in 2009
   a numbered paragraph is one measure with its items, which the table cites whole ("Action 51") or item by
   item, and twenty items of one measure must not crowd out every other paragraph. A paragraph alone under
   its heading (2016's paragraphs 1-7, one per chapter) is a chapter, not a measure: its items stand alone.
2. Agreed language first: candidates that share with P a run of at least six consecutive words holding
   words outside stock phrases (`Phrasebook.agreed_run` in crosswalk/compare.py: sharing "the United
   Nations Office on Drugs and Crime" is not carrying language over) come first, longest run first.
3. Then meaning: cosine of the stored paragraph vectors (P's own vector plus `CHAPEAU_WEIGHT` × its
   enclosing paragraphs', so a sub-item keeps its chapeau's subject) plus `LEXICAL_WEIGHT` × BM25 of P's words
   (scaled to the best unit); a list scores its best item plus `SECOND_WEIGHT` × its second best.

Weights were tuned on the crosswalk table as a proxy (2016 paragraphs against the table's 2009 references,
`assistant eval`) and on the tune half of eval/jms_links.jsonl, never on its test half; see README.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass

import numpy as np

from assistant.corpus.documents import EARLIER
from assistant.crosswalk.compare import Phrasebook
from assistant.retrieval.lexical import STOPWORDS

MEMO_SIZE = 20_000  # kept suggestion lists (a few per paragraph and request)

CHAPEAU_WEIGHT = 0.3
LEXICAL_WEIGHT = 0.7
SECOND_WEIGHT = 0.5
LEAD_IN_WORDS = 6  # a paragraph this short that ends with ":" only introduces its items
SUGGESTED = "suggested"

_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Suggestion:
    """A paragraph of another document that the texts suggest as a counterpart (never a table link).

    `id` is the paragraph suggested; for a list under a bare lead-in ("Member States should:") it is the
    lead-in's paragraph and `items` are its closest items, best first. `score` is the similarity in meaning
    of the closest one; `run` the longest shared run of agreed language (as printed in the suggested text,
    `run_words` long), empty when the evidence is meaning alone.
    """

    id: str
    score: float
    run: str = ""
    run_words: int = 0
    items: tuple[str, ...] = ()
    label: str = SUGGESTED

    @property
    def closest(self) -> str:
        """The most specific paragraph to quote and compare: the closest item of a list, else `id`."""
        return self.items[0] if self.items else self.id


class Suggester:
    """Ranks the paragraphs of other documents for one paragraph (see the module docstring).

    Paragraph vectors are the mean of the stored unit vectors, read from the index once; nothing is embedded.
    """

    def __init__(self, retriever, crosswalk=None):
        self.retriever = retriever
        self.corpus = retriever.corpus
        self.crosswalk = crosswalk
        self._ids: list[str] | None = None
        self._matrix: np.ndarray | None = None
        self._phrasebook: Phrasebook | None = None
        self._tops: dict[tuple, int] | None = None
        self._lock = threading.Lock()
        # Suggestions depend only on the paragraph and the request (the corpus never changes under an
        # instance): each is computed once and kept, as popular paragraphs recur across questions.
        self._memo: dict[tuple, list[Suggestion]] = {}

    # -- public ----------------------------------------------------------------------------------

    def suggest(self, pid: str, docs: tuple[str, ...] = (), k: int = 5, include_mapped: bool = False) -> list[Suggestion]:
        """Top-k suggestions for `pid` from `docs` (default: every other document), agreed language first.

        2016 paragraphs the crosswalk marks N/A (new in 2016) get none from the 2009 documents unless
        `include_mapped` (used by the evaluation, which also scores paragraphs that have table rows).
        """
        key = (pid, tuple(sorted(docs)), k, include_mapped)
        with self._lock:
            kept = self._memo.get(key)
        if kept is None:
            kept = self._suggest(pid, docs, k, include_mapped)
            with self._lock:
                if len(self._memo) < MEMO_SIZE:
                    self._memo[key] = kept
        return list(kept)

    def _suggest(self, pid: str, docs: tuple[str, ...], k: int, include_mapped: bool) -> list[Suggestion]:
        source = self.corpus.get(pid)  # UnknownParagraph for a bad id
        wanted = set(docs) if docs else {d for d in self.corpus.documents if d != source.doc}
        wanted.discard(source.doc)
        if not include_mapped and self.crosswalk is not None and self.crosswalk.is_new_in_2016(pid):
            # The table says no 2009 text corresponds; a 2014 one still may.
            wanted = {d for d in wanted if d not in self.corpus.documents or self.corpus.documents[d].crosswalk != EARLIER}
        ids, matrix = self._load()
        row = {p: i for i, p in enumerate(ids)}
        if pid not in row or k <= 0 or not wanted:
            return []
        groups = self._groups(wanted, row)
        if not groups:
            return []

        vec = matrix[row[pid]].copy()
        for a in self.corpus.ancestors(pid):
            if a.id in row:
                vec += CHAPEAU_WEIGHT * matrix[row[a.id]]
        vec /= max(float(np.linalg.norm(vec)), 1e-12)
        lexical = self._lexical(source.text)
        members = [m for ms in groups.values() for m in ms]
        cos = dict(zip(members, (matrix[[row[m] for m in members]] @ vec).tolist()))
        meaning = {m: cos[m] + LEXICAL_WEIGHT * lexical.get(m, 0.0) for m in members}

        scored = []
        phrases = self._phrases()
        sharing = phrases.sharing(source.text)
        for g, ms in groups.items():
            ranked = sorted(ms, key=lambda m: -meaning[m])
            top = [meaning[m] for m in ranked[:2]]
            score = top[0] + SECOND_WEIGHT * (top[1] if len(top) > 1 else top[0])
            run_words, run, at = 0, "", ""
            for m in ms:
                found = phrases.agreed_run(self.corpus.get(m).text, source.text) if m in sharing else None
                if found and found.words > run_words:
                    run_words, run, at = found.words, found.text_a, m
            items = tuple(ranked) if len(ms) > 1 or ms[0] != g else ()
            if at and items:
                items = (at, *(m for m in items if m != at))  # the item that carries the language leads
            scored.append((run_words, score, g, run, items))
        scored.sort(key=lambda s: (-s[0], -s[1], s[2]))
        out = []
        for run_words, score, g, run, items in scored[:k]:
            best = items[0] if items else g
            out.append(Suggestion(g, round(cos[best], 4), run, run_words, items[:3]))
        return out

    # -- candidates ------------------------------------------------------------------------------

    def _groups(self, wanted: set[str], row: dict[str, int]) -> dict[str, list[str]]:
        """Suggestable paragraphs of `wanted`, keyed by what is suggested (a paragraph, or a list's lead-in)."""
        groups: dict[str, list[str]] = {}
        for p in self.corpus:
            if p.doc not in wanted or not p.negotiated or p.id not in row or p.kind == "problem" or _lead_in(p.text):
                continue
            top = self._list_of(p.id)
            groups.setdefault(top or p.id, []).append(p.id)
        return groups

    def _list_of(self, pid: str) -> str | None:
        """The numbered paragraph whose items hold `pid`, unless that paragraph is a chapter by itself.

        In 2009 a numbered paragraph is one measure with its items ("Action 51", "OP 24"), cited whole or
        item by item; a 2016 paragraph 1-7 is alone under its chapter heading: its items are the measures.
        """
        ancestors = self.corpus.ancestors(pid)
        if not ancestors:
            return None
        top = ancestors[0]
        return None if self._alone_under_heading(top) else top.id

    def _alone_under_heading(self, p) -> bool:
        if self._tops is None:
            counts: dict[tuple, int] = {}
            for q in self.corpus:
                if q.parent_id is None:
                    counts[(q.doc, q.heading)] = counts.get((q.doc, q.heading), 0) + 1
            self._tops = counts
        return self._tops.get((p.doc, p.heading), 0) <= 1

    # -- evidence --------------------------------------------------------------------------------

    def _phrases(self) -> Phrasebook:
        if self._phrasebook is None:
            with self._lock:
                if self._phrasebook is None:
                    self._phrasebook = Phrasebook({p.id: p.text for p in self.corpus}, STOPWORDS)
        return self._phrasebook

    def _lexical(self, text: str) -> dict[str, float]:
        """BM25 of `text` against every unit, best unit per paragraph, scaled so the best paragraph is 1."""
        from assistant.retrieval.lexical import tokenize

        lex = self.retriever.lexical
        scores = lex.scores(tokenize(text))
        out: dict[str, float] = {}
        for uid, s in zip(lex.unit_ids, scores.tolist()):
            p = self.retriever.paragraph_of.get(uid)
            if p is not None and s > out.get(p, 0.0):
                out[p] = s
        top = max(out.values(), default=0.0)
        return {p: s / top for p, s in out.items()} if top > 0 else {}

    # -- vectors ---------------------------------------------------------------------------------

    def _load(self) -> tuple[list[str], np.ndarray]:
        if self._matrix is not None:
            return self._ids, self._matrix
        with self._lock:
            if self._matrix is None:
                self._ids, self._matrix = self._paragraph_vectors()
        return self._ids, self._matrix

    def _paragraph_vectors(self) -> tuple[list[str], np.ndarray]:
        r = self.retriever
        unit_ids, vecs = _stored(r.store, r.paragraph_of)
        if unit_ids is None:
            # A store that cannot hand its vectors back: embed the units again (same text, same model).
            units = list(r.units.values())
            unit_ids, vecs = [u.id for u in units], r.embedder.encode([u.embed_text for u in units])
        groups: dict[str, list[int]] = {}
        for i, uid in enumerate(unit_ids):
            pid = r.paragraph_of.get(uid)
            if pid is not None:
                groups.setdefault(pid, []).append(i)
        ids = [p for p in self.corpus.ids if p in groups]
        matrix = np.stack([vecs[groups[p]].mean(axis=0) for p in ids]).astype(np.float32)
        matrix /= np.maximum(np.linalg.norm(matrix, axis=1, keepdims=True), 1e-12)
        return ids, matrix


def _lead_in(text: str) -> bool:
    """A paragraph that says nothing but introduce its items: "Member States should:", "Recognize that:"."""
    return text.rstrip().endswith(":") and len(_WORD.findall(text)) <= LEAD_IN_WORDS


def _stored(store, known: dict) -> tuple[list[str] | None, np.ndarray | None]:
    """Unit ids and their stored vectors (read from the index, not recomputed), or (None, None)."""
    if not hasattr(store, "embeddings"):
        return None, None
    ids = [u for u in store.ids() if u in known]
    vecs = store.embeddings(ids)
    if len(vecs) != len(ids) or not ids:
        return None, None
    return ids, np.asarray(vecs, dtype=np.float32)
