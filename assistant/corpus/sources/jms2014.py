"""Parse the 2014 Joint Ministerial Statement (Annex I) and the Chairs' round-table summaries (Annex II).

IDs: paras 1-33 are `JMS2014:1`..`JMS2014:33`; the items listed under para 33 keep their printed
numbers under their section letter (`JMS2014:A.1`..`A.14`, `B.15`..`B.37`, `C.38`..`C.45`). The
untitled opening clause ("We, the Ministers ...,") is not a numbered paragraph and is left out, as
are the Secretary-General's note, the Chair's report and all footnote text. Annex II summaries are
unnumbered in print; they get `JMS2014:RT.<t>.<n>`: round table t (1 demand reduction, 2 supply
reduction, 3 international cooperation, in printed order) and paragraph n within its summary,
kind SUMMARY, `negotiated=False`.
"""

from __future__ import annotations

import re
from pathlib import Path

from assistant.corpus.documents import JMS2014
from assistant.corpus.sources.base import CHAPEAU, OPERATIVE, SUB_ITEM, SUMMARY, Parsed
from assistant.errors import CorpusError

FILE = "2014_CND_high_level_review_Joint_Ministerial_Statement.txt"
TITLE = "Joint Ministerial Statement"
ANNEX_II_TITLE = "Outcome of the round-table discussions of the high-level segment"

_SUPERSCRIPTS = "\u00b9\u00b2\u00b3\u2070\u2074\u2075\u2076\u2077\u2078\u2079"
_FOOTNOTE_LINE = re.compile(f"^[{_SUPERSCRIPTS}]+\\s")
_NUMBERED = re.compile(r"^(\d{1,2})\.\s+(.*)$")
_SECTION = re.compile(r"^([A-C])\.\s+(\S.*)$")
# Sub-headings printed inside Annex I; a fixed list so no continuation line is mistaken for one.
_SUBHEADINGS = frozenset({
    "General achievements",
    "General challenges and priorities for action",
    "Achievements",
    "Challenges and priorities for action",
    "Challenges and priorities",
})
_ROUND_TABLE = re.compile(r"^Outcome of the round table on ")
# One token of raw text: markdown escape, italic run, <sup> marker, superscript marker, whitespace.
_TOKEN = re.compile(
    r"\\(?P<esc>[\\`*_{}\[\]()#+.!-])"
    r"|\*(?P<ital>[^*\n]+)\*"
    r"|<sup>[^<]*</sup>"
    f"|[{_SUPERSCRIPTS}]+"
    r"|(?P<ws>\s+)"
)
_EXPECTED = {"main": 33, "A": 14, "B": 23, "C": 8}
_FIRST_ITEM = {"A": 1, "B": 15, "C": 38}


def clean(raw: str) -> str:
    """`raw` without markup, markdown escapes, footnote markers or extra whitespace (italic runs keep their words)."""
    out, pos = "", 0
    for m in _TOKEN.finditer(raw):
        out += raw[pos : m.start()]
        pos = m.end()
        if m.group("esc") is not None:
            out += m.group("esc")
        elif m.group("ital") is not None:
            out += re.sub(r"\s+", " ", m.group("ital"))
        elif m.group("ws") is not None and out and not out.endswith(" "):
            out += " "
    return (out + raw[pos:]).strip()


def parse(raw_dir: Path) -> list[Parsed]:
    """Parse Annex I (78 negotiated paragraphs and items) and Annex II (summaries) of the 2014 file."""
    lines = _read(Path(raw_dir))
    annex1 = _find(lines, "Annex I")
    annex2 = _find(lines, "Annex II", annex1 + 1)
    return _annex_one(lines, annex1 + 1, annex2) + _annex_two(lines, annex2 + 1, len(lines))


def _read(raw_dir: Path) -> list[str]:
    path = raw_dir / FILE
    try:
        return path.read_text(encoding="utf-8").splitlines()
    except OSError as err:
        raise CorpusError(f"Cannot read {path}: {err}") from err


def _find(lines: list[str], title: str, start: int = 0) -> int:
    for i in range(start, len(lines)):
        if lines[i].strip() == title:
            return i
    raise CorpusError(f"{FILE}: no {title!r} line")


def _annex_one(lines: list[str], start: int, end: int) -> list[Parsed]:
    # Each block: [id, kind, heading, raw line texts, first index, last index].
    blocks: list[list] = []
    section, sub, expected = None, None, 1
    for i in range(start, end):
        line = lines[i].strip()
        if not line or _FOOTNOTE_LINE.match(line):
            continue
        m_sec = _SECTION.match(line)
        m_num = _NUMBERED.match(line)
        if m_sec and not line.endswith((";", ",", ".", ":")):
            section, sub, expected = m_sec.group(0), None, _FIRST_ITEM[m_sec.group(1)]
        elif line in _SUBHEADINGS:
            sub = line
        elif m_num and int(m_num.group(1)) == expected:
            n = int(m_num.group(1))
            if section is None:
                pid, kind = f"{JMS2014}:{n}", CHAPEAU if n == 33 else OPERATIVE
            else:
                pid, kind = f"{JMS2014}:{section[0]}.{n}", SUB_ITEM
            heading = tuple(h for h in (TITLE, section, sub) if h)
            blocks.append([pid, kind, heading, [m_num.group(2)], i, i])
            expected = n + 1
        elif blocks:
            # A page break splits the paragraph: footnotes sit between the halves.
            blocks[-1][3].append(line)
            blocks[-1][5] = i
        # Before para 1: the annex title and the opening "We, the Ministers ..." clause.
    _check_counts(blocks)
    return [
        Parsed(pid, kind, heading, clean(" ".join(parts)), FILE, first + 1, last + 1)
        for pid, kind, heading, parts, first, last in blocks
    ]


def _check_counts(blocks: list[list]) -> None:
    counts = {"main": 0, "A": 0, "B": 0, "C": 0}
    for block in blocks:
        path = block[0].split(":", 1)[1]
        counts[path[0] if path[0].isalpha() else "main"] += 1
    if counts != _EXPECTED:
        raise CorpusError(f"{FILE}: expected {_EXPECTED} paragraphs/items, parsed {counts}")


def _annex_two(lines: list[str], start: int, end: int) -> list[Parsed]:
    blocks: list[list] = []
    table, heading, n = 0, None, 0
    for i in range(start, end):
        line = lines[i].strip()
        if not line or _FOOTNOTE_LINE.match(line):
            continue
        if _ROUND_TABLE.match(line):
            table, heading, n = table + 1, line, 0
        elif _NUMBERED.match(line) or line.startswith("("):
            heading = None  # the Chair's numbered framing paragraphs are not summaries
        elif heading is None:
            continue
        elif blocks and blocks[-1][0].startswith(f"{JMS2014}:RT.{table}.") and not _ends_sentence(blocks[-1][3][-1]):
            blocks[-1][3].append(line)
            blocks[-1][5] = i
        else:
            n += 1
            blocks.append([f"{JMS2014}:RT.{table}.{n}", SUMMARY, (ANNEX_II_TITLE, heading), [line], i, i])
    if table != 3:
        raise CorpusError(f"{FILE}: expected 3 round-table summaries in Annex II, found {table}")
    return [
        Parsed(pid, kind, head, clean(" ".join(parts)), FILE, first + 1, last + 1, negotiated=False)
        for pid, kind, head, parts, first, last in blocks
    ]


def _ends_sentence(line: str) -> bool:
    return line.rstrip().endswith((".", ";", ":", "!", "?", "\u201d", '"'))
