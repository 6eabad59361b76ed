"""Adding documents from real PDF and text files: segmentation, answers, idempotence, replacement, removal, rejection."""

from __future__ import annotations

import io
import json
from datetime import datetime, timezone
import os
import random
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from fpdf import FPDF
from PIL import Image
from streamlit.testing.v1 import AppTest
from pypdf import PdfWriter

from assistant.config import PROJECT_ROOT, Settings
from assistant.corpus.load import load_corpus
from assistant.corpus.documents import Document, cite
from assistant.retrieval import index, store
from assistant.retrieval.embed import Embedder, QueryEncoder
from assistant.errors import DocumentRejected, UnknownParagraph
from assistant.retrieval.index import MANIFEST, ensure_index, open_index, read_manifest
from assistant.ingest import documents
from assistant.ingest.documents import LOCK, MAX_BYTES, add_document, added_documents, remove_document
from assistant.ingest.jobs import AddJob
from assistant.present.escape import escape_md
from helpers import stored_vectors
from assistant.ingest.segment import segment
from assistant.answer.service import Assistant
from assistant.retrieval.units import make_units

pytestmark = pytest.mark.slow

HEADER = "E/CN.7/2019/15"
DECLARATION = [
    [
        HEADER, "Ministerial Declaration", "We, the ministers and government representatives,",
        "1. We commit to scaling up xylazine and fentanyl test strip distribution at music festivals",
        "and in community pharmacies.",
        "2. We resolve to:",
        "(a) Strengthen inter-", "national cooperation on precursor control;",
        "(b) Improve data collection, including:",
        "(i) Annual surveys of drug use among adolescents;",
        "(ii) Wastewater monitoring in large cities, in line with the Single Convention1",
        "1 United Nations, Treaty Series, vol. 520.", "1",
    ],
    [
        HEADER, "and its protocols;", "(c) Support alternative development;",
        "3. We note the <b>bold</b> **claims** at [link](javascript:alert(1)) costing $5 to $10 per dose.", "2",
    ],
    [HEADER, "4. We decide to meet again in 2029.", "3"],
]
IDS = ["MD2019:1", "MD2019:2", "MD2019:2.a", "MD2019:2.b", "MD2019:2.b.i", "MD2019:2.b.ii", "MD2019:2.c", "MD2019:3", "MD2019:4"]
VERSION_2 = (
    "Ministerial Declaration (revised)\n\n"
    "1. We commit to scaling up xylazine test strip distribution in prisons.\n"
    "2. We resolve to:\n(a) Strengthen cooperation on precursor control;\n(b) Support alternative development.\n"
)


FIXED_DATE = datetime(2019, 3, 15, tzinfo=timezone.utc)


