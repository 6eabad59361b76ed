"""Tokens for matching a draft against agreed language: normalised forms that keep their character offsets.

A token is a word (letters and digits, with hyphens and apostrophes inside it: `evidence-based`,
`Declaration's`) or one punctuation mark (a run of dashes is one mark). Its `norm` ignores what drafters
and word processors vary without changing the words: case, Unicode compatibility forms (ligatures,
full-width letters), curly versus straight quotes and apostrophes, dash forms (hyphen, non-breaking
hyphen, en dash, em dash, minus all read `-`), soft hyphens and zero-width characters, whitespace
(never a token), British versus American `-ise`/`-ize` and `-yse`/`-yze` (both read `-ise`/`-yse`),
and a word broken by a hyphen at a line end (`preven-⏎tion`), joined unless the corpus vocabulary
says the hyphen is real. `text[t.start:t.end]` is always the token as the draft wrote it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Collection

# Invisible characters that may sit inside a word (soft hyphen, zero-width space/joiners, BOM).
_INVISIBLE = "\u00ad\u200b\u200c\u200d\u2060\ufeff"
_W = rf"[\w{_INVISIBLE}]"
# Joiners inside a word: apostrophes, and hyphens (the en dash of "2009–2019" included, the em dash not).
_JOIN = r"['\u2019\u02bc\-\u2010\u2011\u2012\u2013\u2212]"
_WORD = rf"{_W}+(?:{_JOIN}{_W}+)*"
_TOKEN = re.compile(
    rf"(?P<left>{_WORD})[\-\u2010\u2011\u00ad][ \t]*\r?\n[ \t]*(?P<right>{_WORD})"  # a word broken at a line end
    rf"|(?P<word>{_WORD})"
    r"|(?P<dash>[\-\u2010-\u2015\u2212]+)"
    r"|(?P<dots>\.\.\.|\u2026)"
    r"|(?P<mark>[^\w\s])"
)
_QUOTES = str.maketrans(
    {
        **dict.fromkeys("\u2018\u2019\u201a\u201b\u2032\u02bc\u0060\u00b4", "'"),
        **dict.fromkeys("\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb", '"'),
        **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212", "-"),
        **dict.fromkeys(_INVISIBLE, None),
    }
)
# -ize/-yze endings (and their inflections) read as -ise/-yse; applied alike to draft and corpus.
_IZE = re.compile(r"([iy])z(e|es|ed|er|ers|ing|ation|ations|ational)(?![a-z])")


@dataclass(frozen=True, slots=True)
class Token:
    """One token: its normalised form and where it stands in the text (`text[start:end]`)."""

    norm: str
    start: int
    end: int
    word: bool


@lru_cache(maxsize=1 << 16)
def normalize_word(raw: str) -> str:
    """The matching form of one word or mark: see the module docstring."""
    text = unicodedata.normalize("NFKC", raw.translate(_QUOTES)).casefold()
    return _IZE.sub(r"\1s\2", text)


def tokenize(text: str, vocabulary: Collection[str] | None = None) -> tuple[Token, ...]:
    """The tokens of `text`, in order; `vocabulary` (normalised words) decides line-break hyphens."""
    out: list[Token] = []
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup
        if m.group("left") is not None:
            norm = _line_break(normalize_word(m.group("left")), m.group("right"), vocabulary)
        elif kind == "dash":
            norm = "-"
        elif kind == "dots":
            norm = "..."
        else:
            norm = normalize_word(m.group(0))
        if norm:  # a lone zero-width character is no token
            out.append(Token(norm, m.start(), m.end(), kind in ("word", "right")))
    return tuple(out)


def _line_break(left: str, right_raw: str, vocabulary: Collection[str] | None) -> str:
    """`left-⏎right` as one word: joined, unless the vocabulary knows only the hyphenated form."""
    right = normalize_word(right_raw)
    joined, hyphened = left + right, f"{left}-{right}"
    if vocabulary is not None:
        has_joined, has_hyphened = joined in vocabulary, hyphened in vocabulary
        if has_joined != has_hyphened:
            return joined if has_joined else hyphened
    # No evidence either way: a lower-case continuation is a broken word ("preven-⏎tion"), a capital is not.
    return joined if right_raw[:1].islower() else hyphened


def vocabulary_of(tokens: Collection[Token]) -> frozenset[str]:
    """The normalised words among `tokens`, for deciding line-break hyphens in other texts."""
    return frozenset(t.norm for t in tokens if t.word)


def word_count(tokens: Collection[Token]) -> int:
    return sum(1 for t in tokens if t.word)
