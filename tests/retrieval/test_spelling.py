"""Typing slips: read as the one text word a single edit away, and only then."""

import pytest

from assistant.config import Settings
from assistant.retrieval.embed import query_encoder
from assistant.retrieval.lexical import stem_word
from assistant.retrieval.spelling import Correction, Speller, known_word

TEXTS = ["Cannabis and money-laundering; precursor control; alternative development; working groups",
         "cannabis plant", "cannabis resin", "money-laundering"]


@pytest.fixture(scope="module")
def speller():
    encoder = query_encoder(Settings.from_env())
    return Speller(TEXTS, stem_word, known_word(lambda w: encoder.count_tokens(w) - 2))


def test_a_slip_is_read_as_the_text_word_one_edit_away(speller):
    assert speller.correct("canabis and money laundring") == (
        "cannabis and money laundering", (Correction("canabis", "cannabis"), Correction("laundring", "laundering")))
    assert speller.correct("precurser chemicals")[0] == "precursor chemicals"  # a letter changed
    assert speller.correct("alternaitve development")[0] == "alternative development"  # two letters swapped


@pytest.mark.parametrize("question", [
    "agreed wording",  # a known word ("word" + "ing") one edit from "working" is not a slip
    "Canabis",  # capitals: a name or an acronym, as typed
    "expunging records",  # no text word one edit away
    "hemp",  # too short to judge
    "cannabis resin",  # the texts' own words
])
def test_words_that_are_not_slips_stay_as_typed(speller, question):
    assert speller.correct(question) == (question, ())


def test_no_clear_choice_is_no_correction():
    # "plantx" is one edit from "plants" and from "plante", which the texts use equally often.
    speller = Speller(["plants and plante", "plants", "plante"], stem_word, lambda w: False)
    assert speller.correct("plantx")[1] == ()
    assert Speller(["plants plants plants plante"], stem_word, lambda w: False).correct("plantx")[0] == "plants"


def test_each_word_is_read_once_until_the_cache_is_cleared():
    asked = []

    def known(word):
        asked.append(word)
        return False

    speller = Speller(TEXTS, stem_word, known)
    for _ in range(2):
        assert speller.correct("canabis")[0] == "cannabis"
    assert asked == ["canabis"]
    speller.clear_cache()
    speller.correct("canabis")
    assert asked == ["canabis", "canabis"]