def pdf_bytes(pages: list[list[str]]) -> bytes:
    """The same pages always give the same bytes (a fixed creation date), like re-sending one file."""
    pdf = FPDF()
    pdf.set_creation_date(FIXED_DATE)
    pdf.set_font("Helvetica", size=11)
    for lines in pages:
        pdf.add_page()
        for line in lines:
            pdf.cell(text=line, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def image_only_pdf() -> bytes:
    pdf = FPDF()
    pdf.add_page()
    img = Image.new("RGB", (200, 100), "white")
    for x in range(20, 180):
        img.putpixel((x, 50), (0, 0, 0))
    pdf.image(img, x=10, y=10, w=100)
    return bytes(pdf.output())


def encrypted_pdf() -> bytes:
    writer = PdfWriter(clone_from=io.BytesIO(pdf_bytes(DECLARATION)))
    writer.encrypt(user_password="secret", owner_password="owner")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    """A temp copy of the project corpus (cut to the first 2016 paragraphs, so each rebuild takes seconds) and index."""
    root = tmp_path_factory.mktemp("ingest")
    shutil.copytree(PROJECT_ROOT / "corpus", root / "corpus", ignore=shutil.ignore_patterns("added"))
    rows = (root / "corpus" / "paragraphs.jsonl").read_text(encoding="utf-8").splitlines()
    keep = [r for r in rows if json.loads(r)["id"].split(":")[1].split(".")[0] in ("1", "2")]
    (root / "corpus" / "paragraphs.jsonl").write_text("".join(r + "\n" for r in keep), encoding="utf-8")
    settings = Settings.from_env(corpus_dir=root / "corpus", index_dir=root / "index", chroma_host=None)
    embedder = Embedder(settings)
    ensure_index(settings, load_corpus(settings), embedder, progress=False)
    files = root / "files"
    files.mkdir()
    return settings, embedder, files


def write(files: Path, name: str, data: bytes | str) -> Path:
    path = files / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def store_ids(settings) -> set[str]:
    vs = open_index(settings)
    try:
        return set(vs.ids())
    finally:
        vs.close()


def expected_ids(settings) -> set[str]:
    return {u.id for u in make_units(load_corpus(settings))}


def ensure_v1(settings, embedder, files):
    return add_document(settings, write(files, "md2019.pdf", pdf_bytes(DECLARATION)), "MD2019", "Ministerial Declaration", 2019, embedder)


def test_segment_rules_without_an_index():
    letters = "\n".join(f"({c}) item {c};" for c in "abcdefghij")
    text = (
        "Preamble, not quoted.\n1. We:\n" + letters + "\n2. Measures:\n(i) first;\n(ii) second, and (see below)\n"
        "(c) in running text;\nII. Follow-up\n3. Member States1 text and COVID-19 figures.\nMore of 3."
    )
    parsed = {p.id: p for p in segment([text], "T2020", "t.txt")}
    assert list(parsed) == ["T2020:1", *(f"T2020:1.{c}" for c in "abcdefghij"), "T2020:2", "T2020:2.i", "T2020:2.ii", "T2020:3"]
    assert parsed["T2020:1.i"].text == "item i;"  # the ninth letter: (h) does not end with a colon
    assert parsed["T2020:2.ii"].text == "second, and (see below) (c) in running text;"  # the heading ends it
    assert parsed["T2020:3"].heading == ("II. Follow-up",)
    # No footnote text for "1": the digit is text, kept verbatim.
    assert parsed["T2020:3"].text == "Member States1 text and COVID-19 figures. More of 3."


def test_add_segments_cites_and_answers(env):
    settings, embedder, files = env
    report = ensure_v1(settings, embedder, files)
    assert (report.action, report.paragraphs, report.index) == ("added", len(IDS), "updated")
    corpus = load_corpus(settings)
    assert [p.id for p in corpus.by_doc("MD2019")] == IDS
    get = {p.id: p for p in corpus.by_doc("MD2019")}
    assert get["MD2019:2"].kind == "chapeau" and get["MD2019:2.b.i"].kind == "sub-item"
    # Line-break hyphen repaired, footnote marker and footnote text, page numbers and running header dropped,
    # and the sub-item joined across the page break.
    assert get["MD2019:2.a"].text == "Strengthen international cooperation on precursor control;"
    assert get["MD2019:2.b.ii"].text == "Wastewater monitoring in large cities, in line with the Single Convention and its protocols;"
    assert get["MD2019:4"].text == "We decide to meet again in 2029."
    assert get["MD2019:3"].text == "We note the <b>bold</b> **claims** at [link](javascript:alert(1)) costing $5 to $10 per dose."
    assert get["MD2019:2.b.i"].citation == "2019 Ministerial Declaration, para. 2 (b) (i)"
    assert cite("MD2019:3.b", Document("MD2019", "Ministerial Declaration", 2019, "2019 Ministerial Declaration", False)) == (
        "2019 Ministerial Declaration, para. 3 (b)"
    )
    meta = json.loads((settings.added_dir / "MD2019.json").read_text(encoding="utf-8"))
    assert meta["sha256"] == report.sha256 and meta["short"] == "2019 Ministerial Declaration"
    assert store_ids(settings) == expected_ids(settings)

    bot = Assistant.load(settings)
    answer = bot.ask("xylazine test strips at music festivals").answer
    assert answer.quotes[0].id == "MD2019:1" and answer.quotes[0].citation == "2019 Ministerial Declaration, para. 1"
    assert bot.show("MD2019 2(b)(ii)").id == "MD2019:2.b.ii"
    assert bot.show("MD2019:3").text == get["MD2019:3"].text
    with pytest.raises(UnknownParagraph):
        bot.show("MD2019:9")

    page = AppTest.from_file(str(PROJECT_ROOT / "app_pages" / "add.py"), default_timeout=60)
    page.session_state["assistant"] = bot
    page.run()
    assert not page.exception and not page.error
    assert any("2019 Ministerial Declaration" in m.value and "9 paragraphs" in m.value for m in page.markdown)
    page.button[0].click().run()  # the form's Add button, with no file chosen
    assert [e.value for e in page.error] == ["Choose a file to add."]


def test_adding_the_same_file_again_changes_nothing(env):
    settings, embedder, files = env
    ensure_v1(settings, embedder, files)
    before = {p.name: p.read_bytes() for p in settings.added_dir.iterdir()}
    manifest = (settings.index_dir / MANIFEST).read_bytes()
    report = ensure_v1(settings, embedder, files)
    assert (report.action, report.index) == ("unchanged", "noop")
    assert {p.name: p.read_bytes() for p in settings.added_dir.iterdir()} == before
    assert (settings.index_dir / MANIFEST).read_bytes() == manifest


def test_new_version_replaces_paragraphs_without_orphans(env):
    settings, embedder, files = env
    ensure_v1(settings, embedder, files)
    report = add_document(settings, write(files, "md2019-rev.txt", VERSION_2), "MD2019", "Ministerial Declaration", 2019, embedder)
    assert (report.action, report.paragraphs, report.index) == ("replaced", 4, "updated")
    corpus = load_corpus(settings)
    assert [p.id for p in corpus.by_doc("MD2019")] == ["MD2019:1", "MD2019:2", "MD2019:2.a", "MD2019:2.b"]
    assert corpus.get("MD2019:2.b").text == "Support alternative development."
    ids = store_ids(settings)
    assert ids == expected_ids(settings)
    assert not {i for i in ids if i.startswith(("MD2019:3", "MD2019:4", "MD2019:2.c", "MD2019:2.b."))}
    # The served generation and the one before it (readers that opened it keep working); no older ones.
    assert read_manifest(settings).location in {p.name for p in settings.index_dir.glob("chroma-*")}
    assert len(list(settings.index_dir.glob("chroma-*"))) == 2 and not list(settings.index_dir.glob(".build-*"))


def test_remove_takes_it_out_of_corpus_and_index(env):
    settings, embedder, files = env
    if not any(d.key == "MD2019" for d in added_documents(settings)):
        ensure_v1(settings, embedder, files)
    report = remove_document(settings, "MD2019", embedder)
    assert report.index == "updated"
    assert not load_corpus(settings).by_doc("MD2019")
    assert not list(settings.added_dir.glob("MD2019*"))
    ids = store_ids(settings)
    assert ids == expected_ids(settings) and not any(i.startswith("MD2019:") for i in ids)
    with pytest.raises(DocumentRejected, match="No added document"):
        remove_document(settings, "MD2019", embedder)
    with pytest.raises(DocumentRejected, match="built-in"):
        remove_document(settings, "UNGASS2016", embedder)


def sparse(files: Path, name: str, size: int) -> Path:
    path = files / name
    with path.open("wb") as fh:
        fh.write(b"%PDF-1.4\n")
        fh.truncate(size)
    return path


BAD = {
    "empty": (lambda f: write(f, "empty.pdf", b""), "empty"),
    "blank text": (lambda f: write(f, "blank.txt", " \n\t\n"), "empty"),
    "truncated": (lambda f: write(f, "cut.pdf", pdf_bytes(DECLARATION)[:700]), "truncated"),
    "random bytes": (lambda f: write(f, "noise.pdf", random.Random(1).randbytes(4096)), "not a PDF"),
    "random bytes with a PDF header": (
        lambda f: write(f, "fake.pdf", b"%PDF-1.7\n" + random.Random(2).randbytes(4096) + b"\n%%EOF\n"),
        "PDF was rejected|could not be read",
    ),
    "random text": (lambda f: write(f, "noise.txt", random.Random(3).randbytes(4096)), "not (valid UTF-8|text)"),
    "encrypted": (lambda f: write(f, "locked.pdf", encrypted_pdf()), "encrypted"),
    "image only": (lambda f: write(f, "scan.pdf", image_only_pdf()), "scanned or image-only"),
    "too many bytes": (lambda f: sparse(f, "huge.pdf", MAX_BYTES + 1), "too large"),
    "too many pages": (lambda f: write(f, "long.pdf", pdf_bytes([["Page"]] * 301)), "too many pages: 301"),
    "no numbered paragraphs": (
        lambda f: write(f, "prose.pdf", pdf_bytes([["A report on drugs.", "It has prose but no numbered paragraphs."]])),
        "No numbered paragraphs",
    ),
    "unsupported type": (lambda f: write(f, "memo.docx", b"PK\x03\x04 not really a docx"), "Unsupported file type"),
}


def snapshot(settings) -> tuple[dict, bytes]:
    added = settings.added_dir
    files = {p.name: p.read_bytes() for p in added.iterdir()} if added.is_dir() else {}
    return files, (settings.index_dir / MANIFEST).read_bytes()


@pytest.mark.parametrize("case", list(BAD))
def test_bad_file_is_rejected_and_nothing_changes(env, case):
    settings, embedder, files = env
    make, problem = BAD[case]
    before = snapshot(settings)
    with pytest.raises(DocumentRejected, match=problem):
        add_document(settings, make(files), "BAD2020", "Bad document", 2020, embedder)
    assert snapshot(settings) == before
    assert "BAD2020" not in load_corpus(settings).documents


@pytest.mark.parametrize(
    "key, title, year, problem",
    [
        ("1MD", "T", 2019, "Invalid document key"),
        ("M", "T", 2019, "Invalid document key"),
        ("MD-2019", "T", 2019, "Invalid document key"),
        ("ungass2016", "T", 2019, "reserved"),
        ("PoA", "T", 2019, "reserved"),
        ("MD2019", "  ", 2019, "title"),
        ("MD2019", "T", 19, "Invalid year"),
    ],
)
def test_bad_key_title_or_year_is_rejected(env, key, title, year, problem):
    settings, embedder, files = env
    before = snapshot(settings)
    with pytest.raises(DocumentRejected, match=problem):
        add_document(settings, write(files, "ok.txt", VERSION_2), key, title, year, embedder)
    assert snapshot(settings) == before


@pytest.mark.parametrize(
    "limit, value, problem",
    [("EXTRACT_TIMEOUT", 0.001, "took longer than 0.001 s"), ("MEMORY_LIMIT", 30 * 2**20, "more than 30 MB of memory|reader stopped")],
)
def test_extraction_child_is_stopped_at_its_limits(env, monkeypatch, limit, value, problem):
    """The real child process, with limits lowered so the declaration itself exceeds them."""
    settings, embedder, files = env
    monkeypatch.setattr(documents, limit, value)
    before = snapshot(settings)
    with pytest.raises(DocumentRejected, match=problem):
        add_document(settings, write(files, "limits.pdf", pdf_bytes(DECLARATION)), "LIM2020", "Limits", 2020, embedder)
    assert snapshot(settings) == before


def test_cli_add_and_remove(env):
    settings, embedder, files = env
    cli_env = dict(os.environ, HF_HUB_OFFLINE="1", ASSISTANT_CORPUS_DIR=str(settings.corpus_dir), ASSISTANT_INDEX_DIR=str(settings.index_dir))
    cli_env.pop("CHROMA_HOST", None)

    def run(*args, flags=()):
        out = subprocess.run([sys.executable, *flags, "-m", "assistant", *args], capture_output=True, text=True, env=cli_env, timeout=300)
        assert "Traceback" not in out.stderr, out.stderr
        return out

    doc = write(files, "cli.txt", VERSION_2)
    add = ("add", str(doc), "--doc", "CLI2021", "--title", "CLI Declaration", "--year", "2021", "--format", "json")
    first = run(*add, flags=("-X", "importtime"))
    assert first.returncode == 0, first.stderr
    assert (json.loads(first.stdout)["action"], json.loads(first.stdout)["index"]) == ("added", "updated")
    imported = {line.rsplit("|", 1)[-1].strip().split(".")[0] for line in first.stderr.splitlines() if "|" in line}
    assert "chromadb" in imported and not imported & {"torch", "sentence_transformers"}  # the numpy encoder embeds
    assert json.loads(run(*add).stdout)["action"] == "unchanged"
    shown = run("show", "CLI2021:2.b")
    assert shown.returncode == 0 and "2021 CLI Declaration, para. 2 (b)" in shown.stdout
    bad = run("add", str(write(files, "cli.pdf", b"")), "--doc", "CLI2022", "--title", "T", "--year", "2022")
    assert bad.returncode == 2 and "Error: The file is empty." in bad.stderr
    gone = run("remove", "CLI2021")
    assert gone.returncode == 0 and "removed 4 paragraphs" in gone.stdout
    assert "CLI2021" not in load_corpus(settings).documents


# -- incremental add and remove ------------------------------------------------------------------

TOPICS = [
    "peer outreach in nightlife settings", "wastewater monitoring of synthetic opioids",
    "naloxone distribution by community pharmacies", "drug checking services for young people",
    "alternative sentencing for minor possession offences", "precursor control for nitazene analogues",
    "telemedicine for opioid agonist treatment", "data sharing on drug-related deaths",
    "prevention programmes in secondary schools", "cooperation on maritime interdiction of cocaine",
]
TEN = "Declaration on emerging drug challenges\n\n" + "\n\n".join(
    f"{n}. We commit to strengthening {topic}, in line with the international drug control conventions."
    for n, topic in enumerate(TOPICS, 1)
)


def state(settings) -> tuple:
    """Everything an add or a remove may change: corpus files, manifest, index directories, stored vectors
    (lock files aside: taking a lock creates its file)."""
    added = settings.added_dir
    files = {p.name: p.read_bytes() for p in added.iterdir() if p.name != LOCK} if added.is_dir() else {}
    index = sorted(p.name for p in settings.index_dir.iterdir() if p.name != LOCK)
    stored = {k: v.tobytes() for k, v in stored_vectors(settings).items()}
    return files, (settings.index_dir / MANIFEST).read_bytes(), index, stored


@pytest.fixture
def without_ten(env):
    """Whatever a test leaves behind, the next one starts without TEN2024."""
    yield
    if (env[0].added_dir / "TEN2024.json").exists():
        remove_document(env[0], "TEN2024", QueryEncoder(env[0]))


def test_add_embeds_only_its_units_and_remove_deletes_only_them(env, without_ten):
    settings, embedder, files = env
    encoder = QueryEncoder(settings)
    before = stored_vectors(settings)
    report = add_document(settings, write(files, "ten.txt", TEN), "TEN2024", "Emerging Challenges", 2024, encoder)
    assert (report.action, report.paragraphs, report.index) == ("added", 10, "updated")

    after = stored_vectors(settings)
    new = {u.id: u for u in make_units(load_corpus(settings)) if u.doc == "TEN2024"}
    assert len(new) == 10 and set(after) == set(before) | set(new)
    assert all(np.array_equal(after[i], before[i]) for i in before)  # the other units are untouched
    ids = sorted(new)
    reference = embedder.encode([new[i].embed_text for i in ids])  # sentence-transformers
    assert min(float(after[i] @ reference[k]) for k, i in enumerate(ids)) >= 0.9999
    manifest = read_manifest(settings)
    assert (manifest.corpus, manifest.units) == (load_corpus(settings).digest(), len(after))

    bot = Assistant.load(settings)  # the read-only open accepts the updated manifest
    assert bot.retriever.search("peer outreach in nightlife settings", k=3)[0].id == "TEN2024:1"
    assert bot.retriever.search("nitazene analogues", k=3, method="lexical")[0].id == "TEN2024:6"  # BM25 too
    assert bot.retriever.search("nitazene analogues", k=3, method="dense")[0].id == "TEN2024:6"

    report = remove_document(settings, "TEN2024", encoder)
    assert (report.paragraphs, report.index) == (10, "updated")
    gone = stored_vectors(settings)
    assert set(gone) == set(before) and all(np.array_equal(gone[i], before[i]) for i in before)
    assert read_manifest(settings).corpus == load_corpus(settings).digest()
    assert not any(h.id.startswith("TEN2024") for h in Assistant.load(settings).retriever.search("nitazene analogues", k=10))


class BrokenEncoder(QueryEncoder):
    """Fails on a unit text, as a corrupt text or a model error would, after the index copy exists."""

    def encode(self, texts):
        if any("nitazene" in t for t in texts):
            raise ValueError("cannot encode a unit text")
        return super().encode(texts)


def _fail(exc):
    def raiser(*args, **kwargs):
        raise exc

    return raiser


def _fail_on_metadata(real):
    def write(path, text):
        if path.suffix == ".json":  # after the paragraphs file was written
            raise OSError(28, "No space left on device")
        return real(path, text)

    return write


FAILURES = {
    "encoder": lambda mp: BrokenEncoder,
    "store upsert": lambda mp: mp.setattr(store.VectorStore, "upsert", _fail(OSError(5, "I/O error"))),
    "store delete": lambda mp: mp.setattr(store.VectorStore, "delete", _fail(OSError(5, "I/O error"))),
    "corpus write": lambda mp: mp.setattr(documents, "_atomic_write", _fail_on_metadata(documents._atomic_write)),
    "manifest write": lambda mp: mp.setattr(index, "_atomic_write", _fail(PermissionError(13, "Permission denied"))),
}


@pytest.mark.parametrize("where", ["encoder", "store upsert", "corpus write", "manifest write"])
def test_a_failed_add_leaves_corpus_and_index_as_before(env, without_ten, monkeypatch, where):
    settings, _, files = env
    doc = write(files, "ten.txt", TEN)
    before = state(settings)
    encoder = FAILURES[where](monkeypatch) or QueryEncoder
    with pytest.raises((OSError, ValueError)):
        add_document(settings, doc, "TEN2024", "Emerging Challenges", 2024, encoder(settings))
    monkeypatch.undo()
    assert state(settings) == before
    assert "TEN2024" not in Assistant.load(settings).corpus.documents  # and the index still serves the corpus


@pytest.mark.parametrize("where", ["store delete", "manifest write"])
def test_a_failed_remove_leaves_corpus_and_index_as_before(env, without_ten, monkeypatch, where):
    settings, _, files = env
    add_document(settings, write(files, "ten.txt", TEN), "TEN2024", "Emerging Challenges", 2024, QueryEncoder(settings))
    before = state(settings)
    FAILURES[where](monkeypatch)
    with pytest.raises(OSError):
        remove_document(settings, "TEN2024", QueryEncoder(settings))
    monkeypatch.undo()
    assert state(settings) == before
    assert Assistant.load(settings).retriever.search("nitazene analogues", k=1)[0].id == "TEN2024:6"


def test_the_same_file_under_another_key_is_already_added(env, without_ten):
    settings, _, files = env
    doc = write(files, "ten.txt", TEN)
    add_document(settings, doc, "TEN2024", "Emerging Challenges", 2024, QueryEncoder(settings))
    before = state(settings)
    with pytest.raises(DocumentRejected, match="already added as TEN2024"):
        add_document(settings, doc, "OTHER2024", "Emerging Challenges", 2024, QueryEncoder(settings))
    assert state(settings) == before


def test_an_add_nobody_watches_completes_in_its_thread(env, without_ten):
    """What happens when the user leaves the page: the job is not tied to any page run."""
    settings, _, _ = env
    job = AddJob(settings, TEN.encode(), "../../ten.txt", "TEN2024", "Emerging Challenges", 2024, QueryEncoder(settings)).start()
    job.join(120)
    assert job.done and job.error is None and (job.report.action, job.report.paragraphs) == ("added", 10)
    assert load_corpus(settings).get("TEN2024:1").source.file == "ten.txt"  # no directories from the upload name
    assert Assistant.load(settings).retriever.search("peer outreach in nightlife settings", k=1)[0].id == "TEN2024:1"


def test_add_page_runs_the_add_in_the_background_and_the_next_assistant_has_it(env, without_ten, monkeypatch):
    import streamlit as st

    from assistant.present.resources import shared_assistant

    settings, _, _ = env
    monkeypatch.setenv("ASSISTANT_CORPUS_DIR", str(settings.corpus_dir))
    monkeypatch.setenv("ASSISTANT_INDEX_DIR", str(settings.index_dir))
    st.cache_resource.clear()
    try:
        bot = shared_assistant(settings)
        assert shared_assistant(settings) is bot  # cached: one instance per corpus version
        loads = []
        monkeypatch.setattr(QueryEncoder, "_load", lambda self, real=QueryEncoder._load: loads.append(self) or real(self))
        monkeypatch.setattr(Embedder, "_import_model", _fail(AssertionError("sentence-transformers loaded by the app")))
        page = AppTest.from_file(str(PROJECT_ROOT / "app_pages" / "add.py"), default_timeout=60)
        page.session_state["assistant"] = bot
        page.run()
        page.file_uploader[0].set_value(("ten.txt", TEN.encode(), "text/plain"))
        page.text_input[0].set_value("TEN2024")
        page.text_input[1].set_value("Emerging Challenges")
        page.number_input[0].set_value(2024)
        page.button[0].click().run()
        assert not page.exception and not page.error, [e.value for e in page.error]
        page.session_state["add_job"].join(120)  # the user may be anywhere meanwhile
        page.run()
        assert any("TEN2024: added, 10 paragraphs, searchable now" in m.value for m in page.success)
        assert any("TEN2024" in m.value and "10 paragraphs" in m.value for m in page.markdown)
        assert {id(e) for e in loads} <= {id(bot.retriever.embedder)}  # the shared encoder, no second model

        fresh = shared_assistant(settings)  # the next run of any page: the new version, no cache cleared
        assert fresh is not bot and shared_assistant(settings) is fresh
        assert fresh.retriever.embedder is bot.retriever.embedder
        assert fresh.ask("peer outreach in nightlife settings").answer.quotes[0].id == "TEN2024:1"
        assert "TEN2024" not in bot.corpus.documents and bot.ask("naloxone").answer.quotes  # the old one still answers

        page.session_state["assistant"] = fresh
        page.file_uploader[0].set_value(("ten.txt", TEN.encode(), "text/plain"))
        page.button[0].click().run()
        page.session_state["add_job"].join(120)
        page.run()
        assert [m.value for m in page.info] == [escape_md("TEN2024 is already added from this file: nothing changed.")]

        remove = [b for b in page.button if b.key == "remove-TEN2024"]
        remove[0].click().run()
        assert any("Removed TEN2024" in m.value for m in page.success)
        assert "TEN2024" not in shared_assistant(settings).corpus.documents
    finally:
        st.cache_resource.clear()
