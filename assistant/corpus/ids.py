"""Resolve human paragraph references ("OD 1(m)", "PoA 51(c)(iv)", "JMS A.11") to canonical IDs."""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass

from assistant.corpus.documents import REGISTRY
from assistant.errors import UnknownParagraph

DEFAULT_DOC = REGISTRY.bare_number_document()  # delegates cite the 2016 document by bare number
MAX_REF_CHARS = 200
MAX_SUGGESTIONS = 5

_YEAR = "(?:" + "|".join(str(y) for y in REGISTRY.years()) + ")"
# Every name and abbreviation of the registry, longest first: the alternation is tried left to right.
_NAMES = sorted(
    {n for d in REGISTRY.values() for n in (*d.names, *(a.lower() for a in d.abbreviations))}, key=len, reverse=True
)
_GAP = rf"\s+(?:{_YEAR}\s+)?"  # "UNGASS 2016 outcome document"
_NAME_ALTERNATIVES = "|".join(_GAP.join(map(re.escape, n.split())) for n in _NAMES)
_DOC = rf"""
    (?:the\s+)?(?:{_YEAR}\s+)?(?:
        {_NAME_ALTERNATIVES}
      | [a-z]+\d{{4}}
    )(?:\s*(?:of\s+)?{_YEAR})?(?![a-z0-9])
  | {_YEAR}(?![0-9])
"""
_GRAMMAR = rf"""
    (?:(?P<doc>{_DOC})\s*,?\s*)?
    (?:(?P<hint>action|target|op)(?![a-z])\.?\s*)?
    (?:sect(?:ion)?\.?\s*(?P<sect>[a-c])\s*,\s*)?
    (?:(?P<pre>preambular\s+)?(?P<para>paras?|paragraphs?|para\.|§|no\.|op\.?)\s*)?
    (?:
        pp\s*\.?\s*(?P<pp>\d{{1,3}})
      | (?P<rt>rt)\s*\.?\s*(?P<rtn>\d{{1,2}})(?:\s*\.\s*(?P<rtp>\d{{1,2}}))?
      | (?P<sec>[a-c])\s*(?P<secdot>\.)?\s*(?P<secn>\d{{1,2}})
      | (?P<num>\d{{1,3}})(?!\d)
        (?P<subs>(?:\s*\(\s*[a-z]{{1,5}}\s*\)|\s*\.\s*[a-z]{{1,5}}(?![a-z])|\s+(?:[a-z]|[ivx]{{1,5}})(?![a-z0-9]))*)
    )
    (?:\s*,?\s+(?:of|in)\s+(?P<sdoc>{_DOC}))?
"""
_FULL = re.compile(rf"\s*(?:{_GRAMMAR})\s*[.?!;:,]?\s*", re.VERBOSE)
_FIND = re.compile(rf"(?<![\w.:(])(?:{_GRAMMAR})(?![\w(])", re.VERBOSE)
_CANONICAL = re.compile(r"\s*([a-z][a-z0-9]*)\s*:\s*([a-z0-9]+(?:\.[a-z0-9]+)*)\s*")
_LEVEL = re.compile(r"\(\s*([a-z]+)\s*\)|\.\s*([a-z]+)|\s+([a-z]+)")


@dataclass(frozen=True)
class _Ref:
    """A parsed reference: candidate documents (empty: none named) and a lower-case path."""

    docs: tuple[str, ...]
    path: str
    explicit: bool  # a document, a para word or a structured path says "this is a reference"
    loose: int  # how many trailing levels were written with bare spaces ("para 1 m")


