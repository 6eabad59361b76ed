"""Shared fixtures. The whole session searches a private index in the system's temporary directory, never
the checkout's `index/`: `ASSISTANT_INDEX_DIR` points there for this process and every child it starts."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

# The full corpus's index lives outside the checkout and outlives the session: `ensure_index` reuses it
# when its manifest matches the corpus, model and chromadb version (a no-op), and rebuilds it otherwise.
_FULL_INDEX = Path(tempfile.gettempdir()) / f"assistant-test-index-{os.getuid()}"
os.environ["ASSISTANT_INDEX_DIR"] = str(_FULL_INDEX)
os.environ.pop("CHROMA_HOST", None)
os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["ANONYMIZED_TELEMETRY"] = "False"
os.environ["ASSISTANT_WARM_START"] = "0"  # no background warm-up competing with the tests (tested on its own)


@pytest.fixture(scope="session")
def full_index():
    """Settings whose index holds the full corpus (built when missing or out of date)."""
    from assistant.config import Settings
    from assistant.corpus.load import load_corpus
    from assistant.retrieval.embed import Embedder
    from assistant.retrieval.index import ensure_index

    settings = Settings.from_env()
    assert settings.index_dir == _FULL_INDEX
    ensure_index(settings, load_corpus(settings), Embedder(settings), progress=False)
    return settings
