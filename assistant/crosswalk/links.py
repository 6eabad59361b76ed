"""Crosswalk links: the `Link` record, its order, and the committed CSV (read and written byte-identically)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from assistant.corpus.order import id_sort_key
from assistant.errors import CorpusError

EXACT, REPAIRED, AMBIGUOUS = "exact", "repaired", "ambiguous"
COLUMNS = ("source", "target", "raw", "line", "confidence", "resolved", "new_in_2016")


@dataclass(frozen=True)
class Link:
    """One 2016 paragraph → one 2009 paragraph (target "" when the row is marked N/A)."""

    source: str
    target: str
    raw: str
    line: int
    confidence: str
    resolved: bool
    new_in_2016: bool


def sort_links(links: list[Link]) -> list[Link]:
    """Stable order: 2016 source in document order, then table line."""
    return sorted(links, key=lambda k: (id_sort_key(k.source), k.line))


def write_csv(links: list[Link], path: Path) -> None:
    """Write links (sorted) so that regeneration is byte-identical."""
    buf = io.StringIO()
    out = csv.writer(buf, lineterminator="\n")
    out.writerow(COLUMNS)
    for k in sort_links(links):
        out.writerow([k.source, k.target, k.raw, k.line, k.confidence,
                      str(k.resolved).lower(), str(k.new_in_2016).lower()])
    Path(path).write_text(buf.getvalue(), encoding="utf-8")


def read_csv(path: Path) -> list[Link]:
    """Read links written by `write_csv`."""
    with open(path, newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        if tuple(reader.fieldnames or ()) != COLUMNS:
            raise CorpusError(f"{path}: expected columns {','.join(COLUMNS)}")
        return [
            Link(r["source"], r["target"], r["raw"], int(r["line"]), r["confidence"],
                 r["resolved"] == "true", r["new_in_2016"] == "true")
            for r in reader
        ]