def resolve(ref: str, known: Collection[str]) -> str:
    """Return the canonical id `ref` names among `known`, or raise UnknownParagraph with suggestions."""
    if not isinstance(ref, str):
        raise UnknownParagraph(repr(ref), (), "malformed")
    shown = ref if len(ref) <= 80 else ref[:77] + "..."
    if not ref.strip() or len(ref) > MAX_REF_CHARS:
        raise UnknownParagraph(shown, (), "malformed")
    index = _index(known)
    s = _norm(ref)
    canonical = _CANONICAL.fullmatch(s)
    if canonical:
        doc, path = canonical.groups()
        docs = (index.docs[doc],) if doc in index.docs else ()
        return _pick(shown, docs, path, index, named=True)
    m = _FULL.fullmatch(s)
    if not m:
        raise UnknownParagraph(shown, _fuzzy(s, index), "malformed")
    parsed = _from_match(m, index)
    return _pick(shown, parsed.docs, parsed.path, index, named=bool(parsed.docs))


def find_refs(text: str, known: Collection[str]) -> list[str]:
    """Canonical ids of known paragraphs referred to inside free text, in order, without duplicates."""
    if not text:
        return []
    index = _index(known)
    s = _norm(text)
    hits: list[tuple[int, str]] = []
    for m in _FIND.finditer(s):
        parsed = _from_match(m, index)
        if parsed.explicit and (pid := _lenient(parsed, index)):
            hits.append((m.start(), pid))
    for m in _CANONICAL.finditer(s):
        if pid := index.ids.get(f"{m.group(1)}:{m.group(2)}"):
            hits.append((m.start(), pid))
    return list(dict.fromkeys(pid for _, pid in sorted(hits)))


def unknown_refs(text: str, known: Collection[str]) -> list[str]:
    """Explicit paragraph references inside free text ("para 99", "PoA 51(z)") that name no known paragraph."""
    if not text:
        return []
    index = _index(known)
    s = _norm(text)
    out = []
    for m in _FIND.finditer(s):
        parsed = _from_match(m, index)
        if parsed.explicit and parsed.path and not _lenient(parsed, index):
            out.append(m.group(0).strip())
    return list(dict.fromkeys(out))


def _index(known: Collection[str]) -> "_Index":
    """The lookups over `known`, built once per set of ids (every question is searched for references)."""
    return _index_of(tuple(known))


@functools.lru_cache(maxsize=8)
def _index_of(known: tuple[str, ...]) -> "_Index":
    return _Index(known)


class _Index:
    """Lower-case lookups over the known ids."""

    def __init__(self, known: Iterable[str]):
        self.ids = {k.lower(): k for k in known}
        self.docs = {k.split(":", 1)[0].lower(): k.split(":", 1)[0] for k in self.ids.values() if ":" in k}

    def get(self, doc: str, path: str) -> str | None:
        return self.ids.get(f"{doc}:{path}".lower())


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ")).strip().lower()


def _from_match(m: re.Match, index: _Index) -> _Ref:
    docs = _docs(m.group("doc"), index) or _docs(m.group("sdoc"), index)
    hint = m.group("hint")
    if not docs and hint:
        docs = (REGISTRY.by_table_token("Action" if hint == "action" else "OP"),)
    loose = 0
    if m.group("pp"):
        path, docs = f"pp{m.group('pp')}", docs or ((DEFAULT_DOC,) if m.group("pre") else ())
    elif m.group("pre") and not m.group("subs"):
        path, docs = f"pp{m.group('num')}", docs or (DEFAULT_DOC,)
    elif m.group("rt"):
        path = "rt." + m.group("rtn") + (f".{m.group('rtp')}" if m.group("rtp") else "")
    elif m.group("secn"):
        path = f"{m.group('sec')}.{m.group('secn')}"
    else:
        levels = [next(g for g in lm.groups() if g) for lm in _LEVEL.finditer(m.group("subs"))]
        kinds = [lm.group(3) is not None for lm in _LEVEL.finditer(m.group("subs"))]
        while kinds and kinds[-1]:
            kinds.pop()
            loose += 1
        prefix = f"{m.group('sect')}." if m.group("sect") else ""
        path = ".".join([prefix + m.group("num"), *levels])
    explicit = bool(
        (m.group("doc") and not re.fullmatch(_YEAR, m.group("doc")))
        or hint or m.group("para") or m.group("pp") or m.group("rt") or m.group("sect") or m.group("sdoc")
        or m.group("secdot")
        or (m.group("subs") and re.search(r"[(.]", m.group("subs")))
    )
    return _Ref(docs, path, explicit, loose)


