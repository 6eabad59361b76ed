"""The documents the assistant knows: keys, titles, years, and citation forms (CONVENTIONS.md)."""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Document:
    """A document of the corpus. `short` is the citation prefix ("2016 Outcome Document")."""

    key: str
    title: str
    year: int
    short: str
    builtin: bool = True


BUILTIN: tuple[Document, ...] = (
    Document(
        "PD2009",
        "Political Declaration on International Cooperation towards an Integrated and Balanced "
        "Strategy to Counter the World Drug Problem",
        2009,
        "2009 Political Declaration",
    ),
    Document(
        "PoA2009",
        "Plan of Action on International Cooperation towards an Integrated and Balanced Strategy "
        "to Counter the World Drug Problem",
        2009,
        "2009 Plan of Action",
    ),
    Document(
        "JMS2014",
        "Joint Ministerial Statement of the 2014 high-level review by the Commission on Narcotic "
        "Drugs of the implementation by Member States of the Political Declaration and Plan of Action",
        2014,
        "2014 Joint Ministerial Statement",
    ),
    Document(
        "UNGASS2016",
        "Our joint commitment to effectively addressing and countering the world drug problem "
        "(outcome document of the thirtieth special session of the General Assembly)",
        2016,
        "2016 Outcome Document",
    ),
)

DOC_ORDER = {d.key: i for i, d in enumerate(BUILTIN)}
_BY_KEY = {d.key: d for d in BUILTIN}
_ROMAN = re.compile(r"^(?=[ivxlc]+$)c{0,3}(xc|xl|l?x{0,3})(ix|iv|v?i{0,3})$")


def builtin(key: str) -> Document | None:
    return _BY_KEY.get(key)


def split_id(pid: str) -> tuple[str, list[str]]:
    """`PoA2009:51.c.iv` -> ("PoA2009", ["51", "c", "iv"])."""
    doc, _, path = pid.partition(":")
    return doc, path.split(".") if path else []


def cite(pid: str, doc: Document | None = None) -> str:
    """Citation in drafters' form: `2009 Plan of Action, para. 51 (c) (iv)`."""
    key, parts = split_id(pid)
    doc = doc or _BY_KEY.get(key)
    prefix = doc.short if doc else key
    if not parts:
        return prefix
    if parts[0].startswith("PP") and parts[0][2:].isdigit():
        return f"{prefix}, preambular para. {parts[0][2:]}" + _subs(parts[1:])
    if parts[0] == "RT" and len(parts) > 2:
        return f"2014 high-level review, Chair's summary of round table {parts[1]} (not negotiated), para. {parts[2]}"
    if parts[-1] == "intro":
        return f"{prefix}, para. {'.'.join(parts[:-1])}, unnumbered introductory paragraph"
    if len(parts[0]) == 1 and parts[0].isalpha() and parts[0].isupper() and len(parts) > 1:
        return f"{prefix}, sect. {parts[0]}, para. {parts[1]}" + _subs(parts[2:])
    return f"{prefix}, para. {parts[0]}" + _subs(parts[1:])


def _subs(parts: list[str]) -> str:
    return "".join(f" ({p})" for p in parts)
