"""Parse the 2009 Political Declaration (PD2009) and Plan of Action (PoA2009) from the UNODC full text."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from pathlib import Path

from assistant.corpus.documents import PD2009, POA2009
from assistant.corpus.sources.base import ACTION, PROBLEM, Parsed
from assistant.corpus.sources.numbered import FOOTNOTE_TEXT, PAGE_NUMBER, PARA, SUB, Line, Numbered, strip_markers
from assistant.corpus.sources.text import join_lines, normalize_space, vocabulary
from assistant.errors import CorpusError

FILE = "2009_Political_Declaration_and_Plan_of_Action.txt"
PD_HEADING = ("Political Declaration",)

_PART = re.compile(r"^\s*Part\s+([ivx]+)\.\s+", re.IGNORECASE)
_SECTION = re.compile(r"^\s*([a-f])\.\s+", re.IGNORECASE)
_LABELS = {"Problem": PROBLEM, "Action": ACTION}  # the Plan of Action's paragraph labels and their kinds
# Headings lost their small caps; these words are capitalised wherever they occur in one.
_PROPER = {"united nations": "United Nations", "member states": "Member States"}


def _body(lines: list[str], start: int) -> list[Line]:
    """Lines from `start` on, minus page numbers and footnote text, with footnote markers removed."""
    out: list[Line] = []
    next_note, next_marker, in_note = 1, 1, False
    for idx in range(start, len(lines)):
        raw = lines[idx]
        if PAGE_NUMBER.match(raw):
            in_note = False
            continue
        m = FOOTNOTE_TEXT.match(raw)
        if m and int(m.group(1)) == next_note:
            if next_marker <= next_note:
                raise CorpusError(f"{FILE}:{idx + 1}: footnote {next_note} has no marker before it")
            next_note += 1
            in_note = True
            continue
        if in_note:
            # Footnote text ends where the next page starts (an indented line).
            if not raw.strip() or not raw[0].isspace():
                continue
            in_note = False
        raw, next_marker = strip_markers(raw, next_marker)
        out.append((idx + 1, raw))
    if next_marker != next_note:
        raise CorpusError(f"{FILE}: {next_marker - 1} footnote markers but {next_note - 1} footnotes")
    return out


def _title(label: str, words: str) -> str:
    """A heading in proper case: ("Part I.", "demand reduction") -> "Part I. Demand reduction"."""
    words = normalize_space(words)
    words = words[:1].upper() + words[1:]
    for low, proper in _PROPER.items():
        words = re.sub(re.escape(low), proper, words, flags=re.IGNORECASE)
    return f"{label} {words}"


def parse(raw_dir: Path) -> list[Parsed]:
    """Parse PD2009 paras 1-40 and PoA2009 paras 1-64 with their sub-items, in document order."""
    raw_dir = Path(raw_dir)
    lines = (raw_dir / FILE).read_text(encoding="utf-8").split("\n")
    others = [p for p in sorted(raw_dir.glob("*.txt")) if p.name != FILE]
    # The document's own spelling ("socio-economic") outranks later documents ("socioeconomic").
    vocab = (vocabulary(["\n".join(lines)]), vocabulary(p.read_text(encoding="utf-8") for p in others))
    try:
        start = next(i for i, line in enumerate(lines) if line.strip() == "Political Declaration")
    except StopIteration:
        raise CorpusError(f"{FILE}: no 'Political Declaration' title") from None
    return _Reader(_body(lines, start + 1), vocab).read()


class _Reader:
    """Walks the body: the switch to the Plan of Action, its headings and labels, paragraphs and sub-items."""

    def __init__(self, body: list[Line], vocab: Sequence[Mapping[str, int]]):
        self.body = body
        self.vocab = vocab
        self.doc, self.expected, self.label = PD2009, 1, ""
        self.heading: list[str | None] = [None, None, None]  # Part, section letter, numbered subsection
        self.tree = Numbered(vocab)

    def read(self) -> list[Parsed]:
        i = 0
        while i < len(self.body):
            i = self._step(i)
        if (self.doc, self.expected) != (POA2009, 65):
            raise CorpusError(f"{FILE}: parsing stopped in {self.doc} before paragraph {self.expected}")
        return self.tree.parsed(FILE)

    def _step(self, i: int) -> int:
        """Consume the line (or heading block) at `i`; return the index of the next one."""
        lineno, raw = self.body[i]
        text = raw.strip()
        if not text:
            return i + 1
        if self.doc == PD2009 and text.lower() == "plan of action":
            self.doc, self.expected = POA2009, 1
            self.tree.pause()
            return i + 1
        if self.doc == POA2009:
            if text in _LABELS:
                self.label = text
                self.tree.pause()
                return i + 1
            end = self._heading(i)
            if end is not None:
                return end
        m = PARA.match(raw)
        if m and int(m.group(1)) == self.expected:
            pid = f"{self.doc}:{self.expected}"
            self.tree.paragraph(pid, self._head(), (lineno, raw[m.end() :]), _LABELS.get(self.label))
            self.expected += 1
        elif m := SUB.match(raw):
            if self.tree.para is None:
                raise CorpusError(f"{FILE}:{lineno}: sub-item outside a paragraph")
            if not self.tree.sub_item(m.group(1), (lineno, raw[m.end() :])):
                raise CorpusError(f"{FILE}:{lineno}: unexpected sub-item ({m.group(1)}) in {self.tree.para.id}")
        elif self.tree.current is not None:
            self.tree.append((lineno, raw))
        elif not (self.doc == PD2009 and self.tree.para is None):  # the unnumbered preamble is out of scope
            raise CorpusError(f"{FILE}:{lineno}: text outside any paragraph: {text[:40]!r}")
        return i + 1

    def _heading(self, i: int) -> int | None:
        """Record the Part, section or numbered-subsection heading starting at `i`; the index after it, or None."""
        lineno, raw = self.body[i]
        level = None
        if m := _PART.match(raw):
            level, tag = 0, f"Part {m.group(1).upper()}."
        elif m := _SECTION.match(raw):
            level, tag = 1, f"{m.group(1).upper()}."
        elif m := PARA.match(raw):
            # Subsection headings are numbered too; only they are followed by "Problem".
            if self._next_text(self._block_end(i)) == "Problem":
                level, tag = 2, f"{m.group(1)}."
            elif int(m.group(1)) != self.expected:
                raise CorpusError(f"{FILE}:{lineno}: unexpected paragraph number {m.group(1)}")
        if level is None:
            return None
        end = self._block_end(i)
        words = join_lines([raw[m.end() :]] + [r for _, r in self.body[i + 1 : end]], self.vocab)
        self.heading[level:] = [_title(tag, words)] + [None] * (2 - level)
        self.tree.pause()
        return end

    def _head(self) -> tuple[str, ...]:
        return PD_HEADING if self.doc == PD2009 else tuple(h for h in self.heading if h)

    def _block_end(self, i: int) -> int:
        while i < len(self.body) and self.body[i][1].strip():
            i += 1
        return i

    def _next_text(self, i: int) -> str:
        while i < len(self.body) and not self.body[i][1].strip():
            i += 1
        return self.body[i][1].strip() if i < len(self.body) else ""
