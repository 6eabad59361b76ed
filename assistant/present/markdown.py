"""Markdown for answers, quotes, counterparts, conversations and summaries, with all corpus and model text escaped."""

from __future__ import annotations

from typing import Sequence

from assistant.answer.compose import Answer, Quote
from assistant.crosswalk.compare import Comparison
from assistant.present.citations import quote_block
from assistant.present.counterparts import Entry, Group, quote_groups
from assistant.present.escape import MATCHED, OPERATIVE, code_md, escape_md, segments
from assistant.present.labels import (
    CLOSEST_NOTE,
    NEW_IN_2016,
    NOT_NEGOTIATED,
    PASTE_LABEL,
    TITLE,
    chapeau_line,
    item_label,
    readable_ops,
)
from assistant.summary.verify import UNAVAILABLE, VERIFIED, WITHHELD, SentenceCheck, Summary, split_sentences

NEW_IN_2016_MD = f"*{escape_md(NEW_IN_2016)}*"
MATCHED_MARK = ":blue-background"  # Streamlit only: the app marks matched words; files never carry it


def emphasised(text: str, operative_spans: tuple[tuple[int, int], ...], matched: tuple[tuple[int, int], ...] = ()) -> str:
    """Escaped Markdown of `text` with its operative verbs in bold and, in the app, the question's
    matched words on a highlight (Streamlit's background directive), distinct from the bold."""
    out = []
    for piece, flags in segments(text, operative=operative_spans, matched=matched):
        md = escape_md(piece)
        md = f"**{md}**" if OPERATIVE in flags and md.strip() else md
        out.append(f"{MATCHED_MARK}[{md}]" if MATCHED in flags and md.strip() else md)
    return "".join(out)


def quoted_markdown(pid: str, text: str, operative_spans: tuple[tuple[int, int], ...] = (),
                    matched: tuple[tuple[int, int], ...] = ()) -> str:
    """A paragraph's verbatim text after its printed sub-item label, operative verbs in bold, matched words marked."""
    label = item_label(pid)
    return (escape_md(label) + " " if label else "") + emphasised(text, operative_spans, matched)


def citation_markdown(citation: str, pid: str, negotiated: bool = True) -> str:
    """`**2016 Outcome Document, para. 1 (m)** `UNGASS2016:1.m``, noting text that was not negotiated."""
    return f"**{escape_md(citation)}** {code_md(pid)}" + ("" if negotiated else f" — *{NOT_NEGOTIATED}*")


def entry_head(e: Entry) -> str:
    """A counterpart's citation (or, for a reference naming nothing, its ID) and its evidence in words."""
    cited = citation_markdown(e.citation, e.id) if e.text else code_md(e.id)
    return f"{cited}: {escape_md(e.evidence)}"


def entry_markdown(e: Entry) -> str:
    """One list item in the plain words of present/counterparts.py: citation, evidence, then the verbatim text."""
    line = "- " + entry_head(e)
    return line + (f"\n  > {escape_md(e.text)}" if e.text else "")


def groups_markdown(groups: Sequence[Group]) -> list[str]:
    """Lines about a paragraph's counterparts: each group's title (and note), then its entries."""
    lines = []
    for g in groups:
        lines.append(f"*{escape_md(g.title)}*" + (f": {escape_md(g.note)}" if g.note else ""))
        lines.extend(entry_markdown(e) for e in g.entries)
    return lines


def counterparts_markdown(q: Quote, explanations: dict | None = None) -> list[str]:
    """Lines about a quote's counterparts, grouped (present/counterparts.py)."""
    return groups_markdown(quote_groups(q, explanations=explanations))


def quote_markdown(q: Quote, counterparts: bool = True, mark_operative: bool = False, paste: bool = False) -> str:
    """A quote: its citation, its chapeau and its printed item letter before the verbatim text as a block quote
    (operative verbs in bold only when `mark_operative`), the quote-and-citation block to paste if `paste`,
    then its counterparts."""
    lines = [citation_markdown(q.citation, q.id, q.negotiated)]
    body = quoted_markdown(q.id, q.text, q.operative_spans if mark_operative else ())
    lines.append("> " + " ".join([*(escape_md(chapeau_line(i, t)) for i, t in q.chapeau), body]))
    if paste:
        lines.append(f"*{PASTE_LABEL}* {escape_md(quote_block(q))}")
    if counterparts:
        lines.extend(counterparts_markdown(q))
    return "\n\n".join(lines)


