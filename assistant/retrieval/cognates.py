"""French and Spanish words read as their English cognates ("prévention" -> "prevention", "corrupción" ->
"corruption", "judiciaire" -> "judiciary"), so a question's words outside the glossary still reach the
English texts. Only a cognate whose stem the texts use is kept; the glossary stays the first bridge.
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


def plain(word: str) -> str:
    """`word` lower-cased without accents ("prévention" -> "prevention")."""
    decomposed = unicodedata.normalize("NFKD", word.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def cognates(text: str, language: str, stem: Callable[[str], str], known: Container[str]) -> tuple[str, ...]:
    """The English cognates of the French or Spanish words of `text` whose stems are in `known`."""
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
