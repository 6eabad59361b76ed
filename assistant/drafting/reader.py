"""Read a draft to check: pasted text, a UTF-8 (or UTF-16) .txt file or a Word .docx; DocumentRejected for anything else.

Rejected, with a message naming the problem: an empty draft, one over `MAX_TEXT_BYTES` of text, a binary
file, a file of another type, a .docx that is not a zip archive, is damaged or holds no text, or whose
zip would inflate beyond `MAX_DOCX_INFLATED`. Nothing is ever written.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

from assistant.errors import DocumentRejected

MAX_TEXT_BYTES = 200_000  # 200 kB of text: a long statement is 10-20 kB
MAX_DOCX_BYTES = 10_000_000  # a .docx may carry images and styles besides its text
MAX_DOCX_INFLATED = 50_000_000  # uncompressed size of every part of the .docx together
TEXT_SUFFIXES = (".txt",)
DOCX_SUFFIX = ".docx"
STDIN = "-"
# Control characters other than tab, line feed, form feed and carriage return: text files have none.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def read_draft_file(path: Path | str) -> str:
    """The text of the draft in file `path` (.txt or .docx)."""
    path = Path(path)
    _check_suffix(path.name)
    if not path.is_file():
        raise DocumentRejected(f"File not found: {path}")
    docx = path.suffix.lower() == DOCX_SUFFIX
    limit = MAX_DOCX_BYTES if docx else MAX_TEXT_BYTES
    size = path.stat().st_size
    if size > limit:
        what = "Word file" if docx else "draft"
        raise DocumentRejected(f"The {what} is too large: {size:,} bytes (the limit is {_kb(limit)}).")
    with path.open("rb") as fh:
        data = fh.read(limit + 1)
    return read_draft(data, path.name)


def read_draft(data: bytes, name: str = STDIN) -> str:
    """The text of a draft given as bytes: `name` (an upload's file name, or "-" for standard input) sets its type."""
    if name != STDIN:
        _check_suffix(name)
    if name != STDIN and Path(name).suffix.lower() == DOCX_SUFFIX:
        if len(data) > MAX_DOCX_BYTES:
            raise DocumentRejected(f"The Word file is too large: {len(data):,} bytes (the limit is {_kb(MAX_DOCX_BYTES)}).")
        return check_text(_docx_text(data), "The Word document has no text.")
    if len(data) > MAX_TEXT_BYTES:
        raise DocumentRejected(f"The draft is too large: {len(data):,} bytes (the limit is {_kb(MAX_TEXT_BYTES)}).")
    return check_text(_decode(data))


def check_text(text: str, empty: str = "The draft is empty: paste or upload the text to check.") -> str:
    """`text` if it is a draft worth checking: not empty or blank, within the size limit."""
    if not text or not text.strip():
        raise DocumentRejected(empty)
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > MAX_TEXT_BYTES:
        raise DocumentRejected(f"The draft is too large: {size:,} bytes of text (the limit is {_kb(MAX_TEXT_BYTES)}).")
    return text


def _check_suffix(name: str) -> None:
    suffix = Path(name).suffix.lower()
    if suffix not in (*TEXT_SUFFIXES, DOCX_SUFFIX):
        shown = f"{suffix!r}" if suffix else "with no extension"
        hint = " (save it as .docx in Word)" if suffix in (".doc", ".rtf", ".odt") else ""
        raise DocumentRejected(f"Unsupported file type {shown}: check a .txt or .docx draft{hint}.")


def _decode(data: bytes) -> str:
    """UTF-8 text (a byte-order mark allowed), or UTF-16 with its byte-order mark; binary data is rejected."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise DocumentRejected("The file is not text: it is neither UTF-8 nor valid UTF-16.") from None
    else:
        if b"\x00" in data:
            raise DocumentRejected("The file is not text (it contains NUL bytes): check a .txt or .docx draft.")
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise DocumentRejected(
                f"The file is not UTF-8 text (byte {exc.start} is invalid): save it as UTF-8 and try again."
            ) from None
    controls = len(_CONTROL.findall(text))
    if controls > max(8, len(text) // 100):
        raise DocumentRejected("The file is not text (it is full of control characters): check a .txt or .docx draft.")
    return _CONTROL.sub("", text)


def _docx_text(data: bytes) -> str:
    """The text of a .docx: its paragraphs, and the paragraphs of its tables' cells, in document order."""
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise DocumentRejected("The file is not a Word .docx document (it is not a zip archive): save it as .docx.")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            inflated = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        raise DocumentRejected("The .docx is damaged: its zip archive cannot be read.") from None
    if "word/document.xml" not in names:
        raise DocumentRejected("The .docx is not a Word document: it has no word/document.xml.")
    if inflated > MAX_DOCX_INFLATED:
        limit = _kb(MAX_DOCX_INFLATED)
        raise DocumentRejected(f"The .docx is too large once unpacked: {inflated:,} bytes (the limit is {limit}).")
    from docx import Document  # lazily: only .docx drafts need python-docx

    try:
        doc = Document(io.BytesIO(data))
        lines = list(_blocks(doc))
    except Exception as exc:  # python-docx and lxml raise many kinds of error on damaged files
        raise DocumentRejected(f"The .docx is damaged and cannot be read ({type(exc).__name__}).") from None
    return _CONTROL.sub("", "\n".join(lines))


def _blocks(container):
    from docx.table import Table

    for block in container.iter_inner_content():
        if isinstance(block, Table):
            seen = set()
            for row in block.rows:
                for cell in row.cells:
                    if cell._tc not in seen:  # a merged cell is listed once per grid column it spans
                        seen.add(cell._tc)
                        yield from _blocks(cell)
        else:
            yield block.text


def _kb(n: int) -> str:
    return f"{n / 1_000_000:g} MB" if n >= 1_000_000 else f"{n / 1000:g} kB"
