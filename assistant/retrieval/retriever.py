"""Hybrid retrieval: dense (Chroma) + BM25 + glossary, fused by reciprocal rank fusion into ranked paragraphs."""

from __future__ import annotations

import logging
import re
import threading
import warnings
from dataclasses import dataclass, replace
from typing import Iterable

from assistant.errors import BadQuery
from assistant.retrieval.glossary import Expansion, Glossary

log = logging.getLogger(__name__)

METHODS = ("hybrid", "dense", "lexical")
# Why RRF (dev set eval/questions.jsonl, 105 questions, k=10, `assistant eval`):   R@1   R@5   MRR
#   RRF k=60, dense + BM25 + glossary list (chosen)                               .762  .991  .842
#   min-max score blend, alpha 0.6 (0.5)                                          .781  .981  .858 (.851)
#   RRF without the glossary list (expansion only)                                .714  .952  .811
#   no glossary at all                                                            .648  .876  .746
#   single methods (with expansion): dense .648/.905/.752, BM25 .733/.886/.800
# RRF and the blend tie within one or two questions; RRF uses ranks only, so it needs no calibration
# between cosine and BM25 scales (BM25 shifts whenever users add documents). The glossary is a third
# ranked list: every paragraph containing an agreed phrase of the matched entries, in lexical (then
# dense) order, so "needle exchange" reaches "injecting equipment programmes" even when neither model
# ranks it first. Agreed phrases also feed both queries, down-weighted so a broad alias cannot take over.
RRF_K = 60  # standard RRF constant: flattens the head so neither list dominates on its own
W_DENSE = 1.0
W_LEXICAL = 1.0
W_GLOSSARY = 1.0
EXPANSION_WEIGHT = 0.5  # weight of the agreed-phrase embedding mixed into the dense query vector
LEXICAL_EXPANSION_WEIGHT = 0.2  # BM25 of the agreed phrases, scaled, added to BM25 of the query
POOL = 60  # units fetched per method before collapsing to paragraphs
CACHE_SIZE = 256  # query vectors kept


class QueryTruncated(UserWarning):
    """A query longer than settings.max_query_chars was cut; the message says so."""


@dataclass(frozen=True)
class Filters:
    """Restrict a search: by document key, document year, paragraph kind, commitments only."""

    docs: tuple[str, ...] = ()
    years: tuple[int, ...] = ()
    kinds: tuple[str, ...] = ()
    commitments_only: bool = False

    def __bool__(self) -> bool:
        return bool(self.docs or self.years or self.kinds or self.commitments_only)

    def where(self) -> dict | None:
        """The store's `where` ({field: value or [values]}) for these filters."""
        w: dict = {}
        if self.docs:
            w["doc"] = list(self.docs)
        if self.years:
            w["year"] = [int(y) for y in self.years]
        if self.kinds:
            w["kind"] = list(self.kinds)
        if self.commitments_only:
            w["is_commitment"] = True
        return w or None

    def narrowed_by(self, named: "Filters") -> "Filters":
        """These (e.g. sidebar) filters with the documents/years a question names: the question's scope,
        being the more specific, replaces the documents and years chosen elsewhere."""
        if not (named.docs or named.years):
            return replace(self, commitments_only=self.commitments_only or named.commitments_only)
        return replace(self, docs=named.docs, years=named.years, commitments_only=self.commitments_only or named.commitments_only)

    def admits(self, unit) -> bool:
        return (
            (not self.docs or unit.doc in self.docs)
            and (not self.years or unit.year in self.years)
            and (not self.kinds or unit.kind in self.kinds)
            and (not self.commitments_only or unit.is_commitment)
        )


@dataclass(frozen=True)
class Hit:
    """A paragraph found for a query: `score` is the fused score (method's own score if single)."""

    id: str
    score: float
    text: str
    unit_id: str
    dense_rank: int | None = None
    lexical_rank: int | None = None
    via_glossary: bool = False
    dense_score: float | None = None  # best unit cosine, when the paragraph was in the dense pool


@dataclass(frozen=True)
class Prepared:
    """A query ready to search, with any warnings to show the user (e.g. truncation)."""

    query: str
    warnings: tuple[str, ...] = ()


