"""The record every source parser returns: one paragraph or sub-item with its raw provenance."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Parsed:
    """A paragraph as parsed from one raw file, before commitment data are merged in.

    `id` is canonical (`PoA2009:51.c.iv`), `heading` is the section path in proper case,
    `text` is the repaired verbatim text, `line_start`/`line_end` are 1-based inclusive
    line numbers in `file` (a file name inside corpus/raw/).
    """

    id: str
    kind: str
    heading: tuple[str, ...]
    text: str
    file: str
    line_start: int
    line_end: int
    negotiated: bool = True


# Kinds, shared by every parser so the corpus speaks one vocabulary.
PREAMBLE = "preamble"  # preambular paragraph (UNGASS2016:PP24)
OPERATIVE = "operative"  # numbered operative paragraph without sub-items
CHAPEAU = "chapeau"  # numbered paragraph that introduces sub-items (its own text only)
SUB_ITEM = "sub-item"  # (a), (b)… and (i), (ii)… under a chapeau
PROBLEM = "problem"  # PoA2009 "Problem" paragraph
ACTION = "action"  # PoA2009 "Action: Member States should:" paragraph (a chapeau)
CLOSING = "closing"  # closing paragraphs of the 2016 document
SUMMARY = "summary"  # JMS2014 Annex II round-table summaries: not negotiated

KINDS = (PREAMBLE, OPERATIVE, CHAPEAU, SUB_ITEM, PROBLEM, ACTION, CLOSING, SUMMARY)
