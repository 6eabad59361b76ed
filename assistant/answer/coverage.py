"""Honest coverage: for each key term of a question, the evidence in the texts (used, bridged, or absent).

Rules (each tested):
1. Key terms are the question's content words and phrases (`retrieval.query.key_terms`): not question
   words, function words, document names or years.
2. A term is USED when its words occur, in order, in a paragraph of the searched documents
   (`retrieval.terms`); a run of three or more words also counts when one paragraph holds all its words.
3. Otherwise it is BRIDGED when a glossary entry matched the user's words (its longest alias) and one of
   the entry's agreed phrases occurs in a searched paragraph, one sharing the user's words first: the
   agreed phrase is quoted as printed there.
4. Otherwise it is ABSENT: "None of the texts uses the words …". An absent term is DECISIVE, and the
   answer not a match, when it names something (a capitalised name, a number) or when dropping it moves
   the question's meaning by at least MIN_SALIENCE (1 - cosine between the two questions' embeddings):
   "vaccine" in "cocaine vaccine research" (0.5) decides, "suitcases" in "suitcases of cash carried over
   the border" (0.13) does not, and the lead still says that no text uses it. Absent terms joined by
   "and", "or" or a comma are also weighed together ("energy drinks and caffeine"). A word the model barely
   knows (split into MAX_PIECES word pieces or more) decides too. A phrase whose every word the texts
   use, only never as that phrase ("money problems": "money" and "problems" both occur), does not decide by meaning:
   the lead says the texts use each word but not the phrase, and the quotes are judged on the rest.
   A word of an absent pair that a third of the searched paragraphs use ("drug") is no evidence either
   way: "drugs hidden" is judged as "hidden".
5. A question in another UN language is judged by the glossary terms it contains (bridged or absent);
   its other words are not English and say nothing about the texts.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, replace
from typing import Iterable

from assistant.retrieval.query import key_terms, language
from assistant.retrieval.terms import COMMON_SHARE, content_tokens

USED, BRIDGED, ABSENT = "used", "bridged", "absent"


@dataclass(frozen=True)
class TermEvidence:
    """One key term: the user's `words`, its status, and where the evidence is (`pid`, `agreed` as printed)."""

    words: str
    status: str
    pid: str = ""
    citation: str = ""
    agreed: str = ""  # BRIDGED: the agreed phrase as printed in `pid`
    printed: str = ""  # USED: the user's words as printed in `pid` ("alternative" for "alternatives")
    topic: str = ""  # BRIDGED: the glossary entry, when its agreed phrases are several and none is the user's words
    decisive: bool = True  # ABSENT: whether its absence decides that nothing matches (rule 4)
    apart: bool = False  # ABSENT: a phrase whose every word the texts use, never as the phrase (rule 4)
    salience: float | None = None  # ABSENT: how far dropping it moves the question's meaning
    instead_of: str = ""  # ABSENT: a term the texts use that the question offers it as an alternative to (rule 4)


@dataclass(frozen=True)
class Coverage:
    """The evidence for every key term of a question, and how many paragraphs were searched."""

    language: str
    terms: tuple[TermEvidence, ...]
    searched: int
    scope: str  # "all 577 paragraphs", "the 131 paragraphs of the 2016 Outcome Document"

    @property
    def absent(self) -> tuple[TermEvidence, ...]:
        """Absent terms that decide there is no match."""
        return tuple(t for t in self.terms if t.status == ABSENT and t.decisive)

    @property
    def unused(self) -> tuple[TermEvidence, ...]:
        """Absent terms too minor to decide (no text uses them; the rest of the question still matches)."""
        return tuple(t for t in self.terms if t.status == ABSENT and not t.decisive)

    @property
    def present(self) -> tuple[TermEvidence, ...]:
        return tuple(t for t in self.terms if t.status != ABSENT)

    def to_dict(self) -> dict:
        return {
            "language": self.language,
            "searched": self.searched,
            "scope": self.scope,
            "terms": [
                {"words": t.words, "status": t.status, "id": t.pid, "citation": t.citation, "agreed": t.agreed}
                | ({"topic": t.topic} if t.status == BRIDGED else {})
                | ({"decisive": t.decisive, "salience": t.salience, "words_apart": t.apart, "instead_of": t.instead_of}
                   if t.status == ABSENT else {})
                for t in self.terms
            ],
        }