def prepare_query(query: str | None, max_chars: int) -> Prepared:
    """BadQuery for empty input; cut queries longer than `max_chars` (with a warning message)."""
    q = (query or "").replace("\x00", "")
    if not q.strip():
        raise BadQuery("Please type a question: the query is empty.")
    if max_chars and len(q) > max_chars:
        msg = f"The query was longer than {max_chars} characters and was shortened to its first {max_chars}."
        return Prepared(q[:max_chars].strip(), (msg,))
    return Prepared(q.strip())


# -- filters named in the query ----------------------------------------------------------------

_DOC_PATTERNS: tuple[tuple[str, re.Pattern], ...] = (
    ("PoA2009", re.compile(r"\b(?:the\s+)?(?:2009\s+)?plan\s+of\s+action\b", re.I)),
    ("PoA2009", re.compile(r"\bPoA\b")),
    ("PD2009", re.compile(r"\b(?:the\s+)?(?:2009\s+)?political\s+declaration\b(?!\s+(?:and|&)\s+plan)", re.I)),
    ("PD2009", re.compile(r"\bPD\b")),
    ("JMS2014", re.compile(r"\b(?:the\s+)?(?:2014\s+)?(?:joint\s+)?ministerial\s+statement\b", re.I)),
    ("JMS2014", re.compile(r"\bJMS\b")),
    ("UNGASS2016", re.compile(r"\b(?:the\s+)?(?:2016\s+)?(?:UNGASS\s+)?outcome\s+document\b", re.I)),
    ("UNGASS2016", re.compile(r"\bUNGASS(?:\s+2016)?\b")),
)
# "Political Declaration and Plan of Action" names both 2009 documents.
_BOTH_2009 = re.compile(r"\b(?:the\s+)?(?:2009\s+)?political\s+declaration\s+(?:and|&)\s+plan\s+of\s+action\b", re.I)
_YEARS = "2009|2014|2016"
_YEAR_PATTERNS = (
    re.compile(rf"\b(?:in|from|of|during)\s+(?:the\s+)?({_YEARS})\b(?!\s*(?:special|session))", re.I),
    re.compile(rf"\b({_YEARS})(?=\s+(?:say|said|says|text|texts|document|documents|version|language|commitments?)\b)", re.I),
    re.compile(rf"^\s*({_YEARS})\s*[:,]", re.I),
)
_COMMITMENTS = re.compile(r"\b(?:commitments?\s+only|only\s+commitments?)\b", re.I)


def parse_query_filters(query: str) -> tuple[str, Filters]:
    """Documents, years and "commitments only" named in a question; the question with them removed."""
    docs: list[str] = []
    years: list[int] = []
    text = query
    m = _BOTH_2009.search(text)
    if m:
        docs += ["PD2009", "PoA2009"]
        text = text[: m.start()] + " " + text[m.end() :]
    for key, pat in _DOC_PATTERNS:
        if pat.search(text):
            docs.append(key)
            text = pat.sub(" ", text)
    for pat in _YEAR_PATTERNS:
        for m in list(pat.finditer(text)):
            years.append(int(m.group(1)))
        text = pat.sub(lambda m: m.group(0).replace(m.group(1), " "), text)
    commitments = bool(_COMMITMENTS.search(text))
    text = _COMMITMENTS.sub(" ", text)
    cleaned = re.sub(r"\s+", " ", text).strip()
    cleaned = re.sub(r"\s+([?.!,;:])", r"\1", cleaned)
    # "needle exchange in the Plan of Action" leaves a dangling "in".
    cleaned = re.sub(r"\s+\b(?:in|from|of|on|under|by|the)\s*([?.!]*)$", r"\1", cleaned, flags=re.I).strip()
    # A query that was nothing but a filter keeps its words, so there is still something to search.
    if not re.search(r"\w", cleaned):
        cleaned = query.strip()
    return cleaned, Filters(tuple(dict.fromkeys(docs)), tuple(dict.fromkeys(years)), (), commitments)


# -- fusion (pure functions, tested against a brute-force oracle) --------------------------------


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


def blend(dense, lexical, boosted=frozenset(), alpha: float = 0.5, boost: float = 0.1) -> dict[str, float]:
    """Convex blend of max-normalised dense and lexical scores, plus `boost` for `boosted` paragraphs."""
    out: dict[str, float] = {}
    for hits, w in ((dense, alpha), (lexical, 1 - alpha)):
        top = max((s for _, _, s in hits), default=0.0)
        for p, _, s in hits:
            out[p] = out.get(p, 0.0) + (w * s / top if top > 0 else 0.0)
    for p in boosted:
        if p in out:
            out[p] += boost
    return out


