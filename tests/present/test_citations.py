"""Citations in the preferred form (short, or full with the official symbol) and the block drafters paste."""

from __future__ import annotations

import pytest
from present_samples import CITE_12B, CITE_1M, TEXT, answers, naloxone

from assistant.config import Settings
from assistant.corpus.documents import REGISTRY
from assistant.errors import BadSetting
from assistant.present.citations import FULL, SHORT, cite_as, paste_block, quote_block, styled, styled_check, styled_quote


def test_full_citations_carry_the_symbols_the_sources_give():
    assert cite_as("UNGASS2016:1.m") == CITE_1M
    assert cite_as("UNGASS2016:1.m", FULL) == "2016 Outcome Document (A/RES/S-30/1, annex), para. 1 (m)"
    assert cite_as("UNGASS2016:PP24", FULL) == "2016 Outcome Document (A/RES/S-30/1, annex), preambular para. 24"
    # The 2014 report: the 2009 texts are in E/2009/28, chap. I, sect. C; the 2014 session report is E/2014/28.
    assert cite_as("PoA2009:51.c.iv", FULL) == "2009 Plan of Action (E/2009/28, chap. I, sect. C), para. 51 (c) (iv)"
    assert cite_as("PD2009:36.e", FULL) == "2009 Political Declaration (E/2009/28, chap. I, sect. C), para. 36 (e)"
    assert cite_as("JMS2014:A.11", FULL) == "2014 Joint Ministerial Statement (E/2014/28), sect. A, para. 11"
    with pytest.raises(BadSetting):
        cite_as("UNGASS2016:1.m", "long")


def test_symbols_are_those_the_raw_sources_print():
    raw = Settings.from_env().raw_dir
    jms = (raw / "2014_CND_high_level_review_Joint_Ministerial_Statement.txt").read_text(encoding="utf-8")
    assert "(E/2014/28)" in jms and "(E/2009/28)*, chap. I, sect. C" in jms
    assert REGISTRY["PoA2009"].symbol == REGISTRY["PD2009"].symbol == "E/2009/28, chap. I, sect. C"


def test_styled_answers_change_citations_only():
    short = answers()[0]
    full = styled(short, FULL)
    (q,) = full.quotes
    assert q.citation == "2016 Outcome Document (A/RES/S-30/1, annex), para. 1 (m)" and q.text == TEXT
    assert q.counterparts[0].citation == "2009 Plan of Action (E/2009/28, chap. I, sect. C), para. 12 (b)"
    assert q.counterparts[-1].citation == "PoA2009:99"  # a reference naming no paragraph keeps its ID
    assert full.lead == short.lead and full.question == short.question
    assert styled(short, SHORT) is short and styled_quote(naloxone(), SHORT) == naloxone()
    assert short.quotes[0].counterparts[0].citation == CITE_12B  # the original is untouched


def test_the_block_to_paste_is_the_quote_and_its_citation():
    assert quote_block(naloxone()) == f"“{TEXT}” ({CITE_1M})"
    assert quote_block(naloxone()).startswith("“Promote the inclusion") and quote_block(naloxone()).endswith(
        "mortality;” (2016 Outcome Document, para. 1 (m))")
    assert paste_block("a “b” c", "X, para. 1") == "“a “b” c” (X, para. 1)"  # the text is never altered
    assert quote_block(styled_quote(naloxone(), FULL)).endswith("(2016 Outcome Document (A/RES/S-30/1, annex), para. 1 (m))")


def test_the_draft_checker_uses_the_same_block_and_forms(real_corpus):
    from assistant.drafting.check import check_draft
    from assistant.drafting.matcher import Matcher
    from assistant.present.draft import paste_block as draft_block

    text = "We recall: " + real_corpus.get("UNGASS2016:1.m").text
    result = check_draft(text, Matcher(real_corpus))
    full = styled_check(result, FULL, real_corpus.documents)
    source = next(s for span in full.spans for s in span.sources)
    assert "(A/RES/S-30/1, annex)" in source.citation or "(E/20" in source.citation
    assert draft_block(source) == paste_block(source.text, source.citation)
    assert styled_check(result, SHORT) is result


def test_the_setting_comes_from_the_environment():
    assert Settings.from_env({}).citation == SHORT and not Settings.from_env({}).mark_operative
    s = Settings.from_env({"ASSISTANT_CITATION": "full", "ASSISTANT_MARK_OPERATIVE": "1"})
    assert s.citation == FULL and s.mark_operative
    for bad in ({"ASSISTANT_CITATION": "long"}, {"ASSISTANT_MARK_OPERATIVE": "maybe"}):
        with pytest.raises(BadSetting):
            Settings.from_env(bad)
