"""A checked draft as plain text and Markdown: the summary line, each span's status, sources, agreed wording and changes."""

from __future__ import annotations

import re

from assistant.drafting.check import CheckResult, Source, Span
from assistant.drafting.matcher import AGREED, NEAR, NEW
from assistant.present import citations
from assistant.present.escape import code_md, escape_md
from assistant.present.labels import citation_line

STATUS_BADGE = {AGREED: "Agreed", NEAR: "Near-agreed", NEW: "New"}
BADGE_COLOUR = {AGREED: "green", NEAR: "orange", NEW: "gray"}
LEGEND = (
    "Agreed language is in bold, near-agreed language in italics; "
    "each has a footnote with its citation and the agreed text."
)
LINE_BREAK = re.compile(r"\r\n|\r|\n")
# Pieces of a diff are joined with a space, except before closing and after opening punctuation.
_NO_SPACE_BEFORE = re.compile(r"^[,;:.!?)\]’”'\"]")


def percent(share: float) -> str:
    return f"{round(share * 100)}%"


def summary_line(r: CheckResult) -> str:
    """`62% of the draft (310 of 500 words) is agreed language, 20% near-agreed, 18% new; it draws on 2 documents (…).`"""
    if not r.words:
        return "The draft has no words to check."
    line = (
        f"{percent(r.share(AGREED))} of the draft ({r.words_of(AGREED)} of {r.words} words) is agreed language, "
        f"{percent(r.share(NEAR))} near-agreed, {percent(r.share(NEW))} new"
    )
    if not r.documents:
        return line + "; it draws on no document."
    many = "document" if len(r.documents) == 1 else "documents"
    return line + f"; it draws on {len(r.documents)} {many} ({', '.join(r.document_names)})."


def agreed_words(s: Source) -> str:
    """The agreed words, verbatim, in quotation marks (the citation names the paragraph and sub-item)."""
    return f"“{s.text}”"


def paste_block(s: Source) -> str:
    """The agreed words and their citation as drafters paste them (present/citations.py):
    `“Promote the inclusion …” (2016 Outcome Document, para. 1 (m))`."""
    return citations.paste_block(s.text, s.citation)


def badge_markdown(span: Span) -> str:
    """The span's status as a Streamlit badge."""
    return f":{BADGE_COLOUR[span.status]}-badge[{STATUS_BADGE[span.status]}]"


def changes(span: Span) -> list[str]:
    """What the draft changed, one item per difference: `“Encourage” → “Urge all”`, `“as appropriate” left out`,
    `“also” added`."""
    return _changes(span, _PLAIN, lambda text: text)


def marked(span: Span) -> str:
    """The near span with its changes marked: `[-agreed words-]{+draft words+}`, as `assistant compare` marks them."""
    pieces = []
    for c in span.diff:
        if c.op == "equal":
            pieces.append(c.draft)
        else:
            pieces.append((f"[-{c.agreed}-]" if c.agreed else "") + (f"{{+{c.draft}+}}" if c.draft else ""))
    return _flat(_join(pieces))


def note_text(span: Span) -> str:
    """The note on an agreed or near span: every citation, the agreed words and, for near spans, the changes."""
    cites = "; ".join(citation_line(s.citation, s.id) for s in span.sources)
    if span.status == AGREED:
        return f"Agreed language: {cites}. {agreed_words(span.sources[0])}"
    return f"Near-agreed language: {cites}. Agreed text: {agreed_words(span.sources[0])} Changed: {'; '.join(changes(span))}."


def report_text(r: CheckResult) -> str:
    """`assistant check`: the summary line, then every span with words, its status, citations, agreed words and changes."""
    lines = [summary_line(r), ""]
    for span in r.spans:
        if not span.words:
            continue
        lines.append(f"[{span.status}] {_flat(span.text)}")
        for s in span.sources:
            lines.append(f"    {citation_line(s.citation, s.id)}")
        if span.status == AGREED:
            lines.append(f"    agreed: {agreed_words(span.sources[0])}")
        elif span.status == NEAR:
            lines.append(f"    agreed: {agreed_words(span.sources[0])}")
            lines.append(f"    changed: {'; '.join(changes(span))}")
            lines.append(f"    marked: {marked(span)}")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def citations_markdown(span: Span) -> str:
    """Every citation of a span with its paragraph ID, newest document first."""
    return "; ".join(f"{escape_md(s.citation)} {code_md(s.id)}" for s in span.sources)


def changes_markdown(span: Span) -> str:
    """A near span's changes: agreed words struck through, the draft's in bold."""
    return "; ".join(_changes(span, _MARKDOWN, escape_md))


def note_markdown(span: Span) -> str:
    """The Markdown note on an agreed or near span (one line)."""
    head = f"{STATUS_BADGE[span.status]}: {citations_markdown(span)}."
    quote = escape_md(agreed_words(span.sources[0]))
    if span.status == AGREED:
        return f"{head} {quote}"
    return f"{head} Agreed text: {quote} Changed: {changes_markdown(span)}."


def draft_markdown(r: CheckResult) -> str:
    """The draft with agreed spans in bold and near spans in italics, each followed by its footnote reference."""
    out, n = [], 0
    for span in r.spans:
        mark = {AGREED: "**", NEAR: "*"}.get(span.status, "")
        lines = LINE_BREAK.split(span.text)
        pieces = []
        for line in lines:
            core = line.strip()
            if mark and core:
                lead, trail = line[: len(line) - len(line.lstrip())], line[len(line.rstrip()) :]
                pieces.append(escape_md(lead) + mark + escape_md(core) + mark + escape_md(trail))
            else:
                pieces.append(escape_md(line))
        text = "  \n".join(pieces)
        if mark:
            n += 1
            text += f"[^{n}]"
        out.append(text)
    return "".join(out)


def report_markdown(r: CheckResult) -> str:
    """The Markdown export: summary, legend, the highlighted draft, then one footnote per agreed or near span."""
    notes = [note_markdown(s) for s in r.spans if s.status in (AGREED, NEAR)]
    parts = ["# Draft check", escape_md(summary_line(r)), f"*{escape_md(LEGEND)}*", draft_markdown(r)]
    if notes:
        parts.append("\n".join(f"[^{i}]: {note}" for i, note in enumerate(notes, 1)))
    return "\n\n".join(parts) + "\n"


def _join(pieces: list[str]) -> str:
    out = ""
    for piece in pieces:
        if out and piece and not _NO_SPACE_BEFORE.match(piece) and not out.endswith(("(", "“", "‘")):
            out += " "
        out += piece
    return out


# How each kind of difference reads: {gone} the agreed words, {new} the draft's.
_PLAIN = {"replace": "“{gone}” → “{new}”", "delete": "“{gone}” left out", "insert": "“{new}” added"}
_MARKDOWN = {"replace": "~~{gone}~~ → **{new}**", "delete": "~~{gone}~~ left out", "insert": "**{new}** added"}


def _changes(span: Span, forms: dict[str, str], escape) -> list[str]:
    """One item per difference of a near span (equal stretches skipped), in `forms`, words through `escape`."""
    return [forms[c.op].format(gone=escape(_flat(c.agreed)), new=escape(_flat(c.draft))) for c in span.diff if c.op in forms]


def _flat(text: str) -> str:
    """One line: line breaks and runs of whitespace as single spaces."""
    return re.sub(r"\s+", " ", text).strip()

