"""`assistant doctor`: each state of corpus, model and index is named, with the command that fixes it."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest
from helpers import small_settings

from assistant.config import Settings, child_env
from assistant.corpus.load import load_corpus
from assistant.retrieval.doctor import diagnose
from assistant.retrieval.embed import Embedder
from assistant.retrieval.index import ensure_index

KEEP = ["UNGASS2016:1", "UNGASS2016:1.m"]


@pytest.fixture()
def tiny(tmp_path) -> Settings:
    return small_settings(tmp_path, KEEP)


def doctor(settings: Settings, *args: str) -> subprocess.CompletedProcess:
    env = child_env(ASSISTANT_CORPUS_DIR=str(settings.corpus_dir), ASSISTANT_INDEX_DIR=str(settings.index_dir))
    return subprocess.run([sys.executable, "-m", "assistant", "doctor", *args], capture_output=True, text=True, env=env, timeout=300)


def test_missing_index_is_named_with_its_fix_and_nothing_is_written(tiny):
    out = doctor(tiny, "--format", "json")
    assert out.returncode == 1
    findings = {f["name"]: f for f in json.loads(out.stdout)["findings"]}
    index = findings["index"]
    assert not index["ok"] and index["detail"] == "no index yet" and "assistant index" in index["fix"]
    assert "questions embedded with numpy: no ONNX export yet" in findings["model"]["detail"]  # which encoder answers
    assert not tiny.index_dir.exists()


@pytest.mark.slow  # builds an index and probes it in child processes
def test_built_index_passes_the_probe_then_a_damaged_one_fails_it(tiny):
    ensure_index(tiny, load_corpus(tiny), Embedder(tiny), progress=False)
    out = doctor(tiny)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "probe query answered" in out.stdout and "Everything a question needs is in place." in out.stdout
    for f in tiny.index_dir.glob("chroma-*/*.sqlite3"):
        f.write_bytes(b"garbage" * 500)
    damaged = diagnose(tiny)
    assert not damaged.ok and damaged.finding("index").fix == "`assistant index --rebuild`"


def test_stale_index_after_the_corpus_changes(tiny):
    ensure_index(tiny, load_corpus(tiny), Embedder(tiny), progress=False)
    rows = tiny.paragraphs_path.read_text(encoding="utf-8").splitlines()
    tiny.paragraphs_path.write_text(rows[0] + "\n", encoding="utf-8")
    d = diagnose(tiny, probe=False)
    assert not d.ok and d.finding("index").detail.startswith("out of date (changed: corpus")


def test_unreadable_corpus_stops_the_diagnosis_at_the_corpus(tiny):
    tiny.paragraphs_path.write_text("{not json\n", encoding="utf-8")
    d = diagnose(tiny)
    assert [f.name for f in d.findings] == ["corpus"] and not d.ok


@pytest.mark.slow  # three fresh `assistant` processes
@pytest.mark.parametrize("args, code", [
    (("search", "naloxone"), 2),
    (("ask", "what did we commit on naloxone?"), 2),
    (("show", "1 (m)"), 0),  # the paragraph needs no index: shown, with a note that suggestions do
])
def test_reading_commands_on_an_empty_index_dir_name_the_fix_and_write_nothing(tiny, args, code):
    tiny.index_dir.mkdir()
    env = child_env(ASSISTANT_CORPUS_DIR=str(tiny.corpus_dir), ASSISTANT_INDEX_DIR=str(tiny.index_dir))
    out = subprocess.run([sys.executable, "-m", "assistant", *args], capture_output=True, text=True, env=env, timeout=300)
    assert out.returncode == code, (out.stdout, out.stderr)
    assert "assistant index" in out.stdout + out.stderr and "Traceback" not in out.stderr
    assert list(tiny.index_dir.iterdir()) == []
