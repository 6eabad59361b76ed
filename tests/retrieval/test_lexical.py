from dataclasses import dataclass

from assistant.retrieval.lexical import LexicalIndex, normalize, tokenize


@dataclass(frozen=True)
class U:
    id: str
    text: str
    embed_text: str


DOCS = {
    "a#0": "Promote the inclusion of elements for the prevention and treatment of drug overdose, including naloxone.",
    "b#0": "Injecting equipment programmes, as well as antiretroviral therapy and other relevant interventions.",
    "c#0": "Application of the know-your-customer principle and the mandatory reporting of suspicious transactions.",
    "d#0": "Strengthen regional cooperation on the organization of programmes.",
}


def index():
    return LexicalIndex.from_units([U(k, v, "context\n" + v) for k, v in DOCS.items()])


def test_tokenize_drops_stopwords_and_stems():
    toks = tokenize("The programmes of the Organisations, and Overdoses!")
    assert "the" not in toks and "and" not in toks and "of" not in toks
    assert tokenize("overdoses") == tokenize("overdose")
    assert tokenize("programmes") == tokenize("programme")


def test_british_and_american_spellings_meet():
    assert normalize("organisation") == "organization"
    assert normalize("decriminalising") == "decriminalizing"
    assert normalize("analyse") == "analyze"
    assert tokenize("decriminalisation") == tokenize("decriminalization")
    assert tokenize("program") == tokenize("programme")


def test_hyphenated_compounds_split():
    assert tokenize("know-your-customer") == tokenize("know your customer")


def test_search_ranks_the_matching_unit_first():
    idx = index()
    assert idx.search("naloxone overdose", k=3)[0][0] == "a#0"
    assert idx.search("know your customer", k=3)[0][0] == "c#0"
    assert idx.search("injecting equipment", k=1)[0][0] == "b#0"


def test_unknown_words_and_empty_queries_find_nothing():
    idx = index()
    assert idx.search("zzzz qqqq", k=5) == []
    assert idx.search("the of and", k=5) == []
    assert idx.search("naloxone", k=0) == []


def test_scores_are_best_first_and_positive():
    hits = index().search("programmes organization cooperation", k=10)
    scores = [s for _, s in hits]
    assert scores == sorted(scores, reverse=True) and all(s > 0 for s in scores)
    assert hits[0][0] == "d#0"


def test_extra_tokens_weigh_in():
    idx = index()
    plain = dict(idx.search("interventions", k=4))
    boosted = dict(idx.search("interventions", k=4, extra_tokens=tokenize("antiretroviral therapy")))
    assert boosted["b#0"] > plain["b#0"]


def test_field_choice_and_empty_index():
    units = [U(k, v, "context\n" + v) for k, v in DOCS.items()]
    assert LexicalIndex.from_units(units, field="text").search("context", k=2) == []
    assert LexicalIndex.from_units(units).search("context", k=2)
    assert LexicalIndex.from_units([]).search("naloxone", k=3) == []
