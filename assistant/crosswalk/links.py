"""The 2016→2009 crosswalk: Link records from the flattened table, resolution, both directions, CSV I/O.

Rules (details in `assistant/sources/crosswalk_table.py`):
- Tokens: `Action N[.x[.r]]` → `PoA2009:N[.x[.r]]`; `OP N[.x]` and `Target N.x` → `PD2009:N[.x]`; `N/A` → no
  2009 counterpart (one link per row, target "", new_in_2016). Any other form must be listed in
  `corpus/crosswalk_repairs.csv` (raw_token, repaired, reason), else `CorpusError`; repaired "" marks
  flattening noise (`-`, `00.07`), which is not a reference. `PP 9` is read as PD2009:9: the 2009
  Declaration's preamble is unnumbered, and para 9 (women) is the counterpart of 2016 4 (g) (gender).
- Confidence: `ambiguous` when the row was assigned by rule (placement between/shared), else `repaired` when
  the token or the row label came from the repairs table, else `exact`.
- An `N/A` on a row that also has references is an echo of a neighbouring row's cell in the re-rendered
  block of 1 (l)–(o) and is not emitted; such rows are not new in 2016.
- Resolution: `resolved` is True when the target is in `known_ids` and is not a Problem paragraph named as an
  "Action" (`problem_ids`); without `known_ids` nothing is checked (all True). Unresolved links are kept.
- Whole-paragraph targets (`PoA2009:51`) stay whole: `counterparts_of('PoA2009:51.a')` returns them only
  with `broader=True` (default), after the exact and narrower links; `relation()` tells which is which.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

from assistant.errors import CorpusError
from assistant.corpus.order import id_sort_key
from assistant.corpus.sources import crosswalk_table as table

EXACT, REPAIRED, AMBIGUOUS = "exact", "repaired", "ambiguous"
COLUMNS = ("source", "target", "raw", "line", "confidence", "resolved", "new_in_2016")
NA = "N/A"
_TOKEN = re.compile(r"(Action|OP|Target) (\d+)(?:\.([a-z])(?:\.([ivx]+))?)?")
_DOCS = {"Action": "PoA2009", "OP": "PD2009", "Target": "PD2009"}


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


def canonical_target(token: str) -> str | None:
    """The 2009 id of a well-formed token (`Action 51.b.v` → `PoA2009:51.b.v`), "" for N/A, None if garbled."""
    if token == NA:
        return ""
    m = _TOKEN.fullmatch(token)
    if not m or (m.group(1) == "Target" and not m.group(3)):
        return None
    return f"{_DOCS[m.group(1)]}:" + ".".join(p for p in m.groups()[1:] if p)


def _paragraph(pid: str) -> str:
    doc, _, path = pid.partition(":")
    return f"{doc}:{path.split('.')[0]}"


def build_links(
    raw_dir: Path,
    known_ids: set[str] | None,
    problem_ids: set[str] = frozenset(),
    repairs_path: Path | None = None,
) -> list[Link]:
    """All links of the crosswalk table in `raw_dir`, deduplicated and sorted (source order, then line)."""
    repairs = table.load_repairs(repairs_path or table.default_repairs_path(Path(raw_dir)))
    rows = table.parse(Path(raw_dir) / table.FILE, repairs)
    links: list[Link] = []
    for row in rows:
        label_repaired = row.raw_label in repairs
        resolved_refs = []
        for ref in row.refs:
            target, repaired = canonical_target(ref.token), False
            if target is None:
                if ref.token not in repairs:
                    raise CorpusError(f"{table.FILE}:{ref.line}: garbled reference {ref.token!r} not in the repairs table")
                target, repaired = repairs[ref.token].repaired, True
                if not target:
                    continue  # flattening noise, listed with its reason
            resolved_refs.append((ref, target, repaired))
        has_refs = any(not _is_na(ref) for ref, _, _ in resolved_refs)
        seen: set[str] = set()
        for ref, target, repaired in resolved_refs:
            na = _is_na(ref)
            if (na and has_refs) or target in seen:
                continue
            seen.add(target)
            if ref.placement != table.ROW:
                confidence = AMBIGUOUS
            elif repaired or label_repaired:
                confidence = REPAIRED
            else:
                confidence = EXACT
            links.append(Link(row.label, target, ref.token, ref.line, confidence,
                              _resolved(target, known_ids, problem_ids), na))
    return sort_links(links)


def _is_na(ref: table.RawRef) -> bool:
    return ref.token == NA


def _resolved(target: str, known_ids: set[str] | None, problem_ids: set[str]) -> bool:
    if not target or known_ids is None:
        return True
    if target.startswith("PoA2009:") and _paragraph(target) in problem_ids:
        return False  # an "Action" number that is a Problem paragraph
    return target in known_ids


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


def relation(target: str, pid: str) -> str | None:
    """How a link target relates to a 2009 id: "exact", "narrower" (a sub-item of pid), "broader" (encloses pid)."""
    if not target:
        return None
    if target == pid:
        return "exact"
    if target.startswith(pid + "."):
        return "narrower"
    if pid.startswith(target + "."):
        return "broader"
    return None


class Crosswalk:
    """Both directions over a list of links."""

    def __init__(self, links: list[Link]):
        self.links = sort_links(links)

    def sources_of(self, id_2016: str) -> list[Link]:
        """2016 → 2009: the links of one 2016 paragraph (its N/A link if new in 2016)."""
        return [k for k in self.links if k.source == id_2016]

    def counterparts_of(self, id_2009: str, broader: bool = True) -> list[Link]:
        """2009 → 2016: links to the id or its sub-items, then (if broader) links to an enclosing paragraph."""
        order = {"exact": 0, "narrower": 1, "broader": 2}
        hits = [(order[r], k) for k in self.links if (r := relation(k.target, id_2009))
                and (broader or r != "broader")]
        return [k for _, k in sorted(hits, key=lambda h: h[0])]

    def is_new_in_2016(self, id_2016: str) -> bool:
        return any(k.new_in_2016 for k in self.sources_of(id_2016))

    def unresolved(self) -> list[Link]:
        return [k for k in self.links if not k.resolved]
