"""The matcher against a brute-force oracle on random drafts cut and spliced from the corpus, and the
checker on drafts a delegate might write: an exact 2016 sentence, a 2014 sentence with changed words,
invented text, and added documents."""

from __future__ import annotations

import random

import pytest

from assistant.corpus.documents import Document
from assistant.corpus.paragraphs import Corpus, Paragraph, Source
from assistant.drafting.check import check_draft
from assistant.drafting.matcher import AGREED, MIN_WORDS, NEAR, NEAR_MIN_WORDS, NEAR_RATIO, NEW, Matcher
from assistant.drafting.normalize import tokenize

SEP, END = "\x1f", "\x1e"  # whitespace to the tokenizer, so never inside a token
NOISE = ["blue", "sky", "ruritania", "moreover", "zq", "framework", "inclusive", "the", "and", "of", "States", "drug"]


# -- the oracle --------------------------------------------------------------------------------


class Oracle:
    """Maximal verbatim runs by brute force: extend every start while the text occurs anywhere (str search)."""

    def __init__(self, corpus: Corpus):
        self.paragraphs = [p for p in corpus if p.negotiated]
        self.texts = [SEP + SEP.join(t.norm for t in tokenize(p.text)) + SEP for p in self.paragraphs]
        self.everything = END.join(self.texts)

    def runs(self, text: str, vocabulary) -> set[tuple[int, int, frozenset[str]]]:
        tokens = tokenize(text, vocabulary)
        norms = [t.norm for t in tokens]
        found = []
        for s, t in enumerate(tokens):
            if not t.word:
                continue
            e = s
            while e < len(tokens) and SEP + SEP.join(norms[s : e + 1]) + SEP in self.everything:
                e += 1
            while e > s and not tokens[e - 1].word:
                e -= 1
            if sum(x.word for x in tokens[s:e]) >= MIN_WORDS:
                found.append((s, e))
        maximal = [r for r in found if not any(o != r and o[0] <= r[0] and r[1] <= o[1] for o in found)]
        out = set()
        for s, e in maximal:
            needle = SEP + SEP.join(norms[s:e]) + SEP
            out.add((s, e, frozenset(p.id for p, body in zip(self.paragraphs, self.texts) if needle in body)))
        return out


@pytest.fixture(scope="module")
def oracle(corpus) -> Oracle:
    return Oracle(corpus)


def random_draft(rng: random.Random, corpus: Corpus) -> str:
    """Fragments of random paragraphs (some altered as drafters alter text) spliced with noise."""
    paragraphs = [p for p in corpus]  # non-negotiated ones too: their words must not count as agreed
    parts = []
    for _ in range(rng.randint(2, 7)):
        words = rng.choice(paragraphs).text.split(" ")
        start = rng.randrange(len(words))
        piece = words[start : start + rng.randint(2, 30)]
        for _ in range(rng.randint(0, 2)):
            k = rng.randrange(len(piece))
            piece[k] = rng.choice([rng.choice(NOISE), piece[k].upper(), piece[k].replace("z", "s"), piece[k] + "s"])
        text = " ".join(piece)
        if rng.random() < 0.3:
            text = text.replace("'", "’").replace('"', "“").replace("-", "\u2011")
        parts.append(text)
        parts.append(" ".join(rng.choice(NOISE) for _ in range(rng.randint(0, 4))))
    return rng.choice([" ", ", ", ".\n\n", "; "]).join(p for p in parts if p)


@pytest.mark.parametrize("seed", range(40))
def test_agreed_runs_equal_the_brute_force_oracle(seed, corpus, matcher, oracle):
    text = random_draft(random.Random(seed), corpus)
    tokens = tokenize(text, matcher.vocabulary)
    got = {(r.start, r.end, frozenset(r.ids)) for r in matcher.runs(tokens)}
    assert got == oracle.runs(text, matcher.vocabulary), text


