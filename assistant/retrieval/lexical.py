"""Lexical retrieval: BM25 (bm25s) over retrieval units, built in memory at load."""

from __future__ import annotations

import re
from typing import Iterable, Sequence

import numpy as np

# Field indexed per unit: chosen on the dev set (see README notes): the unit text plus its chapeau
# context ("embed_text") lets a sub-item match words that only its chapeau carries.
FIELD = "embed_text"
K1, B = 1.2, 0.75

_WORD = re.compile(r"[a-z0-9]+")
# British spellings and common variants users type, mapped to the texts' spelling before stemming
# (applied to documents and queries alike, so it only has to be consistent, not correct).
_ISE = re.compile(r"^(\w{3,}?)is(e|ed|es|ing|ation|ations|er|ers)$")
_YSE = re.compile(r"^(\w{2,}?)ys(e|ed|es|ing)$")
_SPELLING = {
    "program": "programme",
    "programs": "programmes",
    "center": "centre",
    "centers": "centres",
    "labor": "labour",
    "behavior": "behaviour",
    "behavioral": "behavioural",
    "judgement": "judgment",
    "offense": "offence",
    "offenses": "offences",
    "defense": "defence",
    "fetus": "foetus",
    "jail": "prison",
    "jails": "prisons",
}


def _stopwords() -> frozenset[str]:
    from bm25s.tokenization import STOPWORDS_EN

    # Words every paragraph shares ("drug", "member states") still carry BM25 idf; only function words go.
    return frozenset(STOPWORDS_EN) | {"also", "shall", "would", "could", "us", "our", "we"}


STOPWORDS = _stopwords()


def _make_stemmer():
    """PyStemmer's English (Porter2) stemmer (a declared dependency)."""
    import Stemmer  # type: ignore[import-not-found]

    return Stemmer.Stemmer("english").stemWord


_stem = _make_stemmer()


def normalize(word: str) -> str:
    word = _SPELLING.get(word, word)
    m = _ISE.match(word)
    if m:
        word = f"{m.group(1)}iz{m.group(2)}"
    m = _YSE.match(word)
    if m:
        word = f"{m.group(1)}yz{m.group(2)}"
    return word


def stem_word(word: str) -> str:
    """One lower-case word as the index stores it: spelling normalised, then stemmed."""
    return _stem(normalize(word))


def tokenize(text: str) -> list[str]:
    """Lower-cased word tokens, hyphenated compounds split, stopwords dropped, stemmed."""
    out = []
    for w in _WORD.findall(text.lower()):
        if w in STOPWORDS or (len(w) < 2 and not w.isdigit()):
            continue
        out.append(stem_word(w))
    return out


class LexicalIndex:
    """BM25 over unit texts; `search` returns (unit_id, score) best first, zero scores left out."""

    def __init__(self, unit_ids: Sequence[str], texts: Sequence[str], k1: float = K1, b: float = B):
        import bm25s

        if len(unit_ids) != len(texts):
            raise ValueError("unit_ids and texts differ in length")
        self.unit_ids = tuple(unit_ids)
        self._bm25 = bm25s.BM25(k1=k1, b=b)
        if self.unit_ids:
            self._bm25.index([tokenize(t) for t in texts], show_progress=False)
        self.vocabulary = frozenset(getattr(self._bm25, "vocab_dict", {}) or ())

    @classmethod
    def from_units(cls, units: Iterable, field: str = FIELD) -> "LexicalIndex":
        units = list(units)
        return cls([u.id for u in units], [getattr(u, field) for u in units])

    def __len__(self) -> int:
        return len(self.unit_ids)

    def scores(self, tokens: Sequence[str]) -> np.ndarray:
        """BM25 score of every unit for already-tokenized query `tokens` (repeats weigh more)."""
        known = [t for t in tokens if t in self.vocabulary]
        if not known or not self.unit_ids:
            return np.zeros(len(self.unit_ids), dtype=np.float32)
        return np.asarray(self._bm25.get_scores(known), dtype=np.float32)

    def search(self, query: str, k: int = 10, extra_tokens: Sequence[str] = ()) -> list[tuple[str, float]]:
        s = self.scores([*tokenize(query), *extra_tokens])
        return self.top(s, k)

    def top(self, scores: np.ndarray, k: int) -> list[tuple[str, float]]:
        if k <= 0 or not len(scores):
            return []
        k = min(k, len(scores))
        idx = np.argpartition(-scores, k - 1)[:k]
        # Ties broken by unit order (document order), so results are deterministic.
        idx = sorted(idx, key=lambda i: (-scores[i], i))
        return [(self.unit_ids[i], float(scores[i])) for i in idx if scores[i] > 0]
