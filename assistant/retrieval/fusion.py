"""Fusion (pure functions, tested against brute-force oracles): unit hits to paragraphs; weighted RRF and
weighted sums of z-scored scores."""

from __future__ import annotations

from statistics import fmean, pstdev
from typing import Iterable

RRF_K = 60  # standard RRF constant: flattens the head so neither list dominates on its own


def collapse(unit_hits: Iterable[tuple[str, float]], paragraph_of: dict[str, str]) -> list[tuple[str, str, float]]:
    """Unit hits (best first) -> paragraph hits (pid, best unit id, best score), best first."""
    best: dict[str, tuple[str, float]] = {}
    for uid, score in unit_hits:
        pid = paragraph_of.get(uid)
        if pid is None:
            continue
        if pid not in best or score > best[pid][1]:
            best[pid] = (uid, score)
    return sorted(((p, u, s) for p, (u, s) in best.items()), key=lambda t: -t[2])


def rrf(rankings: dict[str, list[str]], weights: dict[str, float], k: int = RRF_K) -> dict[str, float]:
    """Weighted reciprocal rank fusion: sum over lists of weight / (k + rank), ranks from 1."""
    out: dict[str, float] = {}
    for name, ids in rankings.items():
        w = weights.get(name, 1.0)
        for rank, pid in enumerate(ids, 1):
            out[pid] = out.get(pid, 0.0) + w / (k + rank)
    return out


def zfuse(scored: dict[str, list[tuple[str, float]]], weights: dict[str, float]) -> dict[str, float]:
    """Weighted sum of each list's scores as z-scores (mean 0, deviation 1 over that list); a paragraph
    missing from a list counts that list's lowest z-score. Unlike ranks, z-scores keep how far a
    paragraph stands out of its list, so one clear winner of a method is not levelled with the runner-up."""
    z: dict[str, dict[str, float]] = {}
    for name, items in scored.items():
        if not items:
            continue
        values = [s for _, s in items]
        mean, dev = fmean(values), pstdev(values) or 1.0
        z[name] = {pid: (s - mean) / dev for pid, s in items}
    floor = {name: min(zs.values()) for name, zs in z.items()}
    pids = {pid for zs in z.values() for pid in zs}
    return {pid: sum(weights.get(n, 1.0) * zs.get(pid, floor[n]) for n, zs in z.items()) for pid in pids}
