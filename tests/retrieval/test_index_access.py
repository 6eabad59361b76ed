"""An index this user may not read is reported as a permission problem, never as damage to rebuild."""

from __future__ import annotations

import ctypes
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import small_settings

from assistant.config import Settings, child_env
from assistant.corpus.load import load_corpus
from assistant.errors import IndexCorrupt, IndexUnreadable
from assistant.retrieval.embed import Embedder
from assistant.retrieval.index import ensure_index, open_index

KEEP = ["UNGASS2016:1", "UNGASS2016:1.m"]


@pytest.fixture()
def tiny_index(tmp_path):
    """A two-paragraph corpus and its index."""
    return small_settings(tmp_path, KEEP, build=True)


def _drop_file_override() -> None:
    """In the child: give up root's power to ignore file permissions (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH)."""
    libc = ctypes.CDLL(None, use_errno=True)
    for cap in (1, 2):
        if libc.prctl(24, cap, 0, 0, 0) != 0:  # PR_CAPBSET_DROP: the capability is gone after exec
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP) failed")


def _search_without_access(settings: Settings) -> subprocess.CompletedProcess:
    env = child_env(ASSISTANT_CORPUS_DIR=str(settings.corpus_dir), ASSISTANT_INDEX_DIR=str(settings.index_dir))
    cmd = [sys.executable, "-m", "assistant", "search", "naloxone"]
    drop = _drop_file_override if os.geteuid() == 0 else None
    return subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=300, preexec_fn=drop)


def test_unreadable_index_is_a_permission_problem_not_corruption(tiny_index):
    chroma = next(tiny_index.index_dir.glob("chroma-*"))
    os.chmod(chroma, 0o000)
    try:
        out = _search_without_access(tiny_index)
    finally:
        os.chmod(chroma, 0o755)
    assert out.returncode == 1, out.stderr
    assert "permission denied" in out.stderr and "not damaged" in out.stderr
    assert "Traceback" not in out.stderr and "--rebuild" not in out.stderr
    # The same index, readable again, opens: nothing was damaged or rebuilt.
    open_index(tiny_index).close()


def test_corrupt_index_is_reported_as_corrupt(tiny_index):
    for f in tiny_index.index_dir.glob("chroma-*/*.sqlite3"):
        f.write_bytes(b"garbage" * 500)
    with pytest.raises(IndexCorrupt, match="--rebuild"):
        open_index(tiny_index).count()


def test_unreadable_error_is_not_a_corrupt_error():
    assert not issubclass(IndexUnreadable, IndexCorrupt)
