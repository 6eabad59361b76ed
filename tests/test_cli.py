"""The corpus-level CLI: show, crosswalk, corpus-check, with human references and clear errors."""

import json
import os
import re
import subprocess
import sys

import pytest

pytestmark = pytest.mark.usefixtures("full_index")  # the session's private index of the full corpus

ENV = dict(os.environ, HF_HUB_OFFLINE="1")


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "assistant", *args], capture_output=True, text=True, env=ENV, timeout=120)


@pytest.mark.slow  # fresh `assistant` processes: end to end, in `make test`
def test_show_json_resolves_human_form():
    out = run("show", "OD 1 (m)", "--format", "json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["id"] == "UNGASS2016:1.m" and "naloxone" in data["text"]
    assert data["citation"] == "2016 Outcome Document, para. 1 (m)"
    assert data["crosswalk"]["new_in_2016"] is True


@pytest.mark.slow  # fresh `assistant` processes: end to end, in `make test`
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


@pytest.mark.slow  # several fresh `assistant` processes: end to end, in `make test`
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


@pytest.mark.slow  # fresh `assistant` processes: end to end, in `make test`
def test_search_rejects_empty_and_truncates_long_queries():
    empty = run("search", "   ")
    assert empty.returncode == 2 and "empty" in empty.stderr
    long = run("search", "treatment in prisons " * 200, "--top-k", "3", "--format", "json")
    assert long.returncode == 0 and "shortened to its first 2000" in long.stderr
    assert len(json.loads(long.stdout)) == 3


@pytest.mark.slow  # several fresh `assistant` processes: end to end, in `make test`
def test_ask_prints_the_same_answer_in_every_format():
    data = json.loads(run("ask", "what did we commit on naloxone?", "--format", "json").stdout)
    assert data["quotes"][0]["id"] == "UNGASS2016:1.m" and data["found"]
    text = run("ask", "what did we commit on naloxone?").stdout
    md = run("ask", "what did we commit on naloxone?", "--format", "markdown").stdout
    assert data["lead"] in text and "2016 Outcome Document, para. 1 (m)" in text
    assert "**2016 Outcome Document, para. 1 (m)**" in md and "`UNGASS2016:1.m`" in md


@pytest.mark.slow  # several fresh `assistant` processes: end to end, in `make test`
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


# -- exports: `ask --format markdown|docx --output FILE`, citation forms, bad outputs ---------------------------

NALOXONE = "what did we commit on naloxone?"
FULL_1M = "2016 Outcome Document (A/RES/S-30/1, annex), para. 1 (m)"
_CITED = re.compile(r"^(?P<citation>.+)  \[(?P<id>[A-Za-z0-9]+:[A-Za-z0-9.]+)\](  \(not negotiated text\))?$")


def _corpus():
    from assistant.config import Settings
    from assistant.corpus.load import load_corpus

    return load_corpus(Settings.from_env())


def _docx_quotes(path) -> list[tuple[str, str, list, object]]:
    """(id, citation, chapeau paragraphs, quote paragraph) for every quote of an exported answer."""
    from docx import Document

    paragraphs = Document(str(path)).paragraphs
    corpus = _corpus()
    out = []
    for i, p in enumerate(paragraphs):
        m = _CITED.match(p.text)
        if m and p.style.name == "Normal":
            n = len(corpus.ancestors(m["id"]))
            out.append((m["id"], m["citation"], paragraphs[i + 1 : i + 1 + n], paragraphs[i + 1 + n]))
    return out


def _check_docx_quotes(path, citation_prefix: str = "") -> list[tuple]:
    from assistant.present.labels import item_label

    corpus = _corpus()
    quotes = _docx_quotes(path)
    assert quotes
    for pid, citation, chapeaus, body in quotes:
        label = item_label(pid)
        text = corpus.get(pid).text
        assert body.style.name == "Quote"
        assert body.text == (f"{label} {text}" if label else text), pid  # letter, space, canonical text
        assert body.text[len(label) + 1 if label else 0 :] == text  # character for character
        assert [c.text for c in chapeaus] == [
            (f"{item_label(a.id)} {a.text}" if item_label(a.id) else a.text) + " …" for a in corpus.ancestors(pid)
        ]
        assert citation.startswith(citation_prefix) or not pid.startswith("UNGASS2016"), citation
    return quotes


@pytest.mark.slow  # several fresh `assistant` processes: end to end, in `make test`
def test_ask_exports_a_word_file_whose_quotes_are_the_canonical_text(tmp_path):
    target = tmp_path / "answer.docx"
    out = run("ask", NALOXONE, "--format", "docx", "--output", str(target))
    assert out.returncode == 0, out.stderr
    assert out.stdout == "" and target.stat().st_size > 0
    quotes = _check_docx_quotes(target)
    (m,) = [q for q in quotes if q[0] == "UNGASS2016:1.m"]
    assert m[1] == "2016 Outcome Document, para. 1 (m)" and m[3].text.startswith("(m) Promote the inclusion")
    assert not any(r.bold for q in quotes for r in q[3].runs), "no bold inside exported quotes by default"

    marked = tmp_path / "marked.docx"
    out = run("ask", NALOXONE, "--format", "docx", "--output", str(marked), "--mark-operative", "--citation", "full")
    assert out.returncode == 0, out.stderr
    quotes = _check_docx_quotes(marked, "2016 Outcome Document (A/RES/S-30/1, annex), ")
    (m,) = [q for q in quotes if q[0] == "UNGASS2016:1.m"]
    p = _corpus().get("UNGASS2016:1.m")
    assert m[1] == FULL_1M and [r.text for r in m[3].runs if r.bold] == [p.text[a:b] for a, b in p.operative_spans]


@pytest.mark.slow  # several fresh `assistant` processes: end to end, in `make test`
def test_ask_exports_markdown_to_a_file_or_the_terminal(tmp_path):
    target = tmp_path / "answer.md"
    out = run("ask", NALOXONE, "--format", "markdown", "--output", str(target), "--citation", "full")
    assert out.returncode == 0, out.stderr
    assert out.stdout == ""
    md = target.read_text(encoding="utf-8")
    text = _corpus().get("UNGASS2016:1.m").text
    quotes = [line for line in md.split("\n") if line.startswith("> ")]
    assert quotes and not any("**" in line for line in quotes)
    assert any(line.endswith(f"(m) {text}") for line in quotes)
    assert f"“{text}” ({FULL_1M})" in md and f"**{FULL_1M}**" in md
    marked = run("ask", NALOXONE, "--format", "markdown", "--mark-operative").stdout
    verb = "**Promote the inclusion**"  # the operative span of 1 (m)
    assert any(verb in line for line in marked.split("\n") if line.startswith("> ")) and verb not in md


@pytest.mark.slow  # several fresh `assistant` processes: end to end, in `make test`
def test_ask_text_carries_the_block_to_paste_and_env_sets_the_form():
    text = _corpus().get("UNGASS2016:1.m").text
    out = subprocess.run([sys.executable, "-m", "assistant", "ask", NALOXONE], capture_output=True, text=True,
                         env=dict(ENV, ASSISTANT_CITATION="full"), timeout=120)
    assert out.returncode == 0, out.stderr
    assert f"To paste: “{text}” ({FULL_1M})" in out.stdout
    show = json.loads(run("show", "1(m)", "--format", "json", "--citation", "full").stdout)
    assert show["citation"] == FULL_1M and show["paste"] == f"“{text}” ({FULL_1M})"


@pytest.mark.parametrize("args, words", [
    (("--format", "docx"), "--output"),
    (("--format", "docx", "--output", "{tmp}/missing-dir/answer.docx"), "Cannot write"),
    (("--format", "markdown", "--output", "{tmp}"), "Cannot write"),
    (("--citation", "long"), "long"),
])
def test_ask_export_bad_outputs_exit_2_without_a_traceback(tmp_path, args, words):
    out = run("ask", NALOXONE, *(a.replace("{tmp}", str(tmp_path)) for a in args))
    assert out.returncode == 2, (out.returncode, out.stderr)
    assert words in out.stderr and "Traceback" not in out.stderr
    assert not (tmp_path / "missing-dir").exists()


def test_a_bad_citation_setting_exits_2():
    out = subprocess.run([sys.executable, "-m", "assistant", "show", "1(m)"], capture_output=True, text=True,
                         env=dict(ENV, ASSISTANT_CITATION="longest"), timeout=120)
    assert out.returncode == 2 and "ASSISTANT_CITATION" in out.stderr and "Traceback" not in out.stderr


@pytest.mark.slow  # fresh `assistant` processes: end to end, in `make test`
def test_eval_scores_several_question_sets_together(tmp_path):
    a, b = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    a.write_text('{"id": "A1", "q": "naloxone", "type": "everyday", "lang": "en", "gold": ["UNGASS2016:1.m"], "split": "tune"}\n')
    b.write_text('{"id": "B1", "q": "know your customer", "type": "drafting", "lang": "en", "gold": ["PoA2009:51.b"], "split": "tune"}\n')
    out = run("eval", "--questions", str(a), "--questions", str(b), "--split", "tune", "--format", "json")
    assert out.returncode == 0, out.stderr
    cell = next(c for c in json.loads(out.stdout)["cells"] if c["type"] == "all" and c["method"] == "hybrid")
    assert cell["questions"] == 2
    b.write_text(a.read_text())  # the same IDs twice: refused, not counted twice
    out = run("eval", "--questions", str(a), "--questions", str(b), "--split", "tune")
    assert out.returncode == 2 and "share question IDs" in out.stderr
