"""Shared fixtures. The whole session searches a private index in a temporary directory, never the
checkout's `index/`: `ASSISTANT_INDEX_DIR` points there for this process and every child it starts."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

_SESSION_DIR = Path(tempfile.mkdtemp(prefix="assistant-tests-"))
os.environ["ASSISTANT_INDEX_DIR"] = str(_SESSION_DIR / "index")
os.environ.pop("CHROMA_HOST", None)
os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["ANONYMIZED_TELEMETRY"] = "False"
os.environ["ASSISTANT_WARM_START"] = "0"  # no background warm-up competing with the tests (tested on its own)


def pytest_unconfigure(config):
    shutil.rmtree(_SESSION_DIR, ignore_errors=True)


@pytest.fixture(scope="session")
def full_index():
    """Settings whose index holds the full corpus, built once per session."""
    from assistant.config import Settings
    from assistant.corpus.load import load_corpus
    from assistant.retrieval.embed import Embedder
    from assistant.retrieval.index import ensure_index

    settings = Settings.from_env()
    assert settings.index_dir == _SESSION_DIR / "index"
    ensure_index(settings, load_corpus(settings), Embedder(settings), progress=False)
    return settings
