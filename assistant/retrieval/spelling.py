"""Typing slips: a question word that no text uses, read as the one text word a single edit away
("perscription" -> "prescription", "canabis" -> "cannabis").

A word is read as another only when all of these hold, so a real word the texts do not use stays itself
and is reported absent ("roadside", "hemp", "expunging"):
- it has MIN_LENGTH to MAX_LENGTH letters, is lower case (not a name or acronym) and no text uses it or its stem;
- the embedding model does not know it as one whole word (a known word is not a slip);
- exactly one text word, or one clearly most frequent, is one edit away (a letter added, dropped,
  changed, or two neighbours swapped).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Callable, Iterable

MIN_LENGTH = 6
MEMO_SIZE = 4096  # words whose reading is kept
MAX_LENGTH = 24  # longer runs of letters are not words mistyped (and would cost ~54 x length candidates)
_WORD = re.compile(r"[^\W\d_]+")
_LETTERS = "abcdefghijklmnopqrstuvwxyz"


@dataclass(frozen=True)
class Correction:
    """A word as typed and the text word it is read as."""

    typed: str
    read: str


_ENDINGS = ("ings", "ing", "ers", "er", "ed", "es", "s", "ly")


def known_word(count_pieces: Callable[[str], int]) -> Callable[[str], bool]:
    """Whether the model's vocabulary has `word` as one piece, or its base before an inflection
    ("wording": "word"); `count_pieces(text)` is the model's count of word pieces, without markers."""

    def known(word: str) -> bool:
        if count_pieces(word) == 1:
            return True
        return any(word.endswith(e) and len(word) - len(e) >= 4 and count_pieces(word[: -len(e)]) == 1
                   for e in _ENDINGS)

    return known


class Speller:
    """Text words with their counts; `correct(question)` gives the question as read and its corrections."""

    def __init__(self, texts: Iterable[str], stem: Callable[[str], str], known: Callable[[str], bool]):
        self.counts = Counter(w for t in texts for w in _WORD.findall(t.lower()))
        self.stems = {stem(w) for w in self.counts}
        self._stem = stem
        self._known_word = known
        self._memo: dict[str, str | None] = {}  # each word's reading: an answer reads its question twice

    def correct(self, question: str) -> tuple[str, tuple[Correction, ...]]:
        """`question` with each slip replaced by the text word it is read as, and the corrections made."""
        found: dict[str, str] = {}
        for m in _WORD.finditer(question):
            word = m.group(0)
            if word not in found and (read := self._remembered(word)):
                found[word] = read
        if not found:
            return question, ()
        pattern = re.compile(r"(?<!\w)(" + "|".join(map(re.escape, found)) + r")(?!\w)")
        return pattern.sub(lambda m: found[m.group(1)], question), tuple(Correction(t, r) for t, r in found.items())

    def clear_cache(self) -> None:
        """Forget remembered readings (benchmarks time the reading too)."""
        self._memo.clear()

    def _remembered(self, word: str) -> str | None:
        if word not in self._memo:
            if len(self._memo) >= MEMO_SIZE:
                self._memo.clear()
            self._memo[word] = self._read(word)
        return self._memo[word]

    def _read(self, word: str) -> str | None:
        if not MIN_LENGTH <= len(word) <= MAX_LENGTH or not word.islower() or not word.isascii():
            return None
        if word in self.counts or self._stem(word) in self.stems or self._known_word(word):
            return None
        candidates = sorted(((self.counts[w], w) for w in _one_edit(word) if w in self.counts), reverse=True)
        if not candidates or (len(candidates) > 1 and candidates[1][0] * 2 > candidates[0][0]):
            return None  # none, or no clear choice
        return candidates[0][1]


def _one_edit(word: str) -> set[str]:
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    return (
        {a + b[1:] for a, b in splits if b}
        | {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
        | {a + c + b[1:] for a, b in splits if b for c in _LETTERS}
        | {a + c + b for a, b in splits for c in _LETTERS}
    ) - {word}
