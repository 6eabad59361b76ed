"""Glossary: the words users bring mapped to the agreed language of the texts (corpus/glossary.toml)."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from assistant.errors import CorpusError
from assistant.retrieval.query import SCRIPTS, language, scripts_in


@dataclass(frozen=True)
class Entry:
    """One glossary entry: user words (`aliases`) and the agreed phrases and paragraphs they map to."""

    term: str
    aliases: tuple[str, ...]
    agreed: tuple[str, ...]
    paragraphs: tuple[str, ...]
    note: str = ""
    translations: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (language, terms): the other UN languages

    def words_in(self, language: str) -> tuple[str, ...]:
        return next((terms for lang, terms in self.translations if lang == language), ())


@dataclass(frozen=True)
class Expansion:
    """What a query matched: entry terms, agreed phrases not already in the query, paragraph IDs."""

    terms: tuple[str, ...] = ()
    phrases: tuple[str, ...] = ()
    paragraphs: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.terms)


def _pattern(alias: str) -> re.Pattern:
    # Capitals (WHO, OST, ATS) are acronyms: matched case-sensitively so "who" stays a pronoun.
    flags = 0 if alias.isupper() else re.IGNORECASE
    words = alias.split()
    last = _singular(words[-1]) if len(words) > 1 else re.escape(words[-1])
    body = r"\s+".join([*(re.escape(w) for w in words[:-1]), last])
    return re.compile(rf"(?<![\w-]){body}(?:s|es)?(?![\w-])", flags)


def _singular(word: str) -> str:
    """The last word of a phrase in the plural, as a pattern that also takes its singular: "prescription
    painkillers" matches "prescription painkiller" (a single word keeps its plural: "abuses" is not "abuse")."""
    low = word.lower()
    if low.endswith("ies") and len(low) > 4:
        return re.escape(word[:-3]) + "(?:y|ie)"
    if re.search(r"(?:ss|us|is|ics)$", low) or not low.endswith("s") or len(low) <= 3:
        return re.escape(word)
    if re.search(r"(?:sses|xes|ches|shes|zes)$", low):
        return re.escape(word[:-2])
    return re.escape(word[:-1])


def _inflected(word: str) -> str:
    """A Russian word with its ending left open (cases and numbers change the last letters)."""
    if len(word) > 5:
        return re.escape(word[:-2]) + r"\w{0,4}"
    return re.escape(word) + r"\w{0,2}"


# Latin letters with their accents, one for one, so "precurseurs" typed without accents finds "précurseurs".
_ACCENTS = {"a": "áàâäã", "e": "éèêë", "i": "íìîï", "o": "óòôöõ", "u": "úùûü", "c": "ç", "n": "ñ"}
_FOLD = str.maketrans({v: base for base, vs in _ACCENTS.items() for v in vs})


def fold(text: str) -> str:
    """`text` with the accents of Latin letters dropped, one character for one (spans stay valid)."""
    return text.translate(_FOLD)


def _accent_free(escaped: str) -> str:
    """An escaped literal whose letters also match their accented or plain forms."""
    return "".join(f"[{base}{_ACCENTS[base]}]" if (base := fold(c)) in _ACCENTS else c for c in escaped)


def _romance(word: str, loose: bool = False) -> str:
    """A French or Spanish word with the endings of gender and number only ("alternativo", "alternativas",
    "internationaux"), never an open ending: English questions are searched with these patterns too, and
    an open one lets "police" find "policy" and "deporte" find "deported". `loose` (a question in French
    or Spanish only) makes accents optional: "precurseurs" finds "précurseurs"; in an English question it
    would let "policía" find "policies"."""
    lit = (lambda t: _accent_free(re.escape(t))) if loose else re.escape
    if len(word) > 3 and word[-1].lower() in "aeoáéó":
        return lit(word[:-1]) + r"(?:[aeoáéó]s?|x)"
    if len(word) > 3 and word.lower().endswith("al"):
        return lit(word) + r"(?:es|s)?|" + lit(word[:-2]) + "aux"
    return lit(word) + r"(?:s|es|x)?"


