"""The agreed-language matcher: an n-gram index over every negotiated paragraph, and the runs a draft shares with it.

Built once per corpus (`Matcher(corpus)`), then `match(tokens)` for each draft:

- **Agreed runs** (`runs`): every maximal run of at least `MIN_WORDS` words that occurs verbatim (after
  normalisation, see `normalize.py`) in a paragraph, with every paragraph holding it. Found from the
  `SEED`-token index: each draft position looks up its n-gram, and only occurrences that do not continue
  an alignment begun one token earlier are extended, so the work is the total length of the alignments,
  not draft × corpus.
- **Near passages**: alignments (of `SEED` tokens or more) with the same paragraph lying within `MAX_GAP`
  tokens of each other are chained into one passage, which reaches out up to `EDGE` tokens to a clause
  boundary in both texts (so a changed first word, "Urge all" for "Encourage", is part of it), then
  diffed token by token. Words only one side has at the passage's edges are not a change and stay out
  of it: the draft's own "We will" before agreed words, or agreed words it does not quote. The passage
  is near-agreed when the agreed text is changed inside it (a word replaced, left out or added), it has
  at least `NEAR_MIN_WORDS` words and at least `NEAR_RATIO` of its tokens (the longer side's) are unchanged.
- **Selection**: the draft is covered by non-overlapping matches of greatest weight (weighted interval
  scheduling): an agreed stretch weighs its tokens, a near passage its unchanged tokens plus a half, so
  a near passage wins over the verbatim pieces it contains and loses to a longer verbatim run elsewhere.
  Verbatim runs overlapping each other are cut where the earlier ends; every piece keeps the paragraphs
  whose run contains it. What no match covers is new.

Only negotiated paragraphs are agreed language: the Chairs' round-table summaries are left out.
"""

from __future__ import annotations

import bisect
import difflib
from dataclasses import dataclass
from typing import Sequence

from assistant.corpus.paragraphs import Corpus, Paragraph
from assistant.drafting.normalize import Token, tokenize, vocabulary_of

MIN_WORDS = 6  # an agreed run: shorter shared phrases ("the world drug problem") are not carried-over text
NEAR_MIN_WORDS = 10
NEAR_RATIO = 0.8
SEED = 4  # tokens per index key; every agreed run (>= 6 words, so >= 6 tokens) begins with one
MAX_GAP = 4  # tokens of changed text between two aligned stretches of one near passage
EDGE = 3  # tokens a near passage may reach out to a clause boundary at either end
# Marks that end a clause or set text apart (item labels, quotes, dashes, bullets), for the edges of a near passage.
BOUNDARY = frozenset({",", ";", ":", ".", "!", "?", "...", "(", ")", "[", "]", '"', "'", "-", "\u2022", "*"})

AGREED, NEAR, NEW = "agreed", "near", "new"
# difflib compares the draft (a) with the agreed text (b): its "insert" is agreed text the draft left out.
_OP = {"equal": "equal", "replace": "replace", "insert": "delete", "delete": "insert"}


@dataclass(frozen=True)
class Hold:
    """Where a paragraph holds a matched passage: paragraph tokens [start, end)."""

    id: str
    start: int
    end: int


@dataclass(frozen=True)
class Edit:
    """One step of a near passage's diff: draft tokens [i1, i2) against paragraph tokens [j1, j2)."""

    op: str  # "equal", "replace", "insert" (only in the draft) or "delete" (only in the agreed text)
    i1: int
    i2: int
    j1: int
    j2: int


@dataclass(frozen=True)
class Run:
    """A verbatim run: draft tokens [start, end) and every paragraph holding it, newest document first."""

    start: int
    end: int
    holds: tuple[Hold, ...]

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(h.id for h in self.holds)


@dataclass(frozen=True)
class Match:
    """A selected stretch of the draft: draft tokens [start, end), agreed or near, its paragraphs and diff."""

    status: str
    start: int
    end: int
    holds: tuple[Hold, ...]
    edits: tuple[Edit, ...] = ()

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(h.id for h in self.holds)


