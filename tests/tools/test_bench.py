"""`assistant bench`'s add/remove line: real `assistant` processes on copies, the measured index never written."""

import pytest
from helpers import small_settings

from assistant.corpus.load import load_corpus
from assistant.retrieval.index import read_manifest
from assistant.tools.bench import BenchReport, format_bench_text, ingest_bench

KEEP = ["UNGASS2016:1", "UNGASS2016:1.m", "PoA2009:51", "PoA2009:51.c", "PoA2009:51.c.iv"]


@pytest.mark.slow
def test_ingest_bench_adds_incrementally_on_copies(tmp_path):
    settings = small_settings(tmp_path, KEEP, build=True)
    manifest = read_manifest(settings)
    result = ingest_bench(settings, paragraphs=10)
    assert result.paragraphs == 10 and result.index == "updated"  # the add embedded its own units only
    assert 0 < result.add_s < result.rebuild_s and result.remove_s > 0
    assert read_manifest(settings) == manifest and not settings.added_dir.exists()  # the copies took the writes
    assert {p.id for p in load_corpus(settings)} == set(KEEP)
    report = BenchReport(5, 5, 1.0, 0.001, 0.1, (), 100.0, ingest=result)
    line = format_bench_text(report).splitlines()[-3]
    assert line.startswith("Add a 10-paragraph text document: ") and "(index updated)" in line and "full rebuild" in line
