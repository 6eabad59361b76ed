"""Why a table reference names no paragraph, and the paragraph it probably means when the wording proves it.

- `problem`: the number is a Problem paragraph of the Plan of Action, which states a problem and lists no
  actions ("Action 40.b"); `no-item`: the paragraph exists without that item ("Action 43.f", 43 has (a)-(e));
  `no-paragraph`: no such paragraph; `illegible`: the printed token is not a reference at all ("Action 04.5").
- The intended paragraph: in the Plan of Action each Problem paragraph is followed by its Action paragraph,
  so "Action N.x" with N a Problem may mean (N+1).x. That reading is offered only when wording proves it:
  either (N+1).x shares agreed language with the 2016 row (`Phrasebook.agreed_run`), or another reference
  of the table with the same misprinted number does ("Action 40.g" under 3 (h) and Plan of Action 41 (g)
  share "inter alia, the provision of advanced detection equipment, scanners, testing kits"), which shows
  the table numbers that paragraph N throughout. It stays a suggestion: the table's reference is kept as printed.
"""

from __future__ import annotations

from dataclasses import dataclass

from assistant.crosswalk.compare import Phrasebook
from assistant.crosswalk.links import Link

PROBLEM, NO_ITEM, NO_PARAGRAPH, ILLEGIBLE = "problem", "no-item", "no-paragraph", "illegible"


@dataclass(frozen=True)
class Unresolved:
    """A table reference that names no paragraph: why, and what it probably means (if the wording proves it)."""

    link: Link
    reason: str
    paragraph: str  # the numbered paragraph the reference names ("PoA2009:43"), "" if none
    items: tuple[str, ...] = ()  # the items that paragraph does have, e.g. ("a", "b", "c", "d", "e")
    intended: str = ""  # the paragraph the wording shows was meant
    evidence: str = ""  # the shared words that prove it
    proof: Link | None = None  # the table reference whose wording proves it, when it is another one


def explain_unresolved(links: list[Link], corpus, phrases: Phrasebook | None = None) -> dict[tuple[str, str], Unresolved]:
    """Every unresolved link of the table, keyed by (2016 source, table target)."""
    phrases = phrases or Phrasebook({p.id: p.text for p in corpus})
    bad = [k for k in links if not k.resolved and k.target]
    proven: dict[tuple[str, str], tuple[str, str, Link]] = {}  # (doc, printed number) -> (shifted number, words, link)
    found: dict[tuple[str, str], tuple[str, str]] = {}
    for k in bad:
        cand = _shifted(k.target, corpus)
        if cand and k.source in corpus:
            run = phrases.agreed_run(corpus.get(cand).text, corpus.get(k.source).text)
            if run:
                found[(k.source, k.target)] = (cand, run.text_a)
                doc, number = _number(k.target)
                proven.setdefault((doc, number), (_number(cand)[1], run.text_a, k))
    out = {}
    for k in bad:
        doc, number = _number(k.target)
        paragraph = f"{doc}:{number}"
        reason = _reason(k, paragraph, corpus)
        items = tuple(c.id.rsplit(".", 1)[1] for c in corpus.children(paragraph)) if paragraph in corpus else ()
        intended = evidence = ""
        proof = None
        if (k.source, k.target) in found:
            intended, evidence = found[(k.source, k.target)]
        elif (doc, number) in proven:
            shifted, evidence, proof = proven[(doc, number)]
            cand = _shifted(k.target, corpus)
            intended = cand or ""
            if not intended:
                evidence, proof = "", None
        out[(k.source, k.target)] = Unresolved(k, reason, paragraph if paragraph in corpus else "", items,
                                               intended, evidence, proof)
    return out


def _number(pid: str) -> tuple[str, str]:
    doc, _, path = pid.partition(":")
    return doc, path.split(".")[0]


def _reason(link: Link, paragraph: str, corpus) -> str:
    number = paragraph.partition(":")[2]
    if not number.isdigit():
        return ILLEGIBLE
    if paragraph not in corpus:
        return NO_PARAGRAPH
    if corpus.get(paragraph).kind == "problem":
        return PROBLEM
    path = link.target.partition(":")[2].split(".")
    if len(path) > 1 and not all(p.isalpha() for p in path[1:]):
        return ILLEGIBLE
    return NO_ITEM


def _shifted(target: str, corpus) -> str | None:
    """The same item under the Action paragraph that follows a Problem paragraph (N → N+1), if it exists."""
    doc, _, path = target.partition(":")
    parts = path.split(".")
    if not parts[0].isdigit():
        return None
    here = f"{doc}:{parts[0]}"
    if here not in corpus or corpus.get(here).kind != "problem":
        return None
    cand = f"{doc}:" + ".".join([str(int(parts[0]) + 1), *parts[1:]])
    return cand if cand in corpus and corpus.get(cand).kind != "problem" else None