class Matcher:
    """The n-gram index of a corpus's negotiated paragraphs. Read-only once built; safe to share."""

    def __init__(self, corpus: Corpus):
        self.corpus = corpus
        self.paragraphs: tuple[Paragraph, ...] = tuple(p for p in corpus if p.negotiated)
        self.tokens: tuple[tuple[Token, ...], ...] = tuple(tokenize(p.text) for p in self.paragraphs)
        self.vocabulary = vocabulary_of([t for toks in self.tokens for t in toks])
        self._codes: dict[str, int] = {}
        self.codes: tuple[tuple[int, ...], ...] = tuple(
            tuple(self._codes.setdefault(t.norm, len(self._codes)) for t in toks) for toks in self.tokens
        )
        self._words = tuple(_prefix_words(toks) for toks in self.tokens)
        self._bounds = tuple(_boundaries(p.text, toks) for p, toks in zip(self.paragraphs, self.tokens))
        grams: dict[tuple[int, ...], list[tuple[int, int]]] = {}
        for p, codes in enumerate(self.codes):
            for j in range(len(codes) - SEED + 1):
                grams.setdefault(codes[j : j + SEED], []).append((p, j))
        self._grams = grams
        self._rank = {p.id: r for r, p in enumerate(self._newest_first())}
        self._position = {p.id: k for k, p in enumerate(self.paragraphs)}

    def _newest_first(self) -> list[Paragraph]:
        order = self.corpus.documents.newest_first
        return sorted(self.paragraphs, key=lambda p: order(p.doc))  # stable: corpus order within a document

    def paragraph_tokens(self, pid: str) -> tuple[Token, ...]:
        """The tokens of negotiated paragraph `pid`'s canonical text."""
        return self.tokens[self._position[pid]]

    def encode(self, tokens: Sequence[Token]) -> list[int]:
        """Token codes of a draft; words the corpus never uses get -1, which equals nothing."""
        return [self._codes.get(t.norm, -1) for t in tokens]

    # -- alignments ---------------------------------------------------------------------------

    def alignments(self, codes: Sequence[int]) -> list[tuple[int, int, int, int]]:
        """Every (i, p, j, length): draft tokens from i equal paragraph p's from j, maximal both ways, >= SEED."""
        out = []
        grams, pcodes, n = self._grams, self.codes, len(codes)
        for i in range(n - SEED + 1):
            occurrences = grams.get(tuple(codes[i : i + SEED]))
            if not occurrences:
                continue
            before = codes[i - 1] if i else -2
            for p, j in occurrences:
                para = pcodes[p]
                if j and para[j - 1] == before:
                    continue  # continues an alignment found one token earlier
                length, m = SEED, len(para)
                while i + length < n and j + length < m and codes[i + length] == para[j + length]:
                    length += 1
                out.append((i, p, j, length))
        return out

    # -- agreed runs --------------------------------------------------------------------------

    def runs(self, tokens: Sequence[Token], aligned=None) -> list[Run]:
        """The maximal verbatim runs of at least MIN_WORDS words, in draft order, with every paragraph holding each."""
        words = _prefix_words(tokens)
        aligned = self.alignments(self.encode(tokens)) if aligned is None else aligned
        long = []  # (s, e, p, j): trimmed to words, long enough
        for i, p, j, length in aligned:
            if length < MIN_WORDS:
                continue
            s, e = _trim(tokens, i, i + length)
            if words[e] - words[s] >= MIN_WORDS:
                long.append((s, e, p, j + s - i))
        by_range: dict[tuple[int, int], list[tuple[int, int]]] = {}
        for s, e, p, j in long:
            by_range.setdefault((s, e), []).append((p, j))
        maximal, reach = [], -1
        for s, e in sorted(by_range, key=lambda r: (r[0], -r[1])):
            if e > reach:
                maximal.append((s, e))
                reach = e
        # A long alignment containing a maximal run is trimmed to exactly that run, else the run were not maximal.
        return [Run(s, e, self._holds(by_range[s, e], e - s)) for s, e in maximal]

    def _holds(self, occurrences: list[tuple[int, int]], length: int) -> tuple[Hold, ...]:
        """One hold per paragraph (its first occurrence), newest document first."""
        found: dict[int, Hold] = {}
        for p, j in occurrences:
            if p not in found:
                found[p] = Hold(self.paragraphs[p].id, j, j + length)
        return tuple(sorted(found.values(), key=lambda h: (self._rank[h.id], h.start)))

    # -- near passages ------------------------------------------------------------------------

    def near(self, tokens: Sequence[Token], codes: Sequence[int], aligned, text: str = "") -> list[Match]:
        """Near-agreed passages (see the module docstring); one per draft stretch and agreed wording."""
        by_paragraph: dict[int, list[tuple[int, int, int]]] = {}
        for i, p, j, length in aligned:
            by_paragraph.setdefault(p, []).append((i, j, length))
        words = _prefix_words(tokens)
        bounds = _boundaries(text, tokens)
        found: dict[tuple, Match] = {}
        for p, seeds in by_paragraph.items():
            if sum(length for _, _, length in seeds) < NEAR_RATIO * NEAR_MIN_WORDS:
                continue
            for s, e, a, b, pieces, aligned_tokens in _chains(sorted(seeds)):
                if aligned_tokens < NEAR_RATIO * NEAR_MIN_WORDS:
                    continue  # too little in common to be NEAR_RATIO of NEAR_MIN_WORDS words
                if pieces < 2 and not self._may_reach(bounds, p, s, e, a, b):
                    continue  # one verbatim stretch that cannot gain a changed word at its edges: an agreed run
                match = self._near_passage(tokens, codes, words, bounds, p, s, e, a, b)
                if match is None:
                    continue
                key = (match.start, match.end, self.codes[p][match.holds[0].start : match.holds[0].end])
                if key in found:
                    old = found[key]
                    holds = tuple(sorted({*old.holds, *match.holds}, key=lambda h: (self._rank[h.id], h.start)))
                    found[key] = Match(NEAR, old.start, old.end, holds, old.edits if holds[0] == old.holds[0] else match.edits)
                else:
                    found[key] = match
        return list(found.values())

    def _may_reach(self, bounds, p: int, s: int, e: int, a: int, b: int) -> bool:
        """Whether a single stretch could gain a replaced word at an edge: at that edge both the draft and the
        paragraph have words before a boundary within EDGE tokens (words on one side only are not a change)."""
        pb = self._bounds[p]
        left, right = _reach_left(bounds, s), _reach_right(bounds, e)
        pleft, pright = _reach_left(pb, a), _reach_right(pb, b)
        grows_left = left is not None and pleft is not None and left < s and pleft < a
        grows_right = right is not None and pright is not None and right > e and pright > b
        return grows_left or grows_right

    def _near_passage(self, tokens, codes, words, bounds, p: int, s: int, e: int, a: int, b: int) -> Match | None:
        pb, ptoks, pwords = self._bounds[p], self.tokens[p], self._words[p]
        left, right = _reach_left(bounds, s), _reach_right(bounds, e)
        pleft, pright = _reach_left(pb, a), _reach_right(pb, b)
        grow_left = left is not None and pleft is not None
        grow_right = right is not None and pright is not None
        # Widest first: both edges reached out, then one, then the chained stretches alone.
        tries = [(grow_left, grow_right), (grow_left, False), (False, grow_right), (False, False)]
        for gl, gr in dict.fromkeys(tries):
            ds, de = _trim(tokens, left if gl else s, right if gr else e)
            ps, pe = _trim(ptoks, pleft if gl else a, pright if gr else b)
            if de <= ds or pe <= ps:
                continue
            ops = difflib.SequenceMatcher(None, codes[ds:de], self.codes[p][ps:pe], autojunk=False).get_opcodes()
            edits = _inner([Edit(_OP[tag], ds + i1, ds + i2, ps + j1, ps + j2) for tag, i1, i2, j1, j2 in ops], tokens)
            if len(edits) < 2:
                continue  # the agreed words are intact: at most the draft's own words around them
            ds, de, ps, pe = edits[0].i1, edits[-1].i2, edits[0].j1, edits[-1].j2
            if max(words[de] - words[ds], pwords[pe] - pwords[ps]) < NEAR_MIN_WORDS:
                continue
            equal = sum(x.i2 - x.i1 for x in edits if x.op == "equal")
            if equal < NEAR_RATIO * max(de - ds, pe - ps):
                continue
            return Match(NEAR, ds, de, (Hold(self.paragraphs[p].id, ps, pe),), edits)
        return None

    # -- selection ----------------------------------------------------------------------------

    def match(self, tokens: Sequence[Token], text: str = "") -> list[Match]:
        """The draft's agreed and near stretches, non-overlapping, in draft order (`text`: the draft, for line breaks)."""
        codes = self.encode(tokens)
        aligned = self.alignments(codes)
        pieces = _cut(self.runs(tokens, aligned), tokens)
        nears = self.near(tokens, codes, aligned, text)
        candidates = [(m.start, m.end, m.end - m.start, m) for m in pieces]
        candidates += [(m.start, m.end, _unchanged(m) + 0.5, m) for m in nears]
        chosen = [m for m in _schedule(candidates) if m.status == NEAR]
        # Verbatim pieces keep whatever of them no chosen near passage covers.
        out = list(chosen)
        covered = [(c.start, c.end) for c in sorted(chosen, key=lambda c: c.start)]
        ends = [ce for _, ce in covered]
        for m in pieces:
            for s, e in _outside(m.start, m.end, covered, ends):
                s, e = _trim(tokens, s, e)
                if e > s:
                    holds = tuple(Hold(h.id, h.start + s - m.start, h.end - (m.end - e)) for h in m.holds)
                    out.append(Match(AGREED, s, e, holds))
        return sorted(out, key=lambda m: m.start)


