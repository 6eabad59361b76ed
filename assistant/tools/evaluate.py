"""Evaluation: Recall@k and MRR per method, type and split (tune/test), `ask`'s match decisions, the suggester vs the crosswalk."""

from __future__ import annotations

import json
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Iterable, Sequence

from assistant.corpus.documents import EARLIER, LATER
from assistant.errors import CorpusError

METHODS = ("hybrid", "dense", "lexical")
CUTOFFS = (1, 5, 10)


@dataclass(frozen=True)
class SuggestScores:
    """Suggester vs the crosswalk: share of 2016->2009 references found in its top 5 / top 10 (a suggestion
    finds a reference when it names it, an item of it, or the numbered paragraph holding it), and in the
    top 5 counting only the closest item each suggestion names."""

    paragraphs: int
    references: int
    recall_at_5: float
    recall_at_10: float
    closest_at_5: float = 0.0


@dataclass(frozen=True)
class GoldLink:
    """One line of eval/jms_links.jsonl: a 2014 item and the 2016 paragraphs read as its counterparts."""

    jms: str
    gold_2016: tuple[str, ...]
    split: str
    note: str = ""


@dataclass(frozen=True)
class GoldScores:
    """Top-5 hit rate of the suggester on one split of the 2014 -> 2016 gold set: an item is a hit when a
    suggestion in its top 5 is one of its gold paragraphs or lies inside one."""

    split: str
    items: int
    hit_at_5: float
    missed: tuple[str, ...]


# -- pure metric functions -------------------------------------------------------------------


def matches(hit: str, gold: str) -> bool:
    """A hit answers a gold ID if it is that paragraph, one of its sub-items, or a paragraph enclosing it."""
    return hit == gold or hit.startswith(gold + ".") or gold.startswith(hit + ".")


def first_relevant_rank(ranked: Sequence[str], gold: Iterable[str]) -> int | None:
    """1-based rank of the first hit that answers any gold ID; None if none does."""
    gold = tuple(gold)
    for i, pid in enumerate(ranked, 1):
        if any(matches(pid, g) for g in gold):
            return i
    return None


def recall_at(firsts: Sequence[int | None], cutoff: int) -> float:
    """Fraction of questions whose first relevant rank is within `cutoff` (any gold ID counts)."""
    return sum(1 for r in firsts if r is not None and r <= cutoff) / len(firsts) if firsts else 0.0


def mrr(firsts: Sequence[int | None]) -> float:
    """Mean reciprocal rank of the first relevant hit (0 for a miss)."""
    return sum(1.0 / r for r in firsts if r) / len(firsts) if firsts else 0.0


def percentile(values: Sequence[float], q: float) -> float:
    if not values:
        return 0.0
    s = sorted(values)
    i = min(len(s) - 1, max(0, int(round(q / 100 * (len(s) - 1)))))
    return s[i]


# -- loading and running ----------------------------------------------------------------------


def _run(retriever, q: str, k: int, method: str) -> tuple[list, float]:
    from assistant.retrieval.query import parse_query_filters

    # As the assistant does: documents/years named in the question become filters.
    cleaned, filters = parse_query_filters(q, retriever.corpus.documents)
    clear = getattr(retriever, "clear_cache", None)
    if clear:
        clear()  # each method pays for its own query embedding, so timings compare fairly
    t0 = time.perf_counter()
    hits = retriever.search(cleaned, k=k, filters=filters, method=method)
    return hits, (time.perf_counter() - t0) * 1000


def suggest_recall(suggester, crosswalk) -> SuggestScores:
    """For 2016 paragraphs with resolved 2009 references: share of references in the suggester's top 5/10."""
    later = suggester.corpus.documents.on_side(LATER)
    earlier = suggester.corpus.documents.on_side(EARLIER)
    by_source: dict[str, set[str]] = {}
    for link in crosswalk.links:
        if link.target and link.resolved and link.source.partition(":")[0] in later:
            by_source.setdefault(link.source, set()).add(link.target)
    refs = found5 = found10 = closest5 = 0
    for source, targets in sorted(by_source.items()):
        if source not in suggester.corpus:
            continue
        suggestions = suggester.suggest(source, docs=earlier, k=10, include_mapped=True)
        ranked, closest = [s.id for s in suggestions], [s.closest for s in suggestions[:5]]
        for t in targets:
            refs += 1
            found5 += any(matches(pid, t) for pid in ranked[:5])
            found10 += any(matches(pid, t) for pid in ranked[:10])
            closest5 += any(matches(pid, t) for pid in closest)

    def share(n: int) -> float:
        return round(n / refs, 4) if refs else 0.0

    return SuggestScores(len(by_source), refs, share(found5), share(found10), share(closest5))


