"""Segment any document's extracted pages into numbered paragraphs and (a)/(i) sub-items, with the built-in rules."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence

from assistant.corpus.sources.base import Parsed
from assistant.corpus.sources.numbered import FOOTNOTE_TEXT, PAGE_NUMBER, PARA, SUB, Line, Numbered, strip_markers
from assistant.corpus.sources.text import normalize_space, vocabulary

# Section headings ("II. Recommendations", "A. Demand reduction", "Annex") end the paragraph before them.
_HEADING = re.compile(r"^\s*(?:(?:[IVXL]+|[A-H])\.\s+\S.{0,110}|(?:Annex|Appendix)(?:\s+[IVXL\d]+)?\.?)\s*$")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_DIGITS = re.compile(r"\d+")
_EDGE = 3  # lines at the top and the bottom of a page where running headers and footers sit


def _running(pages: list[list[str]]) -> set[str]:
    """Headers and footers: lines (digits ignored) at a page edge on at least half of three or more pages."""
    if len(pages) < 3:
        return set()
    counts: Counter[str] = Counter()
    for lines in pages:
        kept = [normalize_space(l) for l in lines if l.strip()]
        edge = {_DIGITS.sub("#", l) for l in kept[:_EDGE] + kept[-_EDGE:] if not (PARA.match(l) or SUB.match(l))}
        counts.update(edge)
    return {line for line, n in counts.items() if n >= max(3, len(pages) / 2)}


def clean_lines(pages: Sequence[str]) -> list[Line]:
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


def _body(pages: list[list[Line]], furniture: set[str], limit: int | None) -> tuple[list[Line], int]:
    out: list[Line] = []
    next_note = next_marker = 1
    for lines in pages:
        in_note = False
        for i, (n, raw) in enumerate(lines):
            if not raw.strip() or PAGE_NUMBER.match(raw) or _DIGITS.sub("#", normalize_space(raw)) in furniture:
                continue
            m = FOOTNOTE_TEXT.match(raw)
            if m and int(m.group(1)) == next_note and next_marker > next_note and (limit is None or next_note <= limit):
                # Footnotes sit at the page bottom: nothing after them may start a paragraph or sub-item.
                if in_note or not any(PARA.match(r) or SUB.match(r) for _, r in lines[i + 1 :]):
                    next_note, in_note = next_note + 1, True
                    continue
            if in_note:
                continue
            raw, next_marker = strip_markers(raw, next_marker, limit)
            out.append((n, raw))
    return out, next_note - 1


def segment(
    pages: Sequence[str], key: str, file: str, vocabs: Sequence[Mapping[str, int]] = ()
) -> list[Parsed]:
    """Paragraphs `KEY:n`, `KEY:n.x`, `KEY:n.x.i` in document order; text before paragraph 1 is left out.

    `vocabs` are extra de-hyphenation evidence, consulted after the document's own words.
    """
    body = clean_lines(pages)
    tree = Numbered((vocabulary(["\n".join(r for _, r in body)]), *vocabs))
    expected, heading = 1, ()
    for n, raw in body:
        m = PARA.match(raw)
        if m and int(m.group(1)) == expected:
            tree.paragraph(f"{key}:{expected}", heading, (n, raw[m.end() :]))
            expected += 1
        elif _HEADING.match(raw):
            heading = (normalize_space(raw),)
            tree.close()
        elif (m := SUB.match(raw)) and tree.sub_item(m.group(1), (n, raw[m.end() :])):
            continue
        elif tree.current is not None:
            tree.append((n, raw))  # running text, or a bracketed word in it ("(see below)")
    return tree.parsed(file)
