"""corpus-check: compare canonical paragraphs with the compilation's copies, and report coverage."""

from __future__ import annotations

import csv
import difflib
import re
from dataclasses import dataclass
from pathlib import Path

from assistant.corpus.paragraphs import Corpus

_WS = re.compile(r"\s+")


@dataclass(frozen=True)
class Difference:
    """One word-level difference between the compilation's copy and the canonical text."""

    id: str
    compilation: str
    canonical: str

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.id, self.compilation, self.canonical)


@dataclass(frozen=True)
class SuspectJoin:
    """Two words joined with a space at a line break of the source, which the corpus prints hyphenated elsewhere."""

    id: str
    file: str
    line: int
    joined: str
    hyphenated: str


@dataclass(frozen=True)
class CheckReport:
    compared: int
    differences: tuple[Difference, ...]
    explained: tuple[tuple[Difference, str], ...]
    unexplained: tuple[Difference, ...]
    stale_allowlist: tuple[tuple[str, str, str], ...]
    missing: dict
    joins: tuple[SuspectJoin, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.unexplained and not self.joins

    def to_dict(self) -> dict:
        return {
            "compared": self.compared,
            "differences": len(self.differences),
            "explained": [
                {"id": d.id, "compilation": d.compilation, "canonical": d.canonical, "reason": r}
                for d, r in self.explained
            ],
            "unexplained": [{"id": d.id, "compilation": d.compilation, "canonical": d.canonical} for d in self.unexplained],
            "stale_allowlist": [list(k) for k in self.stale_allowlist],
            "missing": self.missing,
            "joins": [{"id": j.id, "file": j.file, "line": j.line, "joined": j.joined, "hyphenated": j.hyphenated} for j in self.joins],
        }


def normalise(text: str) -> str:
    return _WS.sub(" ", text).strip()


def differences(pid: str, compiled: str, canonical: str) -> list[Difference]:
    """Word-level differences, each with a little context so the allowlist entry is unambiguous."""
    a, b = normalise(compiled).split(" "), normalise(canonical).split(" ")
    out = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        lo_a, lo_b = max(i1 - 1, 0), max(j1 - 1, 0)
        out.append(Difference(pid, " ".join(a[lo_a : i2 + 1]), " ".join(b[lo_b : j2 + 1])))
    return out


def read_allowlist(path: Path) -> dict[tuple[str, str, str], str]:
    if not path.exists():
        return {}
    with path.open(encoding="utf-8", newline="") as fh:
        return {(r["id"], r["compilation"], r["canonical"]): r["reason"] for r in csv.DictReader(fh)}


def check(corpus: Corpus, raw_dir: Path, allowlist_path: Path) -> CheckReport:
    from assistant.corpus.sources import compilation

    allow = read_allowlist(allowlist_path)
    found: list[Difference] = []
    compared = 0
    for entry in compilation.parse(raw_dir):
        if entry.id not in corpus:
            continue
        paragraph = corpus.get(entry.id)
        if paragraph.source.file.startswith("2023_"):
            continue  # the compilation is this paragraph's own source: nothing to compare against
        compared += 1
        found.extend(differences(entry.id, entry.text, paragraph.text))
    explained = tuple((d, allow[d.key]) for d in found if d.key in allow)
    unexplained = tuple(d for d in found if d.key not in allow)
    seen = {d.key for d in found}
    stale = tuple(k for k in allow if k not in seen)
    return CheckReport(compared, tuple(found), explained, unexplained, stale, coverage(corpus), suspect_joins(corpus, raw_dir))


_HYPHENATED = re.compile(r"[A-Za-z0-9]+(?:-[A-Za-z0-9]+)+")
_LAST_WORD = re.compile(r"([A-Za-z0-9]+)[ \t]*$")
_FIRST_WORD = re.compile(r"^\s*([A-Za-z0-9]+)")


def suspect_joins(corpus: Corpus, raw_dir: Path) -> tuple[SuspectJoin, ...]:
    """Line breaks where the source lost a hyphen: "money " at a line end, "laundering" on the next line,
    joined as "money laundering" in the canonical text, while the corpus prints "money-laundering" elsewhere
    and the sources print the hyphenated form more often than the spaced one within a line."""
    printed = {m.group(0).lower() for p in corpus for m in _HYPHENATED.finditer(p.text)}
    pairs = {form for form in printed if form.count("-") == 1}
    # Evidence from whole lines of every source (no line break involved): how each form is printed.
    raw = "\n".join(f.read_text(encoding="utf-8").lower() for f in sorted(Path(raw_dir).glob("*.txt")))

    def printed_more_hyphenated(form: str) -> bool:
        a, b = form.split("-")
        spaced = len(re.findall(rf"(?<![\w-]){re.escape(a)}[ \t]+{re.escape(b)}(?![\w-])", raw))
        return len(re.findall(rf"(?<![\w-]){re.escape(form)}(?![\w-])", raw)) > spaced

    lines: dict[str, list[str]] = {}
    out = []
    for p in corpus:
        path = Path(raw_dir) / p.source.file
        if p.source.file not in lines:
            lines[p.source.file] = path.read_text(encoding="utf-8").split("\n") if path.exists() else []
        span = lines[p.source.file][p.source.line_start - 1 : p.source.line_end]
        text = p.text.lower()
        for n, (line, nxt) in enumerate(zip(span, span[1:]), p.source.line_start):
            first, last = _FIRST_WORD.match(nxt), _LAST_WORD.search(line)
            if not first or not last:
                continue
            a, b = last.group(1).lower(), first.group(1).lower()
            if f"{a}-{b}" in pairs and printed_more_hyphenated(f"{a}-{b}") and re.search(rf"(?<![\w-]){re.escape(a)} {re.escape(b)}(?![\w-])", text):
                out.append(SuspectJoin(p.id, p.source.file, n, f"{a} {b}", f"{a}-{b}"))
    return tuple(out)


def coverage(corpus: Corpus) -> dict[str, list[str]]:
    """Numbered paragraphs of each document with a known numbering (the registry's) that no source holds."""
    return {
        key: [f"{key}:{n}" for n in doc.numbering if f"{key}:{n}" not in corpus]
        for key, doc in corpus.documents.items()
        if doc.numbering
    }


def format_report(report: CheckReport) -> str:
    lines = [
        f"Compared {report.compared} paragraphs present in the compilation and in a full text.",
        f"Differences: {len(report.differences)} ({len(report.explained)} reviewed, {len(report.unexplained)} unexplained).",
    ]
    for d, reason in report.explained:
        lines.append(f"  reviewed  {d.id}: compilation «{d.compilation}» / canonical «{d.canonical}» — {reason}")
    for d in report.unexplained:
        lines.append(f"  UNEXPLAINED  {d.id}: compilation «{d.compilation}» / canonical «{d.canonical}»")
    for k in report.stale_allowlist:
        lines.append(f"  stale allowlist entry (no longer occurs): {k[0]} «{k[1]}» / «{k[2]}»")
    lines.append("Line breaks that lost a hyphen (joined with a space, printed hyphenated elsewhere): "
                 + ("none" if not report.joins else str(len(report.joins))))
    for j in report.joins:
        lines.append(f"  JOIN  {j.id}: «{j.joined}» at {j.file}:{j.line}; the corpus prints «{j.hyphenated}» elsewhere")
    lines.append("Coverage (numbered paragraphs absent from every source):")
    for doc, ids in report.missing.items():
        lines.append(f"  {doc}: " + (", ".join(i.partition(':')[2] for i in ids) if ids else "none"))
    return "\n".join(lines)