def answer_markdown(a: Answer, mark_operative: bool = False) -> str:
    """An answer as exported: the question as a heading, the lead, notes, then every quote with its block to paste.
    Quotes are the canonical text exactly; bold marks the operative verbs only when `mark_operative`."""
    parts = [f"### {escape_md(a.question)}", escape_md(a.lead)]
    parts.extend(f"*{escape_md(n)}*" for n in a.notes)
    if not a.found and a.quotes:
        parts.append(f"**{escape_md(CLOSEST_NOTE)}**")
    parts.extend(quote_markdown(q, mark_operative=mark_operative, paste=True) for q in a.quotes)
    return "\n\n".join(parts) + "\n"


def conversation_markdown(answers: Sequence[Answer], mark_operative: bool = False) -> str:
    """The answers as one Markdown file, rendered with the same escaping as the app."""
    return f"# {TITLE}\n\n" + "\n".join(answer_markdown(a, mark_operative) for a in answers)


def summary_markdown(summary: Summary) -> str:
    """Markdown for a summary: failures marked ⚠, withheld text never shown, all model text escaped."""
    note = escape_md(summary.note)
    if summary.status == UNAVAILABLE:
        return f"*Summary unavailable: {note}*"
    if summary.status == WITHHELD or not summary.shown:
        return f"**Summary withheld.** {note} The quotes above are the answer."
    sentences = summary.sentences or tuple(SentenceCheck(s, (), ()) for s in split_sentences(summary.shown))
    body = " ".join(
        escape_md(s.text) if s.ok
        else f"⚠ {escape_md(s.text)} *(⚠ {escape_md('; '.join(i.detail for i in s.issues))})*"
        for s in sentences
    )
    if summary.status == VERIFIED:
        return f"**Summary** (machine-written from the quotes above; citations and quotations checked)\n\n{body}"
    return f"**Draft summary** ⚠ {note}\n\n{body}"


def comparison_markdown(a_citation: str, b_citation: str, c: Comparison) -> str:
    """A comparison: words only in the earlier text ~~struck through~~, words only in the later one **in bold**,
    then the shared runs; all text escaped."""
    marked = "".join(
        escape_md(text) if op == "equal" else _wrap(text, "~~" if op == "delete" else "**")
        for op, text in readable_ops(c.ops)
    )
    lines = [f"**{escape_md(a_citation)}** → **{escape_md(b_citation)}**",
             escape_md(f"Relation: {c.relation} (word similarity {c.similarity:.2f}). "
                       "Struck through: only in the earlier text; bold: only in the later text."),
             marked]
    if c.shared:
        lines.append(escape_md(f"Shared runs ({len(c.shared)}):"))
        lines += [f"- {escape_md(f'{r.words} words: “{r.text_b}”')}" for r in c.shared]
    else:
        lines.append(escape_md("No run of six or more words in common."))
    return "\n\n".join(lines)


def _wrap(text: str, mark: str) -> str:
    """`text` marked, its surrounding spaces kept outside the markers (Markdown needs them there)."""
    stripped = text.strip()
    if not stripped:
        return escape_md(text)
    lead, trail = text[: len(text) - len(text.lstrip())], text[len(text.rstrip()):]
    return f"{escape_md(lead)}{mark}{escape_md(stripped)}{mark}{escape_md(trail)}"


def side_markdown(text: str, c: Comparison, side: str) -> str:
    """One side of a comparison: the shared runs highlighted (Streamlit's background directive, as the app
    marks matched words), words only on this side struck through (earlier, `a`) or bold (later, `b`)."""
    spans = [(r.a_start, r.a_end) if side == "a" else (r.b_start, r.b_end) for r in c.shared]
    own, pos = [], 0
    for o in c.ops:
        if o.op == "equal" or o.op == ("delete" if side == "a" else "insert"):
            if o.op != "equal" and o.text.strip():
                own.append((pos, pos + len(o.text)))
            pos += len(o.text)
    mark = "~~" if side == "a" else "**"
    out = []
    for piece, flags in segments(text, shared=sorted(spans), changed=own):
        md = _wrap(piece, mark) if "changed" in flags else escape_md(piece)
        out.append(f"{MATCHED_MARK}[{md}]" if "shared" in flags and piece.strip() else md)
    return "".join(out)
