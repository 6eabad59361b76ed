"""Prompt templates: every placeholder of every template is filled, and nothing else is accepted."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest

from assistant.summary import prompts
from assistant.summary.client import build_messages
from assistant.summary.prompts import PromptError, names, placeholders, render

LEFTOVER = re.compile(r"\$(?:\w+|\{\w+\})")


def test_the_summary_templates_exist_with_their_placeholders():
    assert {"summary_system", "summary_user"} <= set(names())
    assert placeholders("summary_system") == frozenset()
    assert placeholders("summary_user") == {"question", "quotes", "example_id"}


@pytest.mark.parametrize("name", names())
def test_every_placeholder_of_every_template_is_filled(name):
    values = {key: f"<value of {key}>" for key in placeholders(name)}
    text = render(name, **values)
    assert not LEFTOVER.search(text)
    assert all(value in text for value in values.values())


def test_missing_and_unknown_values_raise():
    with pytest.raises(PromptError, match="missing values \\['quotes'\\]"):
        render("summary_user", question="q", example_id="X:1")
    with pytest.raises(PromptError, match="unknown values \\['extra'\\]"):
        render("summary_system", extra="x")
    with pytest.raises(PromptError, match="cannot be read"):
        render("no_such_prompt")


def test_values_are_inserted_literally(tmp_path):
    (tmp_path / "t.txt").write_text("Costs $$5: ${item} and $other.\n")
    assert render("t", tmp_path, item="$quotes", other="a } {b}") == "Costs $5: $quotes and a } {b}.\n"
    (tmp_path / "bad.txt").write_text("Costs $5.\n")
    with pytest.raises(PromptError, match="malformed"):
        render("bad", tmp_path)


def test_summary_messages_leave_no_placeholder_unfilled():
    quotes = [SimpleNamespace(id="UNGASS2016:1.m", text="Some text.")]
    for message in build_messages("Why?", quotes):
        assert not LEFTOVER.search(message["content"])


def test_prompts_are_loaded_from_the_project_prompts_dir():
    assert prompts.PROMPTS_DIR.name == "prompts" and (prompts.PROMPTS_DIR / "summary_user.txt").is_file()
