"""Parse the 2016 UNGASS Outcome Document from the compilation, filling its gaps from the crosswalk table's left column."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from assistant.corpus.documents import UNGASS2016
from assistant.corpus.sources import compilation
from assistant.corpus.sources.base import CHAPEAU, CLOSING, PREAMBLE, SUB_ITEM, Parsed

TABLE = "2016_UNGASS_outcome_with_2009_crosswalk_table.txt"

# A table label: chapter digit, dot, letter, ")" — OCR turns 1 into I, (l) into 1/I/nothing, (o) into 0.
_LABEL = re.compile(r"(?:(?<=\s)|^)([1-7I])\.([a-zA-Z01]?)\)(?=\s|$)")
_FIX_LETTER = {"0": "o", "1": "l", "I": "l"}


@dataclass(frozen=True)
class TableParagraph:
    """A paragraph read from the left column of the crosswalk table, text repaired, with its 1-based lines."""

    id: str
    text: str
    line_start: int
    line_end: int


@dataclass(frozen=True)
class TableHeading:
    """An unlabelled line in the table that is a sub-heading, with the item it follows (e.g. `1.h`)."""

    chapter: int
    title: str
    after: str | None
    line: int


def _norm(text: str) -> str:
    return re.sub(r"[^0-9a-z]", "", text.lower())


class _Block:
    """Text being gathered for one table paragraph (or an unlabelled run of text)."""

    def __init__(self, key: str | None, chapter: int, after: str | None, line: int) -> None:
        self.key, self.chapter, self.after = key, chapter, after
        self.text, self.start, self.end = "", line, line

    def done(self) -> bool:
        return self.text.rstrip().endswith((";", ":", "."))

    def add(self, text: str, line: int) -> None:
        text = text.strip()
        if not text:
            return
        if self.text and _norm(text)[:30] == _norm(self.text)[:30]:
            # the table repeats a row from its start: keep the most complete copy
            if len(text) > len(self.text):
                self.text, self.start = text, line
        else:
            self.text = f"{self.text} {text}".strip()
        self.end = line


def _table(raw_dir: Path) -> tuple[dict[int, str], list[_Block], list[_Block]]:
    """Chapter titles (as printed, upper case), labelled blocks and unlabelled blocks of the table's left column."""
    titles: dict[int, str] = {}
    labelled: dict[str, _Block] = {}
    loose: list[_Block] = []
    chapter, current, expected, last = 0, None, "a", None
    for n, line in enumerate((raw_dir / TABLE).read_text(encoding="utf-8").splitlines(), 1):
        left = re.sub(r"</?[ui]>", "", line.split("\t")[0]).strip()
        if not left:
            continue
        if m := re.match(r"UNGASS CHAPTER (\d): (.*)", left):
            chapter, current, expected, last = int(m.group(1)), None, "a", None
            titles[chapter] = m.group(2).strip()
            continue
        parts = _LABEL.split(left)
        pieces = [(None, parts[0])] + [(parts[k : k + 2], parts[k + 2]) for k in range(1, len(parts), 3)]
        for label, text in pieces:
            if label is not None:
                digit, letter = label
                letter = _FIX_LETTER.get(letter, letter.lower())
                if not letter and not text.strip().startswith("We "):
                    letter = expected  # "4.)": the letter was lost
                key = f"{digit if digit.isdigit() else chapter}" + (f".{letter}" if letter else "")
                if letter:
                    expected, last = chr(ord(letter) + 1), key
                current = labelled.setdefault(key, _Block(key, chapter, None, n))
                current.add(text, n)
                continue
            if not text.strip():
                continue
            restart = next((b for b in [*labelled.values(), *loose] if _norm(text)[:30] == _norm(b.text)[:30]), None)
            if restart:  # a duplicated line of a row already seen
                restart.add(text, n)
            elif current is not None and not current.done():
                current.add(text, n)
            elif loose and loose[-1].end >= n - 1 and not loose[-1].done() and loose[-1].chapter == chapter:
                loose[-1].add(text, n)
            else:
                current = None
                loose.append(_Block(None, chapter, last, n))
                loose[-1].add(text, n)
    return titles, list(labelled.values()), loose


def _vocabulary(entries: list[compilation.CompiledEntry]) -> set[str]:
    """Lower-cased words (hyphenated compounds kept whole) printed in the compilation."""
    return {w.lower() for e in entries for w in re.findall(r"[\w’'-]+", e.text)}


def _repair(text: str, vocab: set[str]) -> str:
    """Undo the table's extraction damage, judged against the words the compilation prints."""
    text = re.sub(r"\s+([,;:.])", r"\1", re.sub(r"\s+", " ", text)).strip()

    def join(m: re.Match[str]) -> str:
        a, b = m.group(1), m.group(2)
        if f"{a}-{b}".lower() in vocab:
            return f"{a}-{b}"
        if f"{a}{b}".lower() in vocab:
            return f"{a}{b}"  # a line-break hyphen
        return m.group(0)

    return re.sub(r"(\w+)- ?(\w+)", join, text)


def _sentence_case(caps: str, vocab: set[str]) -> str:
    """Restore sentence case to a title printed in capitals, spelling compounds as the compilation does."""
    caps = re.sub(r"^.*CHAPTER \d: ", "", caps)  # "OPERATIONAL RECOMMENDATIONS CHAPTER 4: OPERATIONAL …"
    if not caps.startswith("OPERATIONAL "):
        caps = "OPERATIONAL " + caps  # every chapter title begins so; the table dropped it once
    text = caps.lower()
    text = re.sub(r"\b(\w+) (\w+)\b", lambda m: f"{m[1]}-{m[2]}" if f"{m[1]}-{m[2]}" in vocab else m[0], text)
    return text[0].upper() + text[1:]


