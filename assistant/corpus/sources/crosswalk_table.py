"""Parse the flattened 2016→2009 crosswalk table into rows of raw 2009 reference tokens."""

from __future__ import annotations

import csv
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from assistant.corpus.documents import UNGASS2016
from assistant.corpus.order import id_sort_key
from assistant.errors import CorpusError

FILE = "2016_UNGASS_outcome_with_2009_crosswalk_table.txt"

ROW = "row"  # on the row's label line or inside its span (label line … last text line)
BETWEEN = "between"  # after one row's text ended, before the next row begins: assigned by rule
SHARED = "shared"  # on a line that holds the text of two rows (e.g. `…; 3.e) Monitor…`)

# A row label as printed, garbled or not: `1.a)`, `3.0)`, `4.)`, `I.n)`, `7.I)`.
LABEL = re.compile(r"(?<![\w(])([0-9IlO]\.[0-9A-Za-z]?\))(?=\s|$)")
CANONICAL_LABEL = re.compile(r"([1-7])\.([a-z])\)")
# Each reference token starts at one of these words; text before the first one is noise.
KEYWORD = re.compile(r"(?:Action|Antion|OP|Target|PP|N/A)(?![a-z])")
CHAPTER = re.compile(r"UNGASS CHAPTER (\d+):")
CLOSING = re.compile(r"\d+\.\s")  # `8. We express…`: closing paragraphs, end of the table


@dataclass(frozen=True)
class RawRef:
    """One reference token as printed in the right column, with its line and how it was placed."""

    token: str
    line: int
    placement: str


@dataclass(frozen=True)
class TableRow:
    """One 2016 row: canonical id, label as printed (`[missing] 1.p)` when inferred), label line, refs."""

    label: str
    raw_label: str
    line: int
    refs: tuple[RawRef, ...]


@dataclass(frozen=True)
class Repair:
    """One committed repair: raw token or label → canonical id ("" = not a reference, dropped)."""

    raw_token: str
    repaired: str
    reason: str


