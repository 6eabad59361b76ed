"""The document registry: every document's key, title, year, names, symbol and citation form, described once."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Iterator

# The built-in keys (CONVENTIONS.md). Other modules use these names, never the strings.
PD2009, POA2009, JMS2014, UNGASS2016 = "PD2009", "PoA2009", "JMS2014", "UNGASS2016"

# Sides of the printed 2016 ↔ 2009 crosswalk table.
LATER, EARLIER = "later", "earlier"


@dataclass(frozen=True)
class Document:
    """A document of the corpus.

    `short` is the citation prefix ("2016 Outcome Document"); `symbol` the official symbol where the
    sources give it; `names` lower-case phrases people name it by ("plan of action"); `abbreviations`
    case-sensitive short forms ("PoA"); `ref_words` single words that designate it inside a paragraph
    reference ("OD 1(m)"); `table_tokens` the designators the crosswalk table prints ("Action 4.a");
    `crosswalk` its side of the crosswalk table (LATER, EARLIER or ""); `numbering` the numbered
    paragraphs its official text has; `order` breaks ties between documents of the same year.
    """

    key: str
    title: str
    year: int
    short: str
    builtin: bool = True
    symbol: str = ""
    names: tuple[str, ...] = ()
    abbreviations: tuple[str, ...] = ()
    ref_words: tuple[str, ...] = ()
    table_tokens: tuple[str, ...] = ()
    crosswalk: str = ""
    numbering: tuple[str, ...] = field(default=(), repr=False)
    order: int = 0
    bare_numbers: bool = False  # delegates cite this document by bare paragraph number ("1(m)")

    @property
    def full_citation(self) -> str:
        """The short name with the official symbol, for citations that must be traced to the record."""
        return f"{self.short} ({self.symbol})" if self.symbol else self.short


def _numbers(prefix: str, first: int, last: int) -> tuple[str, ...]:
    return tuple(f"{prefix}{n}" for n in range(first, last + 1))


BUILTIN: tuple[Document, ...] = (
    Document(
        PD2009,
        "Political Declaration on International Cooperation towards an Integrated and Balanced "
        "Strategy to Counter the World Drug Problem",
        2009,
        "2009 Political Declaration",
        symbol="E/2009/28, chap. I, sect. C",
        names=("political declaration",),
        abbreviations=("PD",),
        ref_words=("political", "pd"),
        table_tokens=("OP", "Target"),
        crosswalk=EARLIER,
        numbering=_numbers("", 1, 40),
        order=0,
    ),
    Document(
        POA2009,
        "Plan of Action on International Cooperation towards an Integrated and Balanced Strategy "
        "to Counter the World Drug Problem",
        2009,
        "2009 Plan of Action",
        symbol="E/2009/28, chap. I, sect. C",
        names=("plan of action",),
        abbreviations=("PoA",),
        ref_words=("plan", "poa"),
        table_tokens=("Action",),
        crosswalk=EARLIER,
        numbering=_numbers("", 1, 64),
        order=1,
    ),
    Document(
        JMS2014,
        "Joint Ministerial Statement of the 2014 high-level review by the Commission on Narcotic "
        "Drugs of the implementation by Member States of the Political Declaration and Plan of Action",
        2014,
        "2014 Joint Ministerial Statement",
        symbol="E/2014/28",
        names=("joint ministerial statement", "ministerial statement"),
        abbreviations=("JMS",),
        ref_words=("joint", "jms"),
        numbering=_numbers("", 1, 33) + _numbers("A.", 1, 14) + _numbers("B.", 15, 37) + _numbers("C.", 38, 45),
    ),
    Document(
        UNGASS2016,
        "Our joint commitment to effectively addressing and countering the world drug problem "
        "(outcome document of the thirtieth special session of the General Assembly)",
        2016,
        "2016 Outcome Document",
        symbol="A/RES/S-30/1, annex",
        names=("ungass outcome document", "outcome document", "ungass outcome", "2016 outcome"),
        abbreviations=("UNGASS", "OD"),
        ref_words=("outcome", "ungass", "od"),
        crosswalk=LATER,
        numbering=_numbers("PP", 1, 24) + _numbers("", 1, 7),
        bare_numbers=True,
    ),
)


class Registry:
    """The documents known to a corpus (built-in and added), with the orders and look-ups others need."""

    def __init__(self, documents: Iterable[Document] = BUILTIN):
        docs: dict[str, Document] = {}
        for d in documents:
            docs[d.key] = d
        # Chronological: year, then the tie-break order, then key.
        self._docs = dict(sorted(docs.items(), key=lambda kv: (kv[1].year, kv[1].order, kv[0])))

    def __iter__(self) -> Iterator[str]:
        return iter(self._docs)

    def __len__(self) -> int:
        return len(self._docs)

    def __contains__(self, key: object) -> bool:
        return key in self._docs

    def __getitem__(self, key: str) -> Document:
        return self._docs[key]

    def get(self, key: str, default: Document | None = None) -> Document | None:
        return self._docs.get(key, default)

    def values(self) -> list[Document]:
        return list(self._docs.values())

    def items(self) -> list[tuple[str, Document]]:
        return list(self._docs.items())

    def with_documents(self, documents: Iterable[Document]) -> "Registry":
        return Registry([*self._docs.values(), *documents])

    def position(self, key: str) -> tuple:
        """Chronological sort key of a document (unknown keys last)."""
        d = self._docs.get(key)
        return (0, d.year, d.order, key) if d else (1, 0, 0, key)

    def newest_first(self, key: str) -> tuple:
        """Display sort key: newest year first; within a year, the later `order` first (Plan of Action before Declaration)."""
        d = self._docs.get(key)
        return (0, -d.year, -d.order, key) if d else (1, 0, 0, key)

    def of_year(self, year: int) -> tuple[str, ...]:
        return tuple(k for k, d in self._docs.items() if d.year == year)

    def years(self) -> tuple[int, ...]:
        return tuple(sorted({d.year for d in self._docs.values()}))

    def on_side(self, side: str) -> tuple[str, ...]:
        """Documents on one side of the crosswalk table (LATER or EARLIER)."""
        return tuple(k for k, d in self._docs.items() if d.crosswalk == side)

    def untabled(self) -> tuple[str, ...]:
        """Documents the printed crosswalk table does not cover (2014, added documents)."""
        return tuple(k for k, d in self._docs.items() if not d.crosswalk)

    def bare_number_document(self) -> str | None:
        return next((k for k, d in self._docs.items() if d.bare_numbers), None)

    def by_table_token(self, token: str) -> str | None:
        return next((k for k, d in self._docs.items() if token in d.table_tokens), None)


REGISTRY = Registry(BUILTIN)


def builtin(key: str) -> Document | None:
    d = REGISTRY.get(key)
    return d if d and d.builtin else None


def split_id(pid: str) -> tuple[str, list[str]]:
    """`PoA2009:51.c.iv` -> ("PoA2009", ["51", "c", "iv"])."""
    doc, _, path = pid.partition(":")
    return doc, path.split(".") if path else []


def cite(pid: str, doc: Document | None = None, full: bool = False) -> str:
    """Citation in drafters' form: `2009 Plan of Action, para. 51 (c) (iv)`; `full` adds the document's
    official symbol where the sources give it: `2016 Outcome Document (A/RES/S-30/1, annex), para. 1 (m)`."""
    key, parts = split_id(pid)
    doc = doc or REGISTRY.get(key)
    prefix = (doc.full_citation if full else doc.short) if doc else key
    if not parts:
        return prefix
    if parts[0].startswith("PP") and parts[0][2:].isdigit():
        return f"{prefix}, preambular para. {parts[0][2:]}" + _subs(parts[1:])
    if parts[0] == "RT" and len(parts) > 2:
        return f"{doc.year if doc else ''} high-level review, Chair's summary of round table {parts[1]} (not negotiated), para. {parts[2]}".lstrip()
    if parts[-1] == "intro":
        return f"{prefix}, para. {'.'.join(parts[:-1])}, unnumbered introductory paragraph"
    if len(parts[0]) == 1 and parts[0].isalpha() and parts[0].isupper() and len(parts) > 1:
        return f"{prefix}, sect. {parts[0]}, para. {parts[1]}" + _subs(parts[2:])
    return f"{prefix}, para. {parts[0]}" + _subs(parts[1:])


def _subs(parts: list[str]) -> str:
    return "".join(f" ({p})" for p in parts)
