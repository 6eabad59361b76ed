"""Suggested counterparts: closest paragraphs of other documents, stored embeddings (cosine) fused with BM25."""

from __future__ import annotations

import threading
from dataclasses import dataclass

import numpy as np

from assistant.retrieval.fusion import rrf


POOL = 50  # candidates per method before fusion
# Shared wording weighs more than meaning: measured against the crosswalk (R@5 / R@10), dense alone
# .245/.329, BM25 alone .310/.423, equal RRF .266/.387, dense 1 : BM25 6 .292/.442 (chosen: nearly
# BM25's top 5, better top 10, and the meaning signal kept for 2014, whose wording differs more).
WEIGHTS = {"dense": 1.0, "lexical": 6.0}


@dataclass(frozen=True)
class Suggestion:
    """A paragraph of another document close in meaning; never presented as a crosswalk link."""

    id: str
    score: float
    label: str = "suggestion"


class Suggester:
    """Neighbours by paragraph vectors (mean of stored unit vectors, loaded once) and shared wording, RRF-fused.

    Measured against the crosswalk (2016 paragraphs with 2009 references; `assistant eval`): see WEIGHTS.
    """

    def __init__(self, retriever, crosswalk=None):
        self.retriever = retriever
        self.corpus = retriever.corpus
        self.crosswalk = crosswalk
        self._ids: list[str] | None = None
        self._matrix: np.ndarray | None = None
        self._lock = threading.Lock()

    def suggest(self, pid: str, docs: tuple[str, ...] = (), k: int = 5, include_mapped: bool = False) -> list[Suggestion]:
        """Top-k paragraphs of `docs` (default: every other document) closest to `pid`.

        2016 paragraphs the crosswalk marks N/A (new in 2016) get none unless `include_mapped`
        (used by the evaluation, which also scores paragraphs that have table rows).
        """
        self.corpus.get(pid)  # UnknownParagraph for a bad id
        if not include_mapped and self.crosswalk is not None and self.crosswalk.is_new_in_2016(pid):
            return []
        ids, matrix = self._load()
        row = {p: i for i, p in enumerate(ids)}.get(pid)
        if row is None or k <= 0:
            return []
        own = pid.partition(":")[0]
        wanted = set(docs) if docs else {d for d in self.corpus.documents if d != own}
        wanted.discard(own)

        def eligible(cand: str) -> bool:
            return cand.partition(":")[0] in wanted and self.corpus.get(cand).negotiated

        sims = matrix @ matrix[row]
        dense = [ids[i] for i in np.argsort(-sims, kind="stable") if eligible(ids[i])][:POOL]
        fused = rrf({"dense": dense, "lexical": self._lexical(pid, eligible)}, WEIGHTS)
        cos = {p: float(sims[i]) for i, p in enumerate(ids)}
        ranked = sorted(fused, key=lambda p: (-fused[p], -cos.get(p, 0.0)))
        return [Suggestion(p, round(cos.get(p, 0.0), 4)) for p in ranked[:k]]

    def _lexical(self, pid: str, eligible) -> list[str]:
        """Paragraphs sharing the wording of `pid` (BM25 with its text as the query)."""
        from assistant.retrieval.lexical import tokenize

        lex = self.retriever.lexical
        out: list[str] = []
        for uid, _ in lex.top(lex.scores(tokenize(self.corpus.get(pid).text)), 4 * POOL):
            cand = self.retriever.paragraph_of.get(uid)
            if cand and cand not in out and eligible(cand):
                out.append(cand)
                if len(out) >= POOL:
                    break
        return out

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


def _stored(store, known: dict) -> tuple[list[str] | None, np.ndarray | None]:
    """Unit ids and their stored vectors (read from the index, not recomputed), or (None, None)."""
    if not hasattr(store, "embeddings"):
        return None, None
    ids = [u for u in store.ids() if u in known]
    vecs = store.embeddings(ids)
    if len(vecs) != len(ids) or not ids:
        return None, None
    return ids, np.asarray(vecs, dtype=np.float32)
