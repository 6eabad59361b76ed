"""The retriever: dense (Chroma) + BM25, fused by z-scores (or RRF) into ranked paragraphs; the glossary expands the query."""

from __future__ import annotations

import logging
import re
import threading
import warnings
from dataclasses import dataclass

import numpy as np

from assistant.retrieval.cognates import cognates
from assistant.retrieval.fusion import collapse, rrf, zfuse
from assistant.retrieval.glossary import Expansion, Glossary
from assistant.retrieval.lexicon import Lexicon
from assistant.retrieval.query import Filters, QueryTruncated, language, prepare_query
from assistant.retrieval.spelling import Correction, Speller, known_word

log = logging.getLogger(__name__)

METHODS = ("hybrid", "dense", "lexical")
# Fusion, tuned on the tune split of eval/heldout.jsonl only (165 answerable questions, `assistant eval`;
# the test split is never looked at to choose). Dense cosines and BM25 scores, each z-scored over its own
# pool of 60 paragraphs, are summed with BM25 weighted by the share of the question's words the texts use
# (LEXICAL_TRUST): a drafter quoting agreed language gets the words' ranking, a delegate's everyday wording
# leans on meaning. z-scores need no calibration between cosine and BM25 scales (BM25 shifts whenever
# users add documents) and, unlike ranks, keep how far a paragraph stands out. The glossary is a query
# expansion only: agreed phrases feed both queries, down-weighted so a broad alias cannot take over.
# Tune split, hybrid R@5 / MRR:
#                                                   everyday     drafting     cross-doc    non-English  all
#   RRF k=60, weights 1/1/1, glossary a voter         .759 .571    .973 .963    .925 .717
#   RRF k=10, BM25 2.0 x share^4, glossary 0.3        .862 .608    1.00 .953    .950 .811    .833 .639    .909 .740
#   z-scores, BM25 2.0 x share^4, no glossary voter   .862 .655    1.00 .968    .925 .806    .867 .667    .909 .764
#   (chosen: MRR higher in 99 % of 2,000 bootstrap resamples of the tune questions, R@5 equal; flat for
#    BM25 weight 1.5-2.0, trust exponent 2-4, pool 40-100)
FUSION = "z"  # or "rrf", the previous rule, kept for comparison
RRF_K_HYBRID = 10
W_DENSE = 1.0
W_LEXICAL = 2.0
W_GLOSSARY = 0.3  # the glossary's own ranked list, under FUSION = "rrf" only
EXPANSION_WEIGHT = 0.5  # weight of the agreed-phrase embedding mixed into the dense query vector
LEXICAL_EXPANSION_WEIGHT = 0.2  # BM25 of the agreed phrases, scaled, added to BM25 of the query
LEXICAL_TRUST = 4.0  # BM25's fusion weight is scaled by (share of query words the texts use) ** this
BALANCE_YEARS = True  # a question naming several years shows each in turn (tune-split recall unchanged)
# A soft AND (`concepts`): an English question's fused score gains COVERAGE_WEIGHT times the idf-weighted share
# of its key words a paragraph holds. Tune halves of heldout.jsonl / fresh.jsonl, hybrid R@5 / MRR, all types:
#   0 (none)  .946 / .789   .869 / .772      cross-document .975 / .828   .933 / .845
#   2         .939 / .794   .881 / .788      cross-document 1.00 / .834   1.00 / .860   (chosen; .785 with
#             "from", "during" and the like no longer key words)
#   3         .939 / .792   .893 / .793      everyday (first set) .914 -> .879 at 2 and 3
COVERAGE_WEIGHT = 2.0
# A question in another UN language is searched with the English of its words as the lexicon lists them
# (`retrieval.lexicon`), besides its glossary topics and cognates. Tune halves of the three sets, non-English
# hybrid R@5 / MRR (heldout, fresh, third): without .933/.753 .778/.627 .722/.577; with .933/.755 .833/.702 .889/.723.
LEXICON = True
POOL = 60  # units fetched per method before collapsing to paragraphs
CACHE_SIZE = 256  # query vectors kept


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


# -- fusion (pure functions, tested against a brute-force oracle) --------------------------------