def assess(question: str, corpus, term_index, glossary, docs: Iterable[str], prefer: Iterable[str] = (), registry=None,
           seen: dict[str, list[str]] | None = None, alike=None, near=None) -> Coverage:
    """The coverage of `question` in `docs` (all documents when empty); evidence from `prefer` (the quotes) first.
    `seen` keeps where each term is used, for a second assessment of the same question and documents;
    `alike(word, printed)` (`alike_words`) keeps those of the texts' words with the user's stem that are the user's word;
    `near(words, phrases)` (`nearness`) orders an entry's agreed phrases that share none of the user's words."""
    everything = not docs or set(docs) >= set(corpus.documents)
    docs = tuple(docs) or tuple(corpus.documents)
    prefer = list(prefer)
    searched = sum(1 for p in corpus if p.doc in docs)
    names = [corpus.documents[d].short if d in corpus.documents else d for d in docs]
    scope = f"all {searched} paragraphs" if everything else f"the {searched} paragraphs of the " + _join(names)
    lang = language(question)
    matched = glossary.matched_words(question)
    if lang != "en":
        terms = tuple(_bridge(words, [e], corpus, term_index, docs, prefer) for e, words in matched)  # not English: no `near`
        return Coverage(lang, tuple(dict.fromkeys(terms)), searched, scope)
    seen = {} if seen is None else seen

    def used(term: str) -> list[str]:
        if term not in seen:
            seen[term] = _where_used(term, term_index, docs, alike)
        return seen[term]

    def common(word: str) -> bool:
        return len(used(word)) >= COMMON_SHARE * searched

    terms = _evidence_units(key_terms(question, registry or corpus.documents), matched, used, common)
    where = {term: used(term) for term, _ in terms}
    # Evidence from one paragraph that holds most of the terms, a quoted one first.
    holds = Counter(pid for pids in where.values() for pid in set(pids))
    rank = {pid: (-n, prefer.index(pid) if pid in prefer else len(prefer)) for pid, n in holds.items()}
    out = []
    for term, entries in terms:
        pids = where[term]
        if pids:
            pid = min(pids, key=lambda p: (rank[p], pids.index(p)))
            spans = term_index.spans(pid, term)
            printed = corpus.get(pid).text[spans[0][0] : spans[0][1]] if spans else term
            out.append(TermEvidence(term, USED, pid, corpus.get(pid).citation, printed=printed))
        else:
            evidence = _bridge(term, entries, corpus, term_index, docs, prefer, near)
            words = term.split()
            if evidence.status == ABSENT and len(words) >= 2 and all(used(w) for w in words):
                evidence = replace(evidence, apart=True)
            out.append(evidence)
    return Coverage(lang, tuple(dict.fromkeys(out)), searched, scope)


def _evidence_units(terms, matched, used, common=lambda word: False) -> list[tuple[str, list]]:
    """The units the evidence is judged on, each with the glossary entries that may bridge it: a key term
    the texts use as a phrase stays whole; otherwise the words a glossary entry matched are one unit,
    and each word of a longer remaining run is judged alone ("kratom under international control":
    "international control" bridged, "kratom" absent), so one unknown word never hides behind known ones.
    A word of a remaining pair that is `common` (in a third of the paragraphs: "drug") says nothing
    either way and is left out: "drugs hidden" is judged as "hidden", "death penalty" stays whole."""
    out = []
    for term in terms:
        if used(term):
            out.append((term, []))
            continue
        rest = term
        for entry, words in matched:
            if words.lower() in rest.lower():
                i = rest.lower().index(words.lower())
                out.append((rest[i : i + len(words)], [entry]))
                rest = rest[:i] + " | " + rest[i + len(words):]
            elif term.lower() in words.lower():
                out.append((term, [entry]))
                rest = ""
            elif part := _overlap(words, rest):
                # The alias runs across the term's edge ("people who testify" and the run "testify against
                # drug traffickers"): the shared words are bridged, the rest judged as usual.
                i = rest.lower().index(part.lower())
                out.append((rest[i : i + len(part)], [entry]))
                rest = rest[:i] + " | " + rest[i + len(part):]
        for run in (r.strip() for r in rest.split("|")):
            if not run:
                continue
            if not used(run) and len(run.split()) == 2:
                run = " ".join(w for w in run.split() if not common(w)) or run
            if used(run) or len(run.split()) <= 2:
                out.append((run, []))  # "death penalty" stays one term, absent as a phrase
            else:
                out.extend((w, []) for w in run.split())
    return list({t.lower(): (t, e) for t, e in out}.values())


