"""Reading drafts: .txt and .docx are read in document order; every bad input is rejected with a message naming the problem."""

from __future__ import annotations

import io
import os
import zipfile

import pytest
from docx import Document

from assistant.drafting.reader import MAX_DOCX_BYTES, MAX_TEXT_BYTES, check_text, read_draft, read_draft_file
from assistant.errors import DocumentRejected

DRAFT = "Mr. Chair,\n\nWe urge all Member States to act.\n"


def docx_bytes(*paragraphs: str, table: list[list[str]] | None = None, after: str = "After the table.") -> bytes:
    doc = Document()
    for text in paragraphs:
        doc.add_paragraph(text)
    if table:
        grid = doc.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, text in enumerate(row):
                grid.cell(r, c).text = text
        doc.add_paragraph(after)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def rejected(tmp_path, name: str, data: bytes) -> str:
    """The message for a file `name` holding `data`, read from disk and from bytes (they must agree)."""
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(DocumentRejected) as from_file:
        read_draft_file(path)
    with pytest.raises(DocumentRejected) as from_bytes:
        read_draft(data, name)
    assert str(from_file.value).split(":")[0] == str(from_bytes.value).split(":")[0]
    return str(from_file.value)


# -- good drafts ------------------------------------------------------------------------------


def test_utf8_text_with_or_without_byte_order_mark(tmp_path):
    (tmp_path / "a.txt").write_bytes(DRAFT.encode("utf-8"))
    (tmp_path / "b.txt").write_bytes(b"\xef\xbb\xbf" + DRAFT.encode("utf-8"))
    assert read_draft_file(tmp_path / "a.txt") == read_draft_file(tmp_path / "b.txt") == DRAFT


def test_utf16_text_with_its_byte_order_mark():
    assert read_draft(DRAFT.encode("utf-16"), "notepad.txt") == DRAFT


def test_standard_input_is_text():
    assert read_draft(DRAFT.encode("utf-8")) == DRAFT


def test_docx_paragraphs_and_tables_in_document_order(tmp_path):
    data = docx_bytes("Mr. Chair,", "We urge all Member States to act.", table=[["Left cell", "Right cell"]])
    (tmp_path / "draft.docx").write_bytes(data)
    text = read_draft_file(tmp_path / "draft.docx")
    assert text.split("\n") == ["Mr. Chair,", "We urge all Member States to act.", "Left cell", "Right cell", "After the table."]
    assert read_draft(data, "DRAFT.DOCX") == text


def test_pasted_text_is_checked_for_blank_and_size():
    assert check_text(DRAFT) == DRAFT
    with pytest.raises(DocumentRejected, match="empty"):
        check_text(" \n\t ")
    with pytest.raises(DocumentRejected, match="too large"):
        check_text("é" * (MAX_TEXT_BYTES // 2 + 1))  # 2 bytes each in UTF-8


# -- bad drafts -------------------------------------------------------------------------------


def test_empty_file(tmp_path):
    assert "empty" in rejected(tmp_path, "draft.txt", b"")
    assert "empty" in rejected(tmp_path, "draft.txt", b"  \n\r\n\t")


def test_text_over_200_kb(tmp_path):
    message = rejected(tmp_path, "draft.txt", b"word " * (MAX_TEXT_BYTES // 5 + 1))
    assert "too large" in message and "200 kB" in message


def test_text_of_exactly_200_kb_is_read(tmp_path):
    (tmp_path / "draft.txt").write_bytes(b"word " * (MAX_TEXT_BYTES // 5))
    assert len(read_draft_file(tmp_path / "draft.txt")) == MAX_TEXT_BYTES


def test_binary_file(tmp_path):
    assert "not text" in rejected(tmp_path, "draft.txt", bytes(range(256)) * 4)
    assert "not UTF-8" in rejected(tmp_path, "draft.txt", "Déclaration".encode("latin-1"))
    assert "not text" in rejected(tmp_path, "draft.txt", b"\x01\x02\x03\x04\x05\x06\x07\x08\x0e\x0f" * 20)


def test_docx_that_is_not_a_zip(tmp_path):
    message = rejected(tmp_path, "draft.docx", DRAFT.encode("utf-8"))
    assert "not a Word .docx" in message and "zip" in message


def test_zip_that_is_not_a_word_document(tmp_path):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("hello.txt", "hello")
    assert "word/document.xml" in rejected(tmp_path, "draft.docx", buf.getvalue())


def test_damaged_docx(tmp_path):
    buf = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(docx_bytes("Some text")), "r") as good, zipfile.ZipFile(buf, "w") as bad:
        for item in good.infolist():
            bad.writestr(item, b"<not xml" if item.filename == "word/document.xml" else good.read(item))
    assert "damaged" in rejected(tmp_path, "draft.docx", buf.getvalue())


def test_truncated_docx(tmp_path):
    data = docx_bytes("Some text")
    message = rejected(tmp_path, "draft.docx", data[: len(data) // 2])
    assert "docx" in message.lower()


def test_docx_with_no_text(tmp_path):
    assert "no text" in rejected(tmp_path, "draft.docx", docx_bytes())
    assert "no text" in rejected(tmp_path, "draft.docx", docx_bytes("", "   ", table=[[" ", ""]], after=""))


def test_docx_over_the_size_limit(tmp_path):
    path = tmp_path / "draft.docx"
    with path.open("wb") as fh:
        fh.truncate(MAX_DOCX_BYTES + 1)
    with pytest.raises(DocumentRejected, match="too large"):
        read_draft_file(path)


def test_docx_that_would_inflate_too_far(tmp_path):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/document.xml", b"\0" * 60_000_000)
    assert "unpacked" in rejected(tmp_path, "draft.docx", buf.getvalue())


@pytest.mark.parametrize("name", ["draft.pdf", "draft.doc", "draft.rtf", "draft", "draft.docx.exe", "draft.html"])
def test_wrong_extension(tmp_path, name):
    message = rejected(tmp_path, name, DRAFT.encode("utf-8"))
    assert "Unsupported file type" in message and ".txt or .docx" in message


def test_missing_file_and_directory(tmp_path):
    with pytest.raises(DocumentRejected, match="not found"):
        read_draft_file(tmp_path / "nowhere.txt")
    os.mkdir(tmp_path / "folder.txt")
    with pytest.raises(DocumentRejected, match="not found"):
        read_draft_file(tmp_path / "folder.txt")


def test_reading_writes_nothing(tmp_path):
    (tmp_path / "draft.txt").write_bytes(DRAFT.encode("utf-8"))
    (tmp_path / "bad.docx").write_bytes(b"junk")
    before = sorted(p.name for p in tmp_path.iterdir())
    read_draft_file(tmp_path / "draft.txt")
    with pytest.raises(DocumentRejected):
        read_draft_file(tmp_path / "bad.docx")
    assert sorted(p.name for p in tmp_path.iterdir()) == before
