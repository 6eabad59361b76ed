"""Markdown for answers, quotes, counterparts, conversations and summaries, with all corpus and model text escaped."""

from __future__ import annotations

from typing import Sequence

from assistant.answer.compose import Answer, Counterpart, Quote
from assistant.present.escape import OPERATIVE, code_md, escape_md, segments
from assistant.present.labels import (
    CLOSEST_NOTE,
    NEW_IN_2016,
    NOT_NEGOTIATED,
    TITLE,
    chapeau_line,
    item_label,
    relation_label,
    unresolved_line,
)
from assistant.summary.verify import UNAVAILABLE, VERIFIED, WITHHELD, SentenceCheck, Summary, split_sentences

NEW_IN_2016_MD = f"*{escape_md(NEW_IN_2016)}*"


def emphasised(text: str, operative_spans: tuple[tuple[int, int], ...]) -> str:
    """Escaped Markdown of `text` with its operative verbs in bold."""
    return "".join(
        f"**{escape_md(piece)}**" if OPERATIVE in flags else escape_md(piece)
        for piece, flags in segments(text, operative=operative_spans)
    )


def quoted_markdown(pid: str, text: str, operative_spans: tuple[tuple[int, int], ...] = ()) -> str:
    """A paragraph's verbatim text after its printed sub-item label, operative verbs in bold."""
    label = item_label(pid)
    return (escape_md(label) + " " if label else "") + emphasised(text, operative_spans)


def citation_markdown(citation: str, pid: str, negotiated: bool = True) -> str:
    """`**2016 Outcome Document, para. 1 (m)** `UNGASS2016:1.m``, noting text that was not negotiated."""
    return f"**{escape_md(citation)}** {code_md(pid)}" + ("" if negotiated else f" — *{NOT_NEGOTIATED}*")


def counterpart_head(c: Counterpart) -> str:
    """A counterpart's citation and how it is known; for an unresolved table reference, that it names nothing."""
    if c.resolved:
        return f"{citation_markdown(c.citation, c.id)} ({escape_md(relation_label(c))})"
    return escape_md(unresolved_line(c))


def counterpart_markdown(c: Counterpart) -> str:
    """One list item: the counterpart's head and, when it resolves, its verbatim text."""
    return "- " + counterpart_head(c) + (f": {escape_md(c.text)}" if c.resolved else "")


def counterparts_markdown(q: Quote) -> list[str]:
    """Lines about a quote's counterparts: the new-in-2016 note, then one list item each."""
    return ([NEW_IN_2016_MD] if q.new_in_2016 else []) + [counterpart_markdown(c) for c in q.counterparts]


def quote_markdown(q: Quote, counterparts: bool = True) -> str:
    """A quote: its citation, its chapeau and verbatim text as a block quote, then its counterparts."""
    lines = [citation_markdown(q.citation, q.id, q.negotiated)]
    body = quoted_markdown(q.id, q.text, q.operative_spans)
    lines.append("> " + " ".join([*(escape_md(chapeau_line(i, t)) for i, t in q.chapeau), body]))
    if counterparts:
        lines.extend(counterparts_markdown(q))
    return "\n\n".join(lines)


def answer_markdown(a: Answer) -> str:
    """An answer: the question as a heading, the lead, notes, then every quote."""
    parts = [f"### {escape_md(a.question)}", escape_md(a.lead)]
    parts.extend(f"*{escape_md(n)}*" for n in a.notes)
    if not a.found and a.quotes:
        parts.append(f"**{escape_md(CLOSEST_NOTE)}**")
    parts.extend(quote_markdown(q) for q in a.quotes)
    return "\n\n".join(parts) + "\n"


def conversation_markdown(answers: Sequence[Answer]) -> str:
    """The answers as one Markdown file, rendered with the same escaping as the app."""
    return f"# {TITLE}\n\n" + "\n".join(answer_markdown(a) for a in answers)


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