def _foreign_pattern(language: str, term: str, loose: bool = False) -> re.Pattern:
    """How a term of another UN language is found in a question: Chinese as a substring; Arabic words from
    a word's start, after up to two proclitics (و ف ب ل ك) and the article ("الرصد" is not in "أرصدة");
    an acronym ("ВОЗ", "ONUDD") as written, a whole word ("возле" is not the WHO); Russian words with open
    endings; French and Spanish words with their endings of gender and number."""
    words = term.split()
    if language == "zh":
        return re.compile(re.escape(term.replace(" ", "")))
    if language == "ar":
        bare = [w[2:] if w.startswith("ال") and len(w) > 3 else w for w in words]
        return re.compile(r"\s+".join(rf"(?<!\w)(?:[وفبلك]{{0,2}}(?:ال)?){re.escape(w)}\w{{0,2}}" for w in bare))
    if len(words) == 1 and term.isupper() and len(term) > 1:
        return re.compile(rf"(?<!\w){re.escape(term)}(?!\w)")
    inflect = _inflected if language == "ru" else (lambda w: _romance(w, loose))
    body = r"[\s'’-]+".join(f"(?:{inflect(w)})" for w in words)
    return re.compile(rf"(?<!\w){body}(?!\w)", re.IGNORECASE)


class _Lazy:
    """A term's pattern, compiled the first time a question could hold it: only when the question is in
    the term's script and contains `needle`, a literal start every match must have (lower-cased). An
    English question so never pays for the 1,600 terms in the other languages, in time or compiling."""

    def __init__(self, script: str, build, needle: str, build_loose=None):
        self.script, self._build, self.needle, self._compiled = script, build, needle, None
        self._build_loose, self._loose = build_loose, None

    def search(self, text: str, lowered: str, scripts: set[str], loose: bool = False):
        """The first match in `text`; `lowered` is the text lower-cased and folded (`fold`); `loose` asks
        for the accent-free pattern, where the term has one (French and Spanish)."""
        if self.script not in scripts or self.needle not in lowered:
            return None
        if loose and self._build_loose is not None:
            if self._loose is None:
                self._loose = self._build_loose()
            return self._loose.search(text)
        if self._compiled is None:
            self._compiled = self._build()
        return self._compiled.search(text)


def _lazy(language: str, term: str) -> _Lazy:
    first = term.split()[0] if term.split() else term
    if language == "zh":
        needle = term.replace(" ", "")[:2]
    elif language == "ar":
        needle = ""  # proclitics and the article may come first: the script check alone
    else:
        needle = fold((first[:-2] if len(first) > 5 else first)[:4].lower())
    loose = (lambda: _foreign_pattern(language, term, loose=True)) if language in ("fr", "es") else None
    return _Lazy(language if language in SCRIPTS else "", lambda: _foreign_pattern(language, term), needle, loose)


def _english(alias: str) -> _Lazy:
    first = alias.split()[0] if alias.split() else alias
    return _Lazy("", lambda: _pattern(alias), fold(first[:4].lower()))


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().lower()


MEMO_SIZE = 256  # questions whose matches are kept
_START = 3  # letters of a needle that index its pattern


