"""Child process for `ingest`: read a PDF from stdin under a memory cap, print its page texts as one JSON object."""

from __future__ import annotations

import io
import json
import resource
import sys


def extract(data: bytes, max_pages: int) -> dict:
    """{"pages": [text, ...]} or {"problem": "..."}; any failure of a hostile file is a problem, not a crash."""
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(data))
    except Exception as exc:  # pypdf raises many kinds of error on damaged files
        return {"problem": f"it is not a readable PDF ({type(exc).__name__}: {str(exc)[:200]})"}
    if reader.is_encrypted:
        try:
            opened = bool(reader.decrypt(""))  # an empty user password still lets anyone read it
        except Exception:
            opened = False
        if not opened:
            return {"problem": "it is encrypted (password-protected); save an unprotected copy and add that"}
    try:
        n = len(reader.pages)
        if n == 0:
            return {"problem": "it has no pages"}
        if n > max_pages:
            return {"problem": f"it has too many pages: {n} (the limit is {max_pages})"}
        return {"pages": [page.extract_text() or "" for page in reader.pages]}
    except MemoryError:
        raise
    except Exception as exc:
        return {"problem": f"it is damaged ({type(exc).__name__}: {str(exc)[:200]})"}


def main(argv: list[str]) -> int:
    max_pages, memory, cpu = (int(a) for a in argv[:3])
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
    data = sys.stdin.buffer.read()
    try:
        out = extract(data, max_pages)
    except MemoryError:
        out = {"problem": f"reading it needed more than {memory // 2**20} MB of memory"}
    sys.stdout.write(json.dumps(out, ensure_ascii=True))
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
