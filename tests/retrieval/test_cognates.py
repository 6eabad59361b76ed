"""French, Spanish and Russian words reach the English texts through their cognates."""

from assistant.retrieval.cognates import cognates, plain
from assistant.retrieval.lexical import stem_word

KNOWN = {stem_word(w) for w in "prevention corruption judiciary cooperation decisions heroin alternative violence".split()}


def test_cognates_whose_stems_the_texts_use():
    assert cognates("prévention de la corrupción", "es", stem_word, KNOWN) == ("prevention", "corruption")
    assert cognates("coopération judiciaire", "fr", stem_word, KNOWN) == ("cooperation", "judiciary")
    assert cognates("decisiones sobre la heroína", "es", stem_word, KNOWN) == ("decisions", "heroin")
    # Words whose cognates the texts never use, short words and English questions give nothing.
    assert cognates("les usagers de la rue", "fr", stem_word, KNOWN) == ()
    assert cognates("prevention of corruption", "en", stem_word, KNOWN) == ()


def test_accents_are_dropped():
    assert plain("Éradication") == "eradication" and plain("lícitos") == "licitos"


RUSSIAN_KNOWN = {stem_word(w) for w in
                 "precursors pharmaceutical narcotic medicine afghanistan heroin hepatitis corruption control central "
                 "grant transit confiscation organization".split()}


def test_russian_words_reach_their_cognates_by_sound():
    assert cognates("утечки прекурсоров и фармацевтической продукции", "ru", stem_word, RUSSIAN_KNOWN) == (
        stem_word("precursors"), stem_word("pharmaceutical"))
    assert cognates("наркотических средств для медицинских целей", "ru", stem_word, RUSSIAN_KNOWN) == (
        stem_word("narcotic"), stem_word("medicine"))
    assert cognates("мак в Афганистане", "ru", stem_word, RUSSIAN_KNOWN) == (stem_word("afghanistan"),)
    # "-ция" is the "-tion" of "corruption"; a short word must be spelled alike throughout ("героин").
    assert cognates("борьба с коррупцией", "ru", stem_word, RUSSIAN_KNOWN) == (stem_word("corruption"),)
    assert cognates("героин и гепатит", "ru", stem_word, RUSSIAN_KNOWN) == (stem_word("heroin"), stem_word("hepatitis"))
    # Of two stems with the same consonants, the one spelled like the word: "контроль" is control, not central.
    assert cognates("меры контроля", "ru", stem_word, RUSSIAN_KNOWN) == (stem_word("control"),)
    # No cognate: "граница" (border) is not "grant", and words with no English kin give nothing.
    assert cognates("через границу", "ru", stem_word, RUSSIAN_KNOWN) == ()
    assert cognates("международное сотрудничество", "ru", stem_word, RUSSIAN_KNOWN) == ()
