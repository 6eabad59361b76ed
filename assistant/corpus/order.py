"""Natural sort key for canonical paragraph ids (`PoA2009:51.c.iv` after `PoA2009:51.c.iii`, `1.m` before `2`)."""

from __future__ import annotations

import re

from assistant.corpus.roman import roman_value

_NUMBERED = re.compile(r"([A-Za-z]*)(\d+)")


def _part_key(part: str, depth: int) -> tuple:
    m = _NUMBERED.fullmatch(part)
    if m:  # "24", "PP24": prefixed series (preamble) before the plain numbers
        return (0, 0 if m.group(1) else 1, m.group(1), int(m.group(2)))
    # Third level and deeper are roman numerals ((i), (ii)…) under a lettered item.
    value = roman_value(part) if depth >= 2 else None
    if value is not None:
        return (1, 0, "", value)
    return (2, 0, part, 0)


def id_sort_key(pid: str) -> tuple:
    """Sort key: document, then each path level (numbers numeric, letters alphabetical, roman by value)."""
    doc, _, path = pid.partition(":")
    return (doc, tuple(_part_key(p, i) for i, p in enumerate(path.split("."))) if path else ())
