"""Query understanding: validation and truncation, and the documents, years and scope a question names."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from assistant.corpus.documents import REGISTRY, Registry
from assistant.errors import BadQuery


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
class Prepared:
    """A query ready to search, with any warnings to show the user (e.g. truncation)."""

    query: str
    warnings: tuple[str, ...] = ()


EMPTY = "Please type a question or a paragraph reference (e.g. 1 (m) or PoA 51 (c) (iv)): the question is empty."


def prepare_query(query: str | None, max_chars: int) -> Prepared:
    """The one check of a question's text, for the CLI, the app and the retriever alike.

    BadQuery for empty or whitespace-only input; NUL bytes dropped; text over `max_chars` cut, with a
    message saying so in `warnings`.
    """
    q = (query or "").replace("\x00", "")
    if not q.strip():
        raise BadQuery(EMPTY)
    if max_chars and len(q) > max_chars:
        msg = f"The question was longer than {max_chars} characters and was shortened to its first {max_chars}."
        return Prepared(q[:max_chars].strip(), (msg,))
    return Prepared(q.strip())


def check_documents(keys, registry: Registry) -> tuple[str, ...]:
    """`keys` as given when every one names a known document, else BadQuery listing the known keys."""
    keys = tuple(keys or ())
    unknown = [k for k in keys if k not in registry]
    if unknown:
        known = ", ".join(registry)
        raise BadQuery(f"Unknown document key(s): {', '.join(unknown)}. Known documents: {known}.")
    return keys


# -- filters named in the query ----------------------------------------------------------------

_COMMITMENTS = re.compile(r"\b(?:commitments?\s+only|only\s+commitments?)\b", re.I)


@dataclass(frozen=True)
class _Namer:
    """Patterns that find the documents and years a question names, built from a registry."""

    docs: tuple[tuple[str, re.Pattern], ...]
    years: tuple[re.Pattern, ...]
    pair: re.Pattern
    bare: re.Pattern  # any corpus year, for questions in other languages


def _namer(registry: Registry) -> _Namer:
    years = "|".join(str(y) for y in registry.years())
    docs: list[tuple[str, re.Pattern]] = []
    for d in registry.values():
        for name in sorted(d.names, key=len, reverse=True):
            words = r"\s+".join(map(re.escape, name.split()))
            docs.append((d.key, re.compile(rf"\b(?:the\s+)?(?:{d.year}\s+)?{words}(?:\s+{d.year})?\b", re.I)))
        for abbr in d.abbreviations:
            docs.append((d.key, re.compile(rf"\b{re.escape(abbr)}(?:\s+{d.year})?\b")))
        docs.append((d.key, re.compile(rf"\b{re.escape(d.key)}\b", re.I)))
    year_patterns = (
        # "the 2009 universal access goal vs the 2016 commitment", "2009 Plan of Action vs 2016": a year on
        # either side of "vs" is one side of a comparison.
        re.compile(rf"\b(?:vs\.?|versus|compared\s+(?:with|to))\s+(?:the\s+)?({years})\b", re.I),
        re.compile(rf"\b({years})\b(?=[^.?!;:]{{0,60}}?\s(?:vs\.?|versus)\s)", re.I),
        re.compile(rf"\b(?:in|from|of|during)\s+(?:the\s+)?({years})\b(?!\s*(?:special|session))", re.I),
        re.compile(rf"\b({years})(?=\s+(?:say|said|says|text|texts|document|documents|version|language|commitments?)\b)", re.I),
        re.compile(rf"^\s*({years})\s*[:,]", re.I),
    )
    # "2009 vs 2016", "between 2009 and 2016", "2014 or 2016": both years of a comparison.
    pair = re.compile(rf"\b({years})\s*(?:vs\.?|versus|v\.|and|or|to|with|→|->|-|/)\s*(?:the\s+)?({years})\b", re.I)
    return _Namer(tuple(docs), year_patterns, pair, re.compile(rf"(?<!\d)({years})(?!\d)"))


_NAMERS: dict[tuple, _Namer] = {}


def _namer_for(registry: Registry) -> _Namer:
    key = tuple((d.key, d.year, d.names, d.abbreviations) for d in registry.values())
    if key not in _NAMERS:
        _NAMERS[key] = _namer(registry)
    return _NAMERS[key]


def parse_query_filters(query: str, registry: Registry = REGISTRY, subject: bool = True) -> tuple[str, Filters]:
    """Documents, years and "commitments only" named in a question; the question with them removed, or
    (`subject`) whole when they are what it asks about."""
    namer = _namer_for(registry)
    docs: list[str] = []
    years: list[int] = []
    text = query
    for key, pat in namer.docs:
        if pat.search(text):
            docs.append(key)
            text = pat.sub(" ", text)
    for m in list(namer.pair.finditer(text)):
        years += [int(m.group(1)), int(m.group(2))]
    text = namer.pair.sub(" ", text)
    for pat in namer.years:
        for m in list(pat.finditer(text)):
            years.append(int(m.group(1)))
        text = pat.sub(lambda m: m.group(0).replace(m.group(1), " "), text)
    if language(query) != "en":
        # Other languages name a year with their own words ("en 2016", "2014 году", "لعام 2014", "2016年"):
        # every year of a document in it counts.
        years += [int(m.group(1)) for m in namer.bare.finditer(text)]
        text = namer.bare.sub(" ", text)
    commitments = bool(_COMMITMENTS.search(text))
    text = _COMMITMENTS.sub(" ", text)
    cleaned = re.sub(r"\s+", " ", text).strip()
    cleaned = re.sub(r"\s+([?.!,;:])", r"\1", cleaned)
    # "needle exchange in the Plan of Action" leaves a dangling "in".
    cleaned = re.sub(r"\s+\b(?:in|from|of|on|under|by|the)\s*([?.!]*)$", r"\1", cleaned, flags=re.I).strip()
    # A query that was nothing but a filter keeps its words, so there is still something to search: also
    # when two documents are what it asks about ("does UNGASS 2016 reaffirm the Joint Ministerial Statement?").
    if not re.search(r"\w", cleaned) or (subject and len(set(docs)) >= 2 and len(_topic_words(cleaned)) <= 1):
        cleaned = query.strip()
    if docs and years:
        # "the 2016 outcome document … set in 2009": both are named, so both are searched.
        docs += [d.key for d in registry.values() if d.year in years]
        years = []
    return cleaned, Filters(tuple(dict.fromkeys(docs)), tuple(dict.fromkeys(years)), (), commitments)


def _topic_words(text: str) -> list[str]:
    from assistant.retrieval.lexical import STOPWORDS

    return [w for w in re.findall(r"[^\W\d_]+", text.lower()) if w not in STOPWORDS and w not in _ASKING and w not in _RELATING]


# Words that say how documents stand to each other ("how does the 2016 outcome position itself relative to
# 2009?"): with two documents named, a question of only these is about the documents themselves.
_RELATING = frozenset("""position positions itself relative reaffirm reaffirms reaffirmed build builds built
    based link links linked connect connects connected continue continues continued""".split())


# -- key terms and language ----------------------------------------------------------------------

# Words that ask, point or frame rather than name a topic: never key terms.
_ASKING = frozenset(
    """what which who whom whose when where why how whether did does do done doing say says said saying
    commit commits committed commitment commitments agree agrees agreed agreement language wording word words
    text texts paragraph paragraphs para paras document documents member members state states country countries
    government governments we us our they their find show give tell me please exact exactly verbatim quote quotes
    quoted citation citations cite mention mentions mentioned address addresses addressed cover covers covered
    about regarding concerning related relating anything something there any all also recommend recommends
    recommended recommendation recommendations provision provisions un united nations official reference references
    same earlier later previous compare compared comparison change changed changes new carry carried follow follows
    followed up relation relationship relate relates describe describes described draft drafting statement need
    want looking look use used uses term terms kind sort way ways speak speaks talk talks call calls called say
    mean means meaning deal deals dealt handle handles handled year years part parts section sections can could should
    would will shall may might must have has had is are was were be been being get got make made let lets list
    vs versus every each other others some more most many much just only still even ever really very else
    somewhere anywhere thing things lot lots one ones way tiny kind preambular operative consensus precedent
    ask asks asked raise raises raised hold holds held go goes went""".split()
)
# Function words the lexical index keeps (its stopword list is short: "from", "during", "against" carry
# BM25 weight there) but that never name a topic, so the lead never says a text "uses the words 'from'".
_FUNCTION = frozenset(
    """above after again against am among amongst across along around because before below beneath beside
    besides between beyond both despite down during few from further he her here hers herself him himself his
    i its itself me mine my myself nor now off once onto out over own per she since so than them themselves
    those though although through throughout till toward towards under unless until upon via whereas while
    within without you your yours yourself whose whom ourselves hence thus therefore however yet etc""".split()
)
_RUN_WORD = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*")
_YEARLIKE = re.compile(r"^(?:19|20)\d\d$|^\d+$")


def key_terms(question: str, registry: Registry = REGISTRY) -> tuple[str, ...]:
    """The question's content words and phrases, as the user wrote them: runs of adjacent words that are
    neither function words, nor asking words ("what did we commit"), nor document names or years."""
    from assistant.retrieval.lexical import STOPWORDS

    cleaned, _ = parse_query_filters(question, registry, subject=False)
    runs: list[list[str]] = [[]]
    pos = 0
    for m in _RUN_WORD.finditer(cleaned):
        between = cleaned[pos : m.start()]
        pos = m.end()
        word = m.group(0)
        low = word.lower()
        stop = (low in STOPWORDS or low in _ASKING or low in _FUNCTION or _YEARLIKE.match(low) or len(low) < 2
                or _function_contraction(low))
        if stop or re.search(r"[^\s]", between):  # punctuation also ends a phrase
            runs.append([])
        if not stop:
            runs[-1].append(word)
    return tuple(dict.fromkeys(" ".join(r) for r in runs if r))


def _function_contraction(low: str) -> bool:
    """A contracted function word ("can't", "won't", "who's", "it's", "we've"), not a possessive ("women's")."""
    from assistant.retrieval.lexical import STOPWORDS

    m = re.fullmatch(r"(\w+?)(n['’]t|['’](?:s|re|ve|ll|d|m))", low)
    if not m:
        return False
    base = m.group(1)
    return m.group(2)[0] == "n" or base in STOPWORDS or base in _ASKING or base in _FUNCTION


SCRIPTS = {"ar": re.compile(r"[\u0600-\u06ff]"), "zh": re.compile(r"[\u4e00-\u9fff]"), "ru": re.compile(r"[\u0400-\u04ff]")}


def scripts_in(text: str) -> set[str]:
    """The languages with their own script (Arabic, Chinese, Russian) whose letters `text` holds."""
    return {code for code, pattern in SCRIPTS.items() if pattern.search(text)}
_LATIN_HINTS = {
    "fr": frozenset("""le les des du une est sont pour sur dans quels quelles quel quelle qu avons ont été concernant
        prévention drogues et aux au avec par leur leurs entre sans contre ou où ces cette nous"""
        .split()),
    "es": frozenset("""el los las del una es son para sobre qué cuáles cuál hemos han sido respecto prevención drogas
        y con por como al lo sus entre sin contra o ante estas estos nosotros"""
        .split()),
}
# Drug-policy words of each language that no English text uses, with and without accents (users often type
# none): a short question such as "blanqueo de dinero" or "precurseurs chimiques" has no function words to go by.
_LATIN_TOPICS = {
    "fr": frozenset("""acces accès agriculteurs aiguilles argent armes bandes blanchiment chimiques coopération
        criminalite criminalité demande dependance dépendance detenus détenus dommages drogue droits
        ecoles écoles enfants femmes frontieres frontières homme illicites incarcération jeunes lutte marché
        medicaments médicaments mort nouvelles offre pavot peine peines politique politiques precurseurs
        précurseurs proportionnees proportionnées prévention publique readaptation réadaptation reinsertion
        réinsertion risques réduction saisie saisies sante santé seringues stupefiants stupéfiants surdose
        synthetiques synthétiques toxicomanie trafic trafiquants traitement traitements usagers volontaire
        éradication""".split()),
    "es": frozenset("""acceso activos agricultores agujas alternativo armas blanqueo campesinos carcel cárcel carceles
        cárceles comercio consumidores consumo controladas controlados cooperacion cooperación corrupcion
        corrupción cultivo cultivos danos daños decomiso delincuencia demanda dependencia derechos desarrollo
        dinero droga encarcelamiento enfermedades erradicacion erradicación escuelas estupefacientes extradicion
        extradición fronteras humanos ilicitas ilícitas ilicitos ilícitos incautacion incautación jeringas
        jovenes jóvenes justo lavado lucha medicamentos mercado muerte mujeres narcotrafico narcotráfico ninas
        niñas ninos niños nuevas oferta paises países pandillas pena penas politica política politicas políticas
        precursores prevencion prision prisión prisiones proporcionales psicotropicas psicotrópicas publica
        pública quimicos químicos reduccion reducción rehabilitacion rehabilitación reinsercion reinserción salud
        sinteticas sintéticas sobredosis sustancias trafico tráfico transito tránsito tratamiento tratamientos
        violencia voluntaria voluntario""".split()),
}
_LATIN_HINTS = {code: words | _LATIN_TOPICS[code] for code, words in _LATIN_HINTS.items()}
_ENGLISH_HINTS = frozenset("the of and in on for to with from by what which how is are any".split())
_SHARED_HINTS = frozenset("de la que en".split())  # French and Spanish alike: they say "not English" only
_LETTERS = {"fr": re.compile(r"[éèêàâçîôûœ]|\b(?:d|l|qu|j|n|s|c)['’]\w"), "es": re.compile(r"[ñáíóú¿¡]")}


def language(question: str) -> str:
    """The question's language among the six UN languages ("en" unless another is recognised)."""
    for code, pattern in SCRIPTS.items():
        if len(pattern.findall(question)) >= 2:
            return code
    words = [w.lower() for w in _RUN_WORD.findall(question)]
    shared = sum(w in _SHARED_HINTS for w in words)
    # Words and letters only one of the two languages has weigh double; shared words add to both.
    scores = {code: 2 * (sum(w in hints for w in words) + len(_LETTERS[code].findall(question.lower()))) + shared
              for code, hints in _LATIN_HINTS.items()}
    best = max(scores, key=scores.get)
    hits = (scores[best] - shared) // 2 + shared
    if scores[best] <= shared:
        return "en"
    # A short question ("microtráfico", "livraisons surveillées") has room for one sign only: its letters.
    short = (len(words) <= 3 and _LETTERS[best].search(question.lower()) is not None
             and not any(w in _ENGLISH_HINTS for w in words))
    return best if (hits >= 2 and hits >= len(words) * 0.2) or short else "en"
