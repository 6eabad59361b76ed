"""The corpus-level CLI: show, crosswalk, corpus-check, with human references and clear errors."""

import json
import os
import subprocess
import sys

import pytest

pytestmark = pytest.mark.usefixtures("full_index")  # the session's private index of the full corpus

ENV = dict(os.environ, HF_HUB_OFFLINE="1")


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "assistant", *args], capture_output=True, text=True, env=ENV, timeout=120)


def test_show_json_resolves_human_form():
    out = run("show", "OD 1 (m)", "--format", "json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["id"] == "UNGASS2016:1.m" and "naloxone" in data["text"]
    assert data["citation"] == "2016 Outcome Document, para. 1 (m)"
    assert data["crosswalk"]["new_in_2016"] is True


def test_show_text_has_chapeau_and_links():
    out = run("show", "PoA 51(c)(iv)")
    assert out.returncode == 0
    assert "2009 Plan of Action, para. 51 (c) (iv)" in out.stdout
    assert "Implementing effective detection" in out.stdout  # its chapeau, 51 (c)
    assert "UNGASS2016:3.r" in out.stdout


def test_crosswalk_json_both_directions():
    fwd = json.loads(run("crosswalk", "1(b)", "--format", "json").stdout)
    assert fwd["id"] == "UNGASS2016:1.b" and fwd["new_in_2016"] is False
    assert {l["target"] for l in fwd["links"]} == {"PoA2009:12.c", "PoA2009:8.c", "PoA2009:4.a", "PoA2009:4.g", "PoA2009:6.c"}
    assert all(l["confidence"] in {"exact", "repaired", "ambiguous"} for l in fwd["links"])
    back = json.loads(run("crosswalk", "Action 12.c", "--format", "json").stdout)
    assert "UNGASS2016:1.b" in {l["target"] for l in back["links"]}


@pytest.mark.parametrize("ref", ["1(zz)", "PoA 99", "", "   ", "DROP TABLE paragraphs"])
def test_unknown_or_malformed_reference_exits_2_with_suggestions(ref):
    out = run("show", ref)
    assert out.returncode == 2
    assert "Error:" in out.stderr and "Traceback" not in out.stderr


def test_unknown_reference_suggests_closest():
    out = run("crosswalk", "1(zz)")
    assert out.returncode == 2 and "UNGASS2016:1." in out.stderr


def test_corpus_check_passes_and_reports_coverage():
    out = run("corpus-check")
    assert out.returncode == 0, out.stdout
    assert "0 unexplained" in out.stdout and "PP6" in out.stdout


def test_search_json_and_query_named_filter():
    out = run("search", "what did we commit on naloxone?", "--top-k", "5", "--format", "json")
    assert out.returncode == 0, out.stderr
    hits = json.loads(out.stdout)
    assert len(hits) == 5 and {"id", "score", "text"} <= set(hits[0])
    assert "UNGASS2016:1.m" in [h["id"] for h in hits]
    scoped = json.loads(run("search", "alternative development in 2014", "--format", "json").stdout)
    assert scoped and all(h["id"].startswith("JMS2014:") for h in scoped)
    only = json.loads(run("search", "prisons", "--doc", "PoA2009", "--format", "json").stdout)
    assert only and all(h["id"].startswith("PoA2009:") for h in only)


def test_search_rejects_empty_and_truncates_long_queries():
    empty = run("search", "   ")
    assert empty.returncode == 2 and "empty" in empty.stderr
    long = run("search", "treatment in prisons " * 200, "--top-k", "3", "--format", "json")
    assert long.returncode == 0 and "shortened to its first 2000" in long.stderr
    assert len(json.loads(long.stdout)) == 3


def test_ask_prints_the_same_answer_in_every_format():
    data = json.loads(run("ask", "what did we commit on naloxone?", "--format", "json").stdout)
    assert data["quotes"][0]["id"] == "UNGASS2016:1.m" and data["found"]
    text = run("ask", "what did we commit on naloxone?").stdout
    md = run("ask", "what did we commit on naloxone?", "--format", "markdown").stdout
    assert data["lead"] in text and "2016 Outcome Document, para. 1 (m)" in text
    assert "**2016 Outcome Document, para. 1 (m)**" in md and "`UNGASS2016:1.m`" in md


def test_show_gives_counterparts_for_every_document_including_2014():
    data = json.loads(run("show", "JMS B.24", "--format", "json").stdout)
    groups = {g["group"]: g for g in data["counterparts"]}
    assert "Suggested (no official table)" in groups
    entries = groups["Suggested (no official table)"]["entries"]
    assert any(e["id"] == "UNGASS2016:3.k" and e["evidence"].startswith("shares “") for e in entries)
    assert all(e["compare"] for e in entries)
    text = run("show", "3(o)").stdout
    assert "Repeats the 2009 wording:" in text and "compare: assistant compare PoA2009:51 UNGASS2016:3.o" in text


def test_crosswalk_json_gives_every_link_a_relation_and_compare_works():
    view = json.loads(run("crosswalk", "3(k)", "--format", "json").stdout)
    assert view["links"] and all(l["relation"] in {"same wording", "adapted", "related", "unresolved"} for l in view["links"])
    out = run("compare", "PoA 51", "3(o)", "--format", "json")
    data = json.loads(out.stdout)
    assert data["relation"] == "same wording"
    assert "".join(o["text"] for o in data["ops"] if o["op"] != "insert") == data["a"]["text"]
