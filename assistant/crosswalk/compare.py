"""Word-level comparison of two paragraphs: equal/insert/delete operations, shared runs, and the relation type.

- `ops` align the two texts token by token (words, punctuation and spaces, exactly as printed), so the
  equal and delete texts joined rebuild A's canonical text, and the equal and insert texts rebuild B's.
- `shared` are the runs of at least `MIN_RUN` consecutive words the two texts have in common (case
  aside), with their character positions in both: agreed language carried over.
- The relation of a linked pair: `same wording` when the word-level similarity (2 × matched words ÷ all
  words, difflib's ratio) reaches `SAME_WORDING`; `adapted` when they share a run; else `related`.
- As *evidence* that language was carried over (for suggestions and for deciding table rows), a shared run
  must hold at least `FRESH_WORDS` words outside stock phrases: a stock phrase is a six-word sequence
  printed in more than `STOCK_DF` paragraphs of the corpus ("the United Nations Office on Drugs and Crime",
  "in accordance with national legislation"). `Phrasebook` knows which sequences those are.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from functools import lru_cache

TOKEN = re.compile(r"\w+|[^\w\s]|\s+")
WORD = re.compile(r"\w+")
MIN_RUN = 6  # words: a shorter common run ("the world drug problem") is a phrase, not carried-over text
SAME_WORDING = 0.9  # similarity at which the later text repeats the earlier one, give or take a word or two

STOCK_DF = 3  # paragraphs printing a six-word sequence, beyond which it is a stock phrase
FRESH_WORDS = 3  # words of a run outside stock phrases (and function words) for it to count as evidence

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


@lru_cache(maxsize=4096)  # pure and frozen: every answer redraw compares the same pairs again
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
    shared, similarity = _word_alignment(a, b)
    return Comparison(tuple(_blocks(_merge(ops))), shared, similarity)


def shared_runs(a: str, b: str) -> tuple[SharedRun, ...]:
    """The runs of at least MIN_RUN words `a` and `b` have in common (case aside), longest alignment order."""
    return _word_alignment(a, b)[0]


def _word_alignment(a: str, b: str) -> tuple[tuple[SharedRun, ...], float]:
    wa, wb = list(WORD.finditer(a)), list(WORD.finditer(b))
    words = difflib.SequenceMatcher(None, [m.group(0).lower() for m in wa], [m.group(0).lower() for m in wb], autojunk=False)
    shared = tuple(
        SharedRun(n, wa[i].start(), wa[i + n - 1].end(), wb[j].start(), wb[j + n - 1].end(),
                  a[wa[i].start() : wa[i + n - 1].end()], b[wb[j].start() : wb[j + n - 1].end()])
        for i, j, n in words.get_matching_blocks()
        if n >= MIN_RUN
    )
    return shared, (words.ratio() if (wa or wb) else 1.0)


def _blocks(ops: list[Op]) -> list[Op]:
    """A stretch of changes broken only by spaces reads as one deletion then one insertion ("[-new or
    strengthening existing-]{+to foster international+}"), not word against word. The space goes into
    both, so the equal and delete texts still rebuild A, and the equal and insert texts B."""
    out: list[Op] = []
    block: list[Op] = []

    def flush() -> None:
        if block:
            deleted = "".join(o.text for o in block if o.op == "delete")
            inserted = "".join(o.text for o in block if o.op == "insert")
            out.extend(Op(kind, text) for kind, text in (("delete", deleted), ("insert", inserted)) if text)
            block.clear()

    for i, op in enumerate(ops):
        between = (op.op == "equal" and not op.text.strip() and block and i + 1 < len(ops) and ops[i + 1].op != "equal")
        if op.op != "equal":
            block.append(op)
        elif between:
            block += [Op("delete", op.text), Op("insert", op.text)]
        else:
            flush()
            out.append(op)
    flush()
    return out


def _merge(ops: list[Op]) -> list[Op]:
    """Adjacent operations of the same kind as one (difflib can split them at a replace)."""
    out: list[Op] = []
    for op in ops:
        if out and out[-1].op == op.op:
            out[-1] = Op(op.op, out[-1].text + op.text)
        else:
            out.append(op)
    return out


class Phrasebook:
    """The six-word sequences of a corpus and how many paragraphs print each: tells agreed language
    carried over from stock phrases every paragraph uses."""

    def __init__(self, texts: dict[str, str], function_words: frozenset[str] = frozenset()):
        self.function_words = function_words
        self.grams: dict[tuple[str, ...], set[str]] = {}
        for pid, text in texts.items():
            words = _words(text)
            for i in range(len(words) - MIN_RUN + 1):
                self.grams.setdefault(tuple(words[i : i + MIN_RUN]), set()).add(pid)

    def sharing(self, text: str) -> set[str]:
        """Paragraphs that print at least one six-word sequence of `text`."""
        words, out = _words(text), set()
        for i in range(len(words) - MIN_RUN + 1):
            out |= self.grams.get(tuple(words[i : i + MIN_RUN]), set())
        return out

    def fresh_words(self, run_text: str) -> int:
        """Words of a run outside stock phrases, function words aside."""
        words = _words(run_text)
        stock: set[int] = set()
        for i in range(len(words) - MIN_RUN + 1):
            if len(self.grams.get(tuple(words[i : i + MIN_RUN]), ())) > STOCK_DF:
                stock.update(range(i, i + MIN_RUN))
        return sum(1 for i, w in enumerate(words) if i not in stock and w not in self.function_words)

    def agreed_run(self, a: str, b: str) -> SharedRun | None:
        """The longest run `a` and `b` share that is agreed language carried over (see the module docstring)."""
        runs = [r for r in shared_runs(a, b) if self.fresh_words(r.text_a) >= FRESH_WORDS]
        return max(runs, key=lambda r: r.words, default=None)


def _words(text: str) -> list[str]:
    return [w.lower() for w in WORD.findall(text)]
