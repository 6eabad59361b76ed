"""A comparison of two paragraphs as plain text: both texts with changes marked, then the shared runs."""

from __future__ import annotations

from assistant.crosswalk.compare import Comparison


def comparison_text(a_citation: str, b_citation: str, c: Comparison) -> str:
    """`[-…-]` marks words only in A (deleted), `{+…+}` words only in B (inserted); shared runs listed after."""
    marked = "".join(
        o.text if o.op == "equal" else (f"[-{o.text}-]" if o.op == "delete" else f"{{+{o.text}+}}") for o in c.ops
    )
    lines = [
        f"{a_citation}  →  {b_citation}",
        f"Relation: {c.relation} (word similarity {c.similarity:.2f})",
        "",
        marked,
        "",
    ]
    if c.shared:
        lines.append(f"Shared runs ({len(c.shared)}):")
        lines += [f"  {r.words} words: “{r.text_b}”" for r in c.shared]
    else:
        lines.append("No run of six or more words in common.")
    return "\n".join(lines)
