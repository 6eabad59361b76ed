"""Render answers as plain text or Markdown with corpus and user text escaped so it shows literally."""

from __future__ import annotations

import re

from assistant.answer.compose import Answer, Quote

# Characters Markdown (CommonMark, GFM, Streamlit's LaTeX and directives) interprets anywhere in a line.
_MD_ALWAYS = re.compile(r"([\\`*_{}\[\]<>#$|~&])")
# A colon starts Streamlit's `:emoji:` and `:color[...]` directives only when a word follows it.
_COLON = re.compile(r":(?=\S)")
# Block markers that matter only at the start of a line: lists, quotes, headings, rules.
_LINE_START = re.compile(r"^(\s*\d*)([-+=.)])", re.M)


def escape_md(text: str) -> str:
    """Backslash-escape what Markdown, HTML and LaTeX would interpret, so the text displays exactly as written."""
    text = text.replace("\r", " ").replace("\x00", "")
    text = _MD_ALWAYS.sub(r"\\\1", text)
    text = _COLON.sub(r"\\:", text)
    text = _LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2), text)
    return text.replace("\n", "  \n")


def label(pid: str) -> str:
    """The printed sub-item label of a paragraph ID: `UNGASS2016:1.m` -> `(m)`; top-level paragraphs have none."""
    path = pid.partition(":")[2].split(".")
    return f"({path[-1]})" if len(path) > 1 and path[-1] != "intro" else ""


def emphasise(text: str, spans: tuple[tuple[int, int], ...], offset: int = 0) -> str:
    """Escaped Markdown of `text` with the operative verbs (spans into the full paragraph) in bold."""
    out, pos = [], 0
    for start, end in spans:
        start, end = start - offset, end - offset
        if end <= 0 or start >= len(text) or start < pos:
            continue
        start, end = max(start, 0), min(end, len(text))
        out.append(escape_md(text[pos:start]))
        out.append("**" + escape_md(text[start:end]) + "**")
        pos = end
    out.append(escape_md(text[pos:]))
    return "".join(out)


def quote_markdown(q: Quote, counterparts: bool = True) -> str:
    lines = [f"**{escape_md(q.citation)}** `{q.id}`" + ("" if q.negotiated else " — *not negotiated text*")]
    body = emphasise(q.text, q.operative_spans)
    if label(q.id):
        body = escape_md(label(q.id)) + " " + body
    if q.chapeau:
        body = " … ".join(escape_md(f"{label(i)} {t}".strip()) for i, t in q.chapeau) + " … " + body
    lines.append("> " + body)
    if counterparts:
        lines.extend(counterparts_markdown(q))
    return "\n\n".join(lines)


def counterparts_markdown(q: Quote) -> list[str]:
    if q.new_in_2016:
        return ["*New in 2016: the crosswalk table gives no 2009 counterpart.*"]
    rows = []
    for c in q.counterparts:
        label = f"{escape_md(c.relation)}, {escape_md(c.confidence)}"
        if c.score is not None:
            label += f", similarity {c.score:.2f}"
        if c.resolved:
            rows.append(f"- **{escape_md(c.citation)}** `{c.id}` ({label}): {escape_md(c.text)}")
        else:
            rows.append(f"- `{escape_md(c.id)}` ({label}): names no existing paragraph")
    return rows


def answer_markdown(a: Answer) -> str:
    parts = [f"### {escape_md(a.question)}", escape_md(a.lead)]
    parts.extend(f"*{escape_md(n)}*" for n in a.notes)
    if not a.found and a.quotes:
        parts.append("**Closest, not a match:**")
    parts.extend(quote_markdown(q) for q in a.quotes)
    return "\n\n".join(parts) + "\n"


def answer_text(a: Answer) -> str:
    parts = [a.lead]
    parts.extend(f"Note: {n}" for n in a.notes)
    if not a.found and a.quotes:
        parts.append("Closest, not a match:")
    for q in a.quotes:
        block = [f"{q.citation}  [{q.id}]" + ("" if q.negotiated else "  (not negotiated text)")]
        block.extend("  " + " ".join(filter(None, (label(i), t, "…"))) for i, t in q.chapeau)
        block.append("  " + " ".join(filter(None, (label(q.id), q.text))))
        if q.new_in_2016:
            block.append("  New in 2016: no 2009 counterpart in the crosswalk table.")
        for c in q.counterparts:
            tag = f"{c.relation}, {c.confidence}" + (f", similarity {c.score:.2f}" if c.score is not None else "")
            block.append(f"  -> {c.citation} [{c.id}] ({tag})" if c.resolved else f"  -> {c.id} ({tag}; names no existing paragraph)")
        parts.append("\n".join(block))
    return "\n\n".join(parts) + "\n"
