"""Every user-facing word about quotes: citation lines, item labels, counterpart labels and fixed notes."""

from __future__ import annotations

from assistant.answer.compose import SUGGESTION, Counterpart, Quote

TITLE = "UN drug-policy commitments: verbatim answers"
NOT_NEGOTIATED = "not negotiated text"
CLOSEST = "Closest, not a match"
CLOSEST_NOTE = f"{CLOSEST}: no paragraph clearly addresses this question."
NEW_IN_2016 = "New in 2016: the crosswalk table gives no 2009 counterpart."
UNRESOLVED = "names no existing paragraph"
NO_COUNTERPART = "No counterpart in the crosswalk table and no suggestion."
NO_LINKS = "no links"


def item_label(pid: str) -> str:
    """The printed sub-item label of a paragraph ID: `UNGASS2016:1.m` -> `(m)`; top-level paragraphs have none."""
    path = pid.partition(":")[2].split(".")
    return f"({path[-1]})" if len(path) > 1 and path[-1] != "intro" else ""


def labelled(pid: str, text: str) -> str:
    """`text` after its printed sub-item label, as the document prints it: `(m) Promote …`."""
    return f"{item_label(pid)} {text}" if item_label(pid) else text


def chapeau_line(pid: str, text: str) -> str:
    """An enclosing paragraph shown above a quote, trailing off into it."""
    return labelled(pid, text) + " …"


def citation_line(citation: str, pid: str, negotiated: bool = True) -> str:
    """`2016 Outcome Document, para. 1 (m)  [UNGASS2016:1.m]`, noting text that was not negotiated."""
    return f"{citation}  [{pid}]" + ("" if negotiated else f"  ({NOT_NEGOTIATED})")


def via_label(pid: str) -> str:
    """Said of a link whose table row names an enclosing or enclosed paragraph rather than this one."""
    return f"the table names {pid}"


def relation_label(c: Counterpart) -> str:
    """How a counterpart is known: `2009 source (crosswalk table), confidence exact` or a suggestion's similarity."""
    parts = [c.relation]
    if c.relation != SUGGESTION:
        parts.append(f"confidence {c.confidence}")
    if c.score is not None:
        parts.append(f"similarity {c.score:.2f}")
    return ", ".join(parts) + (f"; {via_label(c.via)}" if c.via else "")


def unresolved_line(c: Counterpart) -> str:
    """A table reference that resolves to no paragraph: `PoA2009:99 (…): names no existing paragraph`."""
    return f"{c.id} ({relation_label(c)}): {UNRESOLVED}"


def counterparts_title(q: Quote) -> str:
    """The heading over a quote's counterparts."""
    return "Counterparts: new in 2016" if q.new_in_2016 else f"Counterparts ({len(q.counterparts)})"
