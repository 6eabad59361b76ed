"""Parse the 2023 CND compilation of commitments (2009, 2014, 2016) into entries with their bold operative phrases."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from pathlib import Path

from assistant.corpus.documents import JMS2014, PD2009, POA2009, UNGASS2016
from assistant.corpus.roman import ROMANS
from assistant.errors import CorpusError

FILE = "2023_CND_CRP_Mexico_compilation_of_commitments_2009_2014_2016.txt"
FULL_2009 = "2009_Political_Declaration_and_Plan_of_Action.txt"

_LETTERS = tuple("abcdefghijklmnopqrstuvwxyz")
_TITLES = (  # (start of a ** title, document key, heading level)
    ("Political Declaration of 2009", PD2009, 0),
    ("Plan of Action of 2009", POA2009, 0),
    ("Joint Ministerial Statement 2014", JMS2014, 0),
    ("Plan of Action of 2014", JMS2014, 1),
    ("Outcome document of the 2016", UNGASS2016, 0),
    ("Operational recommendations", UNGASS2016, 1),
)


@dataclass(frozen=True)
class CompiledEntry:
    """One compiled paragraph or sub-item; `bold` holds (start, end) offsets of the commitment phrases in `text`."""

    id: str
    text: str
    bold: tuple[tuple[int, int], ...]
    heading: tuple[str, ...]
    line_start: int
    line_end: int


# A cell is cleaned into a list of characters, each with its bold flag and its 1-based source line,
# so that splitting into sub-items keeps bold offsets and line numbers exact.
Chars = list[tuple[str, bool, int]]

_TOKEN = re.compile(r"<sup>\s*\d+\s*</sup>|</?(?:b|i|u|p|sup)>|\\(.)|\*|[^<\\*]+|[<\\]")


def _chars(pieces: list[tuple[str, int]]) -> Chars:
    """Strip markup from (raw text, line) pieces; collapse whitespace; drop spaces before punctuation."""
    out: Chars = []
    bold = False
    for raw, line in pieces:
        for m in _TOKEN.finditer(raw):
            tok = m.group(0)
            if tok == "<b>":
                bold = True
            elif tok == "</b>":
                bold = False
            elif tok in ("<p>", "</p>"):
                out.append((" ", False, line))
            elif tok.startswith("<") and len(tok) > 1 or tok == "*":
                continue  # <i>, <u>, footnote markers, markdown emphasis
            else:
                text = m.group(1) if m.group(1) is not None else tok
                out.extend((c, bold, line) for c in text)
        out.append((" ", False, line))
    next_bold, flag = [False] * len(out), False  # is the next non-space character bold?
    for i in range(len(out) - 1, -1, -1):
        next_bold[i] = flag
        if not out[i][0].isspace():
            flag = out[i][1]
    res: Chars = []
    for i, (c, b, ln) in enumerate(out):
        if c.isspace():
            if res and res[-1][0] != " ":
                # a space between two bold runs joins them into one phrase (page breaks split phrases)
                res.append((" ", res[-1][1] and next_bold[i], ln))
        else:
            if c in ",;:.)" and res and res[-1][0] == " ":
                res.pop()  # " ," is the trace of a closing tag, never the official text
            res.append((c, b, ln))
    while res and res[-1][0] == " ":
        res.pop()
    return res


def _strip(chars: Chars) -> Chars:
    i, j = 0, len(chars)
    while i < j and chars[i][0].isspace():
        i += 1
    while j > i and chars[j - 1][0].isspace():
        j -= 1
    return chars[i:j]


def _entry(id_: str, chars: Chars, heading: tuple[str, ...]) -> CompiledEntry:
    chars = _strip(chars)
    text = "".join(c for c, _, _ in chars)
    spans, start = [], None
    for i, (c, b, _) in enumerate(chars + [(" ", False, 0)]):
        if b and start is None:
            start = i
        elif not b and start is not None:
            end = i
            while end > start and text[end - 1].isspace():
                end -= 1
            spans.append((start, end))
            start = None
    return CompiledEntry(id_, text, tuple(spans), heading, chars[0][2], chars[-1][2])


def _split(chars: Chars, labels: tuple[str, ...]) -> tuple[Chars, list[tuple[str, Chars]]] | None:
    """Split a cell whose chapeau ends in ':' followed by inline items `(a) … (b) …` or `(i) … (ii) …`."""
    text = "".join(c for c, _, _ in chars)
    first = re.search(rf":\s*\({labels[0]}\)\s", text)
    if not first:
        return None
    cuts = [(labels[0], text.index("(", first.start()), first.end())]
    for label in labels[1:]:
        m = re.compile(rf"\s\(?{label}\)\s").search(text, cuts[-1][2])
        if not m:
            break
        cuts.append((label, m.start() + 1, m.end()))
    items = [(lab, chars[b:(cuts[k + 1][1] if k + 1 < len(cuts) else len(chars))]) for k, (lab, _, b) in enumerate(cuts)]
    return chars[: cuts[0][1]], items


def _clean_heading(text: str) -> str:
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", text)).strip()
    text = re.sub(r"^\d+\s+(?=Part\b|[A-Z]\.\s)", "", text)  # page number glued to the heading
    text = re.sub(r"\s+Problem$", "", text)  # the 2009 "Problem" label glued to the heading
    return re.sub(r"\.?\s*Member States should:?$", "", text).strip()


def _level(text: str) -> int:
    if text.startswith("Part "):
        return 2
    if re.match(r"[A-Z]\.\s", text):
        return 3
    if text.startswith("Operational recommendations"):
        return 2
    return 4


@dataclass(frozen=True)
class _Row:
    """A compilation row before numbering: document, labels as printed, cleaned cell, heading."""

    doc: str
    number: str | None  # paragraph / Action / PP number, or JMS section letter + number
    letter: str | None
    chars: Chars
    heading: tuple[str, ...]


def _read_lines(path: Path) -> list[str]:
    try:
        return path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise CorpusError(f"cannot read {path}: {exc}") from exc


def _first(lines: list[str], path: Path, what: str, test) -> int:
    """Index of the first line passing `test`; CorpusError naming `what` when there is none."""
    found = next((k for k, ln in enumerate(lines) if test(ln)), None)
    if found is None:
        raise CorpusError(f"{path.name}: no {what} line; is this the right file?")
    return found


def _rows(path: Path) -> list[_Row]:
    lines = _read_lines(path)
    rows: list[tuple[str, str | None, str | None, list[tuple[str, int]], tuple[str, ...]]] = []
    doc, heads, number, section = None, {}, None, None
    i = _first(lines, path, "'## ANNEX'", lambda ln: ln.startswith("## ANNEX")) + 1
    while i < len(lines):
        line, n = lines[i], i + 1
        i += 1
        if not line.strip() or line.startswith(("<sup>", "---", "Para. of origin")):
            continue
        if line.startswith("\t"):  # a paragraph continued after a page break
            if not rows:
                raise CorpusError(f"{path.name}:{n}: a continuation line before any paragraph")
            rows[-1][3].append((line, n))
            continue
        if line.lstrip().startswith("**"):
            title = line
            while not title.rstrip().endswith("**") and i < len(lines):
                title += " " + lines[i]
                i += 1
            title = re.sub(r"\s+", " ", title.replace("**", "")).strip()
            key, level = _title_key(title, path, n)
            doc = key
            heads = {lv: h for lv, h in heads.items() if lv < level} | {level: title}
            number = section = None
            continue
        if doc is None:
            raise CorpusError(f"{path.name}:{n}: a paragraph before any document title")
        label, _, rest = line.partition("\t")
        label = label.strip()
        heading = tuple(heads[k] for k in sorted(heads))
        if m := re.fullmatch(r"\(?([a-z]{1,2})\)", label):
            rows.append((doc, number, m.group(1), [(rest, n)], heading))
        elif m := re.fullmatch(r"(\d+)\.?|PP(\d+)", label):
            num = m.group(1) or "PP" + m.group(2)
            number = f"{section}.{num}" if section else num
            rows.append((doc, number, None, [(rest, n)], heading))
        elif "<b>" in label and not label.startswith("We "):
            for seg in re.findall(r"<b>(.*?)</b>", label):
                if m := re.match(r"Action (\d+)", seg):
                    number = m.group(1)
                    if rest.strip():
                        rows.append((doc, number, None, [(rest, n)], heading))
                    continue
                title = _clean_heading(seg)
                level = _level(title)
                heads = {lv: h for lv, h in heads.items() if lv < level} | {level: title}
                heading = tuple(heads[k] for k in sorted(heads))
                if doc == JMS2014 and (m := re.match(r"([A-C])\.\s", title)):
                    section = m.group(1)
                if "Member States should" in seg:
                    number = None  # the compilation dropped the "Action N" header: resolved from 2009
        else:  # an unnumbered paragraph, e.g. the second chapeau of 2016 chapter 5
            rows.append((doc, f"{number}.intro", None, [(label, n)], heading))
    return [_Row(d, num, let, _chars(pieces), h) for d, num, let, pieces, h in rows]


def _title_key(title: str, path: Path, line: int) -> tuple[str, int]:
    """The document and heading level a bold title opens; CorpusError for a title of no known document."""
    found = next(((k, lv) for t, k, lv in _TITLES if title.startswith(t)), None)
    if found is None:
        raise CorpusError(f"{path.name}:{line}: unknown document title {title[:60]!r}")
    return found


class _Full2009:
    """The 2009 Plan of Action full text, normalised, with the paragraph/letter/roman in force at each position."""

    def __init__(self, path: Path) -> None:
        lines = _read_lines(path)
        start = _first(lines, path, "'Plan of action' title", lambda ln: re.fullmatch(r"\s*Plan of action\s*", ln))
        self.norm, self.state, para, letter, roman = [], [], 0, None, None
        for ln in lines[start:]:
            if (m := re.match(r"\s*(\d+)\.\s+[A-Z]", ln)) and int(m.group(1)) == para + 1:
                para, letter, roman = para + 1, None, None
            elif m := re.match(r"\s*\(([a-z]{1,4})\)\s", ln):
                lab = m.group(1)
                if lab == (chr(ord(letter) + 1) if letter else "a"):
                    letter, roman = lab, None
                elif lab in ROMANS:
                    roman = lab
            for c in _norm(ln):
                self.norm.append(c)
                self.state.append((para, letter, roman))
        self.text = "".join(self.norm)

    def locate(self, text: str, after: int = 0) -> int | None:
        """Position of `text` in the normalised full text, preferring the first match at or after `after`."""
        norm = _norm(text)
        for off in (0, 30, 60, 120, 200):
            key = norm[off : off + 60]
            if len(key) < 25:
                break
            pos = self.text.find(key, after)
            if pos < 0:
                pos = self.text.find(key)
            if pos >= 0:
                return pos
        return None


def _norm(text: str) -> str:
    return re.sub(r"[^0-9a-z]", "", text.lower())


def parse(raw_dir: Path) -> list[CompiledEntry]:
    """All compiled entries in file order, with canonical IDs (PoA numbers taken from the 2009 full text)."""
    raw_dir = Path(raw_dir)
    full = _Full2009(raw_dir / FULL_2009)
    entries: list[CompiledEntry] = []
    after = 0
    for row in _rows(raw_dir / FILE):
        number, letter = row.number, row.letter
        if row.doc == POA2009 and (pos := full.locate("".join(c for c, _, _ in row.chars), after)) is not None:
            after = pos
            para, full_letter, _ = full.state[pos]
            number, letter = str(para), (full_letter if row.letter else None)
        if number is None:
            raise CorpusError(f"{FILE}:{row.chars[0][2] if row.chars else '?'}: no paragraph number for this row")
        base = f"{row.doc}:{number}" + (f".{letter}" if letter else "")
        split = _split(row.chars, ROMANS) or _split(row.chars, _LETTERS)
        entries.append(_entry(base, split[0] if split else row.chars, row.heading))
        for label, chars in split[1] if split else ():
            entries.append(_entry(f"{base}.{label}", chars, row.heading))
    return entries


def operative_spans(canonical_text: str, entry: CompiledEntry) -> tuple[tuple[int, int], ...]:
    """Offsets in `canonical_text` of the entry's bold phrases, aligned despite small spelling or spacing differences."""
    src = [(i, c.lower()) for i, c in enumerate(entry.text) if c.isalnum()]
    dst = [(i, c.lower()) for i, c in enumerate(canonical_text) if c.isalnum()]
    a, b = "".join(c for _, c in src), "".join(c for _, c in dst)
    src_pos = {orig: k for k, (orig, _) in enumerate(src)}
    mapping: dict[int, int] = {}
    for blk in difflib.SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks():
        for k in range(blk.size):
            mapping[blk.a + k] = blk.b + k
    spans = []
    for start, end in entry.bold:
        ks = [src_pos[i] for i in range(start, end) if i in src_pos]
        hits = [mapping[k] for k in ks if k in mapping]
        if not ks or len(hits) < 0.8 * len(ks) or hits[-1] - hits[0] > 1.25 * len(ks) + 2:
            continue  # not located confidently
        s, e = dst[hits[0]][0], dst[hits[-1]][0] + 1
        while s > 0 and canonical_text[s - 1].isalnum():  # widen to whole words
            s -= 1
        while e < len(canonical_text) and canonical_text[e].isalnum():
            e += 1
        spans.append((s, e))
    merged: list[tuple[int, int]] = []
    for s, e in sorted(spans):
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(e, merged[-1][1]))
        else:
            merged.append((s, e))
    return tuple(merged)