def _records(path: Path, what: str, make):
    """(line number, make(record)) for each non-blank line of a JSONL file; CorpusError naming the file when
    it is missing and the line when a record is malformed."""
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise CorpusError(f"{what} file not found: {path}") from None
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            record = make(json.loads(line))
        except (ValueError, KeyError, TypeError) as exc:
            raise CorpusError(f"{path}:{n}: malformed {what} ({exc})") from exc
        yield n, record


def load_gold_links(path: Path, known: Iterable[str] | None = None) -> list[GoldLink]:
    """eval/jms_links.jsonl; CorpusError naming the line for anything malformed or any unknown ID."""
    known = set(known) if known is not None else None
    out = []
    for n, g in _records(path, "gold link", lambda d: GoldLink(d["jms"], tuple(d["gold_2016"]), d["split"], d.get("note", ""))):
        if g.split not in SPLITS or not g.gold_2016 or not g.jms.startswith("JMS2014:") \
                or not all(x.startswith("UNGASS2016:") for x in g.gold_2016):
            raise CorpusError(f"{path}:{n}: needs a JMS2014 item, 2016 gold paragraphs and split tune or test")
        if known is not None and not {g.jms, *g.gold_2016} <= known:
            raise CorpusError(f"{path}:{n}: unknown paragraph IDs {sorted({g.jms, *g.gold_2016} - known)}")
        out.append(g)
    return out


def gold_link_scores(suggester, links: Sequence[GoldLink], k: int = 5) -> tuple[GoldScores, ...]:
    """Per split, the share of 2014 items with a gold 2016 paragraph among the suggester's top k."""
    out = []
    for split in SPLITS:
        mine = [g for g in links if g.split == split]
        if not mine:
            continue
        missed = []
        for g in mine:
            got = [s.id for s in suggester.suggest(g.jms, docs=("UNGASS2016",), k=k)]
            if not any(pid == t or pid.startswith(t + ".") for pid in got for t in g.gold_2016):
                missed.append(g.jms)
        out.append(GoldScores(split, len(mine), round(1 - len(missed) / len(mine), 4), tuple(missed)))
    return tuple(out)


# -- the typed evaluation set with tune/test splits (eval/heldout.jsonl) -------------------------

TYPES = ("everyday", "drafting", "cross_document", "non_english", "unanswerable")
SPLITS = ("tune", "test")


@dataclass(frozen=True)
class EvalQuestion:
    """A question of the typed set: `gold` empty for the unanswerable type; `split` fixed once (tune/test)."""

    id: str
    q: str
    type: str
    lang: str
    gold: tuple[str, ...]
    split: str
    absent_terms: tuple[str, ...] = ()


@dataclass(frozen=True)
class Cell:
    """Retrieval scores of one method on one type of one split."""

    split: str
    type: str
    method: str
    questions: int
    recall_at_1: float
    recall_at_5: float
    recall_at_10: float
    mrr: float


@dataclass(frozen=True)
class Rates:
    """End-to-end match decisions of `ask` on one split: false "nothing found" and false matches."""

    split: str
    answerable: int
    unanswerable: int
    false_nothing_found: float
    false_match: float
    missed: tuple[str, ...]
    false_matches: tuple[str, ...]


@dataclass(frozen=True)
class SplitReport:
    cells: tuple[Cell, ...]
    rates: tuple[Rates, ...]
    misses: tuple[tuple[str, str, str, tuple[str, ...], tuple[str, ...]], ...]  # (split, id, q, gold, hybrid top 5)
    seconds: float

    def to_dict(self) -> dict:
        return asdict(self)

    def cell(self, split: str, type_: str, method: str) -> Cell | None:
        return next((c for c in self.cells if (c.split, c.type, c.method) == (split, type_, method)), None)


def load_eval_set(path: Path) -> list[EvalQuestion]:
    """The typed question set; CorpusError naming the line for anything malformed."""
    out = []

    def question(d: dict) -> EvalQuestion:
        return EvalQuestion(d["id"], d["q"], d["type"], d.get("lang", "en"), tuple(d.get("gold", ())), d["split"],
                            tuple(d.get("absent_terms", ())))

    for n, q in _records(path, "question", question):
        if q.type not in TYPES or q.split not in SPLITS or (q.type != "unanswerable" and not q.gold):
            raise CorpusError(f"{path}:{n}: type must be one of {TYPES}, split tune or test, and answerable questions need gold")
        out.append(q)
    return out


