"""The one counterparts presenter: a paragraph's counterparts in plain words, grouped, strongest first.

Groups, worded for the documents involved (a 2016 paragraph and its 2009 sources; a 2009 paragraph and
its 2016 counterparts; 2014 and added documents, which no table covers):
- "Repeats the 2009 wording" / "Repeated in 2016": the table links them and the later text repeats the
  earlier nearly word for word (crosswalk/compare.py, `same wording`);
- "Adapts 2009 wording" / "Adapted in 2016": the table links them and they share a run of six or more words;
- "Related in the table": the table links them, no such run;
- "Suggested (no official table)": closest by shared agreed language, then by meaning;
- "In the table, but no such paragraph": a reference the table prints that names no paragraph;
- "New in 2016": the table marks the paragraph N/A.
Every entry carries its citation, its evidence in words, and the pair to compare (earlier, later).
The CLI, the exports and the app all render these groups; none of them words a counterpart itself.
"""

from __future__ import annotations

from dataclasses import dataclass

from assistant.answer.compose import SUGGESTION, Counterpart, Quote
from assistant.corpus.documents import REGISTRY, Registry
from assistant.crosswalk.compare import ADAPTED, RELATED, SAME, compare

SUGGESTED_GROUP = "Suggested (no official table)"
RELATED_GROUP = "Related in the table"
NO_SUCH_GROUP = "In the table, but no such paragraph"
NEW_GROUP = "New in 2016"
NEW_NOTE = "The crosswalk table marks this paragraph N/A: no 2009 text corresponds to it."
NONE_NOTE = "No counterpart in the crosswalk table and no suggestion."
COMPARE_PAGE = "app_pages/compare.py"

# What the table's designators call each 2009 document, for references the documents do not have.
_PRINTED = {"PoA2009": ("Action", "the Plan of Action"), "PD2009": ("OP", "the Political Declaration")}


@dataclass(frozen=True)
class Entry:
    """One counterpart: citation, verbatim text ("" when none exists), evidence in words, the pair to compare."""

    id: str
    citation: str
    text: str
    relation: str  # same wording | adapted | related | suggested | unresolved
    evidence: str
    strength: float
    earlier: str = ""
    later: str = ""

    @property
    def comparable(self) -> bool:
        return bool(self.earlier and self.later)

    def compare_command(self) -> str:
        return f"assistant compare {self.earlier} {self.later}"

    def compare_params(self) -> dict[str, str]:
        return {"a": self.earlier, "b": self.later}

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "citation": self.citation,
            "relation": self.relation,
            "evidence": self.evidence,
            "strength": round(self.strength, 4),
            "compare": self.compare_params() if self.comparable else None,
            "text": self.text,
        }


@dataclass(frozen=True)
class Group:
    title: str
    entries: tuple[Entry, ...] = ()
    note: str = ""

    def to_dict(self) -> dict:
        return {"group": self.title, "note": self.note, "entries": [e.to_dict() for e in self.entries]}


def counterpart_groups(
    pid: str,
    text: str,
    counterparts: tuple[Counterpart, ...],
    new_in_2016: bool = False,
    documents: Registry = REGISTRY,
    explanations: dict | None = None,
) -> tuple[Group, ...]:
    """The counterparts of paragraph `pid` (canonical `text`) in groups, in a fixed order, strongest first."""
    doc = pid.partition(":")[0]
    table: dict[str, list[Entry]] = {SAME: [], ADAPTED: [], RELATED: []}
    suggested: list[Entry] = []
    missing: list[Entry] = []
    other_years: set[int] = set()
    for c in counterparts:
        earlier, later = _order(pid, c.id, documents)
        if not c.resolved:
            missing.append(Entry(c.id, c.id, "", "unresolved", unresolved_words(pid, c.id, explanations, documents), -1.0))
            continue
        a, b = (c.text, text) if earlier == c.id else (text, c.text)
        cmp = compare(a, b)
        if c.relation == SUGGESTION:
            run = max(cmp.shared, key=lambda r: r.words, default=None)
            meaning = f"similar in meaning ({c.score:.2f})" if c.score is not None else "similar in meaning"
            evidence = (f"shares “{run.text_b if earlier == c.id else run.text_a}” ({run.words} words); {meaning}"
                        if run else meaning)
            suggested.append(Entry(c.id, c.citation, c.text, "suggested", evidence,
                                   (run.words if run else 0) + (c.score or 0.0), earlier, later))
            continue
        other_years.add(_year(c.id, documents))
        rel = cmp.relation
        if rel == SAME:
            evidence = f"nearly word for word (word similarity {cmp.similarity:.2f})"
        elif rel == ADAPTED:
            run = max(cmp.shared, key=lambda r: r.words)
            more = f", and {len(cmp.shared) - 1} more run{'s' if len(cmp.shared) > 2 else ''}" if len(cmp.shared) > 1 else ""
            evidence = f"shares “{run.text_b}” ({run.words} words{more})"
        else:
            evidence = "linked by the crosswalk table; no run of six words in common"
        if c.via:
            evidence += f"; the table names {_cite(c.via, documents)}"
        table[rel].append(Entry(c.id, c.citation, c.text, rel, evidence, cmp.similarity, earlier, later))

    own, other = _year(pid, documents), (min(other_years) if other_years else None)
    groups: list[Group] = []
    if new_in_2016:
        groups.append(Group(NEW_GROUP, note=NEW_NOTE))
    titles = _table_titles(own, other)
    for rel in (SAME, ADAPTED, RELATED):
        if table[rel]:
            groups.append(Group(titles[rel], tuple(sorted(table[rel], key=lambda e: (-e.strength, e.id)))))
    if missing:
        groups.append(Group(NO_SUCH_GROUP, tuple(missing)))
    if suggested:
        groups.append(Group(SUGGESTED_GROUP, tuple(sorted(suggested, key=lambda e: (-e.strength, e.id)))))
    if not groups:
        groups.append(Group("Counterparts", note=NONE_NOTE))
    return tuple(groups)


