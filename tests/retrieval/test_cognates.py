"""French and Spanish words reach the English texts through their cognates."""

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