def evaluate_splits(bot, questions: Sequence[EvalQuestion], k: int = 10, methods: Sequence[str] = METHODS) -> SplitReport:
    """Every method on every type of both splits, and the end-to-end match decision of `bot.ask`."""
    t0 = time.perf_counter()
    firsts: dict[tuple[str, str, str], list] = {}
    misses = []
    for question in questions:
        if question.type == "unanswerable":
            continue
        for m in methods:
            hits, _ = _run(bot.retriever, question.q, k, m)
            ranked = tuple(h.id for h in hits)
            first = first_relevant_rank(ranked, question.gold)
            for type_ in (question.type, "all"):
                firsts.setdefault((question.split, type_, m), []).append(first)
            if m == "hybrid" and (first is None or first > 5):
                misses.append((question.split, question.id, question.q, question.gold, ranked[:5]))
    cells = tuple(
        Cell(split, type_, m, len(f), round(recall_at(f, 1), 4), round(recall_at(f, 5), 4), round(recall_at(f, 10), 4), round(mrr(f), 4))
        for (split, type_, m), f in sorted(firsts.items(), key=lambda kv: (SPLITS.index(kv[0][0]), _type_order(kv[0][1]), methods.index(kv[0][2])))
    )
    rates = []
    for split in SPLITS:
        mine = [q for q in questions if q.split == split]
        found = {q.id: bot.ask(q.q).answer.found for q in mine}
        answerable = [q for q in mine if q.type != "unanswerable"]
        unanswerable = [q for q in mine if q.type == "unanswerable"]
        missed = tuple(q.q for q in answerable if not found[q.id])
        false = tuple(q.q for q in unanswerable if found[q.id])
        rates.append(Rates(split, len(answerable), len(unanswerable),
                           round(len(missed) / len(answerable), 4) if answerable else 0.0,
                           round(len(false) / len(unanswerable), 4) if unanswerable else 0.0, missed, false))
    return SplitReport(cells, tuple(rates), tuple(misses), round(time.perf_counter() - t0, 2))


def _type_order(type_: str) -> int:
    return TYPES.index(type_) if type_ in TYPES else len(TYPES)


def hybrid_margins(cells) -> list[str]:
    """Per type, hybrid's R@5 and MRR minus the best single method's ("+0.069 / +0.058")."""
    out = []
    for type_ in dict.fromkeys(c.type for c in cells):
        by = {c.method: c for c in cells if c.type == type_}
        if "hybrid" not in by or len(by) < 2:
            continue
        singles = [c for m, c in by.items() if m != "hybrid"]
        r5 = by["hybrid"].recall_at_5 - max(c.recall_at_5 for c in singles)
        rr = by["hybrid"].mrr - max(c.mrr for c in singles)
        out.append(f"{type_} {r5:+.3f} / {rr:+.3f}")
    return out


def format_split_report(report: SplitReport, per_question: bool = False) -> str:
    """Tables per split: type x method (R@1, R@5, R@10, MRR), then the end-to-end match rates."""
    lines = []
    for split in SPLITS:
        cells = [c for c in report.cells if c.split == split]
        if not cells:
            continue
        lines += ["", f"== {split} split" + (" (never tuned on)" if split == "test" else " (tuning)"), ""]
        head = f"{'type':<15} {'method':<8} {'n':>4} {'R@1':>6} {'R@5':>6} {'R@10':>6} {'MRR':>6}"
        lines += [head, "-" * len(head)]
        for c in cells:
            lines.append(f"{c.type:<15} {c.method:<8} {c.questions:>4} {c.recall_at_1:>6.3f} {c.recall_at_5:>6.3f} "
                         f"{c.recall_at_10:>6.3f} {c.mrr:>6.3f}")
        lines += ["", "hybrid against the best single method, R@5 / MRR: " + "; ".join(hybrid_margins(cells))]
        r = next((r for r in report.rates if r.split == split), None)
        if r:
            lines += ["", f"ask, end to end: false 'nothing found' {r.false_nothing_found:.1%} of {r.answerable} answerable; "
                          f"false match {r.false_match:.1%} of {r.unanswerable} unanswerable"]
            if per_question:
                lines += [f"  missed: {q}" for q in r.missed] + [f"  false match: {q}" for q in r.false_matches]
    if per_question:
        lines += ["", "Hybrid misses (gold not in the top 5):"]
        lines += [f"  [{s}] {i} {q}  gold={','.join(g)}  top5={','.join(t)}" for s, i, q, g, t in report.misses]
    lines += ["", f"({report.seconds:.1f} s)"]
    return "\n".join(lines)