def load_repairs(path: Path) -> dict[str, Repair]:
    """Read the repairs table (columns raw_token, repaired, reason)."""
    with open(path, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    repairs = {r["raw_token"]: Repair(r["raw_token"], r["repaired"], r["reason"]) for r in rows}
    if len(repairs) != len(rows):
        raise CorpusError(f"{path}: duplicate raw_token in the repairs table")
    return repairs


def default_repairs_path(raw_dir: Path) -> Path:
    return Path(raw_dir).parent / "crosswalk_repairs.csv"


def tokens(right: str) -> list[str]:
    """Split a right-column cell into reference tokens; leading non-reference text is one noise token."""
    starts = [m.start() for m in KEYWORD.finditer(right)]
    cuts = ([0] if not starts or starts[0] > 0 else []) + starts + [len(right)]
    return [t for t in (right[a:b].strip() for a, b in zip(cuts, cuts[1:])) if t]


def _skeleton(text: str) -> str:
    """Letters only, without i/l (OCR drops and confuses them): compares re-rendered duplicate lines."""
    text = LABEL.sub(" ", text).lower()
    return re.sub(r"[^a-z]", "", text).replace("i", "").replace("l", "")


@dataclass
class _Line:
    no: int
    left: str
    right: str
    chapter: int
    labels: list[tuple[int, str, str]]  # (char offset, raw label, canonical id or "")
    refs: list[str]

    @property
    def text(self) -> str:
        """Left text without labels."""
        return LABEL.sub(" ", self.left).strip()


class _Parser:
    def __init__(self, path: Path, repairs: dict[str, Repair]):
        self.path, self.repairs = Path(path), repairs
        self.used: set[str] = set()

    def label_id(self, raw: str, chapter: int, no: int) -> str:
        m = CANONICAL_LABEL.fullmatch(raw)
        if m and int(m.group(1)) == chapter:
            return f"{UNGASS2016}:{m.group(1)}.{m.group(2)}"
        if raw not in self.repairs:
            raise CorpusError(f"{self.path.name}:{no}: garbled row label {raw!r} not in the repairs table")
        self.used.add(raw)
        return self.repairs[raw].repaired

    def read(self) -> list[_Line]:
        lines, chapter = [], 0
        for no, raw in enumerate(self.path.read_text(encoding="utf-8").splitlines(), 1):
            left, tab, right = raw.partition("\t")
            if m := CHAPTER.match(left):
                chapter = int(m.group(1))
                lines.append(_Line(no, "", "", -chapter, [], []))  # chapter break marker
                continue
            if not tab and CLOSING.match(left):
                break
            for m in LABEL.finditer(left):  # a label repaired to "" is a stray fragment: blank it out
                if not self.label_id(m.group(1), chapter, no):
                    left = left[: m.start()] + " " * len(m.group(0)) + left[m.end() :]
            left = left.strip()
            labels = [(m.start(), m.group(1), self.label_id(m.group(1), chapter, no)) for m in LABEL.finditer(left)]
            lines.append(_Line(no, left, right, chapter, labels, tokens(right)))
        return lines

    def infer_missing(self, lines: list[_Line]) -> None:
        """A letter missing from a chapter's sequence starts at the one capitalised unlabeled line after a blank line."""
        first: dict[str, int] = {}
        for ln in lines:
            for _, _, lid in ln.labels:
                first.setdefault(lid, ln.no)
        by_chapter: dict[int, list[str]] = {}
        for lid in first:
            ch, _, letter = lid.split(":")[1].partition(".")
            if letter:
                by_chapter.setdefault(int(ch), []).append(letter)
        for ch, letters in by_chapter.items():
            for code in range(ord(min(letters)) + 1, ord(max(letters))):
                letter = chr(code)
                if letter in letters:
                    continue
                lo = first[f"{UNGASS2016}:{ch}.{chr(code - 1)}"] if chr(code - 1) in letters else 0
                hi = first[f"{UNGASS2016}:{ch}.{chr(code + 1)}"] if chr(code + 1) in letters else 10**9
                cands = [
                    ln for prev, ln in zip(lines, lines[1:])
                    if lo < ln.no < hi and not prev.left and not prev.right and ln.left[:1].isupper() and not ln.labels
                ]
                if len(cands) != 1:
                    continue
                key = f"[missing] {ch}.{letter})"
                if key not in self.repairs:
                    raise CorpusError(f"{self.path.name}:{cands[0].no}: inferred label {key!r} not in the repairs table")
                self.used.add(key)
                cands[0].labels.insert(0, (0, key, self.repairs[key].repaired))


def _continues(a: _Line, b: _Line) -> bool:
    """b re-renders a: one's text is a prefix of the other's (a blank a must share b's references)."""
    if a.chapter != b.chapter or a.chapter <= 0:
        return False
    sa, sb = _skeleton(a.left), _skeleton(b.left)
    if sa:
        return bool(sb) and (sb.startswith(sa) or sa.startswith(sb))
    real = lambda ln: {t for t in ln.refs if KEYWORD.match(t)}  # noqa: E731
    # A blank or noise-only cell (`-`) is a glitched rendering of the column.
    return not real(a) or not real(b) or real(a) <= real(b)


def _runs(lines: list[_Line]) -> list[tuple[int, int]]:
    """Maximal stretches of cumulative re-renderings holding at least two text lines (index ranges, inclusive)."""
    runs, i = [], 0
    while i < len(lines):
        j = i
        while j + 1 < len(lines) and _continues(lines[j], lines[j + 1]):
            j += 1
        if sum(1 for ln in lines[i : j + 1] if ln.text) >= 2:
            runs.append((i, j))
        i = j + 1
    return runs


def parse(path: Path, repairs: dict[str, Repair] | None = None) -> list[TableRow]:
    """Rows of the crosswalk table in document order (2016 id order).

    The PDF cells are top-aligned: a spilled row prints its label alone on a line that already carries the
    row's first reference, then one text line per further reference. A references cell taller than its text
    cell overflows downward onto lines with no left text (or a sub-heading) before the next row starts, so
    **a reference after row X's text ends and before row Y's first line belongs to X** (placement
    `between`; the link is marked ambiguous). A blank-left line between a label and its text, or between two
    text lines of one row, is inside the row (`row`). A line holding the text of two rows (`…; 3.e) Monitor`)
    gives its references to both (`shared`, ambiguous). Stretches where one text is re-rendered line after
    line, each longer (1 (l)–(o), 3 (p)–(q)), are read by first appearance: a reference belongs to the row
    being rendered on the line where it first shows up, compared with the line before.
    """
    path = Path(path)
    if repairs is None:
        repairs = load_repairs(default_repairs_path(path.parent))
    p = _Parser(path, repairs)
    lines = p.read()
    p.infer_missing(lines)
    run_of: dict[int, tuple[int, int]] = {}
    for a, b in _runs(lines):
        for k in range(a, b + 1):
            run_of[k] = (a, b)
    owners = _owners(lines, run_of)
    refs = _placed_refs(lines, owners, run_of, path)
    first: dict[str, tuple[str, int]] = {}
    for ln in lines:
        for _, raw, lid in ln.labels:
            first.setdefault(lid, (raw, ln.no))
    # keep refs in line order (run refs were appended in line order too)
    rows = [TableRow(lid, raw, no, tuple(sorted(refs.get(lid, ()), key=lambda r: r.line))) for lid, (raw, no) in first.items()]
    return sorted(rows, key=lambda r: id_sort_key(r.label))


def _owners(lines: list[_Line], run_of: dict[int, tuple[int, int]]) -> list[list[str]]:
    """owners[i]: the rows whose text is on line i, in order ([] for blank, heading or chapeau lines)."""
    owners: list[list[str]] = [[] for _ in lines]
    current: str | None = None
    prev_text: _Line | None = None
    heading = False
    i = 0
    while i < len(lines):
        ln = lines[i]
        if ln.chapter <= 0:
            current, prev_text, heading = None, None, False
        elif i in run_of:
            a, b = run_of[i]
            current = _run_owners(lines, a, b, current, owners)
            prev_text, heading, i = max(lines[a : b + 1], key=lambda ln: len(ln.left)), False, b + 1
            continue
        elif ln.labels:
            prefix = ln.left[: ln.labels[0][0]].strip()
            cont = bool(prefix) and current and not _starts_block(prefix, prev_text)
            owners[i] = list(dict.fromkeys(([current] if cont else []) + [lid for _, _, lid in ln.labels]))
            current, prev_text, heading = owners[i][-1], ln, False
        elif ln.left:
            heading = heading or _starts_block(ln.left, prev_text)
            if not heading:
                owners[i] = [current] if current else []
            prev_text = ln
        i += 1
    return owners


def _run_owners(lines: list[_Line], a: int, b: int, current: str | None, owners: list[list[str]]) -> str | None:
    """Fill owners[a..b] for a run of re-renderings of one text; return the row current after it."""
    # All lines of a run render one text: place each label at its skeleton offset in that text.
    offsets: dict[str, int] = {}
    for k in range(a, b + 1):
        for off, _, lid in lines[k].labels:
            offsets[lid] = min(offsets.get(lid, 10**9), len(_skeleton(lines[k].left[:off])))
    marks = sorted((off, lid) for lid, off in offsets.items())
    for k in range(a, b + 1):
        own = [lab[2] for lab in lines[k].labels]
        if own:
            current = own[-1]
        else:
            end = len(_skeleton(lines[k].left))
            before = [lid for off, lid in marks if off < end] or [lid for off, lid in marks if off == 0]
            current = before[-1] if before else current
        owners[k] = [current] if current else []
    return current


def _placed_refs(
    lines: list[_Line], owners: list[list[str]], run_of: dict[int, tuple[int, int]], path: Path
) -> dict[str, list[RawRef]]:
    """Each row's references with their placement, by the rules in `parse`."""
    refs: dict[str, list[RawRef]] = {}

    def add(lid: str | None, tok: str, no: int, placement: str) -> None:
        if lid is None:
            raise CorpusError(f"{path.name}:{no}: reference {tok!r} outside any row")
        refs.setdefault(lid, []).append(RawRef(tok, no, placement))

    last_owner: str | None = None
    for i, ln in enumerate(lines):
        if ln.chapter <= 0:
            last_owner = None
            continue
        if i in run_of:
            a, _ = run_of[i]
            before = Counter(lines[i - 1].refs) if i > a else Counter()
            for tok, n in (Counter(ln.refs) - before).items():
                for _ in range(n):
                    add(owners[i][-1] if owners[i] else last_owner, tok, ln.no, ROW)
        elif owners[i]:
            placement = SHARED if len(owners[i]) > 1 else ROW
            for tok in ln.refs:
                for lid in owners[i]:
                    add(lid, tok, ln.no, placement)
        elif ln.refs:
            nxt = next((owners[k] for k in range(i + 1, len(lines)) if owners[k] or lines[k].chapter <= 0), [])
            placement = ROW if nxt and nxt[0] == last_owner else BETWEEN
            for tok in ln.refs:
                add(last_owner, tok, ln.no, placement)  # the rule: a between reference belongs to the row above
        if owners[i]:
            last_owner = owners[i][-1]
    return refs


def _starts_block(text: str, prev: _Line | None) -> bool:
    """A capitalised unlabeled line after a finished sentence starts a heading, not more of the row's text."""
    if prev is None or not text[:1].isupper():
        return False
    prev_text = prev.text
    return bool(prev_text) and prev_text.rstrip()[-1:] in ";.:"
