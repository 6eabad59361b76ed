"""Lower-case Roman numerals as the texts print sub-item labels: (i), (ii) … their values and succession."""

from __future__ import annotations

_UNITS = ("", "i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix")
_TENS = ("", "x", "xx", "xxx", "xl", "l", "lx", "lxx", "lxxx", "xc")

# i … lxxxix: far beyond any list the documents print, and every numeral written in canonical form.
ROMANS: tuple[str, ...] = tuple(_TENS[n // 10] + _UNITS[n % 10] for n in range(1, 90))
_VALUE = {r: n for n, r in enumerate(ROMANS, 1)}


def roman_value(label: str) -> int | None:
    """1 for "i", 4 for "iv"; None when `label` is not a canonical lower-case numeral."""
    return _VALUE.get(label)


def next_roman(label: str) -> str | None:
    """The numeral after `label` ("iii" after "ii"); None when `label` is not a numeral."""
    value = _VALUE.get(label)
    return ROMANS[value] if value is not None and value < len(ROMANS) else None
