"""Fixtures for the draft checker: the real corpus (no index needed) and one matcher built over it."""

from __future__ import annotations

import pytest

from assistant.config import Settings
from assistant.corpus.load import load_corpus
from assistant.drafting.matcher import Matcher


@pytest.fixture(scope="session")
def corpus():
    return load_corpus(Settings.from_env())


@pytest.fixture(scope="session")
def matcher(corpus) -> Matcher:
    return Matcher(corpus)