@lru_cache(maxsize=4)
def _load(raw_dir: Path) -> tuple[tuple[compilation.CompiledEntry, ...], dict[int, str], frozenset[str]]:
    """The compilation's 2016 entries, the chapter titles and the compilation's vocabulary (cached per directory)."""
    everything = compilation.parse(raw_dir)
    entries = tuple(e for e in everything if e.id.startswith(UNGASS2016 + ":"))
    titles: dict[int, str] = {}
    for e in entries:
        if m := re.match(rf"{UNGASS2016}:([1-7])\b", e.id):
            found = [h for h in e.heading if h.startswith("Operational recommendations on")]
            if found:
                titles.setdefault(int(m.group(1)), found[0])
    vocab = _vocabulary(everything)
    for chapter, caps in _table(raw_dir)[0].items():
        titles.setdefault(chapter, _sentence_case(caps, vocab))
    return entries, dict(sorted(titles.items())), frozenset(vocab)


def table_paragraphs(raw_dir: Path) -> list[TableParagraph]:
    """The labelled paragraphs of the crosswalk table's left column, repaired (chapeaus keyed by chapter number)."""
    raw_dir = Path(raw_dir)
    vocab = _load(raw_dir)[2]
    _, labelled, loose = _table(raw_dir)
    out = [TableParagraph(b.key, _repair(b.text, vocab), b.start, b.end) for b in labelled]
    # unlabelled chapeaus ("We reiterate our commitment …") and closing paragraphs ("8. We express …")
    chapeaus = {p.id for p in out if "." not in p.id}
    for b in loose:
        if b.text.startswith("We ") and b.after is None and str(b.chapter) not in chapeaus:
            out.append(TableParagraph(str(b.chapter), _repair(b.text, vocab), b.start, b.end))
        elif m := re.match(r"(\d+)\. (We .*)", b.text):
            out.append(TableParagraph(m.group(1), _repair(m.group(2), vocab), b.start, b.end))
    return out


def table_headings(raw_dir: Path) -> list[TableHeading]:
    """Sub-headings the table prints as unlabelled lines (duplicates and paragraph text excluded)."""
    raw_dir = Path(raw_dir)
    _, labelled, loose = _table(raw_dir)
    texts = [_norm(b.text) for b in labelled]
    seen, out = set(), []
    for b in loose:
        norm = _norm(b.text)
        if b.done() or re.match(r"(\d+\. )?We ", b.text) or norm in seen or any(norm in t for t in texts):
            continue
        seen.add(norm)
        out.append(TableHeading(b.chapter, re.sub(r"\s+", " ", b.text).strip(), b.after, b.start))
    return out


def _order(path: str) -> tuple[int, int, int]:
    """Document order of a path: preamble, then each chapter's chapeau, second chapeau and sub-items."""
    if path.startswith("PP"):
        return (0, int(path[2:]), 0)
    number, _, sub = path.partition(".")
    return (1, int(number), 0 if not sub else 1 if sub == "intro" else ord(sub) - 95)


def parse(raw_dir: Path) -> list[Parsed]:
    """Preamble, chapters 1–7 (chapeaus and sub-items) and closing paragraphs of the 2016 Outcome Document."""
    raw_dir = Path(raw_dir)
    entries, titles, _ = _load(raw_dir)
    subheads: dict[str, str | None] = {}
    for e in entries:
        path = e.id.split(":")[1]
        if not path.startswith("PP") and "." in path:
            sub = e.heading[-1] if not e.heading[-1].startswith("Operational recommendations") else None
            subheads[path] = sub
    records = {e.id: (e.text, compilation.FILE, e.line_start, e.line_end) for e in entries}
    for p in table_paragraphs(raw_dir):
        pid = f"{UNGASS2016}:{p.id}"
        if pid not in records:
            records[pid] = (p.text, TABLE, p.line_start, p.line_end)
        elif p.text[:-1] == records[pid][0] and p.text[-1] in ";.":
            # the compilation lost the final punctuation mark that the table keeps
            records[pid] = (p.text, *records[pid][1:])

    # Chapters whose sub-headings the compilation omits take them from the table.
    table_subs = {}
    for h in table_headings(raw_dir):
        if h.after and not any(subheads.get(k) for k in subheads if k.startswith(f"{h.chapter}.")):
            table_subs.setdefault(h.chapter, []).append((h.after, h.title))

    out = []
    for pid in sorted(records, key=lambda i: _order(i.split(":")[1])):
        text, file, start, end = records[pid]
        path = pid.split(":")[1]
        number, _, sub = path.partition(".")
        if path.startswith("PP"):
            kind, heading = PREAMBLE, ()
        elif int(number) > 7:
            kind, heading = CLOSING, ()
        else:
            chapter = int(number)
            kind = CHAPEAU if not sub or sub == "intro" else SUB_ITEM
            heading = (titles[chapter],)
            if sub:
                subhead = subheads.get(path)
                if path not in subheads:  # from the table: the sub-heading of the item before it
                    before = [k for k in subheads if k.startswith(f"{chapter}.") and _order(k) < _order(path)]
                    subhead = subheads[max(before, key=_order)] if before else None
                for after, title in table_subs.get(chapter, ()):
                    if _order(path) > _order(after):
                        subhead = title
                heading += (subhead,) if subhead else ()
        out.append(Parsed(pid, kind, heading, text, file, start, end))
    return out
