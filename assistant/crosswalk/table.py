"""Crosswalk queries: a paragraph's links in both directions (2016 → 2009 sources, 2009 → 2016 counterparts)."""

from __future__ import annotations

from assistant.crosswalk.links import Link, sort_links


def relation(target: str, pid: str) -> str | None:
    """How a link target relates to a 2009 id: "exact", "narrower" (a sub-item of pid), "broader" (encloses pid)."""
    if not target:
        return None
    if target == pid:
        return "exact"
    if target.startswith(pid + "."):
        return "narrower"
    if pid.startswith(target + "."):
        return "broader"
    return None


class Crosswalk:
    """Both directions over a list of links."""

    def __init__(self, links: list[Link]):
        self.links = sort_links(links)

    def sources_of(self, id_2016: str) -> list[Link]:
        """2016 → 2009: the links of one 2016 paragraph (its N/A link if new in 2016)."""
        return [k for k in self.links if k.source == id_2016]

    def counterparts_of(self, id_2009: str, broader: bool = True) -> list[Link]:
        """2009 → 2016: links to the id or its sub-items, then (if broader) links to an enclosing paragraph."""
        order = {"exact": 0, "narrower": 1, "broader": 2}
        hits = [(order[r], k) for k in self.links if (r := relation(k.target, id_2009))
                and (broader or r != "broader")]
        return [k for _, k in sorted(hits, key=lambda h: h[0])]

    def is_new_in_2016(self, id_2016: str) -> bool:
        return any(k.new_in_2016 for k in self.sources_of(id_2016))

    def unresolved(self) -> list[Link]:
        return [k for k in self.links if not k.resolved]


def link_view(pid: str, corpus, crosswalk: Crosswalk) -> dict:
    """The links of one paragraph in its direction (2016 → 2009 sources, 2009 → 2016 counterparts) as plain
    data, each with its relation type (same wording, adapted, related; "unresolved" when the table names no paragraph)."""
    from assistant.corpus.documents import EARLIER, LATER
    from assistant.crosswalk.compare import NEW, compare

    doc = corpus.documents.get(pid.partition(":")[0])
    side = doc.crosswalk if doc else ""
    if side == LATER:
        pairs = [(l, l.target, "exact") for l in crosswalk.sources_of(pid) if l.target]
        direction = "2016 -> 2009"
    elif side == EARLIER:
        pairs = [(l, l.source, relation(l.target, pid)) for l in crosswalk.counterparts_of(pid)]
        direction = "2009 -> 2016"
    else:
        pairs, direction = [], "none (the crosswalk table covers 2016 and 2009 only; `assistant ask` shows labelled suggestions)"

    def kind(link: Link, other: str) -> str:
        if not (link.resolved and other in corpus and pid in corpus):
            return "unresolved"
        earlier, later = (other, pid) if side == LATER else (pid, other)
        return compare(corpus.get(earlier).text, corpus.get(later).text).relation

    return {
        "id": pid,
        "direction": direction,
        "new_in_2016": crosswalk.is_new_in_2016(pid),
        "relation": NEW if crosswalk.is_new_in_2016(pid) else None,
        "links": [
            {
                "target": other,
                "citation": corpus.get(other).citation if other in corpus else None,
                "relation": kind(l, other),
                "table_target": l.target,
                "scope": scope,
                "confidence": l.confidence,
                "resolved": l.resolved,
                "raw": l.raw,
                "line": l.line,
            }
            for l, other, scope in pairs
        ],
    }

