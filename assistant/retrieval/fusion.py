"""Rank fusion (pure functions, tested against a brute-force oracle): unit hits to paragraphs, weighted RRF."""

from __future__ import annotations

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
