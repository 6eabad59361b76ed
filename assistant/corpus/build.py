"""`make corpus`: regenerate the committed canonical corpus and crosswalk from corpus/raw/."""

from __future__ import annotations

from collections import Counter

from assistant.config import Settings
from assistant.corpus.documents import EARLIER
from assistant.corpus.paragraphs import Corpus, build_paragraphs, write_jsonl


def build_corpus_files(settings: Settings) -> str:
    """Write corpus/paragraphs.jsonl and corpus/crosswalk.csv; return a one-paragraph summary."""
    from assistant.crosswalk.build import build_links
    from assistant.crosswalk.links import write_csv

    corpus = Corpus(build_paragraphs(settings.raw_dir))
    write_jsonl(corpus, settings.paragraphs_path)
    earlier = set(corpus.documents.on_side(EARLIER))
    known = {p.id for p in corpus if p.doc in earlier}
    problems = {p.id for p in corpus if p.kind == "problem"}
    links = build_links(settings.raw_dir, known, problems)
    write_csv(links, settings.crosswalk_path)
    per_doc = Counter(p.doc for p in corpus)
    unresolved = [l for l in links if not l.resolved and not l.new_in_2016]
    return (
        f"Wrote {len(corpus)} paragraphs to {settings.paragraphs_path.name} "
        f"({', '.join(f'{d} {n}' for d, n in per_doc.items())}) and {len(links)} crosswalk rows to "
        f"{settings.crosswalk_path.name} ({len(unresolved)} unresolved references kept and reported)."
    )
