"""Segment any document's extracted pages into numbered paragraphs and (a)/(i) sub-items, with the built-in rules."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from assistant.corpus.sources.base import CHAPEAU, OPERATIVE, SUB_ITEM, Parsed
from assistant.corpus.sources.text import join_lines, normalize_space, vocabulary

_PAGE_NUMBER = re.compile(r"^\s*(?:-\s*)?\d{1,3}(?:\s*-)?\s*$")  # "12", "- 12 -"
_FOOTNOTE_TEXT = re.compile(r"^\s?(\d{1,2})\s+\S")
_PARA = re.compile(r"^\s*(\d+)\.\s+")
_SUB = re.compile(r"^\s*\(([a-z]{1,5})\)\s+")
# Section headings ("II. Recommendations", "A. Demand reduction", "Annex") end the paragraph before them.
_HEADING = re.compile(r"^\s*(?:(?:[IVXL]+|[A-H])\.\s+\S.{0,110}|(?:Annex|Appendix)(?:\s+[IVXL\d]+)?\.?)\s*$")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_DIGITS = re.compile(r"\d+")
_ROMANS = tuple(
    "x" * (n // 10) + ("", "i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix")[n % 10] for n in range(1, 40)
)
_EDGE = 3  # lines at the top and the bottom of a page where running headers and footers sit


def _marker(n: int) -> re.Pattern:
    """A footnote marker `n` glued to the word or year before it ("States1", "20161,")."""
    return re.compile(rf"([A-Za-z,;:.)\]”’]|(?<!\d)(?:19|20)\d\d){n}(?=[\s,;:.)]|$)")


def _running(pages: list[list[str]]) -> set[str]:
    """Headers and footers: lines (digits ignored) at a page edge on at least half of three or more pages."""
    if len(pages) < 3:
        return set()
    counts: Counter[str] = Counter()
    for lines in pages:
        kept = [normalize_space(l) for l in lines if l.strip()]
        edge = {_DIGITS.sub("#", l) for l in kept[:_EDGE] + kept[-_EDGE:] if not (_PARA.match(l) or _SUB.match(l))}
        counts.update(edge)
    return {line for line, n in counts.items() if n >= max(3, len(pages) / 2)}


def clean_lines(pages: Sequence[str]) -> list[tuple[int, str]]:
    """Body lines, numbered from 1 over all pages, without page numbers, headers, footers and footnotes."""
    split = [[_CONTROL.sub("", l) for l in page.replace("\r\n", "\n").replace("\r", "\n").split("\n")] for page in pages]
    furniture = _running(split)
    numbered, n = [], 0
    for lines in split:
        numbered.append([(n + i + 1, l) for i, l in enumerate(lines)])
        n += len(lines)
    found = _body(numbered, furniture, None)[1]
    # Second pass: only markers whose footnote text was found are markers; other digits are text.
    return _body(numbered, furniture, found)[0]


def _body(pages: list[list[tuple[int, str]]], furniture: set[str], limit: int | None) -> tuple[list[tuple[int, str]], int]:
    out: list[tuple[int, str]] = []
    next_note = next_marker = 1
    for lines in pages:
        in_note = False
        for i, (n, raw) in enumerate(lines):
            if not raw.strip() or _PAGE_NUMBER.match(raw) or _DIGITS.sub("#", normalize_space(raw)) in furniture:
                continue
            m = _FOOTNOTE_TEXT.match(raw)
            if m and int(m.group(1)) == next_note and next_marker > next_note and (limit is None or next_note <= limit):
                # Footnotes sit at the page bottom: nothing after them may start a paragraph or sub-item.
                if in_note or not any(_PARA.match(r) or _SUB.match(r) for _, r in lines[i + 1 :]):
                    next_note, in_note = next_note + 1, True
                    continue
            if in_note:
                continue
            while limit is None or next_marker <= limit:
                cleaned = _marker(next_marker).sub(r"\1", raw, count=1)
                if cleaned == raw:
                    break
                raw, next_marker = cleaned, next_marker + 1
            out.append((n, raw))
    return out, next_note - 1


@dataclass
class _Open:
    """A paragraph or sub-item being accumulated line by line."""

    id: str
    heading: tuple[str, ...]
    lines: list[tuple[int, str]] = field(default_factory=list)
    parent: _Open | None = None
    children: int = 0

    @property
    def tag(self) -> str:
        return self.id.rsplit(".", 1)[-1]


def segment(
    pages: Sequence[str], key: str, file: str, vocabs: Sequence[Mapping[str, int]] = ()
) -> list[Parsed]:
    """Paragraphs `KEY:n`, `KEY:n.x`, `KEY:n.x.i` in document order; text before paragraph 1 is left out.

    `vocabs` are extra de-hyphenation evidence, consulted after the document's own words.
    """
    body = clean_lines(pages)
    vocab = (vocabulary(["\n".join(r for _, r in body)]), *vocabs)
    records: list[_Open] = []
    expected, heading = 1, ()
    para = letter = roman = current = None
    for n, raw in body:
        m = _PARA.match(raw)
        if m and int(m.group(1)) == expected:
            para = current = _Open(f"{key}:{expected}", heading)
            letter = roman = None
            records.append(para)
            expected += 1
            para.lines.append((n, raw[m.end() :]))
            continue
        if _HEADING.match(raw):
            heading, para, letter, roman, current = (normalize_space(raw),), None, None, None, None
            continue
        m = _SUB.match(raw) if para is not None else None
        if m:
            tag = m.group(1)
            # "(i)" is the ninth letter unless the item before it ends with a colon.
            opens_roman = tag == "i" and roman is None and _joined(letter or para, vocab).endswith(":")
            next_roman = roman is not None and roman.tag in _ROMANS[:-1] and tag == _ROMANS[_ROMANS.index(roman.tag) + 1]
            next_letter = len(tag) == 1 and tag == (chr(ord(letter.tag) + 1) if letter else "a")
            if opens_roman or next_roman:
                parent = roman.parent if next_roman else (letter or para)
                roman = current = _Open(f"{parent.id}.{tag}", para.heading, parent=parent)
                parent.children += 1
            elif next_letter:
                letter = current = _Open(f"{para.id}.{tag}", para.heading, parent=para)
                roman = None
                para.children += 1
            else:
                current.lines.append((n, raw))  # a bracketed word in running text
                continue
            records.append(current)
            current.lines.append((n, raw[m.end() :]))
            continue
        if current is not None:
            current.lines.append((n, raw))
    return [_record(r, vocab, file) for r in records]


def _joined(rec: _Open, vocab: Sequence[Mapping[str, int]]) -> str:
    return join_lines([r for _, r in rec.lines], vocab)


def _record(rec: _Open, vocab: Sequence[Mapping[str, int]], file: str) -> Parsed:
    kind = SUB_ITEM if rec.parent is not None else CHAPEAU if rec.children else OPERATIVE
    return Parsed(rec.id, kind, rec.heading, _joined(rec, vocab), file, rec.lines[0][0], rec.lines[-1][0])
