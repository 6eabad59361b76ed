"""`assistant check` run as a real process: every format, standard input, added documents, and every bad input
(exit 2, one clear line, no traceback, nothing written). No search index is needed or created."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from docx import Document
from docx.enum.text import WD_COLOR_INDEX

from assistant.config import Settings, child_env

CITE_1M = "2016 Outcome Document, para. 1 (m)"


def run(tmp_path: Path, *args: str, stdin: bytes | None = None, **env: str) -> subprocess.CompletedProcess:
    # A private, absent index directory: the checker must neither need nor create one.
    env = child_env(ASSISTANT_INDEX_DIR=str(tmp_path / "no-index"), **env)
    out = subprocess.run(
        [sys.executable, "-m", "assistant", "check", *args], input=stdin, capture_output=True, env=env, timeout=120,
    )
    assert not (tmp_path / "no-index").exists()
    return out


@pytest.fixture(scope="module")
def texts(corpus) -> dict[str, str]:
    jms = corpus.get("JMS2014:B.29").text
    near = "We urge all" + jms[len("Encourage") : jms.index(", which is used")].replace("tramadol", "fentanyl")
    return {
        "exact": corpus.get("UNGASS2016:1.m").text.rstrip(";"),
        "near": near,
        "new": "We also propose a blue-sky fund for Ruritanian river dolphins",
    }


@pytest.fixture()
def draft(tmp_path, texts) -> Path:
    path = tmp_path / "statement.txt"
    path.write_text(f"Mr. Chair,\n\n{texts['near']}.\n\nWe will {texts['exact']}. {texts['new']}.\n", encoding="utf-8")
    return path


def errors_cleanly(out: subprocess.CompletedProcess, words: str) -> None:
    err = out.stderr.decode("utf-8")
    assert out.returncode == 2, err
    assert err.startswith("Error: ") and err.count("\n") == 1, err
    assert words in err, err
    assert "Traceback" not in err and not out.stdout


def test_text_output_has_summary_statuses_citations_and_wording(tmp_path, draft, texts):
    out = run(tmp_path, str(draft))
    assert out.returncode == 0, out.stderr
    text = out.stdout.decode("utf-8")
    summary = text.splitlines()[0]
    assert "of the draft" in summary and "agreed language" in summary and "draws on 2 documents" in summary
    assert f"[agreed] {texts['exact']}" in text
    assert f"{CITE_1M}  [UNGASS2016:1.m]" in text and f"agreed: “{texts['exact']}”" in text
    assert "[near] We urge all Member States" in text
    assert "changed: “Encourage” → “We urge all”; “tramadol” → “fentanyl”" in text
    assert f"[new] . {texts['new']}." in text


def test_json_from_standard_input(tmp_path, draft, texts, corpus):
    text = draft.read_text(encoding="utf-8")
    out = run(tmp_path, "-", "--format", "json", stdin=text.encode("utf-8"))
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    spans = data["spans"]
    assert "".join(s["text"] for s in spans) == text
    assert all(text[s["start"] : s["end"]] == s["text"] for s in spans)
    by_status = {s["status"]: s for s in spans if s["words"]}
    assert set(by_status) == {"agreed", "near", "new"}
    agreed, near = by_status["agreed"], by_status["near"]
    assert agreed["citations"] == ["UNGASS2016:1.m"] and agreed["source_text"] == texts["exact"]
    assert "diff" not in agreed
    assert near["citations"] == ["JMS2014:B.29"]
    assert near["source_text"] in corpus.get("JMS2014:B.29").text
    assert {"op": "replace", "draft": "We urge all", "agreed": "Encourage"} in near["diff"]
    assert {d["key"] for d in data["documents"]} == {"UNGASS2016", "JMS2014"}
    assert data["summary"]["agreed"]["words"] == agreed["words"]


def test_markdown_highlights_runs_with_footnotes(tmp_path, draft, texts):
    out = run(tmp_path, str(draft), "--format", "markdown")
    assert out.returncode == 0, out.stderr
    md = out.stdout.decode("utf-8")
    assert "**" + texts["exact"] + "**[^2]" in md
    assert "*We urge all Member States" in md
    assert f"[^2]: Agreed: {CITE_1M} `UNGASS2016:1.m`. “{texts['exact']}”" in md
    assert "[^1]: Near-agreed: 2014 Joint Ministerial Statement, sect. B, para. 29" in md
    assert "~~Encourage~~ → **We urge all**" in md


def test_docx_highlights_runs_and_footnotes_cite_the_agreed_text(tmp_path, draft, texts, corpus):
    target = tmp_path / "check.docx"
    out = run(tmp_path, str(draft), "--format", "docx", "--output", str(target))
    assert out.returncode == 0, out.stderr.decode()
    assert not out.stdout
    doc = Document(str(target))
    highlighted = {
        r.font.highlight_color: r.text for p in doc.paragraphs for r in p.runs if r.font.highlight_color is not None
    }
    assert highlighted[WD_COLOR_INDEX.BRIGHT_GREEN] == texts["exact"]
    assert highlighted[WD_COLOR_INDEX.YELLOW] == texts["near"]
    assert sum(p._p.xml.count("w:footnoteReference") for p in doc.paragraphs) == 2
    with zipfile.ZipFile(target) as z:
        notes = Document(io.BytesIO(target.read_bytes())).part.package  # the package opens cleanly
        footnotes = z.read("word/footnotes.xml").decode("utf-8")
    assert notes is not None
    assert f"Agreed language: {CITE_1M}  [UNGASS2016:1.m]. “{texts['exact']}”" in footnotes
    jms = corpus.get("JMS2014:B.29").text
    assert f"Agreed text: “{jms[: jms.index(', which is used')]}”" in footnotes


def test_text_to_output_file(tmp_path, draft):
    target = tmp_path / "check.txt"
    out = run(tmp_path, str(draft), "--output", str(target))
    assert out.returncode == 0 and not out.stdout
    assert "[agreed]" in target.read_text(encoding="utf-8")


def test_docx_draft_is_read(tmp_path, texts):
    doc = Document()
    doc.add_paragraph("Mr. Chair,")
    doc.add_paragraph(f"We will {texts['exact']}.")
    path = tmp_path / "statement.docx"
    doc.save(str(path))
    out = run(tmp_path, str(path), "--format", "json")
    assert out.returncode == 0, out.stderr
    spans = json.loads(out.stdout)["spans"]
    assert [s["citations"] for s in spans if s["status"] == "agreed"] == [["UNGASS2016:1.m"]]


def test_added_documents_are_cited(tmp_path):
    real = Settings.from_env()
    corpus_dir = tmp_path / "corpus"
    (corpus_dir / "added").mkdir(parents=True)
    shutil.copy(real.paragraphs_path, corpus_dir / "paragraphs.jsonl")
    text = "Ministers pledge to establish a regional observatory on synthetic drug markets by 2025."
    row = {
        "id": "MD2019:1", "doc": "MD2019", "kind": "operative", "heading": ["Ministerial Declaration"], "text": text,
        "is_commitment": False, "negotiated": True, "operative_spans": [], "source": {"file": "md.txt", "lines": [1, 1]},
        "citation": "2019 Ministerial Declaration, para. 1",
    }
    (corpus_dir / "added" / "MD2019.jsonl").write_text(json.dumps(row) + "\n", encoding="utf-8")
    meta = {"key": "MD2019", "title": "Ministerial Declaration", "year": 2019, "short": "2019 Ministerial Declaration"}
    (corpus_dir / "added" / "MD2019.json").write_text(json.dumps(meta), encoding="utf-8")
    draft = b"We recall that ministers pledge to establish a regional observatory on synthetic drug markets."
    out = run(tmp_path, "-", stdin=draft, ASSISTANT_CORPUS_DIR=str(corpus_dir))
    assert out.returncode == 0, out.stderr
    assert "2019 Ministerial Declaration, para. 1  [MD2019:1]" in out.stdout.decode("utf-8")
    assert "draws on 1 document (2019 Ministerial Declaration)" in out.stdout.decode("utf-8")


# -- bad input --------------------------------------------------------------------------------


BAD_FILES = {
    "empty": ("draft.txt", b"", "empty"),
    "blank": ("draft.txt", b" \n\t\n", "empty"),
    "over 200 kB": ("draft.txt", b"word " * 40_001, "too large"),
    "binary": ("draft.txt", bytes(range(256)) * 8, "not text"),
    "docx not a zip": ("draft.docx", b"Mr. Chair, this is plain text.", "not a zip"),
    "wrong extension": ("draft.pdf", b"%PDF-1.4 ...", "Unsupported file type"),
}


@pytest.mark.parametrize("case", list(BAD_FILES))
def test_bad_files_exit_2_with_one_line_and_write_nothing(tmp_path, case):
    name, data, words = BAD_FILES[case]
    path = tmp_path / name
    path.write_bytes(data)
    target = tmp_path / "out.docx"
    errors_cleanly(run(tmp_path, str(path)), words)
    errors_cleanly(run(tmp_path, str(path), "--format", "docx", "--output", str(target)), words)
    assert not target.exists()


def test_docx_with_no_text(tmp_path):
    path = tmp_path / "empty.docx"
    Document().save(str(path))
    errors_cleanly(run(tmp_path, str(path)), "no text")


def test_missing_file_and_empty_standard_input(tmp_path):
    errors_cleanly(run(tmp_path, str(tmp_path / "nowhere.txt")), "not found")
    errors_cleanly(run(tmp_path, "-", stdin=b""), "empty")


def test_docx_needs_an_output_file(tmp_path, draft):
    errors_cleanly(run(tmp_path, str(draft), "--format", "docx"), "--output")


def test_unwritable_output(tmp_path, draft):
    errors_cleanly(run(tmp_path, str(draft), "--output", str(tmp_path / "missing-dir" / "out.txt")), "Cannot write")


def test_full_citations_in_the_check_exports(tmp_path, draft):
    out = run(tmp_path, str(draft), "--format", "markdown", "--citation", "full")
    assert out.returncode == 0, out.stderr
    md = out.stdout.decode("utf-8")
    assert "Agreed: 2016 Outcome Document (A/RES/S-30/1, annex), para. 1 (m) `UNGASS2016:1.m`" in md
    assert "Near-agreed: 2014 Joint Ministerial Statement (E/2014/28), sect. B, para. 29" in md
    env = run(tmp_path, str(draft), ASSISTANT_CITATION="full").stdout.decode("utf-8")
    assert "2016 Outcome Document (A/RES/S-30/1, annex), para. 1 (m)  [UNGASS2016:1.m]" in env
