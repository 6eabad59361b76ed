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
class CheckReport:
    compared: int
    differences: tuple[Difference, ...]
    explained: tuple[tuple[Difference, str], ...]
    unexplained: tuple[Difference, ...]
    stale_allowlist: tuple[tuple[str, str, str], ...]
    missing: dict

    @property
    def ok(self) -> bool:
        return not self.unexplained

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
    return CheckReport(compared, tuple(found), explained, unexplained, stale, coverage(corpus))


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
    lines.append("Coverage (numbered paragraphs absent from every source):")
    for doc, ids in report.missing.items():
        lines.append(f"  {doc}: " + (", ".join(i.partition(':')[2] for i in ids) if ids else "none"))
    return "\n".join(lines)