@pytest.mark.parametrize("seed", range(40, 70))
def test_check_result_invariants_on_random_drafts(seed, corpus, matcher, oracle):
    text = random_draft(random.Random(seed), corpus)
    result = check_draft(text, matcher)
    # The spans cut the draft into consecutive pieces that join back to it.
    assert "".join(s.text for s in result.spans) == text
    assert all(a.end == b.start for a, b in zip(result.spans, result.spans[1:]))
    assert result.spans[0].start == 0 and result.spans[-1].end == len(text)
    tokens = tokenize(text, matcher.vocabulary)
    for span in result.spans:
        assert text[span.start : span.end] == span.text
        for s in span.sources:
            p = corpus.get(s.id)
            assert p.negotiated and p.text[s.start : s.end] == s.text  # verbatim: a slice of the canonical text
        if span.status == AGREED:
            assert [t.norm for t in tokenize(span.source_text)] == [t.norm for t in tokenize(span.text, matcher.vocabulary)]
        if span.status == NEAR:
            assert any(c.op != "equal" for c in span.diff)
            draft_words = len([t for t in tokenize(span.text) if t.word])
            source_words = len([t for t in tokenize(span.source_text) if t.word])
            assert max(draft_words, source_words) >= NEAR_MIN_WORDS
            equal = sum(len(tokenize(c.draft)) for c in span.diff if c.op == "equal")
            assert equal >= NEAR_RATIO * max(len(tokenize(span.text)), len(tokenize(span.source_text)))
    # No word of a verbatim run of six or more words is reported as new.
    new = [s for s in result.spans if s.status == NEW]
    new_tokens = {k for k, t in enumerate(tokens) for s in new if s.start <= t.start and t.end <= s.end}
    for s, e, _ in oracle.runs(text, matcher.vocabulary):
        assert not new_tokens & set(range(s, e)), (text, tokens[s:e])


def test_citations_come_newest_document_first(corpus, matcher):
    shared = []
    for p in corpus.by_doc("PD2009") + corpus.by_doc("PoA2009"):
        words = p.text.split(" ")
        for start in range(0, max(len(words) - 8, 1), 4):
            window = tokenize(" ".join(words[start : start + 8]))
            shared += [r for r in matcher.runs(window) if len({pid.split(":")[0] for pid in r.ids}) > 1]
    assert shared, "some 2009 wording is repeated in a later document"
    for run in shared:
        years = [corpus.documents[pid.split(":")[0]].year for pid in run.ids]
        assert years == sorted(years, reverse=True), run.ids


# -- drafts a delegate might write -------------------------------------------------------------


def test_exact_2016_sentence_is_agreed_and_cited(corpus, matcher):
    official = corpus.get("UNGASS2016:1.m").text
    text = f"Mr. Chair, my delegation believes we must {official} Thank you."
    result = check_draft(text, matcher)
    (agreed,) = [s for s in result.spans if s.status == AGREED]
    assert "UNGASS2016:1.m" in agreed.citations
    assert agreed.source_text == official.rstrip(";")  # the agreed words as printed, up to the last word
    assert agreed.text == official.rstrip(";")
    assert text[agreed.start : agreed.end] == agreed.text
    assert agreed.sources[0].citation == "2016 Outcome Document, para. 1 (m)"
    assert result.documents == ("UNGASS2016",)


def test_2014_sentence_with_changed_words_is_near_with_its_diff(corpus, matcher):
    official = corpus.get("JMS2014:B.29").text
    cut = official.index(", which is used")
    draft = "Urge all" + official[len("Encourage") : cut].replace("tramadol", "fentanyl") + "."
    result = check_draft(draft, matcher)
    (near,) = [s for s in result.spans if s.status == NEAR]
    assert near.citations == ("JMS2014:B.29",)
    assert near.source_text == official[:cut] and near.text == draft[:-1]
    changed = [(c.op, c.draft, c.agreed) for c in near.diff if c.op != "equal"]
    assert changed == [("replace", "Urge all", "Encourage"), ("replace", "fentanyl", "tramadol")]
    assert not [s for s in result.spans if s.status == AGREED]
    assert result.words_of(NEAR) == result.words