def _prefix_words(tokens: Sequence[Token]) -> list[int]:
    """words[k] = number of words among tokens[:k]."""
    out = [0]
    for t in tokens:
        out.append(out[-1] + t.word)
    return out


def _trim(tokens: Sequence[Token], s: int, e: int) -> tuple[int, int]:
    """[s, e) without punctuation at either end."""
    while s < e and not tokens[s].word:
        s += 1
    while e > s and not tokens[e - 1].word:
        e -= 1
    return s, e


def _boundaries(text: str, tokens: Sequence[Token]) -> list[bool]:
    """at[k]: a clause boundary lies just before token k (text start or end, a clause mark, a line break)."""
    n = len(tokens)
    at = [False] * (n + 1)
    at[0] = at[n] = True
    for k in range(1, n):
        if tokens[k - 1].norm in BOUNDARY or tokens[k].norm in BOUNDARY:
            at[k] = True
        elif text and "\n" in text[tokens[k - 1].end : tokens[k].start]:
            at[k] = True
    return at


def _reach_left(at: list[bool], k: int) -> int | None:
    """The nearest boundary position at or before token k, within EDGE tokens."""
    for pos in range(k, max(k - EDGE, 0) - 1, -1):
        if at[pos]:
            return pos
    return None


def _reach_right(at: list[bool], k: int) -> int | None:
    """The nearest boundary position at or after token k, within EDGE tokens."""
    for pos in range(k, min(k + EDGE, len(at) - 1) + 1):
        if at[pos]:
            return pos
    return None