def _docs(text: str | None, index: _Index) -> tuple[str, ...]:
    """Documents a designator can mean; several when only a year is given."""
    if not text:
        return ()
    t = re.sub(r"^the\s+", "", text.strip())
    key = re.sub(r"\s+", "", t)
    if key in index.docs:
        return (index.docs[key],)
    for doc in REGISTRY.values():
        for word in doc.ref_words:
            if re.search(rf"(?<![a-z]){word}(?![a-z])", t) or re.fullmatch(rf"{word}\d{{4}}", key):
                return (doc.key,)
    if re.fullmatch(r"[a-z]+\d{4}", key):
        return (key,)  # a document key nobody has loaded: resolves to nothing, suggestions still work
    return REGISTRY.of_year(int(key)) if key.isdigit() else ()


def _pick(shown: str, docs: tuple[str, ...], path: str, index: _Index, named: bool) -> str:
    if named or docs:
        hits = [pid for d in docs if (pid := index.get(d, path))]
    else:
        default = index.get(DEFAULT_DOC, path)
        hits = [default] if default else [pid for d in sorted(set(index.docs.values())) if (pid := index.get(d, path))]
    if not hits and docs:
        # JMS items are numbered 1-45 across sections A-C, so "JMS 40" can only mean C.40.
        hits = [k for k in index.ids.values() if k.split(":", 1)[0] in docs
                and re.fullmatch(rf"[a-z]\.{re.escape(path)}", k.split(":", 1)[1].lower())]
    if len(hits) == 1:
        return hits[0]
    if len(hits) > 1:
        raise UnknownParagraph(shown, tuple(hits[:MAX_SUGGESTIONS]), "ambiguous")
    raise UnknownParagraph(shown, _suggest(path, docs, index), "unknown")


def _lenient(ref: _Ref, index: _Index) -> str | None:
    """Resolve inside free text: drop trailing bare-space levels that do not exist ("para 4 a day")."""
    parts = ref.path.split(".")
    paths = [".".join(parts[: len(parts) - drop]) for drop in range(ref.loose + 1)]
    # With no document named, the 2016 reading of any shortening beats another document's full reading.
    tries = [((DEFAULT_DOC,), p) for p in paths] if not ref.docs and ref.loose else []
    for docs, path in tries + [(ref.docs, p) for p in paths]:
        try:
            return _pick(path, docs, path, index, named=bool(docs))
        except UnknownParagraph:
            continue
    return None


def _suggest(path: str, docs: tuple[str, ...], index: _Index) -> tuple[str, ...]:
    """Closest known ids: same document first, then the longest shared path prefix, then spelling."""
    pool = [k for k in index.ids.values() if k.split(":", 1)[0] in docs] or list(index.ids.values())
    want = path.split(".") if path else []

    def score(pid: str) -> tuple:
        doc, _, p = pid.partition(":")
        have = p.lower().split(".")
        shared = 0
        while shared < min(len(want), len(have)) and want[shared] == have[shared]:
            shared += 1
        ratio = difflib.SequenceMatcher(None, path, p.lower()).ratio()
        return (-shared, -(doc == DEFAULT_DOC and not docs), -ratio, pid)

    return tuple(sorted(pool, key=score)[:MAX_SUGGESTIONS]) if want else ()


def _fuzzy(s: str, index: _Index) -> tuple[str, ...]:
    """Suggestions for malformed input: repair unbalanced brackets, else spelling neighbours."""
    repaired = re.sub(r"\(\s*([a-z]+)\s*(?=$|\()", r"(\1)", s)
    m = _FULL.fullmatch(repaired) if repaired != s else None
    if m and (pid := _lenient(_from_match(m, index), index)):
        return (pid,)
    lowered = difflib.get_close_matches(s, list(index.ids), n=MAX_SUGGESTIONS, cutoff=0.6)
    return tuple(index.ids[k] for k in lowered)
