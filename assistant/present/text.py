"""Plain text for the command line: answers, summaries, one paragraph (`show`), its crosswalk links, comparisons."""

from __future__ import annotations

from typing import Sequence

from assistant.answer.compose import Answer, Quote
from assistant.corpus.paragraphs import Paragraph
from assistant.crosswalk.compare import Comparison
from assistant.present.citations import paste_block, quote_block
from assistant.present.counterparts import Group, quote_groups
from assistant.present.labels import (
    CLOSEST_NOTE,
    NEW_IN_2016,
    NO_LINKS,
    PASTE_LABEL,
    UNRESOLVED,
    chapeau_line,
    citation_line,
    labelled,
    readable_ops,
    via_label,
)
from assistant.summary.verify import Summary


def counterparts_text(groups: Sequence[Group]) -> list[str]:
    """The counterpart groups as indented lines: group title, then each link with its evidence and compare command."""
    lines = []
    for g in groups:
        lines.append(f"{g.title}:" + (f" {g.note}" if g.note else ""))
        for e in g.entries:
            cited = citation_line(e.citation, e.id) if e.text else e.id
            lines.append(f"  -> {cited}: {e.evidence}")
            if e.comparable:
                lines.append(f"     compare: {e.compare_command()}")
    return lines


def quote_text(q: Quote, explanations: dict | None = None) -> str:
    """A quote: its citation line, then indented chapeau, verbatim text, the block to paste and counterparts."""
    lines = [chapeau_line(i, t) for i, t in q.chapeau] + [labelled(q.id, q.text), f"{PASTE_LABEL} {quote_block(q)}"]
    lines += counterparts_text(quote_groups(q, explanations=explanations))
    return "\n".join([citation_line(q.citation, q.id, q.negotiated), *("  " + line for line in lines)])


def answer_text(a: Answer) -> str:
    """An answer: the lead, notes, then every quote."""
    parts = [a.lead, *(f"Note: {n}" for n in a.notes)]
    if not a.found and a.quotes:
        parts.append(CLOSEST_NOTE)
    parts.extend(quote_text(q) for q in a.quotes)
    return "\n\n".join(parts) + "\n"


def summary_text(summary: Summary) -> str:
    """A summary's status and the text a user may see (else why not), then one line per failed check."""
    lines = [f"Summary ({summary.status}): {summary.shown or summary.note}"]
    lines += [f"  ! {i.kind}: {i.detail}" for i in summary.issues]
    return "\n".join(lines)


def links_text(view: dict) -> str:
    """The crosswalk links of one paragraph, from `cli.crosswalk_view`."""
    head = f"Crosswalk ({view['direction']})"
    if view["new_in_2016"]:
        return f"{head}: {NEW_IN_2016}"
    if not view["links"]:
        return f"{head}: {NO_LINKS}."
    rows = [head + ":"]
    for link in view["links"]:
        via = f", {via_label(link['table_target'])}" if link["scope"] not in ("exact", None) else ""
        flag = "" if link["resolved"] else f": {UNRESOLVED}"
        where = f"as printed {link['raw']!r}, table line {link['line']}"
        cited = citation_line(link["citation"], link["target"]) if link["citation"] else link["target"]
        rows.append(f"  {cited}  (confidence {link['confidence']}{via}; {where}){flag}")
    return "\n".join(rows)


def crosswalk_text(citation: str, view: dict) -> str:
    """`assistant crosswalk`: the paragraph's citation line, then its links."""
    return citation_line(citation, view["id"]) + "\n" + links_text(view)


def paragraph_text(p: Paragraph, ancestors: Sequence[Paragraph], view: dict, groups: Sequence[Group] = (),
                   citation: str | None = None) -> str:
    """`assistant show`: citation (`citation`, in the form asked, else the paragraph's own), heading, kind, the
    chapeau and the verbatim text, the block to paste, then its counterparts."""
    citation = citation or p.citation
    lines = [
        citation_line(citation, p.id, p.negotiated),
        " > ".join(p.heading),
        f"kind: {p.kind}; commitment: {'yes' if p.is_commitment else 'no'}",
        "",
        *(chapeau_line(a.id, a.text) for a in ancestors),
        labelled(p.id, p.text),
        f"{PASTE_LABEL} {paste_block(p.text, citation)}",
        "",
        *(["Counterparts:", *("  " + line for line in counterparts_text(groups))] if groups else [links_text(view)]),
    ]
    return "\n".join(lines)


def comparison_text(a_citation: str, b_citation: str, c: Comparison) -> str:
    """`assistant compare`: `[-…-]` marks words only in A (deleted), `{+…+}` words only in B (inserted); shared runs after."""
    marked = "".join(
        text if op == "equal" else (f"[-{text}-]" if op == "delete" else f"{{+{text}+}}") for op, text in readable_ops(c.ops)
    )
    lines = [f"{a_citation}  →  {b_citation}", f"Relation: {c.relation} (word similarity {c.similarity:.2f})", "", marked, ""]
    if c.shared:
        lines.append(f"Shared runs ({len(c.shared)}):")
        lines += [f"  {r.words} words: “{r.text_b}”" for r in c.shared]
    else:
        lines.append("No run of six or more words in common.")
    return "\n".join(lines)
