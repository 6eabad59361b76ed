"""The torch-free query encoder gives the sentence-transformers vectors (cosine ≥ 0.9999), loads without torch."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
from helpers import ENCODER_SAMPLES

from assistant.config import Settings, child_env
from assistant.corpus.load import load_corpus
from assistant.errors import ModelMissing
from assistant.retrieval.embed import Embedder, QueryEncoder, query_encoder
from assistant.retrieval.units import make_units

SETTINGS = Settings.from_env()
SAMPLES = ENCODER_SAMPLES


@pytest.fixture(scope="module")
def both():
    return QueryEncoder(SETTINGS), Embedder(SETTINGS)


def test_same_vectors_as_sentence_transformers(both):
    numpy_vecs, torch_vecs = (e.encode(SAMPLES) for e in both)
    assert numpy_vecs.dtype == np.float32 and numpy_vecs.shape == torch_vecs.shape == (len(SAMPLES), 384)
    assert np.allclose(np.linalg.norm(numpy_vecs, axis=1), 1.0, atol=1e-5)
    assert (numpy_vecs * torch_vecs).sum(axis=1).min() >= 0.9999


def test_same_identity_so_index_manifests_match(both):
    numpy_enc, torch_enc = both
    assert (numpy_enc.name, numpy_enc.dimension, numpy_enc.max_tokens) == (torch_enc.name, torch_enc.dimension, torch_enc.max_tokens)
    assert numpy_enc.count_tokens("naloxone") == torch_enc.count_tokens("naloxone")


def test_the_setting_chooses_the_encoder():
    assert isinstance(query_encoder(SETTINGS), QueryEncoder)
    assert isinstance(query_encoder(Settings.from_env(query_encoder="torch")), Embedder)


def test_missing_model_files_are_named(tmp_path):
    with pytest.raises(ModelMissing, match="model.safetensors"):
        QueryEncoder(Settings.from_env(embed_model=str(tmp_path))).encode(["x"])


def test_the_query_path_never_imports_torch():
    code = ("import sys\nfrom assistant.config import Settings\nfrom assistant.retrieval.embed import query_encoder\n"
            "query_encoder(Settings.from_env()).encode(['naloxone'])\n"
            "print(sorted(m for m in ('torch', 'sentence_transformers', 'transformers') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=child_env(), timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


@pytest.mark.slow
def test_every_unit_of_the_corpus(both):
    numpy_enc, torch_enc = both
    texts = [u.embed_text for u in make_units(load_corpus(SETTINGS))]
    cos = (numpy_enc.encode(texts) * torch_enc.encode(texts)).sum(axis=1)
    assert len(texts) > 600 and cos.min() >= 0.9999, float(cos.min())


def test_a_batch_runs_in_passes_of_like_length_and_gives_each_text_its_own_vector(both):
    from assistant.retrieval.embed import _length_groups

    # Short words are not padded to a long glossary expansion: they go through the model apart from it.
    groups = _length_groups([3, 60, 4, 12, 3], batch_size=32)
    assert sorted(i for g in groups for i in g) == [0, 1, 2, 3, 4]
    assert [1] in groups and any({0, 2, 4} <= set(g) for g in groups)
    assert all(len(g) <= 2 for g in _length_groups([5] * 5, batch_size=2))
    # Whatever the grouping, each row is the text's own vector, in the order given.
    encoder = both[0]
    mixed = encoder.encode(SAMPLES)
    alone = np.stack([encoder.encode([t])[0] for t in SAMPLES])
    assert np.allclose(mixed, alone, atol=1e-5)