def test_left_out_and_added_words_show_in_the_diff(corpus, matcher):
    official = corpus.get("UNGASS2016:1.m").text.rstrip(";")
    draft = official.replace(" and as appropriate", "").replace("drug policies", "drug policies and programmes")
    (near,) = [s for s in check_draft(draft, matcher).spans if s.status == NEAR]
    changed = [(c.op, c.draft, c.agreed) for c in near.diff if c.op != "equal"]
    assert changed == [("insert", "and programmes", ""), ("delete", "", "and as appropriate")]
    assert near.text == draft and near.source_text == official


def test_the_drafts_own_words_around_agreed_language_leave_it_agreed(corpus, matcher):
    official = corpus.get("UNGASS2016:1.m").text.rstrip(";")
    draft = f"We will {official[0].lower()}{official[1:]} worldwide."
    result = check_draft(draft, matcher)
    assert [(s.status, s.text) for s in result.spans] == [
        ("new", "We will "), ("agreed", draft[8 : 8 + len(official)]), ("new", " worldwide."),
    ]


def test_invented_text_is_new(matcher):
    text = "Our delegation proposes a blue-sky fund for Ruritanian river dolphins, to be reviewed every Tuesday."
    result = check_draft(text, matcher)
    assert [s.status for s in result.spans] == [NEW]
    assert result.words_of(NEW) == result.words == 15 and result.documents == ()


def test_normalised_differences_still_count_as_verbatim(corpus, matcher):
    official = corpus.get("UNGASS2016:1").text
    draft = (
        official.upper()
        .replace("MINIMIZING", "minimising")
        .replace("EVIDENCE-BASED", "evidence\u2011based")
        .replace("REHABILITATION", "rehabili-\ntation")
        .replace(", ", " ,  ")
    )
    result = check_draft(draft, matcher)
    (agreed,) = [s for s in result.spans if s.status == AGREED]
    assert agreed.citations[0] == "UNGASS2016:1"
    assert agreed.source_text == official.rstrip(":")  # the official wording, not the draft's
    assert result.words_of(AGREED) == result.words


def test_six_shared_words_are_agreed_language_and_five_are_not(matcher):
    six = check_draft("Ruritania wants to counter the world drug problem forever.", matcher)
    assert [s.text for s in six.spans if s.status == AGREED] == ["to counter the world drug problem"]
    five = check_draft("Ruritania will counter the world drug problem forever.", matcher)
    assert all(s.status == NEW for s in five.spans)


def test_round_table_summaries_are_not_agreed_language(corpus, matcher):
    summaries = [p for p in corpus if not p.negotiated]
    assert summaries
    cited = {pid for p in summaries for s in check_draft(p.text, matcher).spans for pid in s.citations}
    assert cited and all(corpus.get(pid).negotiated for pid in cited)


def test_added_documents_take_part_in_matching(corpus):
    own = "Ministers pledge to establish a regional observatory on synthetic drug markets by the year 2025."
    added = Paragraph(
        id="MD2019:1", doc="MD2019", kind="operative", heading=("Ministerial Declaration",), text=own,
        is_commitment=False, operative_spans=(), source=Source("md.txt", 1, 1), citation="2019 Ministerial Declaration, para. 1",
    )
    doc = Document("MD2019", "Ministerial Declaration", 2019, "2019 Ministerial Declaration", builtin=False)
    bigger = Corpus([*corpus, added], [doc])
    draft = "We recall that ministers pledge to establish a regional observatory on synthetic drug markets."
    result = check_draft(draft, Matcher(bigger))
    (agreed,) = [s for s in result.spans if s.status == AGREED]
    assert agreed.citations == ("MD2019:1",)
    assert result.document_names == ("2019 Ministerial Declaration",)


def test_repeated_common_phrases_stay_fast_and_new(matcher):
    text = " ".join(["the world drug problem"] * 300)
    result = check_draft(text, matcher)
    assert all(s.status == NEW for s in result.spans)


def test_empty_and_punctuation_only_drafts(matcher):
    for text in ("", "…;;  --"):
        result = check_draft(text, matcher)
        assert [s.status for s in result.spans] == [NEW] and result.words == 0 and result.share(AGREED) == 0.0
