"""The query encoder on onnxruntime: the same model exported once to ONNX beside the index, about twice as
fast as the numpy forward pass per question (`assistant bench` compares them side by side).

`assistant index` exports the model (torch, at build time only) to `<index_dir>/encoder/model.onnx` with a
note of the weights it came from; answering loads it with onnxruntime, never torch. When the file is
missing, stale or cannot be loaded, `query_encoder` falls back to the numpy encoder, which gives the same
vectors.
"""

from __future__ import annotations

import json
import logging
import os
import warnings
from pathlib import Path

import numpy as np

from assistant.retrieval.embed import QueryEncoder

log = logging.getLogger(__name__)

OPSET = 17


def onnx_path(settings) -> Path:
    return Path(settings.index_dir) / "encoder" / "model.onnx"


def _source(settings) -> dict:
    """What the export was made from: the weights file's name, size and modification time."""
    weights = Path(settings.embed_model) / "model.safetensors"
    st = weights.stat()
    return {"weights": str(weights.resolve()), "size": st.st_size, "mtime_ns": st.st_mtime_ns, "opset": OPSET}


def exported(settings) -> bool:
    """Whether an export of the current model is in place."""
    path = onnx_path(settings)
    try:
        return path.is_file() and json.loads(path.with_suffix(".json").read_text(encoding="utf-8")) == _source(settings)
    except (OSError, ValueError):
        return False


def export_onnx(settings) -> Path | None:
    """Export the model to ONNX unless a current export exists; None (with a warning) when it cannot be
    done, so the index still builds and questions use the numpy encoder."""
    if not settings.embed_model or exported(settings):
        return onnx_path(settings) if settings.embed_model else None
    path = onnx_path(settings)
    try:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
        import torch
        from transformers import AutoModel
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()
        hf_logging.set_verbosity_error()
        base = AutoModel.from_pretrained(settings.embed_model).eval()

        class Hidden(torch.nn.Module):
            def __init__(self, model):
                super().__init__()
                self.model = model

            def forward(self, input_ids, attention_mask):
                out = self.model(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=torch.zeros_like(input_ids))
                return out.last_hidden_state

        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".model-{os.getpid()}.onnx")
        sample = torch.ones((1, 8), dtype=torch.long)
        axes = {0: "batch", 1: "tokens"}
        with torch.no_grad(), warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the exporter's notes on traced shapes: nothing to act on
            torch.onnx.export(Hidden(base), (sample, sample), str(tmp), input_names=["input_ids", "attention_mask"],
                              output_names=["hidden"], opset_version=OPSET, dynamo=False,
                              dynamic_axes={"input_ids": axes, "attention_mask": axes, "hidden": axes})
        os.replace(tmp, path)
        path.with_suffix(".json").write_text(json.dumps(_source(settings)), encoding="utf-8")
        return path
    except Exception as exc:  # noqa: BLE001 - any failure leaves the numpy encoder in charge
        log.warning("could not export the query encoder to ONNX (%s); questions use the numpy encoder", exc)
        return None


class OnnxEncoder(QueryEncoder):
    """`QueryEncoder` with the forward pass on onnxruntime (two threads); tokenizing and pooling as there."""

    def __init__(self, settings, **kwargs):
        super().__init__(settings, **kwargs)
        self.file = onnx_path(settings)
        self._session = None

    def _load(self) -> None:
        if self._session is not None:
            return
        with self._lock:
            if self._session is None:
                import onnxruntime as ort
                from tokenizers import Tokenizer

                self._check()
                tokenizer = Tokenizer.from_file(str(self.path / "tokenizer.json"))
                tokenizer.enable_truncation(self.max_tokens)
                tokenizer.no_padding()
                options = ort.SessionOptions()
                options.intra_op_num_threads = min(2, os.cpu_count() or 1)
                options.log_severity_level = 3
                self._tokenizer = tokenizer
                self._session = ort.InferenceSession(str(self.file), options, providers=["CPUExecutionProvider"])

    def _forward(self, encodings) -> np.ndarray:
        n, length = len(encodings), max(len(e.ids) for e in encodings)
        ids = np.zeros((n, length), dtype=np.int64)
        mask = np.zeros((n, length), dtype=np.int64)
        for row, e in enumerate(encodings):
            ids[row, : len(e.ids)] = e.ids
            mask[row, : len(e.ids)] = 1
        hidden = self._session.run(None, {"input_ids": ids, "attention_mask": mask})[0]
        m = mask[:, :, None].astype(np.float32)
        pooled = (hidden * m).sum(axis=1) / np.maximum(m.sum(axis=1), 1e-9)
        return pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)


def onnx_or_numpy(settings) -> QueryEncoder:
    """The ONNX encoder when a current export is in place and loads, else the numpy one."""
    if exported(settings):
        encoder = OnnxEncoder(settings)
        try:
            encoder._load()
            return encoder
        except Exception as exc:  # noqa: BLE001 - a damaged file must not stop answering
            log.warning("the ONNX query encoder at %s does not load (%s); using the numpy encoder", encoder.file, exc)
    return QueryEncoder(settings)
