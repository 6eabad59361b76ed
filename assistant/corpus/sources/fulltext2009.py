"""Parse the 2009 Political Declaration (PD2009) and Plan of Action (PoA2009) from the UNODC full text."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from assistant.errors import CorpusError
from assistant.corpus.sources.base import ACTION, CHAPEAU, OPERATIVE, PROBLEM, SUB_ITEM, Parsed
from assistant.corpus.sources.text import join_lines, normalize_space, vocabulary

FILE = "2009_Political_Declaration_and_Plan_of_Action.txt"
PD, POA = "PD2009", "PoA2009"
PD_HEADING = ("Political Declaration",)

_PAGE_NUMBER = re.compile(r"^\s*\d{1,3}\s*$")
_FOOTNOTE_TEXT = re.compile(r"^\s?(\d{1,2})\s+\S")
_PARA = re.compile(r"^\s*(\d+)\.\s+")
_SUB = re.compile(r"^\s*\(([a-z]{1,5})\)\s+")
_PART = re.compile(r"^\s*Part\s+([ivx]+)\.\s+", re.IGNORECASE)
_SECTION = re.compile(r"^\s*([a-f])\.\s+", re.IGNORECASE)
_ROMANS = ("i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii")
# Headings lost their small caps; these words are capitalised wherever they occur in one.
_PROPER = {"united nations": "United Nations", "member states": "Member States"}


@dataclass
class _Open:
    """A paragraph or sub-item being accumulated line by line."""

    id: str
    heading: tuple[str, ...]
    label: str  # "Problem", "Action" or "" (Political Declaration)
    lines: list[tuple[int, str]] = field(default_factory=list)
    parent: _Open | None = None
    children: int = 0


def _body(lines: list[str], start: int) -> list[tuple[int, str]]:
    """Lines from `start` on, minus page numbers and footnote text, with footnote markers removed."""
    out: list[tuple[int, str]] = []
    next_note, next_marker, in_note = 1, 1, False
    for idx in range(start, len(lines)):
        raw = lines[idx]
        if _PAGE_NUMBER.match(raw):
            in_note = False
            continue
        m = _FOOTNOTE_TEXT.match(raw)
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
        while True:
            marker = re.compile(
                rf"([A-Za-z,;:.)\]”’]|(?<!\d)(?:19|20)\d\d){next_marker}(?=[\s,;:.)]|$)"
            )
            cleaned = marker.sub(r"\1", raw, count=1)
            if cleaned == raw:
                break
            raw, next_marker = cleaned, next_marker + 1
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
    body = _body(lines, start + 1)

    records: list[_Open] = []
    doc, expected, label = PD, 1, ""
    heading: list[str | None] = [None, None, None]  # Part, section letter, numbered subsection
    para: _Open | None = None  # the open numbered paragraph
    letter: _Open | None = None  # its open (a), (b)... item
    roman: _Open | None = None  # the open (i), (ii)... item under `letter`
    current: _Open | None = None

    def block_end(i: int) -> int:
        while i < len(body) and body[i][1].strip():
            i += 1
        return i

    def next_text(i: int) -> str:
        while i < len(body) and not body[i][1].strip():
            i += 1
        return body[i][1].strip() if i < len(body) else ""

    def head() -> tuple[str, ...]:
        return PD_HEADING if doc == PD else tuple(h for h in heading if h)

    i = 0
    while i < len(body):
        lineno, raw = body[i]
        text = raw.strip()
        if not text:
            i += 1
            continue
        if doc == PD and text.lower() == "plan of action":
            doc, expected, current = POA, 1, None
            i += 1
            continue
        if doc == POA:
            if text in ("Problem", "Action"):
                label, current = text, None
                i += 1
                continue
            level = None
            if m := _PART.match(raw):
                level, tag = 0, f"Part {m.group(1).upper()}."
            elif m := _SECTION.match(raw):
                level, tag = 1, f"{m.group(1).upper()}."
            elif m := _PARA.match(raw):
                # Subsection headings are numbered too; only they are followed by "Problem".
                if next_text(block_end(i)) == "Problem":
                    level, tag = 2, f"{m.group(1)}."
                elif int(m.group(1)) != expected:
                    raise CorpusError(f"{FILE}:{lineno}: unexpected paragraph number {m.group(1)}")
            if level is not None:
                end = block_end(i)
                words = join_lines([raw[m.end():]] + [r for _, r in body[i + 1 : end]], vocab)
                heading[level:] = [_title(tag, words)] + [None] * (2 - level)
                current, i = None, end
                continue
        m = _PARA.match(raw)
        if m and int(m.group(1)) == expected:
            para = _Open(f"{doc}:{expected}", head(), label)
            letter = roman = None
            records.append(para)
            current, expected = para, expected + 1
            current.lines.append((lineno, raw[m.end():]))
            i += 1
            continue
        if m := _SUB.match(raw):
            if para is None:
                raise CorpusError(f"{FILE}:{lineno}: sub-item outside a paragraph")
            tag = m.group(1)
            opens_roman = (
                tag == "i" and letter is not None and roman is None and _joined(letter, vocab).endswith(":")
            )
            next_roman = roman is not None and tag == _ROMANS[_ROMANS.index(roman.id.rsplit(".", 1)[1]) + 1]
            # "(i)" is the ninth letter unless the letter item before it ends with a colon.
            next_letter = len(tag) == 1 and tag == (chr(ord(letter.id[-1]) + 1) if letter else "a")
            if opens_roman or next_roman:
                roman = _Open(f"{letter.id}.{tag}", para.heading, "", parent=letter)
                letter.children += 1
                current = roman
            elif next_letter:
                letter, roman = _Open(f"{para.id}.{tag}", para.heading, "", parent=para), None
                para.children += 1
                current = letter
            else:
                raise CorpusError(f"{FILE}:{lineno}: unexpected sub-item ({tag}) in {para.id}")
            records.append(current)
            current.lines.append((lineno, raw[m.end():]))
            i += 1
            continue
        if current is None:
            if doc == PD and para is None:  # the unnumbered preamble: out of scope
                i += 1
                continue
            raise CorpusError(f"{FILE}:{lineno}: text outside any paragraph: {text[:40]!r}")
        current.lines.append((lineno, raw))
        i += 1

    if (doc, expected) != (POA, 65):
        raise CorpusError(f"{FILE}: parsing stopped in {doc} before paragraph {expected}")
    return [_record(r, vocab) for r in records]


def _joined(rec: _Open, vocab: Sequence[Mapping[str, int]]) -> str:
    """The repaired text of an open record so far."""
    return join_lines([r for _, r in rec.lines], vocab)


def _record(rec: _Open, vocab: Sequence[Mapping[str, int]]) -> Parsed:
    """Freeze an open record into a Parsed, choosing its kind."""
    if rec.parent is not None:
        kind = SUB_ITEM
    elif rec.label == "Problem":
        kind = PROBLEM
    elif rec.label == "Action":
        kind = ACTION
    else:
        kind = CHAPEAU if rec.children else OPERATIVE
    return Parsed(
        id=rec.id,
        kind=kind,
        heading=rec.heading,
        text=_joined(rec, vocab),
        file=FILE,
        line_start=rec.lines[0][0],
        line_end=rec.lines[-1][0],
    )
