"""Where words occur: a positional index of the texts' stemmed content words, for phrases and highlighting.

A phrase occurs in a paragraph when its content words (stopwords dropped, stemmed and spelled as the
lexical index does: "programs" = "programmes", "jail" = "prison") appear in the same order with at
most `GAP` other content words between two of them ("proportionate sentencing" is found in
"proportionate national sentencing policies").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable

from assistant.retrieval.lexical import STOPWORDS, stem_word

GAP = 1
COMMON_SHARE = 1 / 3  # a word this share of the paragraphs or more use ("drug") says nothing of a question's topic
_WORD = re.compile(r"[a-z0-9]+")
_INFLECTION = re.compile(r"(?:'s|ions|ion|es|s|ing|ed)$")


def light_stem(word: str) -> str:
    """A word without its inflection or "-ion" ("coordinated", "coordination" -> "coordinat"), never another
    derivation: "position" and "positive" share a stem ("posit") but not a light stem."""
    w = word.lower()
    if len(w) > 4 and not w.endswith("ss"):
        w = _INFLECTION.sub("", w) if not w.endswith("ies") else w[:-3] + "y"
    return w.rstrip("e")


@dataclass(frozen=True)
class Token:
    """A content word of a text: its stem and its character span in the original text."""

    stem: str
    start: int
    end: int


def content_tokens(text: str) -> list[Token]:
    """The content words of `text` with their spans (lower-cased matching; spans index the original)."""
    out = []
    for m in _WORD.finditer(text.lower()):
        w = m.group(0)
        if w in STOPWORDS or (len(w) < 2 and not w.isdigit()):
            continue
        out.append(Token(stem_word(w), m.start(), m.end()))
    return out


def find_phrase(tokens: list[Token], stems: list[str], gap: int = GAP) -> list[tuple[int, int]]:
    """Character spans (first word's start, last word's end) where `stems` occur in order within `gap`."""
    if not stems or not tokens:
        return []
    spans = []
    for i, tok in enumerate(tokens):
        if tok.stem != stems[0]:
            continue
        j, end = i, tok.end
        for s in stems[1:]:
            nxt = next((k for k in range(j + 1, min(j + 2 + gap, len(tokens))) if tokens[k].stem == s), None)
            if nxt is None:
                break
            j, end = nxt, tokens[nxt].end
        else:
            spans.append((tok.start, end))
    return spans


class TermIndex:
    """Content tokens of every paragraph, and the paragraphs each stem occurs in."""

    def __init__(self, paragraphs: Iterable):
        self.tokens: dict[str, list[Token]] = {}
        self.doc_of: dict[str, str] = {}
        self._postings: dict[str, set[str]] = {}
        self._forms: dict[str, dict[str, set[str]]] = {}  # stem -> word as written (lower case) -> paragraphs
        for p in paragraphs:
            toks = content_tokens(p.text)
            self.tokens[p.id] = toks
            self.doc_of[p.id] = p.doc
            low = p.text.lower()
            for t in toks:
                self._postings.setdefault(t.stem, set()).add(p.id)
                self._forms.setdefault(t.stem, {}).setdefault(low[t.start : t.end], set()).add(p.id)
        self._rank = {pid: i for i, pid in enumerate(self.tokens)}  # corpus order
        self.stems = {pid: frozenset(t.stem for t in toks) for pid, toks in self.tokens.items()}

    def __len__(self) -> int:
        return len(self.tokens)

    def paragraphs_with(self, phrase: str, docs: Iterable[str] = ()) -> list[str]:
        """Paragraphs (in corpus order) where `phrase` occurs, restricted to `docs` when given."""
        stems = [t.stem for t in content_tokens(phrase)]
        if not stems:
            return []
        wanted = set(docs)
        candidates = set.intersection(*(self._postings.get(s, set()) for s in stems))
        return [
            pid for pid in sorted(candidates, key=self._rank.__getitem__)
            if (not wanted or self.doc_of[pid] in wanted) and find_phrase(self.tokens[pid], stems)
        ]

    def forms(self, word: str) -> dict[str, set[str]]:
        """The texts' words sharing `word`'s stem, each with the paragraphs that print it."""
        toks = content_tokens(word)
        return self._forms.get(toks[0].stem, {}) if len(toks) == 1 else {}

    def spans(self, pid: str, phrase: str) -> list[tuple[int, int]]:
        """Where `phrase` occurs in paragraph `pid` (character spans into its text)."""
        stems = [t.stem for t in content_tokens(phrase)]
        return find_phrase(self.tokens.get(pid, []), stems)
