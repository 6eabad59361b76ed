"""French, Spanish and Russian words read as their English cognates ("prévention" -> "prevention",
"corrupción" -> "corruption", "прекурсоров" -> "precursor"), so a question's words outside the glossary
still reach the English texts. Only a cognate whose stem the texts use is kept; the glossary stays the
first bridge. Russian words are transliterated and compared by their consonants with the texts' stems.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Callable, Container

MIN_LENGTH = 5
_WORD = re.compile(r"[^\W\d_]+")
# Endings of French and Spanish words and the English endings of their cognates, longest first.
_ENDINGS = {
    "fr": (("ations", "ations"), ("ation", "ation"), ("tions", "tions"), ("tion", "tion"), ("iques", "ics"),
           ("ique", "ic"), ("ites", "ities"), ("ite", "ity"), ("aires", "aries"), ("aire", "ary"), ("elles", "als"),
           ("elle", "al"), ("els", "als"), ("el", "al"), ("aux", "al"), ("ismes", "isms"), ("isme", "ism"),
           ("istes", "ists"), ("iste", "ist"), ("euses", "ous"), ("euse", "ous"), ("eux", "ous"), ("ives", "ive"),
           ("ive", "ive"), ("ifs", "ive"), ("if", "ive"), ("ies", "ies"), ("ie", "y"), ("ees", "ed"), ("ee", "ed")),
    "es": (("aciones", "ations"), ("acion", "ation"), ("ciones", "tions"), ("cion", "tion"), ("siones", "sions"),
           ("sion", "sion"), ("idades", "ities"),
           ("idad", "ity"), ("icos", "ic"), ("icas", "ic"), ("ico", "ic"), ("ica", "ic"), ("arios", "ary"),
           ("arias", "ary"), ("ario", "ary"), ("aria", "ary"), ("ismos", "isms"), ("ismo", "ism"), ("istas", "ists"),
           ("ista", "ist"), ("osos", "ous"), ("osas", "ous"), ("oso", "ous"), ("osa", "ous"), ("ivos", "ive"),
           ("ivas", "ive"), ("ivo", "ive"), ("iva", "ive"), ("encias", "ences"), ("encia", "ence"), ("ancias", "ances"),
           ("ancia", "ance"), ("entes", "ents"), ("ente", "ent"), ("ales", "al"), ("ias", "ies"), ("ia", "y"),
           ("os", "s"), ("as", "s"), ("o", ""), ("a", "")),
}


# Cyrillic as the Latin letters English cognates are spelled with ("ц" is the c of "medicine", "г" the h
# of "heroin" or the g of "organ": g and h are one class below).
_CYRILLIC = dict(zip("абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
                     ["a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "i", "k", "l", "m", "n", "o", "p", "r", "s",
                      "t", "u", "f", "kh", "c", "ch", "sh", "shch", "", "y", "", "e", "yu", "ya"]))
MIN_CONSONANTS = 4  # a Russian word's skeleton must begin with a stem's skeleton this long at least
MIN_SHARED = 3  # and the two must be spelled alike (by sound class) for this many letters from the start
_SKELETON = (("ph", "f"), ("th", "t"), ("ck", "k"), ("kh", "k"), ("ch", "k"), ("gh", "g"), ("x", "ks"), ("q", "k"),
             ("c", "k"), ("h", "g"), ("z", "s"), ("w", "v"), ("y", "i"))


def _sounds(word: str) -> str:
    """`word` spelled by sound class ("pharmaceutical" -> "farmakeutikal"), doubles collapsed."""
    w = word.lower()
    for a, b in _SKELETON:
        w = w.replace(a, b)
    return re.sub(r"(.)\1+", r"\1", w)


def skeleton(word: str) -> str:
    """A word's consonants by sound class: "precursor" and "prekursorov" both give "prkrsr"."""
    return re.sub(r"(.)\1+", r"\1", re.sub(r"[aeiouy]", "", _sounds(word)))


def _transliterations(word: str) -> list[str]:
    """A Russian word in Latin letters; "ев" before a consonant as the "eu" of "pharmaceutical"; "ци" before
    a vowel also as the "ti" of "-tion" ("коррупция")."""
    word = re.sub(r"ев(?=[бвгджзклмнпрстфхцчшщ])", "еу", word)
    latin = "".join(_CYRILLIC[c] for c in word)
    tion = re.sub(r"ци(?=[яиюе])", "ти", word)
    return [latin, "".join(_CYRILLIC[c] for c in tion)] if tion != word else [latin]


def _common_prefix(a: str, b: str) -> int:
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return n


def _russian(text: str, known: Container[str]) -> tuple[str, ...]:
    """The texts' stems that begin the Russian words of `text` by their consonants, the longest such run
    first, and among stems with the same consonants the one spelled most like the word (vowels too)."""
    stems = _stems_by_skeleton(known)
    out: dict[str, None] = {}
    for word in _WORD.findall(text.lower()):
        if len(word) < MIN_LENGTH or not all(c in _CYRILLIC for c in word):
            continue
        best = None  # (consonants matched, letters shared from the start, stem)
        for latin in _transliterations(word):
            sk, sounds = skeleton(latin), _sounds(latin)
            for n in range(len(sk), MIN_CONSONANTS - 2, -1):
                if sk[:n] in stems:
                    stem = max(stems[sk[:n]], key=lambda st: (_common_prefix(_sounds(st), sounds), -len(st), st))
                    shared = _common_prefix(_sounds(stem), sounds)
                    # Three consonants only when the whole stem is spelled alike ("героин" -> "heroin").
                    enough = shared >= MIN_SHARED if n >= MIN_CONSONANTS else shared >= len(_sounds(stem)) >= 5
                    if enough and (best is None or (n, shared) > best[:2]):
                        best = (n, shared, stem)
                    break
        if best:
            out.setdefault(best[2], None)
    return tuple(out)


# The vocabulary last asked about (held, so a new one is never mistaken for it) with its table, read at once.
_BY_SKELETON: tuple[object, dict[str, list[str]]] = (None, {})


def _stems_by_skeleton(known) -> dict[str, list[str]]:
    global _BY_SKELETON
    held, table = _BY_SKELETON
    if held is not known:
        table = {}
        for stem in sorted(k for k in known if k.isalpha() and len(k) >= MIN_LENGTH):
            table.setdefault(skeleton(stem), []).append(stem)
        _BY_SKELETON = (known, table)
    return table


def plain(word: str) -> str:
    """`word` lower-cased without accents ("prévention" -> "prevention")."""
    decomposed = unicodedata.normalize("NFKD", word.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def cognates(text: str, language: str, stem: Callable[[str], str], known: Container[str]) -> tuple[str, ...]:
    """The English cognates of the French, Spanish or Russian words of `text` whose stems are in `known`."""
    if language == "ru":
        return _russian(text, known)
    endings = _ENDINGS.get(language)
    if not endings:
        return ()
    out: dict[str, None] = {}
    for word in _WORD.findall(text):
        w = plain(word)
        if len(w) < MIN_LENGTH:
            continue
        candidates = [w] + [w[: -len(a)] + b for a, b in endings if w.endswith(a) and len(w) - len(a) >= 3]
        for c in candidates:
            if stem(c) in known:
                out.setdefault(c, None)
                break
    return tuple(out)
