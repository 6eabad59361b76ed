"""Child-process index probe for `index.health_check`: prints one JSON line, so a crash stays here."""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from pathlib import Path

from assistant.config import Settings
from assistant.retrieval.index import probe


def main(argv: list[str]) -> int:
    args = json.loads(argv[0])
    settings = Settings.from_env(
        index_dir=Path(args["index_dir"]),
        chroma_host=args.get("chroma_host") or None,
        chroma_port=int(args.get("chroma_port") or 8000),
        collection=args.get("collection") or "paragraphs",
    )
    health = probe(settings)
    print(json.dumps(asdict(health)), flush=True)
    return 0 if health.ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
