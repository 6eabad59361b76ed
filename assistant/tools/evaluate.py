"""Retrieval evaluation: Recall@k and MRR per method on a question set, plus the suggester vs the crosswalk."""

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
class Question:
    """A dev-set question and the paragraph IDs that answer it (empty: the corpus does not)."""

    q: str
    gold: tuple[str, ...]


@dataclass(frozen=True)
class MethodScores:
    """Aggregate scores of one method over the answerable questions."""

    method: str
    recall: dict  # cutoff -> fraction of questions with a gold hit in the top `cutoff`
    mrr: float
    questions: int
    p50_ms: float
    p95_ms: float


@dataclass(frozen=True)
class QuestionResult:
    """One question: ranked top-k IDs and first gold rank (None: not in top k) per method."""

    q: str
    gold: tuple[str, ...]
    ranked: dict  # method -> tuple of paragraph IDs
    first: dict  # method -> int | None
    top_dense_score: float | None = None


@dataclass(frozen=True)
class SuggestScores:
    """Suggester vs the crosswalk: share of 2016->2009 references found in its top 5 / top 10."""

    paragraphs: int
    references: int
    recall_at_5: float
    recall_at_10: float


@dataclass(frozen=True)
class EvalReport:
    """Everything `assistant eval` prints; `to_dict()` for JSON."""

    k: int
    methods: tuple[MethodScores, ...]
    questions: tuple[QuestionResult, ...]
    unanswerable: tuple[QuestionResult, ...] = ()
    suggest: SuggestScores | None = None
    threshold: dict | None = None
    seconds: float = 0.0

    def to_dict(self) -> dict:
        return asdict(self)

    def method(self, name: str) -> MethodScores:
        return next(m for m in self.methods if m.method == name)


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


def best_threshold(answerable: Sequence[float], unanswerable: Sequence[float]) -> dict:
    """Cut on the top hit's score minimising missed answers + false "found" (both as rates)."""
    if not answerable or not unanswerable:
        return {}
    candidates = sorted(set(answerable) | set(unanswerable))
    best = None
    for t in candidates:
        miss = sum(s < t for s in answerable) / len(answerable)
        false = sum(s >= t for s in unanswerable) / len(unanswerable)
        if best is None or miss + false < best[1] + best[2]:
            best = (t, miss, false)
    t, miss, false = best
    return {"score": "top dense cosine", "threshold": round(t, 4), "missed_answerable": round(miss, 3), "false_found": round(false, 3)}


def percentile(values: Sequence[float], q: float) -> float:
    if not values:
        return 0.0
    s = sorted(values)
    i = min(len(s) - 1, max(0, int(round(q / 100 * (len(s) - 1)))))
    return s[i]


# -- loading and running ----------------------------------------------------------------------


def load_questions(path: Path) -> list[Question]:
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
        return [Question(d["q"], tuple(d.get("gold", ()))) for d in (json.loads(l) for l in lines if l.strip())]
    except FileNotFoundError:
        raise CorpusError(f"question file not found: {path}") from None
    except (ValueError, KeyError, TypeError) as exc:
        raise CorpusError(f"question file {path} is malformed: {exc}") from exc


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


def evaluate(
    retriever,
    questions: Sequence[Question],
    k: int = 10,
    unanswerable: Sequence[Question] = (),
    crosswalk=None,
    suggester=None,
    methods: Sequence[str] = METHODS,
) -> EvalReport:
    """Score every method on `questions` (those with gold); calibrate a threshold with `unanswerable`."""
    t0 = time.perf_counter()
    answerable = [q for q in questions if q.gold]
    results: list[QuestionResult] = []
    firsts: dict[str, list] = {m: [] for m in methods}
    times: dict[str, list] = {m: [] for m in methods}
    for question in answerable:
        ranked, first = {}, {}
        top_dense = None
        for m in methods:
            hits, ms = _run(retriever, question.q, k, m)
            times[m].append(ms)
            ranked[m] = tuple(h.id for h in hits)
            first[m] = first_relevant_rank(ranked[m], question.gold)
            firsts[m].append(first[m])
            if m == "dense" and hits:
                top_dense = hits[0].score
        results.append(QuestionResult(question.q, question.gold, ranked, first, top_dense))
    scores = tuple(
        MethodScores(
            m,
            {c: round(recall_at(firsts[m], c), 4) for c in CUTOFFS},
            round(mrr(firsts[m]), 4),
            len(answerable),
            round(percentile(times[m], 50), 2),
            round(percentile(times[m], 95), 2),
        )
        for m in methods
    )
    none: list[QuestionResult] = []
    for question in unanswerable:
        hits, _ = _run(retriever, question.q, k, "hybrid")
        dense, _ = _run(retriever, question.q, 1, "dense")
        none.append(
            QuestionResult(question.q, (), {"hybrid": tuple(h.id for h in hits)}, {}, dense[0].score if dense else None)
        )
    threshold = best_threshold(
        [r.top_dense_score for r in results if r.top_dense_score is not None],
        [r.top_dense_score for r in none if r.top_dense_score is not None],
    ) if none and "dense" in methods else None
    sug = suggest_recall(suggester, crosswalk) if suggester is not None and crosswalk is not None else None
    return EvalReport(k, scores, tuple(results), tuple(none), sug, threshold, round(time.perf_counter() - t0, 2))


