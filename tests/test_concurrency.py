"""One shared Assistant under concurrent questions, and app sessions that keep their histories apart."""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from assistant.config import Settings
from assistant.answer.service import Assistant

APP = Path(__file__).resolve().parent.parent / "app.py"
QUESTIONS = [
    "what did we commit on naloxone?",
    "alternative development programmes for farmers",
    "precursor chemicals diversion",
    "money-laundering",
    "access to controlled medicines for pain relief",
    "drug abuse prevention in schools",
    "UNGASS 1(m)",
    "PoA 51(c)(iv)",
    "maritime trafficking and container control",
    "new psychoactive substances early warning",
    "human rights and proportionate sentencing",
    "women and children in drug policy",
    "darknet and online drug sales",
    "treatment and rehabilitation of people who use drugs",
    "JMS A.11",
    "cooperation among customs services",
]


def signature(reply) -> tuple:
    a = reply.answer
    return a.mode, a.found, tuple((q.id, round(q.score, 6), tuple(c.id for c in q.counterparts)) for q in a.quotes)


@pytest.fixture(scope="module")
def bot(full_index) -> Assistant:
    return Assistant.load(full_index)


@pytest.mark.slow
def test_sixteen_concurrent_questions_match_serial_answers(bot, caplog):
    assert len(QUESTIONS) == 16
    serial = [signature(bot.ask(q)) for q in QUESTIONS]
    with caplog.at_level(logging.WARNING), ThreadPoolExecutor(max_workers=16) as pool:
        for _ in range(2):
            futures = [pool.submit(bot.ask, q) for q in QUESTIONS]
            # .result() re-raises any error from a thread, e.g. the tokenizer's "Already borrowed".
            assert [signature(f.result()) for f in futures] == serial
    assert "Already borrowed" not in caplog.text


@pytest.mark.slow
def test_app_sessions_keep_their_own_history(bot):
    from streamlit.testing.v1 import AppTest

    one = AppTest.from_file(str(APP), default_timeout=120).run()
    two = AppTest.from_file(str(APP), default_timeout=120).run()
    one.chat_input[0].set_value("what did we commit on naloxone?").run()
    two.chat_input[0].set_value("alternative development").run()
    one.chat_input[0].set_value("precursor chemicals").run()
    for at in (one, two):
        assert not at.exception, [e.value for e in at.exception]
    asked = lambda at: [e["question"] for e in at.session_state["history"]]  # noqa: E731
    assert asked(one) == ["what did we commit on naloxone?", "precursor chemicals"]
    assert asked(two) == ["alternative development"]
    shown = lambda at: [m.markdown[0].value for m in at.chat_message if m.name == "user"]  # noqa: E731
    assert all("alternative" not in s for s in shown(one)) and all("naloxone" not in s for s in shown(two))