class Retriever:
    """Search the corpus by meaning (dense), words (BM25) or both; results are paragraphs."""

    def __init__(self, settings, corpus, embedder, store, lexical, glossary: Glossary | None = None, units=None,
                 lexicon: Lexicon | None = None, **tuning):
        from assistant.retrieval.units import make_units

        self.settings = settings
        self.corpus = corpus
        self.embedder = embedder
        self.store = store
        self.lexical = lexical
        self.glossary = glossary or Glossary.empty()
        self._lexicon = lexicon  # else read from settings.lexicon_dir at the first question in another language
        self.units = {u.id: u for u in (units if units is not None else make_units(corpus))}
        self.paragraph_of = {uid: u.paragraph_id for uid, u in self.units.items()}
        self.tuning = {
            "rrf_k": RRF_K_HYBRID,
            "w_dense": W_DENSE,
            "w_lexical": W_LEXICAL,
            "w_glossary": W_GLOSSARY,
            "expansion_weight": EXPANSION_WEIGHT,
            "lexical_expansion_weight": LEXICAL_EXPANSION_WEIGHT,
            "pool": POOL,
            "lexical_trust": LEXICAL_TRUST,
            "balance_years": BALANCE_YEARS,
            "fusion": FUSION,
            "coverage_weight": COVERAGE_WEIGHT,
            "lexicon": LEXICON,
            **tuning,
        }
        self._phrase_paragraphs: dict[str, frozenset[str]] = {}
        self._normed: dict[str, str] | None = None  # paragraph texts as agreed phrases are looked up in
        # Results never depend on this cache; it only saves re-embedding a repeated query.
        self._cache: dict[str, object] = {}
        self._phrase_vectors: dict[str, object] = {}  # one glossary entry's agreed phrases, joined -> vector
        self._entry_of: dict[str, str] = {}  # agreed phrase -> the first entry that lists it
        for e in self.glossary.entries:
            for a in e.agreed:
                self._entry_of.setdefault(a, e.term)
        self._cache_lock = threading.Lock()
        self._speller = None
        self._terms = None
        self._concepts = None

    @property
    def terms(self):
        """Where the corpus's words occur (`TermIndex`), built on first use and shared with the answer."""
        if self._terms is None:
            from assistant.retrieval.terms import TermIndex

            with self._cache_lock:
                if self._terms is None:
                    self._terms = TermIndex(self.corpus)
        return self._terms

    @property
    def lexicon(self) -> Lexicon:
        """The word lists from the other UN languages (`retrieval.lexicon`), read on first use."""
        if self._lexicon is None:
            folder = getattr(self.settings, "lexicon_dir", None)
            lexicon = Lexicon.load(folder) if folder is not None else Lexicon()
            with self._cache_lock:
                if self._lexicon is None:
                    self._lexicon = lexicon
        return self._lexicon

    @classmethod
    def open(cls, settings, corpus, embedder=None, **tuning) -> "Retriever":
        """Query encoder, the current index (read only), lexical index and glossary for `corpus`.

        Never builds or changes the index: IndexNotBuilt (naming `assistant index`) when it is missing or
        was built from another corpus or model.
        """
        from assistant.retrieval.embed import query_encoder
        from assistant.retrieval.index import open_current
        from assistant.retrieval.lexical import LexicalIndex
        from assistant.retrieval.units import make_units

        embedder = embedder or query_encoder(settings)
        store = open_current(settings, corpus, embedder)
        units = make_units(corpus)
        path = settings.glossary_path
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
        q, _ = self.read(prepared.query)
        exp = self.glossary.expand(q)
        lang = language(q)
        if lang != "en":
            english = self.english_words(q)
            q = "; ".join(english) if english else q
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
            w_lexical = t["w_lexical"] * self._known_share(q) ** t["lexical_trust"]
            if t["fusion"] == "z":
                fused = zfuse({"dense": [(p, s) for p, _, s in dense], "lexical": [(p, s) for p, _, s in lexical]},
                              {"dense": t["w_dense"], "lexical": w_lexical})
            else:
                rankings = {"dense": [p for p, _, _ in dense], "lexical": [p for p, _, _ in lexical]}
                if glossary_pids:
                    # Paragraphs with the agreed language, in lexical order (then dense, then document order).
                    order = {p: (l_rank.get(p, 10**6), d_rank.get(p, 10**6), i) for i, p in enumerate(self.corpus.ids)}
                    admitted = [p for p in glossary_pids if p in order and self._admits_paragraph(p, filters)]
                    rankings["glossary"] = sorted(admitted, key=order.__getitem__)
                    for p in rankings["glossary"]:
                        unit_of.setdefault(p, f"{p}#0")
                fused = rrf(rankings, {"dense": t["w_dense"], "lexical": w_lexical, "glossary": t["w_glossary"]}, t["rrf_k"])
            w_cov = t["coverage_weight"]
            if w_cov > 0 and lang == "en":
                # A soft AND: a paragraph holding more of the question's rarer key words gains.
                concepts = self._concepts_index()
                words = concepts.key_words(q)
                if words:
                    fused = {p: v + w_cov * concepts.share(words, p) for p, v in fused.items()}
            # Ties (equal scores, common among paragraphs BM25 alone found) go by dense rank, BM25 rank, then ID:
            # the same question gives the same order in every process, whatever its set and hash order.
            scored = sorted(fused.items(), key=lambda ps: (-ps[1], d_rank.get(ps[0], 10**6), l_rank.get(ps[0], 10**6), ps[0]))
        if self.tuning["balance_years"] and len(self._years(filters)) >= 2:
            scored = self._balanced(scored)
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

    def english_words(self, question: str) -> tuple[str, ...]:
        """What a question in another UN language is searched with, the texts being English (both models know
        nothing of the original): the English terms of the glossary entries its words matched, the English
        cognates of its French, Spanish or Russian words, and the English of the words the lexicon lists;
        () for an English question."""
        lang = language(question)
        if lang == "en":
            return ()
        from assistant.retrieval.lexical import stem_word

        listed = self.lexicon.english(question, lang) if self.tuning["lexicon"] else ()
        words = [*cognates(question, lang, stem_word, self.lexical.vocabulary), *listed]
        return tuple(dict.fromkeys([*self.glossary.expand(question).terms, *words]))

    def read(self, question: str) -> tuple[str, tuple[Correction, ...]]:
        """An English question with its typing slips read as the text words they miss by one letter
        ("canabis" -> "cannabis", `retrieval.spelling`), and those corrections."""
        if self.embedder is None or language(question) != "en":
            return question, ()
        if self._speller is None:
            from assistant.retrieval.lexical import stem_word

            self._speller = Speller((p.text for p in self.corpus), stem_word,
                                    known_word(lambda w: self.embedder.count_tokens(w) - 2))
        return self._speller.correct(question)

    def prefetch(self, query: str, texts=()) -> None:
        """Encode `query`, the agreed phrases its glossary expansion mixes in, and `texts`, in one batch, so
        the search and the answer around it find them cached (an English question; others are rewritten)."""
        if self.embedder is None or language(query) != "en":
            return
        exp = self.glossary.expand(query)
        groups = self._expansion_texts(exp.phrases) if self.tuning["expansion_weight"] > 0 else ()
        with self._cache_lock:
            missing = [g for g in groups if g not in self._phrase_vectors]
        vectors = self._encode((query, *missing, *dict.fromkeys(texts)))
        self._keep_phrase_vectors(missing, vectors[1 : 1 + len(missing)])

    def warm(self) -> int:
        """Embed every glossary entry's agreed language now (the app does this in the background at start),
        so no question waits for its expansion; returns how many entries were embedded."""
        groups = [g for g in dict.fromkeys(g for e in self.glossary.entries for g in self._expansion_texts(e.agreed))
                  if g not in self._phrase_vectors]
        if groups and self.embedder is not None:
            self._keep_phrase_vectors(groups, self.embedder.encode(groups))
        return len(groups)

    def embed(self, texts):
        """Unit vectors of `texts` with the query encoder, through the same cache as searches."""
        return self._encode(tuple(texts))

    def clear_cache(self) -> None:
        """Forget cached query vectors, glossary matches and slip readings (benchmarks time them too)."""
        with self._cache_lock:
            self._cache.clear()
        self.glossary.clear_cache()
        if self._speller is not None:
            self._speller.clear_cache()

    # -- internals --------------------------------------------------------------------------

    def _concepts_index(self):
        if self._concepts is None:
            from assistant.retrieval.concepts import Concepts

            self._concepts = Concepts(self.terms, self.glossary, self.corpus.documents)
        return self._concepts

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
        """The expansion's direction: the mean of the matched entries' vectors, each entry's agreed phrases
        embedded as one text (fixed text: embedded once and kept, or beforehand by `warm`). Tune halves,
        R@5 / MRR: one text for all entries 0.920 / 0.791, the mean of the entries' 0.920 / 0.795, the
        mean of every phrase's 0.912 / 0.790."""
        groups = self._expansion_texts(phrases)
        with self._cache_lock:
            known = {g: self._phrase_vectors[g] for g in groups if g in self._phrase_vectors}
        missing = [g for g in groups if g not in known]
        if missing:
            vectors = self.embedder.encode(missing)
            self._keep_phrase_vectors(missing, vectors)
            known.update(zip(missing, vectors))
        vec = np.mean([known[g] for g in groups], axis=0)
        return vec / max(float((vec**2).sum()) ** 0.5, 1e-12)

    def _expansion_texts(self, phrases: tuple[str, ...]) -> tuple[str, ...]:
        """The agreed phrases grouped by glossary entry, each group one text to embed."""
        groups: dict[str, list[str]] = {}
        for phrase in phrases:
            groups.setdefault(self._entry_of.get(phrase, phrase), []).append(phrase)
        return tuple("; ".join(g) for g in groups.values())

    def _keep_phrase_vectors(self, texts, vectors) -> None:
        with self._cache_lock:
            for text, vec in zip(texts, vectors):
                if len(self._phrase_vectors) < 4 * CACHE_SIZE:
                    self._phrase_vectors[text] = vec

    def _encode(self, texts: tuple[str, ...]):
        """Unit vectors of `texts`, the ones not cached encoded together in one batch. Follow-ups ("more",
        "and in 2009?") repeat the previous query, and the answer weighs absent words with variants of the
        question it can encode with the question itself (`Assistant.ask`): recent vectors are kept per text."""
        with self._cache_lock:
            known = {t: self._cache[t] for t in texts if t in self._cache}
        missing = [t for t in dict.fromkeys(texts) if t not in known]
        if missing:
            vectors = self.embedder.encode(missing)
            known.update(zip(missing, vectors))
            with self._cache_lock:
                for t, v in zip(missing, vectors):
                    if len(self._cache) >= CACHE_SIZE:
                        self._cache.pop(next(iter(self._cache)), None)
                    self._cache[t] = v
        return np.stack([known[t] for t in texts]) if texts else self.embedder.encode([])

    def _years(self, filters: Filters) -> set[int]:
        docs = self.corpus.documents
        return set(filters.years) | {docs[d].year for d in filters.docs if d in docs}

    def _balanced(self, scored: list[tuple[str, float]]) -> list[tuple[str, float]]:
        """A question naming two or more years ("2009 vs 2016") gets each year's best paragraphs in turn,
        so one document's many close paragraphs cannot push the other's out of the top k."""
        docs = self.corpus.documents
        by_year: dict[int, list[tuple[str, float]]] = {}
        for pid, score in scored:
            doc = pid.partition(":")[0]
            by_year.setdefault(docs[doc].year if doc in docs else 0, []).append((pid, score))
        out, lists = [], list(by_year.values())
        for i in range(max(len(x) for x in lists) if lists else 0):
            out.extend(x[i] for x in lists if i < len(x))
        return out

    def _known_share(self, q: str) -> float:
        """Share of the query's content words that occur in the texts: how far BM25 can be trusted."""
        from assistant.retrieval.lexical import tokenize

        tokens = tokenize(q)
        return sum(t in self.lexical.vocabulary for t in tokens) / len(tokens) if tokens else 0.0

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
                    if self._normed is None:
                        self._normed = {p.id: _norm(p.text) for p in self.corpus}
                    needle = _norm(phrase)
                    self._phrase_paragraphs[phrase] = frozenset(pid for pid, text in self._normed.items() if needle in text)
                out |= self._phrase_paragraphs[phrase]
        return frozenset(out)


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).lower()
