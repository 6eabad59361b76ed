"""The one Markdown escaper and the one span highlighter that every output format uses."""

from __future__ import annotations

import re
from typing import Iterable, Iterator

# Span kinds a quote can carry: its operative verbs, and the question's words found in it.
OPERATIVE, MATCHED = "operative", "matched"

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


def _kept(spans: Iterable[tuple[int, int]], length: int) -> list[tuple[int, int]]:
    """Spans clipped to the text; empty ones, and any overlapping an earlier one of the same kind, dropped."""
    kept, pos = [], 0
    for start, end in spans:
        end = min(end, length)
        if start < pos or start >= end:
            continue
        kept.append((start, end))
        pos = end
    return kept


def segments(text: str, **spans: Iterable[tuple[int, int]]) -> Iterator[tuple[str, frozenset[str]]]:
    """`text` cut into consecutive (piece, flags) runs; `flags` names each keyword whose spans cover the piece.

    `segments(q.text, operative=q.operative_spans, matched=q.matched)`: the pieces join back to `text`
    exactly, and neighbouring pieces never carry the same flags.
    """
    kinds = {kind: _kept(ranges, len(text)) for kind, ranges in spans.items()}
    cuts = sorted({0, len(text), *(i for ranges in kinds.values() for span in ranges for i in span)})
    piece, flags = "", frozenset()
    for start, end in zip(cuts, cuts[1:]):
        here = frozenset(k for k, ranges in kinds.items() if any(s <= start and end <= e for s, e in ranges))
        if here != flags and piece:
            yield piece, flags
            piece = ""
        piece, flags = piece + text[start:end], here
    if piece:
        yield piece, flags


def code_md(text: str) -> str:
    """`text` as a Markdown code span, fenced with more backticks than it holds so nothing in it can end the span."""
    text = text.replace("\r", " ").replace("\n", " ")
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"
