"""Word lists from the other UN languages to the English words of the texts (`corpus/lexicon/<lang>.tsv`):
a question in Arabic, Chinese, French, Russian or Spanish is searched with the English words of what it
says, not only with the glossary's topics. Dictionary query translation, word by word:

- French, Spanish, Russian: a question word matches a listed form as written, without accents, or with
  one or two letters of ending more or less ("confisqués" finds "confisqué", "оборота" finds "оборот");
- Arabic: a word matches as written or with a proclitic (و ف ب ل ك) and the article ال dropped, hamza on
  alif read as plain alif; forms of several words match in sequence;
- Chinese: a listed term of two characters or more is found anywhere; a term inside a longer one found
  is part of it, not another word.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import product
from pathlib import Path

from assistant.errors import CorpusError
from assistant.retrieval.glossary import fold

LANGUAGES = ("ar", "es", "fr", "ru", "zh")
MIN_STEM = 5  # a form shorter than this matches only as written (no ending dropped)
ENDING = {"es": 2, "fr": 2, "ru": 3}  # letters of ending a word and a form may differ by (Russian cases: -ого/-ый)
_WORD = re.compile(r"[^\W\d_]+")
_HAMZA = str.maketrans("أإآ", "ااا")


def _latin(word: str) -> str:
    return fold(word.lower()).replace("ё", "е")


def _arabic(word: str) -> str:
    """A listed Arabic word as it is keyed: hamza on alif written plain, a leading article dropped."""
    word = word.translate(_HAMZA)
    return word[2:] if word.startswith("ال") and len(word) > 3 else word


def _arabic_readings(word: str) -> tuple[str, ...]:
    """A question's Arabic word as written and without a proclitic (و ف ب ل ك), the article ال, both, or
    ل with the article it absorbs ("للدول" is ل + الدول): the word's own first letter may be one of them."""
    word = word.translate(_HAMZA)
    out = [word]
    if word.startswith("لل"):
        out.append(word[2:])
    if word[:1] in "وفبلك":
        out.append(word[1:])
        if word[1:].startswith("ال"):
            out.append(word[3:])
        if word[1:].startswith("لل"):
            out.append(word[3:])
    if word.startswith("ال"):
        out.append(word[2:])
    return tuple(dict.fromkeys(w for w in out if len(w) >= 2))


@dataclass(frozen=True)
class Lexicon:
    """Per language, each listed form (normalised) with the English words it stands for."""

    forms: dict[str, dict[str, tuple[str, ...]]] = field(default_factory=dict)
    stems: dict[str, dict[str, tuple[str, ...]]] = field(default_factory=dict)  # French, Spanish, Russian

    @classmethod
    def load(cls, folder: Path) -> "Lexicon":
        """Every `<lang>.tsv` in `folder` (`form<TAB>english` per line, `#` comments); empty if none."""
        forms: dict[str, dict[str, tuple[str, ...]]] = {}
        for lang in LANGUAGES:
            path = Path(folder) / f"{lang}.tsv"
            if not path.exists():
                continue
            table: dict[str, list[str]] = {}
            for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if not line.strip() or line.startswith("#"):
                    continue
                parts = line.split("\t")
                if len(parts) != 2 or not parts[0].strip() or not parts[1].strip():
                    raise CorpusError(f"{path}:{n}: expected 'form<TAB>english', got {line!r}")
                key = _key(lang, parts[0].strip())
                english = parts[1].strip().lower()
                if english not in table.setdefault(key, []):
                    table[key].append(english)
            forms[lang] = {k: tuple(v) for k, v in table.items()}
        return cls(forms, {lang: _stems(t, ENDING[lang]) for lang, t in forms.items() if lang in ENDING})

    def __len__(self) -> int:
        return sum(len(t) for t in self.forms.values())

    def english(self, question: str, language: str) -> tuple[str, ...]:
        """The English words for the words of `question` (in `language`) the lists know, in question order."""
        table = self.forms.get(language)
        if not table:
            return ()
        if language == "zh":
            found = _chinese(question, table)
        elif language == "ar":
            found = _arabic_words(question, table)
        else:
            stems = self.stems.get(language, {})
            found = [w for word in _WORD.findall(question) for w in _lookup(_latin(word), table, stems, ENDING[language])]
        return tuple(dict.fromkeys(found))


def _key(lang: str, form: str) -> str:
    if lang == "zh":
        return form.replace(" ", "")
    if lang == "ar":
        return " ".join(_arabic(w) for w in form.split())
    return " ".join(_latin(w) for w in form.split())


def _lookup(word: str, table: dict[str, tuple[str, ...]], stems: dict[str, tuple[str, ...]], ending: int) -> tuple[str, ...]:
    """A Latin or Cyrillic word: as listed; else the word and a listed form, each less up to `ending` letters,
    are equal and at least MIN_STEM long ("confisqués" and "confisqué", "незаконного" and "незаконный")."""
    if word in table:
        return table[word]
    for cut in range(ending + 1):
        stem = word[: len(word) - cut]
        if len(stem) < MIN_STEM:
            break
        if cut and stem in table:
            return table[stem]
        forms = stems.get(stem)
        if forms:
            return table[forms[0]]
    return ()


def _stems(table: dict[str, tuple[str, ...]], ending: int) -> dict[str, tuple[str, ...]]:
    """Each one-word form's starts up to `ending` letters shorter (at least MIN_STEM) -> the forms."""
    out: dict[str, list[str]] = {}
    for form in table:
        if " " not in form:
            for cut in range(1, ending + 1):
                if len(form) - cut >= MIN_STEM:
                    out.setdefault(form[:-cut], []).append(form)
    return {k: tuple(v) for k, v in out.items()}


def _arabic_words(question: str, table: dict[str, tuple[str, ...]]) -> list[str]:
    """The longest listed form at each word, words of a form read each in any of their readings."""
    readings = [_arabic_readings(w) for w in _WORD.findall(question)]
    longest = max((len(k.split()) for k in table), default=1)
    found, i = [], 0
    while i < len(readings):
        for n in range(min(longest, len(readings) - i), 0, -1):
            key = next((" ".join(c) for c in product(*readings[i : i + n]) if " ".join(c) in table), None)
            if key is not None:
                found.extend(table[key])
                i += n
                break
        else:
            i += 1
    return found


def _chinese(question: str, table: dict[str, tuple[str, ...]]) -> list[str]:
    hits = []
    for term in table:
        start = question.find(term)
        while start >= 0:
            hits.append((start, start + len(term), term))
            start = question.find(term, start + 1)
    taken: list[tuple[int, int]] = []
    found = []
    for a, b, term in sorted(hits, key=lambda h: (h[0] - h[1], h[0])):  # longest first
        if all(b <= c or a >= d for c, d in taken):
            taken.append((a, b))
            found.append((a, table[term]))
    return [w for _, words in sorted(found) for w in words]
