"""How much of an English question's key words a paragraph holds: a soft AND over the words, for ranking.

A question with several key words ("damage to the environment from drug crops") is best answered by a
paragraph holding all of them, yet dense and BM25 scores can favour one that repeats one of them. Each
key word weighs its rarity (idf over the paragraphs); a word a third of the paragraphs use ("drug")
weighs nothing; a word a glossary entry matched is also held by the paragraphs printing that entry's
agreed language ("needle exchange": "injecting equipment programmes").
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass

from assistant.retrieval.query import key_terms
from assistant.retrieval.terms import COMMON_SHARE, content_tokens


@dataclass(frozen=True)
class KeyWord:
    """A key word of a question: its stem, its weight, and the paragraphs that hold it through the glossary."""

    stem: str
    weight: float
    bridged: frozenset[str] = frozenset()


class Concepts:
    """Key words of questions, weighed over one corpus's paragraphs (`TermIndex`)."""

    def __init__(self, term_index, glossary, registry):
        self.terms = term_index
        self.glossary = glossary
        self.registry = registry
        self.count = len(term_index.stems)
        self.df = Counter(stem for stems in term_index.stems.values() for stem in stems)
        self._phrases: dict[str, frozenset[str]] = {}

    def key_words(self, question: str) -> tuple[KeyWord, ...]:
        """The weighted key words of an English `question` (none when no key word is rare enough to weigh)."""
        bridged: dict[str, set[str]] = {}
        for entry, words in self.glossary.matched_words(question):
            held = set().union(*(self._paragraphs(p) for p in entry.agreed)) if entry.agreed else set()
            for t in content_tokens(words):
                bridged.setdefault(t.stem, set()).update(held)
        stems = dict.fromkeys(t.stem for term in key_terms(question, self.registry) for t in content_tokens(term))
        out = []
        for stem in stems:
            df = self.df.get(stem, 0)
            if df >= COMMON_SHARE * self.count:
                continue
            out.append(KeyWord(stem, math.log(1 + self.count / (1 + df)), frozenset(bridged.get(stem, ()))))
        return tuple(out)

    def share(self, words: tuple[KeyWord, ...], pid: str) -> float:
        """The weighted share of `words` paragraph `pid` holds (0 to 1)."""
        total = sum(w.weight for w in words)
        if not total:
            return 0.0
        held = self.terms.stems.get(pid, frozenset())
        return sum(w.weight for w in words if w.stem in held or pid in w.bridged) / total

    def _paragraphs(self, phrase: str) -> frozenset[str]:
        if phrase not in self._phrases:
            self._phrases[phrase] = frozenset(self.terms.paragraphs_with(phrase))
        return self._phrases[phrase]
