"""Build crosswalk links from the flattened 2016→2009 table: token reading, repairs, confidence, resolution.

Rules (details in `assistant/corpus/sources/crosswalk_table.py`):
- Tokens: `Action N[.x[.r]]` → `PoA2009:N[.x[.r]]`; `OP N[.x]` and `Target N.x` → `PD2009:N[.x]`; `N/A` → no
  2009 counterpart (one link per row, target "", new_in_2016). Any other form must be listed in
  `corpus/crosswalk_repairs.csv` (raw_token, repaired, reason), else `CorpusError`; repaired "" marks
  flattening noise (`-`, `00.07`), which is not a reference. `PP 9` is read as PD2009:9: the 2009
  Declaration's preamble is unnumbered, and para 9 (women) is the counterpart of 2016 4 (g) (gender).
- A well-formed token listed in the repairs table is read as the table says (`OP 24.i` → PD2009:24.b.i: PD 24
  has exactly one (i), under (b), and 7 (e) repeats its wording), with confidence `repaired`.
- Shared lines: a line that holds the end of one row and the start of the next (`…; 3.e) Monitor…`) prints
  the references of both rows one after the other, each row in the table's order (OP, then Target, then
  Action). Where that order starts again, the next row's references begin: with as many runs of ordered
  references as rows on the line, the k-th run belongs to the k-th row. Where the order cannot tell (fewer
  runs than rows), a reference whose 2009 text shares a run of six or more words (crosswalk/compare.py)
  with exactly one of the rows (agreed language, not a stock phrase) belongs to that row. A decided reference is read like any other; one that
  neither decides stays on both rows as `ambiguous`, and so does one whose wording contradicts the order.
- Confidence: `ambiguous` when the row was assigned by rule (placement between, or a shared line left
  undecided), else `repaired` when the token or the row label came from the repairs table, else `exact`.
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
    texts: dict[str, str] | None = None,
) -> list[Link]:
    """All links of the crosswalk table in `raw_dir`, deduplicated and sorted (source order, then line).

    `texts` (paragraph id → canonical text) lets shared lines be decided by wording where order cannot.
    """
    repairs = table.load_repairs(repairs_path or table.default_repairs_path(Path(raw_dir)))
    rows = table.parse(Path(raw_dir) / table.FILE, repairs)
    decided = _decide_shared_lines(rows, repairs, texts or {})
    links: list[Link] = []
    for row in rows:
        label_repaired = row.raw_label in repairs
        resolved_refs = []
        position: dict[int, int] = {}
        for ref in row.refs:
            at = position[ref.line] = position.get(ref.line, -1) + 1
            if ref.placement == table.SHARED and decided.get((ref.line, at), row.label) != row.label:
                continue  # the table's order or wording gives this reference to the other row of the line
            target, repaired = _read(ref, repairs)
            if target is None:
                continue  # flattening noise, listed with its reason
            if ref.placement == table.SHARED and (ref.line, at) in decided:
                ref = table.RawRef(ref.token, ref.line, table.ROW)
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


def _read(ref: table.RawRef, repairs: dict) -> tuple[str | None, bool]:
    """(2009 id, repaired) of a reference token; (None, True) for listed flattening noise."""
    if ref.token in repairs:
        return repairs[ref.token].repaired or None, True
    target = canonical_target(ref.token)
    if target is None:
        raise CorpusError(f"{table.FILE}:{ref.line}: garbled reference {ref.token!r} not in the repairs table")
    return target, False


# The table lists a row's references OP (and PP) first, then Target, then Action.
_ORDER = {"OP": 0, "PP": 0, "Target": 1, "Action": 2, "Antion": 2}


def _rank(token: str) -> int | None:
    word = re.match(r"[A-Za-z/]+", token)
    return _ORDER.get(word.group(0)) if word else None


def _decide_shared_lines(rows: list[table.TableRow], repairs: dict, texts: dict[str, str]) -> dict[tuple[int, int], str]:
    """For each shared line, which row each reference (line, position on the line) belongs to, where decidable."""
    from assistant.crosswalk.compare import Phrasebook

    phrases = Phrasebook(texts)
    owners: dict[int, list[str]] = {}
    tokens: dict[int, list[str]] = {}
    for row in rows:  # rows come in table order, so the owners of a line are in printed order
        for ref in row.refs:
            if ref.placement != table.SHARED:
                continue
            if row.label not in owners.setdefault(ref.line, []):
                owners[ref.line].append(row.label)
            if owners[ref.line][0] == row.label:
                tokens.setdefault(ref.line, []).append(ref.token)
    decided: dict[tuple[int, int], str] = {}
    for line, rows_here in owners.items():
        toks = tokens[line]
        runs: list[list[int]] = []
        for i, tok in enumerate(toks):
            rank = _rank(tok)
            if not runs or (rank is not None and _rank(toks[runs[-1][-1]]) is not None and rank < _rank(toks[runs[-1][-1]])):
                runs.append([])
            runs[-1].append(i)
        by_order = {i: rows_here[k] for k, run in enumerate(runs) for i in run} if len(runs) == len(rows_here) else {}
        for i, tok in enumerate(toks):
            target = _read(table.RawRef(tok, line, table.SHARED), repairs)[0]
            text = texts.get(target or "")
            by_words = [r for r in rows_here if texts.get(r) and phrases.agreed_run(text, texts[r])] if text else []
            wording = by_words[0] if len(by_words) == 1 else None
            if i in by_order and (wording is None or wording == by_order[i]):
                decided[(line, i)] = by_order[i]
            elif i not in by_order and wording is not None:
                decided[(line, i)] = wording
    return decided


def _is_na(ref: table.RawRef) -> bool:
    return ref.token == NA


def _resolved(target: str, known_ids: set[str] | None, problem_ids: set[str]) -> bool:
    if not target or known_ids is None:
        return True
    if target.startswith(_DOCS["Action"] + ":") and _paragraph(target) in problem_ids:
        return False  # an "Action" number that is a Problem paragraph
    return target in known_ids
