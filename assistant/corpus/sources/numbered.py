"""The numbered-paragraph state machine shared by the 2009 parser and the segmenter of added documents.

Lines arrive in document order; a paragraph "12." opens a record, "(a)" its lettered items and "(i)"
the numbered items under the open letter (or under the paragraph when it has no letter). "(i)" is a
numeral only where the item before it ends with a colon; otherwise it is the ninth letter.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from assistant.corpus.roman import next_roman
from assistant.corpus.sources.base import CHAPEAU, OPERATIVE, SUB_ITEM, Parsed
from assistant.corpus.sources.text import join_lines

PAGE_NUMBER = re.compile(r"^\s*(?:-\s*)?\d{1,3}(?:\s*-)?\s*$")  # "12", "- 12 -"
FOOTNOTE_TEXT = re.compile(r"^\s?(\d{1,2})\s+\S")  # "1 United Nations, Treaty Series …"
PARA = re.compile(r"^\s*(\d+)\.\s+")
SUB = re.compile(r"^\s*\(([a-z]{1,5})\)\s+")

Line = tuple[int, str]  # (1-based line number, raw text)


def footnote_marker(n: int) -> re.Pattern:
    """Footnote marker `n` glued to the word or year before it ("States1", "20161,")."""
    return re.compile(rf"([A-Za-z,;:.)\]”’]|(?<!\d)(?:19|20)\d\d){n}(?=[\s,;:.)]|$)")


def strip_markers(raw: str, next_marker: int, limit: int | None = None) -> tuple[str, int]:
    """`raw` without the footnote markers next_marker, next_marker + 1, … (up to `limit`), and the next one due."""
    while limit is None or next_marker <= limit:
        cleaned = footnote_marker(next_marker).sub(r"\1", raw, count=1)
        if cleaned == raw:
            break
        raw, next_marker = cleaned, next_marker + 1
    return raw, next_marker


@dataclass
class Open:
    """A paragraph or sub-item being accumulated line by line; `kind` None means chapeau or operative."""

    id: str
    heading: tuple[str, ...]
    kind: str | None = None
    lines: list[Line] = field(default_factory=list)
    parent: Open | None = None
    children: int = 0

    @property
    def tag(self) -> str:
        return self.id.rsplit(".", 1)[-1]


class Numbered:
    """The open paragraph, its open (a) item and its open (i) item; `current` receives running text."""

    def __init__(self, vocab: Sequence[Mapping[str, int]]):
        self.vocab = vocab
        self.records: list[Open] = []
        self.para: Open | None = None
        self.letter: Open | None = None
        self.roman: Open | None = None
        self.current: Open | None = None

    def paragraph(self, pid: str, heading: tuple[str, ...], first: Line, kind: str | None = None) -> None:
        """Open numbered paragraph `pid`, closing every open item."""
        self.para = self.current = Open(pid, heading, kind)
        self.letter = self.roman = None
        self._start(self.para, first)

    def sub_item(self, tag: str, first: Line) -> bool:
        """Open item `(tag)` under the open paragraph; False when it is neither the next letter nor numeral."""
        para, letter, roman = self.para, self.letter, self.roman
        if para is None:
            return False
        opens_roman = tag == "i" and roman is None and self.text(letter or para).endswith(":")
        continues_roman = roman is not None and tag == next_roman(roman.tag)
        if opens_roman or continues_roman:
            parent = roman.parent if continues_roman else (letter or para)
            self.roman = self.current = Open(f"{parent.id}.{tag}", para.heading, parent=parent)
        elif len(tag) == 1 and tag == (chr(ord(letter.tag) + 1) if letter else "a"):
            parent = para
            self.letter = self.current = Open(f"{para.id}.{tag}", para.heading, parent=para)
            self.roman = None
        else:
            return False
        parent.children += 1
        self._start(self.current, first)
        return True

    def append(self, line: Line) -> None:
        """Running text of the current record (call only while `current` is set)."""
        self.current.lines.append(line)

    def pause(self) -> None:
        """Stop adding running text (a heading or label line) while the paragraph stays open for items."""
        self.current = None

    def close(self) -> None:
        """Close the paragraph and its items (a section heading)."""
        self.para = self.letter = self.roman = self.current = None

    def text(self, rec: Open) -> str:
        """The repaired text of a record so far."""
        return join_lines([r for _, r in rec.lines], self.vocab)

    def parsed(self, file: str) -> list[Parsed]:
        """Every record, in document order, frozen into a Parsed."""
        return [self._freeze(rec, file) for rec in self.records]

    def _start(self, rec: Open, first: Line) -> None:
        self.records.append(rec)
        rec.lines.append(first)

    def _freeze(self, rec: Open, file: str) -> Parsed:
        if rec.parent is not None:
            kind = SUB_ITEM
        else:
            kind = rec.kind or (CHAPEAU if rec.children else OPERATIVE)
        return Parsed(rec.id, kind, rec.heading, self.text(rec), file, rec.lines[0][0], rec.lines[-1][0])