def suggest_recall(suggester, crosswalk) -> SuggestScores:
    """For 2016 paragraphs with resolved 2009 references: share of references in the suggester's top 5/10."""
    later = suggester.corpus.documents.on_side(LATER)
    earlier = suggester.corpus.documents.on_side(EARLIER)
    by_source: dict[str, set[str]] = {}
    for link in crosswalk.links:
        if link.target and link.resolved and link.source.partition(":")[0] in later:
            by_source.setdefault(link.source, set()).add(link.target)
    refs = found5 = found10 = 0
    for source, targets in sorted(by_source.items()):
        if source not in suggester.corpus:
            continue
        ranked = [s.id for s in suggester.suggest(source, docs=earlier, k=10, include_mapped=True)]
        for t in targets:
            refs += 1
            found5 += any(matches(pid, t) for pid in ranked[:5])
            found10 += any(matches(pid, t) for pid in ranked[:10])
    return SuggestScores(len(by_source), refs, round(found5 / refs, 4) if refs else 0.0, round(found10 / refs, 4) if refs else 0.0)


# -- text formatting ---------------------------------------------------------------------------


def format_eval_text(report: EvalReport, per_question: bool = False) -> str:
    """A plain-text table of the report (what `assistant eval` prints)."""
    lines = [f"Retrieval on {report.methods[0].questions if report.methods else 0} questions (k={report.k})", ""]
    head = f"{'method':<9} {'R@1':>6} {'R@5':>6} {'R@10':>6} {'MRR':>6} {'p50 ms':>8} {'p95 ms':>8}"
    lines += [head, "-" * len(head)]
    for m in report.methods:
        r = m.recall
        lines.append(
            f"{m.method:<9} {r.get(1, r.get('1', 0)):>6.3f} {r.get(5, r.get('5', 0)):>6.3f} "
            f"{r.get(10, r.get('10', 0)):>6.3f} {m.mrr:>6.3f} {m.p50_ms:>8.1f} {m.p95_ms:>8.1f}"
        )
    if report.suggest:
        s = report.suggest
        lines += ["", f"Suggester vs crosswalk: {s.references} references from {s.paragraphs} paragraphs of 2016; "
                  f"found in top 5: {s.recall_at_5:.3f}, top 10: {s.recall_at_10:.3f}"]
    if report.threshold:
        t = report.threshold
        lines += ["", f"Nothing-found threshold ({t['score']}): {t['threshold']:.3f} -> missed answerable "
                  f"{t['missed_answerable']:.3f}, false found on unanswerable {t['false_found']:.3f}"]
    if per_question:
        lines += ["", "Misses (first gold rank per method; - = not in top k):"]
        for r in report.questions:
            if any(v is None or v > 5 for v in r.first.values()):
                ranks = " ".join(f"{m}={r.first[m] or '-'}" for m in r.first)
                lines.append(f"  {ranks}  {r.q}  gold={','.join(r.gold)}  hybrid={','.join(r.ranked.get('hybrid', ())[:5])}")
    lines += ["", f"({report.seconds:.1f} s)"]
    return "\n".join(lines)


def answer_rates(is_found, answerable: Sequence[Question], unanswerable: Sequence[Question]) -> dict:
    """End-to-end "nothing found" errors: `is_found(question) -> bool` is the assistant's own decision."""
    missed = [q.q for q in answerable if not is_found(q.q)]
    false = [q.q for q in unanswerable if is_found(q.q)]
    return {
        "false_nothing_found": round(len(missed) / len(answerable), 3) if answerable else None,
        "false_match": round(len(false) / len(unanswerable), 3) if unanswerable else None,
        "answerable": len(answerable),
        "unanswerable": len(unanswerable),
        "missed": missed,
        "false_matches": false,
    }
