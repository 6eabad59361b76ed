"""The ONNX query encoder: exported once beside the index, the same vectors as the numpy encoder, never
torch when answering, and the numpy encoder whenever the export is missing, stale or damaged."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import replace

import numpy as np
import pytest
from helpers import ENCODER_SAMPLES

from assistant.config import Settings, child_env
from assistant.retrieval.embed import OnnxEncoder, QueryEncoder, export_onnx, exported, onnx_or_numpy, onnx_path, query_encoder

SAMPLES = ENCODER_SAMPLES


@pytest.fixture(scope="module")
def settings(tmp_path_factory):
    s = replace(Settings.from_env(), index_dir=tmp_path_factory.mktemp("onnx") / "index")
    assert not exported(s)
    assert export_onnx(s) == onnx_path(s) and exported(s)
    return s


def test_the_export_gives_the_numpy_encoders_vectors(settings):
    fast, plain = OnnxEncoder(settings), QueryEncoder(settings)
    a, b = fast.encode(SAMPLES), plain.encode(SAMPLES)
    assert a.shape == b.shape == (len(SAMPLES), 384) and a.dtype == np.float32
    assert (a * b).sum(axis=1).min() >= 0.9999
    assert (fast.name, fast.dimension, fast.count_tokens("naloxone")) == (plain.name, plain.dimension, plain.count_tokens("naloxone"))
    # Exporting again is a no-op while the weights are unchanged.
    mtime = onnx_path(settings).stat().st_mtime_ns
    export_onnx(settings)
    assert onnx_path(settings).stat().st_mtime_ns == mtime


def test_the_setting_chooses_onnx_when_exported_and_numpy_otherwise(settings, tmp_path):
    assert type(query_encoder(settings)) is OnnxEncoder
    assert type(query_encoder(replace(settings, query_encoder="numpy"))) is QueryEncoder
    assert type(query_encoder(replace(settings, index_dir=tmp_path / "none"))) is QueryEncoder


def test_a_stale_or_damaged_export_falls_back_to_numpy(settings, tmp_path, caplog):
    import shutil

    copy = replace(settings, index_dir=tmp_path / "index")
    shutil.copytree(onnx_path(settings).parent, onnx_path(copy).parent)
    assert type(onnx_or_numpy(copy)) is OnnxEncoder
    note = onnx_path(copy).with_suffix(".json")
    stale = json.loads(note.read_text()) | {"size": 1}
    note.write_text(json.dumps(stale))
    assert not exported(copy) and type(onnx_or_numpy(copy)) is QueryEncoder
    export_onnx(copy)  # a stale export is made again
    assert exported(copy)
    onnx_path(copy).write_bytes(b"not an onnx model")
    with caplog.at_level("WARNING"):
        encoder = onnx_or_numpy(copy)
    assert type(encoder) is QueryEncoder and "does not load" in caplog.text
    assert encoder.encode(["naloxone"]).shape == (1, 384)


def test_answering_with_the_export_never_imports_torch(settings):
    code = ("import sys\nfrom assistant.config import Settings\nfrom assistant.retrieval.embed import query_encoder\n"
            "e = query_encoder(Settings.from_env())\ne.encode(['naloxone'])\n"
            "print(type(e).__name__, sorted(m for m in ('torch', 'sentence_transformers', 'transformers') if m in sys.modules))")
    env = child_env(ASSISTANT_INDEX_DIR=str(settings.index_dir))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "OnnxEncoder []"


@pytest.mark.slow  # fresh `assistant` processes
def test_assistant_index_exports_the_encoder_once(tmp_path):
    from helpers import small_settings

    s = small_settings(tmp_path, ["UNGASS2016:1", "UNGASS2016:1.m"])
    env = child_env(ASSISTANT_INDEX_DIR=str(s.index_dir), ASSISTANT_CORPUS_DIR=str(s.corpus_dir))
    first = subprocess.run([sys.executable, "-m", "assistant", "index"], capture_output=True, text=True, env=env, timeout=300)
    assert first.returncode == 0, first.stderr
    assert "Query encoder exported to" in first.stdout and exported(s)
    again = subprocess.run([sys.executable, "-m", "assistant", "index"], capture_output=True, text=True, env=env, timeout=300)
    assert again.returncode == 0 and "Index noop" in again.stdout and "exported" not in again.stdout
