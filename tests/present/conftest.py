"""Real quotes for the export tests: paragraphs of the checkout's corpus, read only (no index needed)."""

from __future__ import annotations

import pytest

# Three levels of sub-items, a preamble, 2014 sections, curly double and single quotes, all four documents.
REAL_IDS = ("UNGASS2016:1.m", "UNGASS2016:2.b", "UNGASS2016:PP24", "JMS2014:A.11", "JMS2014:B.27", "JMS2014:22",
            "PoA2009:51.c.iv", "PoA2009:51.b.i", "PoA2009:2.e", "PD2009:36.e")


@pytest.fixture(scope="session")
def real_corpus():
    from assistant.config import Settings
    from assistant.corpus.load import load_corpus

    return load_corpus(Settings.from_env())


@pytest.fixture(scope="session")
def real_quotes(real_corpus):
    from assistant.answer.compose import make_quote

    return tuple(make_quote(real_corpus, real_corpus.get(pid), 1.0, (), False) for pid in REAL_IDS)
