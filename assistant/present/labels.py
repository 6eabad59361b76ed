"""Every user-facing word about quotes: citation lines, item labels, counterpart labels and fixed notes."""

from __future__ import annotations

from assistant.answer.compose import Quote

TITLE = "UN drug-policy commitments: verbatim answers"
NOT_NEGOTIATED = "not negotiated text"
CLOSEST = "Closest, not a match"
CLOSEST_NOTE = f"{CLOSEST}: no paragraph clearly addresses this question."
NEW_IN_2016 = "New in 2016: the crosswalk table gives no 2009 counterpart."
UNRESOLVED = "names no existing paragraph"
NO_LINKS = "no links"
PASTE_LABEL = "To paste:"  # before a quote-and-citation block in the text output and the exports


def kind_label(q: Quote) -> str:
    """What kind of text a quote is, said on its card: a commitment, or what it is instead, so that a
    problem statement, a review of achievements or a Chair's summary is never taken for a commitment."""
    if q.kind == "problem":
        return "Problem statement (Plan of Action)"
    if q.kind == "summary":
        return "Chair's summary: not negotiated, not part of the Statement"
    if q.kind == "preamble":
        return "Preamble"
    if any(h.endswith("chievements") for h in q.heading):
        return "Achievements (a review, not a commitment)"
    if any(h.startswith(("Challenges", "General challenges")) for h in q.heading):
        return "Challenges and priorities (commitment)"
    return "Commitment" if q.is_commitment else ""


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


def readable_ops(ops) -> list[tuple[str, str]]:
    """A comparison's ops as (op, text) for display on one line: a deleted word directly followed by its
    replacement gets a space between them ("Establishing Continue", not "EstablishingContinue").
    Display only: the ops themselves still rebuild both texts exactly."""
    out = [(o.op, o.text) for o in ops]
    for i in range(len(out) - 1):
        (op, text), (nxt, following) = out[i], out[i + 1]
        if {op, nxt} == {"delete", "insert"} and text and following and not text[-1].isspace() and not following[0].isspace():
            out[i] = (op, text + " ")
    return out
