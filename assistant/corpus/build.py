"""Build the canonical corpus from corpus/raw/: parse, apply reviewed repairs, merge commitment data, write files."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from assistant.config import Settings
from assistant.corpus.documents import EARLIER, cite
from assistant.corpus.load import write_jsonl
from assistant.corpus.paragraphs import Corpus, Paragraph, Source
from assistant.corpus.sources.base import SUMMARY, Parsed
from assistant.errors import CorpusError


def build_corpus_files(settings: Settings) -> str:
    """Write corpus/paragraphs.jsonl and corpus/crosswalk.csv; return a one-paragraph summary."""
    from assistant.crosswalk.build import build_links
    from assistant.crosswalk.links import write_csv

    corpus = Corpus(build_paragraphs(settings))
    write_jsonl(corpus, settings.paragraphs_path)
    earlier = set(corpus.documents.on_side(EARLIER))
    known = {p.id for p in corpus if p.doc in earlier}
    problems = {p.id for p in corpus if p.kind == "problem"}
    links = build_links(settings.raw_dir, known, problems, texts={p.id: p.text for p in corpus})
    write_csv(links, settings.crosswalk_path)
    per_doc = Counter(p.doc for p in corpus)
    unresolved = [l for l in links if not l.resolved and not l.new_in_2016]
    return (
        f"Wrote {len(corpus)} paragraphs to {settings.paragraphs_path.name} "
        f"({', '.join(f'{d} {n}' for d, n in per_doc.items())}) and {len(links)} crosswalk rows to "
        f"{settings.crosswalk_path.name} ({len(unresolved)} unresolved references kept and reported)."
    )


def apply_text_repairs(parsed: list[Parsed], path: Path) -> list[Parsed]:
    """Apply the reviewed extraction repairs that the parsers cannot decide alone (one row each, with evidence)."""
    import csv
    from dataclasses import replace

    if not path.exists():
        return parsed
    with path.open(encoding="utf-8", newline="") as fh:
        repairs = list(csv.DictReader(fh))
    by_id = {p.id: i for i, p in enumerate(parsed)}
    out = list(parsed)
    for r in repairs:
        i = by_id.get(r["id"])
        if i is None or out[i].text.count(r["printed"]) != 1:
            raise CorpusError(f"text repair for {r['id']} no longer applies: {r['printed']!r} not found exactly once")
        out[i] = replace(out[i], text=out[i].text.replace(r["printed"], r["repaired"]))
    return out


def build_paragraphs(settings: Settings) -> list[Paragraph]:
    """Parse every raw source, apply reviewed repairs, and merge in commitment data from the compilation."""
    from assistant.corpus.sources import compilation, fulltext2009, jms2014, ungass2016

    raw_dir = settings.raw_dir
    parsed: list[Parsed] = [*fulltext2009.parse(raw_dir), *jms2014.parse(raw_dir), *ungass2016.parse(raw_dir)]
    parsed = apply_text_repairs(parsed, settings.text_repairs_path)
    compiled = {e.id: e for e in compilation.parse(raw_dir)}
    out = []
    for p in parsed:
        entry = compiled.get(p.id) if p.negotiated and p.kind != SUMMARY else None
        spans = _close_quotes(p.text, compilation.operative_spans(p.text, entry)) if entry else ()
        out.append(
            Paragraph(
                id=p.id,
                doc=p.id.partition(":")[0],
                kind=p.kind,
                heading=tuple(p.heading),
                text=p.text,
                is_commitment=entry is not None,
                operative_spans=tuple(tuple(s) for s in spans),
                source=Source(p.file, p.line_start, p.line_end),
                citation=cite(p.id),
                negotiated=p.negotiated,
            )
        )
    return out


_PAIRS = {"“": "”", "‘": "’", '"': '"'}


def _close_quotes(text: str, spans) -> list[tuple[int, int]]:
    """Spans that open a quotation mark end after its closing mark ("Consider “marking”", not "“marking")."""
    out = []
    for start, end in spans:
        piece = text[start:end]
        for opening, closing in _PAIRS.items():
            if piece.count(opening) - (piece.count(closing) if opening != closing else 0) > 0 or (
                opening == closing and piece.count(opening) % 2
            ):
                if text[end : end + 1] == closing:
                    end += 1
        out.append((start, end))
    return out