class Retriever:
    """Search the corpus by meaning (dense), words (BM25) or both; results are paragraphs."""

    def __init__(self, settings, corpus, embedder, store, lexical, glossary: Glossary | None = None, units=None, **tuning):
        from assistant.retrieval.units import make_units

        self.settings = settings
        self.corpus = corpus
        self.embedder = embedder
        self.store = store
        self.lexical = lexical
        self.glossary = glossary or Glossary.empty()
        self.units = {u.id: u for u in (units if units is not None else make_units(corpus))}
        self.paragraph_of = {uid: u.paragraph_id for uid, u in self.units.items()}
        self.tuning = {
            "rrf_k": RRF_K,
            "w_dense": W_DENSE,
            "w_lexical": W_LEXICAL,
            "w_glossary": W_GLOSSARY,
            "expansion_weight": EXPANSION_WEIGHT,
            "lexical_expansion_weight": LEXICAL_EXPANSION_WEIGHT,
            "pool": POOL,
            "fusion": "rrf",
            "alpha": 0.6,
            "w_glossary_blend": 0.1,
            **tuning,
        }
        self._phrase_paragraphs: dict[str, frozenset[str]] = {}
        # Results never depend on this cache; it only saves re-embedding a repeated query.
        self._cache: dict[tuple[str, ...], object] = {}
        self._phrase_vectors: dict[tuple[str, ...], object] = {}
        self._cache_lock = threading.Lock()

    @classmethod
    def build(cls, settings, corpus, progress: bool = False, rebuild: bool = False, embedder=None, **tuning) -> "Retriever":
        """Embedder, index (built or checked), lexical index and glossary for `corpus`."""
        from assistant.retrieval.embed import Embedder
        from assistant.retrieval.index import ensure_index, open_index
        from assistant.retrieval.lexical import LexicalIndex
        from assistant.retrieval.units import make_units

        embedder = embedder or Embedder(settings)
        ensure_index(settings, corpus, embedder, rebuild=rebuild, progress=progress)
        store = open_index(settings)
        units = make_units(corpus)
        path = settings.corpus_dir / "glossary.toml"
        glossary = Glossary.load(path) if path.exists() else Glossary.empty()
        return cls(settings, corpus, embedder, store, LexicalIndex.from_units(units), glossary, units=units, **tuning)

    # -- public -----------------------------------------------------------------------------

    def search(self, query: str, k: int = 10, filters: Filters | None = None, method: str = "hybrid") -> list[Hit]:
        """Top-k paragraphs for `query`. BadQuery if empty; over-long queries are cut with a QueryTruncated warning."""
        if method not in METHODS:
            raise ValueError(f"method must be one of {METHODS}, not {method!r}")
        prepared = prepare_query(query, getattr(self.settings, "max_query_chars", 0))
        for msg in prepared.warnings:
            log.warning(msg)
            warnings.warn(msg, QueryTruncated, stacklevel=2)
        if k <= 0:
            return []
        filters = filters or Filters()
        q = prepared.query
        exp = self.glossary.expand(q)
        pool = max(self.tuning["pool"], 3 * k)
        dense = self._dense(q, exp, filters, pool) if method != "lexical" else []
        lexical = self._lexical(q, exp, filters, pool) if method != "dense" else []
        glossary_pids = self._glossary_paragraphs(exp)

        d_rank = {p: i for i, (p, _, _) in enumerate(dense, 1)}
        d_score = {p: s for p, _, s in dense}
        l_rank = {p: i for i, (p, _, _) in enumerate(lexical, 1)}
        unit_of = {p: u for p, u, _ in reversed(lexical)}
        unit_of.update({p: u for p, u, _ in reversed(dense)})
        if method == "dense":
            scored = [(p, s) for p, _, s in dense]
        elif method == "lexical":
            scored = [(p, s) for p, _, s in lexical]
        else:
            t = self.tuning
            rankings = {"dense": [p for p, _, _ in dense], "lexical": [p for p, _, _ in lexical]}
            if glossary_pids:
                # Paragraphs with the agreed language, in lexical order (then dense, then document order).
                order = {p: (l_rank.get(p, 10**6), d_rank.get(p, 10**6), i) for i, p in enumerate(self.corpus.ids)}
                admitted = [p for p in glossary_pids if p in order and self._admits_paragraph(p, filters)]
                rankings["glossary"] = sorted(admitted, key=order.__getitem__)
                for p in rankings["glossary"]:
                    unit_of.setdefault(p, f"{p}#0")
            if t.get("fusion", "rrf") == "blend":
                fused = blend(dense, lexical, glossary_pids, t["alpha"], t["w_glossary_blend"])
            else:
                fused = rrf(rankings, {"dense": t["w_dense"], "lexical": t["w_lexical"], "glossary": t["w_glossary"]}, t["rrf_k"])
            scored = sorted(fused.items(), key=lambda ps: (-ps[1], d_rank.get(ps[0], 10**6)))
        hits = []
        for pid, score in scored[:k]:
            hits.append(
                Hit(
                    id=pid,
                    score=float(score),
                    text=self.corpus.get(pid).text,
                    unit_id=unit_of.get(pid, f"{pid}#0"),
                    dense_rank=d_rank.get(pid),
                    lexical_rank=l_rank.get(pid),
                    via_glossary=pid in glossary_pids,
                    dense_score=d_score.get(pid),
                )
            )
        return hits

    def clear_cache(self) -> None:
        """Forget cached query vectors (benchmarks time the embedding too)."""
        with self._cache_lock:
            self._cache.clear()

    # -- internals --------------------------------------------------------------------------

    def _admits_paragraph(self, pid: str, filters: Filters) -> bool:
        if not filters:
            return True
        u = self.units.get(f"{pid}#0")
        return u is not None and filters.admits(u)

    def _dense(self, q: str, exp: Expansion, filters: Filters, pool: int) -> list[tuple[str, str, float]]:
        vec = self._encode((q,))[0]
        w = self.tuning["expansion_weight"]
        if exp.phrases and w > 0:
            # Mixing the agreed phrases into the query vector pulls it towards the texts' own wording.
            vec = vec + w * self._phrase_vector(exp.phrases)
            vec = vec / max(float((vec**2).sum()) ** 0.5, 1e-12)
        hits = self.store.query(vec, pool, where=filters.where())
        return collapse(hits, self.paragraph_of)

    def _phrase_vector(self, phrases: tuple[str, ...]):
        # Glossary phrases are fixed text: embedded once and kept (few distinct combinations).
        with self._cache_lock:
            vec = self._phrase_vectors.get(phrases)
        if vec is None:
            vec = self.embedder.encode(["; ".join(phrases)])[0]
            with self._cache_lock:
                if len(self._phrase_vectors) < 4 * CACHE_SIZE:
                    self._phrase_vectors[phrases] = vec
        return vec

    def _encode(self, texts: tuple[str, ...]):
        # Follow-ups ("more", "and in 2009?") repeat the previous query: keep recent query vectors.
        with self._cache_lock:
            vecs = self._cache.get(texts)
        if vecs is None:
            vecs = self.embedder.encode(list(texts))
            with self._cache_lock:
                if len(self._cache) >= CACHE_SIZE:
                    self._cache.pop(next(iter(self._cache)), None)
                self._cache[texts] = vecs
        return vecs

    def _lexical(self, q: str, exp: Expansion, filters: Filters, pool: int) -> list[tuple[str, str, float]]:
        from assistant.retrieval.lexical import tokenize

        scores = self.lexical.scores(tokenize(q))
        w = self.tuning["lexical_expansion_weight"]
        if exp.phrases and w > 0:
            # Agreed phrases count, but less than the user's own words, so a broad alias cannot take over.
            scores = scores + w * self.lexical.scores([t for phrase in exp.phrases for t in tokenize(phrase)])
        if filters:
            ids = self.lexical.unit_ids
            for i, uid in enumerate(ids):
                u = self.units.get(uid)
                if u is None or not filters.admits(u):
                    scores[i] = 0.0
        return collapse(self.lexical.top(scores, pool), self.paragraph_of)

    def _glossary_paragraphs(self, exp: Expansion) -> frozenset[str]:
        """Paragraphs (any, not only those listed) containing an agreed phrase of the matched entries."""
        out: set[str] = set()
        for e in self.glossary.entries:
            if e.term not in exp.terms:
                continue
            for phrase in e.agreed:
                if phrase not in self._phrase_paragraphs:
                    needle = _norm(phrase)
                    self._phrase_paragraphs[phrase] = frozenset(p.id for p in self.corpus if needle in _norm(p.text))
                out |= self._phrase_paragraphs[phrase]
        return frozenset(out)


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).lower()
