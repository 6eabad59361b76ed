"""Build crosswalk links from the flattened 2016→2009 table: token reading, repairs, confidence, resolution.

Rules (details in `assistant/corpus/sources/crosswalk_table.py`):
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

import re
from pathlib import Path

from assistant.corpus.documents import REGISTRY
from assistant.corpus.sources import crosswalk_table as table
from assistant.crosswalk.links import AMBIGUOUS, EXACT, REPAIRED, Link, sort_links
from assistant.errors import CorpusError

NA = "N/A"
_TOKEN = re.compile(r"(Action|OP|Target) (\d+)(?:\.([a-z])(?:\.([ivx]+))?)?")
_DOCS = {token: REGISTRY.by_table_token(token) for token in ("Action", "OP", "Target")}


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
    if target.startswith(_DOCS["Action"] + ":") and _paragraph(target) in problem_ids:
        return False  # an "Action" number that is a Problem paragraph
    return target in known_ids
