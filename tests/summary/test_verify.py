"""The verifier on its own: sentences, citations and quotations of a summary checked against real paragraphs."""

from __future__ import annotations

from dataclasses import dataclass

from assistant.config import Settings
from assistant.corpus.load import load_corpus
from assistant.summary.verify import (
    FLAGGED,
    INVENTED_ID,
    UNAVAILABLE,
    UNCITED_SENTENCE,
    UNVERIFIED_QUOTE,
    VERIFIED,
    WITHHELD,
    Summary,
    check,
    split_sentences,
    verify,
)


@dataclass(frozen=True)
class Quote:
    id: str
    text: str
    citation: str


def corpus_quotes(*pids: str) -> tuple[Quote, ...]:
    """Real paragraphs of the corpus, so every ID names the text it is paired with."""
    corpus = load_corpus(Settings.from_env())
    return tuple(Quote(pid, corpus.get(pid).text, corpus.get(pid).citation) for pid in pids)


QUOTES = corpus_quotes("UNGASS2016:1.j", "PD2009:1")


def test_sentences_keep_citations_written_after_the_full_stop():
    text = "First, see para. 23 of it. [PD2009:1] Second \"a. b\" here [A:1].\n- Third [A:2]\n\n[A:3]"
    assert split_sentences(text) == (
        "First, see para. 23 of it. [PD2009:1]",
        'Second "a. b" here [A:1].',
        "Third [A:2] [A:3]",
    )


def test_quotations_must_be_in_the_paragraph_the_sentence_cites():
    quote_from_other = 'The Charter is named: "in full conformity with the purposes and the principles of the Charter" [UNGASS2016:1.j].'
    (issue,) = verify(quote_from_other, QUOTES).issues
    assert issue.kind == UNVERIFIED_QUOTE and "PD2009:1, which the sentence does not cite" in issue.detail
    uncited_but_real = 'It says “with informed consent”.'
    assert [i.kind for i in verify(uncited_but_real, QUOTES).issues] == [UNCITED_SENTENCE]
    uncited_and_false = "It says 'with full and free consent' here."
    assert [i.kind for i in verify(uncited_and_false, QUOTES).issues] == [UNVERIFIED_QUOTE, UNCITED_SENTENCE]


def test_quotation_rules_for_ellipses_punctuation_whitespace_and_apostrophes():
    ok = [
        '"Encourage the voluntary participation ... in treatment programmes," it says [UNGASS2016:1.j].',
        'It reads “with informed consent,\n where consistent” [UNGASS2016:1.j].',
        "The States' own 'commitment' stands [PD2009:1].",  # apostrophes and a 1-word single quote are no quotation
        "It reads ‘unwavering commitment to ensure’ [PD2009:1; UNGASS2016:1.j].",
    ]
    for text in ok:
        assert verify(text, QUOTES).status == VERIFIED, (text, verify(text, QUOTES).issues)
    bad = [
        '"in treatment programmes ... Encourage the voluntary" [UNGASS2016:1.j].',  # fragments out of order
        '"Encourage the Voluntary participation" [UNGASS2016:1.j].',  # case matters
        '"informed consent [sic]" [UNGASS2016:1.j].',
    ]
    for text in bad:
        assert verify(text, QUOTES).status == WITHHELD, text


def test_multiple_and_malformed_citations():
    v = verify("Both agree [UNGASS2016:1.j, PD2009:1]. Neither [1]. Nor [ungass2016:1.M].", QUOTES)
    assert v.sentences[0].cited == ("UNGASS2016:1.j", "PD2009:1") and v.sentences[0].ok
    assert [i.kind for i in v.sentences[1].issues] == [INVENTED_ID, UNCITED_SENTENCE]
    assert [i.kind for i in v.sentences[2].issues] == [INVENTED_ID, UNCITED_SENTENCE]
    assert v.status == WITHHELD


def test_check_gives_the_verdict_and_what_a_user_may_see():
    assert check("", QUOTES).status == UNAVAILABLE and check(None, QUOTES).status == UNAVAILABLE
    withheld = check('States agreed to "decriminalise all personal drug use" [UNGASS2016:1.j].', QUOTES)
    assert withheld.status == WITHHELD and withheld.text and withheld.shown == ""
    assert withheld.to_dict()["text"] == "" and withheld.to_dict()["issues"][0]["kind"] == UNVERIFIED_QUOTE
    flagged = Summary("Some text.", FLAGGED)
    assert flagged.shown == "Some text." and flagged.to_dict() == {
        "status": FLAGGED, "text": "Some text.", "note": "", "issues": []
    }