def _chains(seeds: list[tuple[int, int, int]]) -> list[tuple[int, int, int, int, int, int]]:
    """Seeds (i, j, length) of one paragraph, in draft order, chained when close on both sides: (draft start,
    draft end, paragraph start, paragraph end, number of seeds, aligned tokens)."""
    done: list[list[int]] = []
    active: list[list[int]] = []
    for i, j, length in seeds:
        # Chains ending too far back can take no more seeds (seeds come in draft order).
        if any(c[1] < i - MAX_GAP for c in active):
            done += [c for c in active if c[1] < i - MAX_GAP]
            active = [c for c in active if c[1] >= i - MAX_GAP]
        for c in reversed(active):
            s, e, a, b, _, _ = c
            gap_d, gap_p = i - e, j - b
            if -SEED < gap_d <= MAX_GAP and -SEED < gap_p <= MAX_GAP and i + length > e and j + length > b:
                c[1], c[3], c[4], c[5] = i + length, j + length, c[4] + 1, c[5] + min(length, i + length - e)
                break
            if s <= i and i + length <= e and a <= j and j + length <= b:
                break  # inside a chain already
        else:
            active.append([i, i + length, j, j + length, 1, length])
    return [tuple(c) for c in done + active]


def _inner(edits: list[Edit], tokens: Sequence[Token]) -> tuple[Edit, ...]:
    """The diff without words only one side has at its edges (the draft's framing, "We will", or agreed words
    it does not quote), and without punctuation at the edges of an unchanged first or last step."""
    while edits and edits[0].op in ("insert", "delete"):
        edits = edits[1:]
    while edits and edits[-1].op in ("insert", "delete"):
        edits = edits[:-1]
    if not edits:
        return ()
    first, last = edits[0], edits[-1]
    if first.op == "equal":
        cut = _trim(tokens, first.i1, first.i2)[0] - first.i1
        edits[0] = first = Edit("equal", first.i1 + cut, first.i2, first.j1 + cut, first.j2)
    if last.op == "equal":
        cut = last.i2 - _trim(tokens, last.i1, last.i2)[1]
        edits[-1] = Edit("equal", last.i1, last.i2 - cut, last.j1, last.j2 - cut)
    return tuple(x for x in edits if x.i2 > x.i1 or x.j2 > x.j1)