def _overlap(words: str, run: str) -> str:
    """The longest start of `run` that ends `words`, or end of `run` that starts `words` (whole words)."""
    alias, mine = words.lower().split(), run.split()
    low = [w.lower() for w in mine]
    for n in range(min(len(alias), len(mine)), 0, -1):
        if low[:n] == alias[-n:]:
            return " ".join(mine[:n])
        if low[-n:] == alias[:n]:
            return " ".join(mine[-n:])
    return ""


MIN_SALIENCE = 0.15  # tuned on the tune split of eval/heldout.jsonl (`assistant eval`)
MAX_PIECES = 4
SAME_WORD_COSINE = 0.3  # tuned on the tune splits (`assistant eval`)


def weigh_absent(coverage: Coverage, question: str, encode, count_tokens) -> Coverage:
    """Rule 4: mark each absent term decisive or not; `encode(texts)` gives unit vectors (the retriever's,
    which has the question's already), `count_tokens(text)` the model's word pieces."""
    absent = [t for t in coverage.terms if t.status == ABSENT]
    if not absent or coverage.language != "en":
        return coverage
    texts = salience_texts(coverage, question, count_tokens)
    if not texts:
        # A name or an unknown word already decides; the others are named in the lead all the same.
        weighed = {t: replace(t, decisive=_names_something(t.words, question) or _unknown_to_model(t.words, count_tokens))
                   for t in absent}
    else:
        vectors = encode(texts)
        weighed = {}
        together = _coordinated(absent, question)  # salience_texts ended with the question without them
        joint = 1.0 - float(vectors[0] @ vectors[-1]) if together else 0.0
        for t, v in zip(absent, vectors[1:]):
            salience = round(max(1.0 - float(vectors[0] @ v), joint if t in together else 0.0), 3)
            other = _alternative(t, coverage.present, question)
            weighed[t] = replace(t, salience=salience, instead_of=other,
                                 decisive=salience >= MIN_SALIENCE and not t.apart and not other)
    return replace(coverage, terms=tuple(weighed.get(t, t) for t in coverage.terms))


def _alternative(term: TermEvidence, present, question: str) -> str:
    """The present term `term` is offered as an alternative to ("fair trade or organic labels"), if any."""
    for p in present:
        a, b = re.escape(term.words), re.escape(p.words)
        if re.search(rf"\b(?:{a}\s*(?:\bor\b|/)\s*{b}|{b}\s*(?:\bor\b|/)\s*{a})\b", question, re.I):
            return p.words
    return ""


def salience_texts(coverage: Coverage, question: str, count_tokens) -> list[str]:
    """The texts rule 4 embeds: the question, then the question without each absent term; none when no
    term needs weighing (no absent term, another language, or a name or unknown word that decides)."""
    absent = [t for t in coverage.terms if t.status == ABSENT]
    if not absent or coverage.language != "en":
        return []
    if any(_names_something(t.words, question) or _unknown_to_model(t.words, count_tokens) for t in absent):
        return []
    texts = [question, *(_without(question, [t]) for t in absent)]
    together = _coordinated(absent, question)
    return texts + [_without(question, together)] if together else texts


def _without(question: str, terms) -> str:
    for t in terms:
        question = re.sub(re.escape(t.words), " ", question, flags=re.I)
    return question


def _coordinated(absent, question: str) -> list:
    """Absent terms joined by "and", "or" or a comma ("energy drinks and caffeine"): alike things that would
    each seem to matter little while the other stays, so they are also weighed together."""
    out = []
    for a in absent:
        for b in absent:
            if a is not b and not a.apart and not b.apart and re.search(
                    re.escape(a.words) + r"\s*(?:,|\band\b|\bor\b|&|/)\s*(?:the\s+|other\s+)?" + re.escape(b.words), question, re.I):
                out += [t for t in (a, b) if t not in out]
    return out


def _unknown_to_model(words: str, count_tokens) -> bool:
    """A word the model splits into MAX_PIECES or more word pieces ("glyphosate", "sofosbuvir"): a technical
    term it barely knows, so the embedding cannot say how much it matters; its absence decides."""
    return any(count_tokens(w) - 2 >= MAX_PIECES for w in re.findall(r"[^\W_]+", words))


def _names_something(words: str, question: str) -> bool:
    """A capitalised word (not only the question's first word) or a number: a name the texts would print."""
    first = re.match(r"\W*(\w+)", question)
    for w in re.findall(r"[^\W_]+", words):
        if any(c.isdigit() for c in w) or (w[:1].isupper() and not (first and first.group(1) == w)):
            return True
    return False


