"""Word-level comparison of two paragraphs: equal/insert/delete operations, shared runs, and the relation type.

- `ops` align the two texts token by token (words, punctuation and spaces, exactly as printed), so the
  equal and delete texts joined rebuild A's canonical text, and the equal and insert texts rebuild B's.
- `shared` are the runs of at least `MIN_RUN` consecutive words the two texts have in common (case
  aside), with their character positions in both: agreed language carried over.
- The relation of a linked pair: `same wording` when the word-level similarity (2 × matched words ÷ all
  words, difflib's ratio) reaches `SAME_WORDING`; `adapted` when they share a run; else `related`.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

TOKEN = re.compile(r"\w+|[^\w\s]|\s+")
WORD = re.compile(r"\w+")
MIN_RUN = 6  # words: a shorter common run ("the world drug problem") is a phrase, not carried-over text
SAME_WORDING = 0.9  # similarity at which the later text repeats the earlier one, give or take a word or two

SAME, ADAPTED, RELATED, NEW = "same wording", "adapted", "related", "new in 2016"
RELATIONS = (SAME, ADAPTED, RELATED, NEW)


@dataclass(frozen=True)
class Op:
    """One step of the alignment: `op` is equal, insert (only in B) or delete (only in A)."""

    op: str
    text: str


@dataclass(frozen=True)
class SharedRun:
    """Words both texts carry, with where they stand in each (character offsets)."""

    words: int
    a_start: int
    a_end: int
    b_start: int
    b_end: int
    text_a: str
    text_b: str


@dataclass(frozen=True)
class Comparison:
    ops: tuple[Op, ...]
    shared: tuple[SharedRun, ...]
    similarity: float

    @property
    def relation(self) -> str:
        """The relation of a pair the table links (see the module docstring)."""
        return relation(self.similarity, self.shared)

    def to_dict(self) -> dict:
        return {
            "relation": self.relation,
            "similarity": round(self.similarity, 4),
            "ops": [{"op": o.op, "text": o.text} for o in self.ops],
            "shared": [
                {"words": r.words, "a": [r.a_start, r.a_end], "b": [r.b_start, r.b_end], "text_a": r.text_a, "text_b": r.text_b}
                for r in self.shared
            ],
        }


def relation(similarity: float, shared) -> str:
    if similarity >= SAME_WORDING:
        return SAME
    return ADAPTED if shared else RELATED


def compare(a: str, b: str) -> Comparison:
    """Align `a` (earlier) with `b` (later)."""
    ta, tb = TOKEN.findall(a), TOKEN.findall(b)
    ops: list[Op] = []
    matcher = difflib.SequenceMatcher(None, ta, tb, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            ops.append(Op("equal", "".join(ta[i1:i2])))
            continue
        if i2 > i1:
            ops.append(Op("delete", "".join(ta[i1:i2])))
        if j2 > j1:
            ops.append(Op("insert", "".join(tb[j1:j2])))
    wa, wb = list(WORD.finditer(a)), list(WORD.finditer(b))
    words = difflib.SequenceMatcher(None, [m.group(0).lower() for m in wa], [m.group(0).lower() for m in wb], autojunk=False)
    shared = tuple(
        SharedRun(n, wa[i].start(), wa[i + n - 1].end(), wb[j].start(), wb[j + n - 1].end(),
                  a[wa[i].start() : wa[i + n - 1].end()], b[wb[j].start() : wb[j + n - 1].end()])
        for i, j, n in words.get_matching_blocks()
        if n >= MIN_RUN
    )
    similarity = words.ratio() if (wa or wb) else 1.0
    return Comparison(tuple(_merge(ops)), shared, similarity)


def _merge(ops: list[Op]) -> list[Op]:
    """Adjacent operations of the same kind as one (difflib can split them at a replace)."""
    out: list[Op] = []
    for op in ops:
        if out and out[-1].op == op.op:
            out[-1] = Op(op.op, out[-1].text + op.text)
        else:
            out.append(op)
    return out