class Glossary:
    """Loaded glossary entries; `expand(query)` for query expansion, `entries` for display."""

    def __init__(self, entries: tuple[Entry, ...] | list[Entry]):
        self.entries: tuple[Entry, ...] = tuple(entries)
        self._memo: dict[str, tuple[tuple[Entry, str], ...]] = {}  # one answer asks for a question's matches three times
        self._lazies = [
            (i, lazy)
            for i, e in enumerate(self.entries)
            for lazy in [_english(a) for a in dict.fromkeys((e.term, *e.aliases))]
            + [_lazy(lang, w) for lang, words in e.translations for w in words]
        ]
        # Patterns by the first three letters of their needle, so a question tries only the few whose
        # needle it can hold (about 3,000 patterns otherwise); shorter needles are tried for every
        # question in their script.
        self._by_start: dict[str, list[int]] = {}
        self._always: dict[str, list[int]] = {}
        for k, (_, lazy) in enumerate(self._lazies):
            if len(lazy.needle) >= _START:
                self._by_start.setdefault(lazy.needle[:_START], []).append(k)
            else:
                self._always.setdefault(lazy.script, []).append(k)

    @classmethod
    def load(cls, path: Path) -> "Glossary":
        try:
            data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise CorpusError(f"glossary file not found: {path}") from None
        except tomllib.TOMLDecodeError as exc:
            raise CorpusError(f"glossary file {path} is not valid TOML: {exc}") from exc
        try:
            entries = [
                Entry(
                    term=d["term"],
                    aliases=tuple(d.get("aliases", ())),
                    agreed=tuple(d.get("agreed", ())),
                    paragraphs=tuple(d.get("paragraphs", ())),
                    note=d.get("note", ""),
                    translations=tuple((lang, tuple(words)) for lang, words in sorted(d.get("translations", {}).items())),
                )
                for d in data.get("entry", [])
            ]
        except (KeyError, TypeError) as exc:
            raise CorpusError(f"glossary file {path} has a malformed entry: {exc}") from exc
        return cls(entries)

    @classmethod
    def from_settings(cls, settings) -> "Glossary":
        return cls.load(settings.glossary_path)

    @classmethod
    def empty(cls) -> "Glossary":
        return cls(())

    def __len__(self) -> int:
        return len(self.entries)

    def match(self, query: str) -> list[Entry]:
        return list(dict.fromkeys(e for e, _ in self.matched_words(query)))

    def matched_words(self, query: str) -> list[tuple[Entry, str]]:
        """Each matched entry with the words of `query` that matched it (as the user wrote them)."""
        found = self._memo.get(query)
        if found is None:
            found = self._match_words(query)
            if len(self._memo) >= MEMO_SIZE:
                self._memo.clear()
            self._memo[query] = found
        return list(found)

    def clear_cache(self) -> None:
        """Forget remembered matches (benchmarks time the matching too)."""
        self._memo.clear()

    def _spans(self, query: str) -> dict[int, set[tuple[int, int]]]:
        """Every entry (by index) with the spans its patterns match, trying only the patterns whose needle
        the question can hold."""
        scripts = {""} | scripts_in(query)
        lowered = fold(query.lower())  # needles are folded too
        loose = language(query) in ("fr", "es")  # accents optional in a French or Spanish question only
        candidates = {k for script in scripts for k in self._always.get(script, ())}
        for i in range(len(lowered) - _START + 1):
            candidates.update(self._by_start.get(lowered[i : i + _START], ()))
        found: dict[int, set[tuple[int, int]]] = {}
        for k in candidates:
            entry, lazy = self._lazies[k]
            m = lazy.search(query, lowered, scripts, loose)
            if m:
                found.setdefault(entry, set()).add(m.span())
        return found

    def _match_words(self, query: str) -> tuple[tuple[Entry, str], ...]:
        found = self._spans(query)
        out = []
        for entry in sorted(found):
            # Every alias is tried and the longest wins ("overdose antidote", not "overdose" leaving
            # "antidote" unexplained); another alias elsewhere in the question counts too.
            taken: list[tuple[int, int]] = []
            for start, end in sorted(found[entry], key=lambda s: (s[0] - s[1], s[0])):
                if all(end <= a or start >= b for a, b in taken):
                    taken.append((start, end))
            out.extend((entry, (a, b)) for a, b in sorted(taken))
        # Across entries too, a match inside another entry's longer match is part of it ("jail" in
        # "treatment instead of jail"), not a second topic.
        spans = [span for _, span in out]
        kept = [(e, (a, b)) for e, (a, b) in out
                if not any(c <= a and b <= d and (c, d) != (a, b) for c, d in spans)]
        return tuple((self.entries[e], query[a:b]) for e, (a, b) in kept)

    def expand(self, query: str) -> Expansion:
        matched = self.match(query)
        if not matched:
            return Expansion()
        q = _norm(query)
        phrases = dict.fromkeys(a for e in matched for a in e.agreed if _norm(a) not in q)
        paragraphs = dict.fromkeys(p for e in matched for p in e.paragraphs)
        return Expansion(tuple(e.term for e in matched), tuple(phrases), tuple(paragraphs))