def _unchanged(m: Match) -> int:
    return sum(x.i2 - x.i1 for x in m.edits if x.op == "equal")


def _cut(runs: list[Run], tokens: Sequence[Token]) -> list[Match]:
    """Verbatim runs made disjoint: a run overlapping the one before starts where that one ends."""
    out, reach = [], 0
    for r in runs:
        s, e = _trim(tokens, max(r.start, reach), r.end)
        if e > s:
            shift = s - r.start
            out.append(Match(AGREED, s, e, tuple(Hold(h.id, h.start + shift, h.start + shift + e - s) for h in r.holds)))
        reach = max(reach, r.end)
    return out


def _schedule(candidates: list[tuple[int, int, float, Match]]) -> list[Match]:
    """Weighted interval scheduling: the non-overlapping candidates (start, end, weight, match) of greatest total weight."""
    items = sorted(candidates, key=lambda c: (c[1], c[0]))
    ends = [c[1] for c in items]
    best = [0.0] * (len(items) + 1)
    take = [False] * len(items)
    for k, (s, _, w, _) in enumerate(items):
        prev = bisect.bisect_right(ends, s, 0, k)  # items[:prev] end at or before s
        with_it = best[prev] + w
        take[k] = with_it > best[k]
        best[k + 1] = with_it if take[k] else best[k]
    chosen, k = [], len(items)
    while k > 0:
        if take[k - 1]:
            chosen.append(items[k - 1][3])
            k = bisect.bisect_right(ends, items[k - 1][0], 0, k - 1)
        else:
            k -= 1
    return chosen[::-1]


def _outside(s: int, e: int, covered: list[tuple[int, int]], ends: list[int]) -> list[tuple[int, int]]:
    """The parts of [s, e) outside every interval of `covered` (disjoint, sorted; `ends` their ends)."""
    parts, pos = [], s
    for cs, ce in covered[bisect.bisect_right(ends, s) :]:
        if cs >= e:
            break
        if cs > pos:
            parts.append((pos, cs))
        pos = max(pos, ce)
    if pos < e:
        parts.append((pos, e))
    return parts
