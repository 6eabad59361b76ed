"""Retrieval units: one per paragraph, split only when too long for the embedding model, with exact offsets."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Callable


from assistant.corpus.paragraphs import Corpus, Paragraph

# Bumped whenever unit boundaries or embed_text change, so the index manifest forces a rebuild.
UNITS_VERSION = 1
WINDOW = 256  # all-MiniLM-L6-v2 max_seq_length, in word pieces, including [CLS] and [SEP]
CONTEXT_BUDGET = 96  # word pieces of context at most, so a long chapeau cannot crowd out the text
HEAD_BUDGET = 32
CHAPEAU_BUDGET = 48
OVERLAP = 24
_SEPARATORS = ["\n\n", "\n", "; ", ". ", ", ", " ", ""]
_PIECES = re.compile(r"\w+|[^\w\s]")


@dataclass(frozen=True)
class Unit:
    """A searchable span of one paragraph: `text == paragraph.text[start:end]`, embedded as `embed_text`."""

    id: str
    paragraph_id: str
    start: int
    end: int
    text: str
    embed_text: str
    doc: str
    year: int
    kind: str
    is_commitment: bool


def estimate_tokens(text: str) -> int:
    """Word-piece count of a BERT uncased tokenizer, leaning high (no model needed).

    Units must not depend on the model being loaded (the lexical index builds the same units); leaning
    high only costs an extra split, while leaning low would silently truncate what the model sees.
    """
    return sum(1 if len(w) <= 6 else math.ceil(len(w) / 4) for w in _PIECES.findall(text))


def _tail(text: str, budget: int, count: Callable[[str], int]) -> str:
    """The end of `text` within `budget` tokens: the end of a chapeau is what introduces the sub-item."""
    if count(text) <= budget:
        return text
    words = text.split()
    while words and count("… " + " ".join(words)) > budget:
        words = words[max(1, len(words) // 8) :]
    return "… " + " ".join(words) if words else ""


def _head(text: str, budget: int, count: Callable[[str], int]) -> str:
    """The start of `text` within `budget` tokens: a heading says what it is about first."""
    words = text.split()
    while words and count(" ".join(words) + " …") > budget:
        words = words[: -max(1, len(words) // 8)]
    return " ".join(words) + " …" if words else ""


def context_of(corpus: Corpus, p: Paragraph, count: Callable[[str], int] = estimate_tokens) -> str:
    """Document, heading path and chapeau chain that situate a paragraph (prepended to embed_text)."""
    doc = corpus.documents.get(p.doc)
    head = doc.short if doc else p.doc
    # Innermost headings are the most telling; outer ones only while they fit.
    path: list[str] = []
    for h in reversed(p.heading):
        if count(" > ".join([h, *path])) > HEAD_BUDGET:
            if not path:
                path = [_head(h, HEAD_BUDGET, count)]
            break
        path.insert(0, h)
    if any(path):
        head += ": " + " > ".join(path)
    lines = [head]
    budget = CONTEXT_BUDGET - count(head)
    chain = [a.text for a in corpus.ancestors(p.id)] if p.parent_id else []
    # The nearest chapeau gets room first; its last clause ("…we recommend the following measures:")
    # is what frames the sub-item, so long chapeaus keep their tail.
    for text in reversed(chain):
        part = _tail(text, min(budget, CHAPEAU_BUDGET), count)
        if not part:
            break
        lines.insert(1, part)
        budget -= count(part)
    return "\n".join(lines)


def make_units(corpus: Corpus, count_tokens: Callable[[str], int] = estimate_tokens, window: int = WINDOW) -> list[Unit]:
    """One unit per paragraph; paragraphs longer than the model window are split, keeping char offsets."""
    units: list[Unit] = []
    for p in corpus:
        context = context_of(corpus, p, count_tokens)
        # 10% slack: the estimate can undercount rare words (chemical names split into many pieces).
        budget = max(32, int((window - 2) * 0.9) - 1 - count_tokens(context))
        doc = corpus.documents.get(p.doc)
        year = doc.year if doc else 0
        for i, (start, end) in enumerate(_spans(p.text, budget, count_tokens)):
            text = p.text[start:end]
            units.append(
                Unit(
                    id=f"{p.id}#{i}",
                    paragraph_id=p.id,
                    start=start,
                    end=end,
                    text=text,
                    embed_text=f"{context}\n{text}",
                    doc=p.doc,
                    year=year,
                    kind=p.kind,
                    is_commitment=p.is_commitment,
                )
            )
    return units


def _spans(text: str, budget: int, count: Callable[[str], int]) -> list[tuple[int, int]]:
    if count(text) <= budget or not text.strip():
        return [(0, len(text))]
    from langchain_text_splitters import RecursiveCharacterTextSplitter  # only long paragraphs need it

    splitter = RecursiveCharacterTextSplitter(
        separators=_SEPARATORS,
        keep_separator="end",
        chunk_size=budget,
        chunk_overlap=min(OVERLAP, budget // 4),
        length_function=count,
        strip_whitespace=True,
    )
    spans, cursor = [], 0
    for chunk in splitter.split_text(text):
        # Chunks are contiguous substrings; overlap means the next one may start before the last end.
        start = text.find(chunk, cursor)
        if start < 0:
            start = text.find(chunk)
        if start < 0:
            raise ValueError(f"splitter produced a chunk that is not a substring: {chunk[:60]!r}")
        spans.append((start, start + len(chunk)))
        cursor = start + 1
    return spans