def alike_words(encode):
    """`alike(word, printed)`: the words the texts print with the stem of the user's word that are that word.
    The stemmer joins words that are not ("position" and "positive", "integral" and "integrity"), and the
    lead must not say a text uses them. Forms equal but for inflection or "-ion" are the word; only when
    the texts print none, the model judges the others (cosine >= SAME_WORD_COSINE, one batch)."""
    from assistant.retrieval.terms import light_stem

    def alike(word: str, printed: list[str]) -> list[str]:
        light = light_stem(word)
        same = [w for w in printed if light_stem(w) == light]
        if same or not printed:
            return same
        vectors = encode((word.lower(), *printed))
        return [w for w, v in zip(printed, vectors[1:]) if float(vectors[0] @ v) >= SAME_WORD_COSINE]

    return alike


def noting(wanted: list[str]):
    """An `encode` for `alike_words` and `nearness` that only notes the texts asked for (into `wanted`) and
    finds every pair alike: a first pass that learns what the model will be asked, to ask it in one batch."""
    import numpy as np

    def encode(texts) -> "np.ndarray":
        texts = list(texts)
        wanted.extend(texts)
        return np.full((len(texts), 1), 1.0, dtype=np.float32)

    return encode


def nearness(encode):
    """`near(words, phrases)`: the cosine of the user's words to each phrase (one batch)."""

    def near(words: str, phrases: list[str]) -> list[float]:
        vectors = encode((words.lower(), *phrases))
        return [float(vectors[0] @ v) for v in vectors[1:]]

    return near


def _where_used(term: str, term_index, docs, alike=None) -> list[str]:
    pids = term_index.paragraphs_with(term, docs)
    if pids and alike is not None:
        forms = term_index.forms(term)
        if forms:
            kept = set().union(*(forms[w] for w in alike(term, list(forms))))
            pids = [p for p in pids if p in kept]
    stems = {t.stem for t in content_tokens(term)}
    if pids or len(stems) < 3:
        return pids
    # A long run of words ("drug use disorders treatment") need not be one phrase of the texts.
    return [pid for pid, held in term_index.stems.items() if term_index.doc_of[pid] in docs and stems <= held]


def _bridge(words: str, entries, corpus, term_index, docs, prefer, near=None) -> TermEvidence:
    """The agreed phrase of `entries` printed in `docs` that stands for the user's words: one sharing them
    first ("drug gangs": "violent crimes related to gangs" before "firearms"); then, by `near`, the one
    closest in meaning ("coffee": "fair-trade principles", not "legal titles to land"); else the one
    printed in the best-ranked quote. Unless the phrase shares the user's words or is the entry's only one,
    the evidence names the entry's topic: "coffee" is under "land and market access for farmers", not
    itself "fair-trade principles"; "mandatory treatment" under "voluntary treatment and consent", not
    "voluntary participation"."""
    mine = {t.stem for t in content_tokens(words)}
    for entry in entries:
        where = {phrase: pids for phrase in entry.agreed if (pids := term_index.paragraphs_with(phrase, docs))}
        if not where:
            continue
        shared = {phrase: len(mine & {t.stem for t in content_tokens(phrase)}) for phrase in where}
        close = {}
        if near is not None and len(where) > 1 and not any(shared.values()):
            close = dict(zip(where, near(words, list(where))))
        # Among equals, the entry's own order (its main phrase first); with no word shared, the best-ranked quote's.
        order = {phrase: (i if any(shared.values()) else min((prefer.index(p) for p in pids if p in prefer), default=len(prefer)))
                 for i, (phrase, pids) in enumerate(where.items())}
        phrase = min(where, key=lambda ph: (-shared[ph], -close.get(ph, 0.0), order[ph]))
        pid = _first(where[phrase], prefer)
        spans = term_index.spans(pid, phrase)
        text = corpus.get(pid).text
        printed = text[spans[0][0] : spans[0][1]] if spans else phrase
        # The lead equates the user's words with the phrase only when shared words, the entry's only printed
        # phrase or the entry's own name ("precursors") tie them; otherwise it names the entry (the model's
        # nearness cannot tell "proportional sentencing" from its opposite, "disproportionate punishment").
        topic = "" if shared[phrase] or len(where) == 1 or phrase.lower() == entry.term.lower() else entry.term
        return TermEvidence(words, BRIDGED, pid, corpus.get(pid).citation, printed, topic=topic)
    return TermEvidence(words, ABSENT)


def _first(pids: list[str], prefer: list[str]) -> str:
    return next((p for p in prefer if p in pids), pids[0])


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
