"""Hostile and odd input through the CLI (real subprocesses) and `Assistant.ask`: clear messages, never a traceback."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest

from assistant.config import Settings
from assistant.errors import BadQuery, UnknownParagraph
from assistant.answer.service import Assistant

pytestmark = pytest.mark.usefixtures("full_index")  # the session's private index of the full corpus

ENV = dict(os.environ, HF_HUB_OFFLINE="1")
HOSTILE = "<script>alert(1)</script> <b>naloxone</b> **bold** [x](javascript:alert(1)) $\\frac{a}{b}$ `code`"
ODD = {
    "long": "naloxone overdose prevention " * 3500,  # ~100,000 characters
    "control": "\x01\x07\x1b[31mnaloxone\x1b[0m\x7f",
    "arabic": "ما هي الالتزامات بشأن الوقاية من الجرعات الزائدة؟",
    "hebrew": "מה התחייבנו לגבי נלוקסון?",
    "cjk": "纳洛酮 过量 预防 承诺",
    "emoji": "💊🚑 naloxone 🙏🏽",
    "html": HOSTILE,
    "markdown": "# Title\n> quote\n- item **naloxone** _x_ | table |",
    "js link": "javascript:alert(document.cookie)",
    "dollars": "$5 to $10 per dose of $naloxone$",
    "one long word": "naloxonne" * 200,  # 1,800 letters, no space: not a slip to correct letter by letter
    "slips": "canabis nalokson laundring perscription",
}


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "assistant", *args], capture_output=True, text=True, env=ENV, timeout=300)


def clean(out: subprocess.CompletedProcess) -> None:
    assert "Traceback" not in out.stderr, out.stderr[-2000:]


@pytest.fixture(scope="module")
def bot(full_index) -> Assistant:
    return Assistant.load(full_index)


# -- Assistant.ask -------------------------------------------------------------------------------


@pytest.mark.parametrize("question", ["", "   ", "\t\n ", "\x00", "\x00 \x00", None])
def test_empty_questions_are_bad_queries(bot, question):
    with pytest.raises(BadQuery, match="type a question"):
        bot.ask(question)


@pytest.mark.parametrize("name", list(ODD))
def test_odd_questions_get_normal_answers(bot, name):
    question = ODD[name]
    answer = bot.ask(question).answer
    assert answer.mode in ("search", "none", "reference")
    assert answer.quotes and answer.lead
    for q in answer.quotes:
        assert q.text == bot.corpus.get(q.id).text  # verbatim, whatever was asked
    if name == "long":
        assert len(answer.question) == bot.settings.max_query_chars and any("shortened" in n for n in answer.notes)
    else:
        assert answer.question == question.replace("\x00", "")  # echoed as typed; display escapes it


def test_nul_inside_a_question_is_dropped(bot):
    assert bot.ask("nalox\x00one").answer.question == "naloxone"


@pytest.mark.parametrize(
    "ref, reason",
    [("PoA2009:99.z", "Unknown"), ("1(zz)", "Unknown"), ("XYZ2001:1", "Unknown"), ("((((", "Malformed"), ("x" * 100_000, "Malformed"), ("", "Malformed")],
)
def test_bad_references_raise_unknown_paragraph(bot, ref, reason):
    with pytest.raises(UnknownParagraph, match=reason):
        bot.show(ref)


# -- CLI, fast paths (no model) --------------------------------------------------------------------


@pytest.mark.parametrize(
    "args, message",
    [
        (("search", ""), "empty"),
        (("search", " \t\n "), "empty"),
        (("search", "naloxone", "--doc", "NOPE"), "Unknown document key"),
        (("show", "PoA2009:99.z"), "Did you mean"),
        (("ask", "what does para 99 say?"), "Unknown paragraph reference: 'para 99'. Did you mean"),
        (("ask", "naloxone", "--doc", "NOPE"), "Unknown document key"),
        (("show", "(((("), "Malformed"),
        (("show", ""), "Malformed"),
        (("show", "x" * 100_000), "Malformed"),
        (("show", "<script>alert(1)</script>"), "paragraph reference"),
        (("remove", "NOPE2000"), "No added document"),
        (("add", "/nonexistent/file.pdf", "--doc", "MD2019", "--title", "T", "--year", "2019"), "does not exist|not found"),
    ],
)
def test_cli_bad_input_exits_2_with_a_message(args, message):
    out = run(*args)
    clean(out)
    assert out.returncode == 2, (out.stdout, out.stderr)
    assert "Error" in out.stderr and re.search(message, out.stderr), out.stderr


# -- CLI, full answers (each loads the model: few, but real) ------------------------------------------


@pytest.mark.slow
def test_cli_ask_empty_exits_2():
    out = run("ask", "  ")
    clean(out)
    assert out.returncode == 2 and "type a question" in out.stderr


@pytest.mark.slow
@pytest.mark.parametrize("name", ["long", "control", "scripts", "html"])
def test_cli_ask_odd_questions_answer_normally(name):
    question = {"scripts": " ".join(ODD[k] for k in ("arabic", "hebrew", "cjk", "emoji"))}.get(name) or ODD[name]
    out = run("ask", question, "--format", "json")
    clean(out)
    assert out.returncode == 0, out.stderr[-2000:]
    data = json.loads(out.stdout)
    assert data["quotes"]
    if name == "long":
        assert any("shortened" in n for n in data["notes"])
    else:
        assert data["question"] == question


@pytest.mark.slow
def test_cli_search_hostile_query_is_valid_json():
    out = run("search", ODD["markdown"] + " " + HOSTILE, "--format", "json", "--top-k", "3")
    clean(out)
    assert out.returncode == 0, out.stderr[-2000:]
    assert len(json.loads(out.stdout)) == 3