def quote_groups(q: Quote, documents: Registry = REGISTRY, explanations: dict | None = None) -> tuple[Group, ...]:
    """`counterpart_groups` of a quote."""
    return counterpart_groups(q.id, q.text, q.counterparts, q.new_in_2016, documents, explanations)


def count(groups: tuple[Group, ...]) -> int:
    return sum(len(g.entries) for g in groups)


def title(groups: tuple[Group, ...]) -> str:
    """The heading over a paragraph's counterparts."""
    n = count(groups)
    if any(g.title == NEW_GROUP for g in groups) and not n:
        return "Counterparts: new in 2016"
    return f"Counterparts ({n})"


def unresolved_words(source: str, target: str, explanations: dict | None = None, documents: Registry = REGISTRY) -> str:
    """A reference the table prints that names no paragraph, in a delegate's words, with the paragraph
    it probably means when the wording proves it (crosswalk/explain.py)."""
    doc, _, path = target.partition(":")
    designator, name = _PRINTED.get(doc, (doc, documents[doc].short if doc in documents else doc))
    printed = f"{designator} {path}" if path else designator
    words = f"the table cites ‘{printed}’, which {name} does not have"
    u = (explanations or {}).get((source, target)) or (explanations or {}).get((target, source))
    if u is None:
        return words
    number = u.paragraph.partition(":")[2]
    if u.reason == "problem":
        words += f": its paragraph {number} states a problem and lists no actions"
    elif u.reason == "no-item" and u.items:
        words += f": its paragraph {number} has items ({u.items[0]}) to ({u.items[-1]})"
    elif u.reason == "illegible":
        words += ": the printed reference is illegible"
    if u.intended:
        cite = _cite(u.intended, documents)
        if u.proof is None:
            words += f". Suggested: {cite}, whose wording it shares: “{u.evidence}”"
        else:
            words += (f". Suggested: {cite}, since elsewhere the table's ‘{_printed(u.proof.target)}’ "
                      f"matches {_cite(_shift_of(u.proof.target, u.intended), documents)} word for word: “{u.evidence}”")
    return words


def _printed(target: str) -> str:
    doc, _, path = target.partition(":")
    return f"{_PRINTED.get(doc, (doc, ''))[0]} {path}"


def _shift_of(proof_target: str, intended: str) -> str:
    """The paragraph the proving reference meant: its item under the intended paragraph's number."""
    doc, _, path = proof_target.partition(":")
    number = intended.partition(":")[2].split(".")[0]
    return f"{doc}:" + ".".join([number, *path.split(".")[1:]])


def _cite(pid: str, documents: Registry) -> str:
    from assistant.corpus.documents import cite

    return cite(pid, documents.get(pid.partition(":")[0]))


def _year(pid: str, documents: Registry) -> int:
    doc = pid.partition(":")[0]
    return documents[doc].year if doc in documents else 0


def _order(a: str, b: str, documents: Registry) -> tuple[str, str]:
    """(earlier, later) of two paragraphs by their documents' years."""
    return (a, b) if _year(a, documents) <= _year(b, documents) else (b, a)


def _table_titles(own: int, other: int | None) -> dict[str, str]:
    if other is None or other < own:
        year = other or "earlier"
        return {SAME: f"Repeats the {year} wording", ADAPTED: f"Adapts {year} wording", RELATED: RELATED_GROUP}
    return {SAME: f"Repeated in {other}", ADAPTED: f"Adapted in {other}", RELATED: RELATED_GROUP}
