"""Pure helpers that repair PDF-extraction damage in wrapped text: whitespace, vocabulary, line joins."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence

# A word, hyphenated compounds kept whole ("health-care", "amphetamine-type").
WORD = re.compile(r"[A-Za-z]+(?:-[A-Za-z]+)*")
_TRAILING_WORD = re.compile(r"([A-Za-z]+(?:-[A-Za-z]+)*)-$")
_LEADING_WORD = re.compile(r"^([A-Za-z]+(?:-[A-Za-z]+)*)")
_SPACES = re.compile(r"\s+")
# "short-, medium- / and long-term": a suspended hyphen, followed by a space.
_SUSPENDED = re.compile(r"^(?:and|or|to)\b")


def normalize_space(text: str) -> str:
    """Collapse every run of whitespace to one space and strip both ends."""
    return _SPACES.sub(" ", text).strip()


def vocabulary(texts: Iterable[str]) -> Counter[str]:
    """Count lower-cased words in `texts`, leaving out fragments cut by a line-end hyphen."""
    counts: Counter[str] = Counter()
    for text in texts:
        broken_before = False
        for line in text.splitlines():
            words = WORD.findall(line)
            broken_after = line.rstrip().endswith("-")
            # Fragments like "inter-" / "vention" are not evidence of anything.
            if broken_after and words:
                words = words[:-1]
            if broken_before and words:
                words = words[1:]
            counts.update(w.lower() for w in words)
            broken_before = broken_after
    return counts


def keep_hyphen(
    left: str, right: str, vocabs: Mapping[str, int] | Sequence[Mapping[str, int]], spaced: bool = False
) -> bool:
    """Decide if `left-` at a line end plus `right` is a real compound (True) or a broken word (False).

    `vocabs` (one vocabulary, or several in priority order: the document's own words first) are
    consulted in turn; the first that tells the joined form from the hyphenated form apart decides.
    """
    if isinstance(vocabs, Mapping):
        vocabs = [vocabs]
    lw, rw = _TRAILING_WORD.search(left + "-"), _LEADING_WORD.match(right)
    if not lw or not rw or rw.group(1)[0].isupper():
        return True  # digits ("2008-2011") or a capital ("South-South"): never a broken word
    l_full, r_full = lw.group(1), rw.group(1)
    candidates = [(l_full, r_full), (l_full.rsplit("-", 1)[-1], r_full.split("-", 1)[0])]
    for vocab in vocabs:
        for lpart, rpart in candidates:
            joined = vocab.get((lpart + rpart).lower(), 0)
            hyphened = vocab.get(f"{lpart}-{rpart}".lower(), 0)
            if joined != hyphened:
                return hyphened > joined
    # No evidence: a space after the hyphen is how the extraction prints a real hyphen.
    return spaced


def join_lines(lines: Sequence[str], vocabs: Mapping[str, int] | Sequence[Mapping[str, int]]) -> str:
    """Join wrapped lines with single spaces, repairing line-break hyphenation from evidence in `vocabs`."""
    out = ""
    spaced = False
    for raw in lines:
        piece = raw.strip()
        if not piece:
            continue
        if out.endswith("-") and not out.endswith(" -") and not _SUSPENDED.match(piece):
            head = out[:-1]
            if keep_hyphen(head, piece, vocabs, spaced):
                out = out + piece
            else:
                out = head + piece
        else:
            out = f"{out} {piece}" if out else piece
        spaced = raw.rstrip("\n\r").endswith(("- ", "-\t"))
    return normalize_space(out)
