"""Prompt templates: the one place that loads `prompts/<name>.txt` and fills its `$placeholders`."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from string import Template

from assistant.config import PROJECT_ROOT
from assistant.errors import AssistantError

PROMPTS_DIR = PROJECT_ROOT / "prompts"


class PromptError(AssistantError):
    """A prompt template that is missing, malformed, or rendered with missing or unknown values."""


def names(directory: Path = PROMPTS_DIR) -> tuple[str, ...]:
    """Names of every template in `directory` (file stems), sorted."""
    return tuple(sorted(p.stem for p in Path(directory).glob("*.txt")))


@lru_cache(maxsize=None)
def _template(path: Path) -> Template:
    try:
        template = Template(path.read_text(encoding="utf-8"))
    except OSError as err:
        raise PromptError(f"Prompt template {path.name!r} cannot be read: {err}") from err
    if not template.is_valid():
        raise PromptError(f"Prompt template {path.name!r} has a malformed placeholder (write $$ for a literal $).")
    return template


def placeholders(name: str, directory: Path = PROMPTS_DIR) -> frozenset[str]:
    """The placeholder names that template `name` uses."""
    return frozenset(_template(Path(directory) / f"{name}.txt").get_identifiers())


def render(name: str, directory: Path = PROMPTS_DIR, /, **values: object) -> str:
    """Template `name` filled with `values`; every placeholder must be given and no other value."""
    template = _template(Path(directory) / f"{name}.txt")
    wanted = set(template.get_identifiers())
    missing, unknown = wanted - values.keys(), values.keys() - wanted
    if missing or unknown:
        raise PromptError(f"Prompt {name!r}: missing values {sorted(missing)}, unknown values {sorted(unknown)}.")
    return template.substitute({key: str(value) for key, value in values.items()})
