"""The `assistant` command line: thin wrappers over the package that translate domain errors."""

from __future__ import annotations

import functools
import json
import os
import sys
import time

import click

from assistant.config import Settings
from assistant.errors import (
    AssistantError,
    BadOutput,
    BadQuery,
    BadSetting,
    DocumentRejected,
    IndexNotBuilt,
    UnknownParagraph,
)

FORMAT = click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
CITATION = click.option(
    "--citation", type=click.Choice(["short", "full"]), default=None,
    help="Citation form: short (2016 Outcome Document, para. 1 (m)) or full, with the document's official symbol. "
    "Default: ASSISTANT_CITATION, else short.",
)


def _emit_json(data) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


def translate_errors(fn):
    """Domain errors become a clear message and exit status 2 (bad input, or an index to build first) or 1 (environment)."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except (UnknownParagraph, BadQuery, DocumentRejected, IndexNotBuilt, BadOutput, BadSetting) as exc:
            click.echo(f"Error: {exc}", err=True)
            sys.exit(2)
        except AssistantError as exc:
            click.echo(f"Error: {exc}", err=True)
            sys.exit(1)

    return wrapper


@click.group()
@click.pass_context
def main(ctx: click.Context) -> None:
    """Verbatim, cited answers over the 2009, 2014 and 2016 UN drug-policy documents."""
    try:
        ctx.obj = Settings.from_env()
    except BadSetting as exc:
        click.echo(f"Error: {exc}", err=True)
        sys.exit(2)


def _writable(output: str) -> None:
    """BadOutput, before any work is done, when `output` cannot be written."""
    folder = os.path.dirname(os.path.abspath(output))
    if os.path.isdir(output):
        raise BadOutput(f"Cannot write {output}: it is a directory.")
    if not os.path.isdir(folder):
        raise BadOutput(f"Cannot write {output}: no such directory {folder}.")
    if not os.access(folder, os.W_OK) or (os.path.exists(output) and not os.access(output, os.W_OK)):
        raise BadOutput(f"Cannot write {output}: permission denied.")


def _emit(data: bytes | str, output: str | None) -> None:
    """`data` to the terminal, or to the file `output` (BadOutput when it cannot be written)."""
    if output is None:
        click.echo(data, nl=False)
        return
    try:
        with open(output, "wb") as fh:
            fh.write(data if isinstance(data, bytes) else data.encode("utf-8"))
    except OSError as exc:
        raise BadOutput(f"Cannot write {output}: {exc.strerror or exc}.") from None


def _corpus(settings):
    from assistant.corpus.load import load_corpus

    return load_corpus(settings)


def _crosswalk(settings):
    from assistant.crosswalk.links import read_csv
    from assistant.crosswalk.table import Crosswalk

    return Crosswalk(read_csv(settings.crosswalk_path))


def _resolve(corpus, ref: str) -> str:
    from assistant.corpus.ids import resolve

    return resolve(ref, corpus.ids)


@main.command("corpus")
@click.pass_obj
@translate_errors
def corpus_cmd(settings: Settings) -> None:
    """Regenerate corpus/paragraphs.jsonl and corpus/crosswalk.csv from corpus/raw/."""
    from assistant.corpus.build import build_corpus_files

    report = build_corpus_files(settings)
    click.echo(report)


@main.command("corpus-check")
@FORMAT
@click.pass_obj
@translate_errors
def corpus_check_cmd(settings: Settings, fmt: str) -> None:
    """Compare the canonical text with the compilation; list differences and coverage."""
    from assistant.corpus.check import check, format_report

    report = check(_corpus(settings), settings.raw_dir, settings.allowlist_path)
    if fmt == "json":
        _emit_json(report.to_dict())
    else:
        click.echo(format_report(report))
    sys.exit(0 if report.ok else 1)


def crosswalk_view(pid: str, corpus, crosswalk) -> dict:
    from assistant.crosswalk.table import link_view

    return link_view(pid, corpus, crosswalk)


@main.command("show")
@click.argument("ref")
@FORMAT
@CITATION
@click.pass_obj
@translate_errors
def show_cmd(settings: Settings, ref: str, fmt: str, citation: str | None) -> None:
    """Show one paragraph verbatim with its citation and counterparts (REF: `1(m)`, `PoA 51(c)(iv)`, `JMS A.11`...)."""
    from assistant.present.citations import quote_block, styled_quote
    from assistant.present.counterparts import quote_groups

    corpus = _corpus(settings)
    p = corpus.get(_resolve(corpus, ref))
    bot = _counterpart_source(settings, corpus)
    view = crosswalk_view(p.id, corpus, bot.crosswalk)
    q = styled_quote(bot.quote(p.id), citation or settings.citation, corpus.documents)
    groups = quote_groups(q, corpus.documents, bot.unresolved)
    if fmt == "json":
        _emit_json(
            {
                "id": p.id,
                "text": p.text,
                "citation": q.citation,
                "paste": quote_block(q),
                "heading": list(p.heading),
                "kind": p.kind,
                "is_commitment": p.is_commitment,
                "negotiated": p.negotiated,
                "chapeau": [{"id": a.id, "text": a.text} for a in corpus.ancestors(p.id)],
                "crosswalk": view,
                "counterparts": [g.to_dict() for g in groups],
            }
        )
        return
    from assistant.present.text import paragraph_text

    click.echo(paragraph_text(p, corpus.ancestors(p.id), view, groups, citation=q.citation))


def _counterpart_source(settings, corpus):
    """The assistant for counterparts: with suggestions when the index is built, the table alone otherwise."""
    from assistant.answer.service import Assistant

    try:
        return Assistant.load(settings, corpus)
    except IndexNotBuilt as exc:
        click.echo(f"Note: no suggestions ({exc})", err=True)
        return Assistant(settings, corpus, _crosswalk(settings), None, None)


@main.command("crosswalk")
@click.argument("ref")
@FORMAT
@click.pass_obj
@translate_errors
def crosswalk_cmd(settings: Settings, ref: str, fmt: str) -> None:
    """The crosswalk links of one paragraph (2016 -> 2009 sources, or 2009 -> 2016 counterparts)."""
    corpus = _corpus(settings)
    view = crosswalk_view(_resolve(corpus, ref), corpus, _crosswalk(settings))
    if fmt == "json":
        _emit_json(view)
    else:
        from assistant.present.text import crosswalk_text

        click.echo(crosswalk_text(corpus.get(view["id"]).citation, view))


@main.command("compare")
@click.argument("earlier")
@click.argument("later")
@FORMAT
@click.pass_obj
@translate_errors
def compare_cmd(settings: Settings, earlier: str, later: str, fmt: str) -> None:
    """Word-level comparison of two paragraphs (e.g. `PoA 51` `3(o)`): changes, shared runs, relation."""
    from assistant.crosswalk.compare import compare
    from assistant.present.text import comparison_text

    corpus = _corpus(settings)
    a, b = corpus.get(_resolve(corpus, earlier)), corpus.get(_resolve(corpus, later))
    c = compare(a.text, b.text)
    if fmt == "json":
        _emit_json({"a": {"id": a.id, "citation": a.citation, "text": a.text},
                    "b": {"id": b.id, "citation": b.citation, "text": b.text}, **c.to_dict()})
    else:
        click.echo(comparison_text(a.citation, b.citation, c))


@main.command("index")
@click.option("--rebuild", is_flag=True, help="Rebuild even when nothing changed.")
@click.pass_obj
@translate_errors
def index_cmd(settings: Settings, rebuild: bool) -> None:
    """Build the vector index (a no-op when the corpus, model and chromadb version are unchanged)."""
    from assistant.retrieval.embed import Embedder, export_onnx, exported
    from assistant.retrieval.index import ensure_index

    report = ensure_index(settings, _corpus(settings), Embedder(settings), rebuild=rebuild, progress=True)
    click.echo(f"Index {report.action} in {report.seconds:.2f} s ({report.units} units).")
    if not exported(settings):
        t0 = time.perf_counter()
        done = export_onnx(settings)  # the fast query encoder, once per model (`retrieval/embed.py`)
        click.echo(f"Query encoder exported to {done} in {time.perf_counter() - t0:.1f} s." if done else
                   "Query encoder not exported (see the warning): questions use the numpy encoder.")


@main.command("doctor")
@click.option("--no-probe", is_flag=True, help="Skip opening and querying the index in a child process.")
@FORMAT
@click.pass_obj
@translate_errors
def doctor_cmd(settings: Settings, no_probe: bool, fmt: str) -> None:
    """Check that the corpus, the model files and the index are in place; say what fixes what is not."""
    from assistant.retrieval.doctor import diagnose, format_diagnosis

    diagnosis = diagnose(settings, probe=not no_probe)
    if fmt == "json":
        _emit_json(diagnosis.to_dict())
    else:
        click.echo(format_diagnosis(diagnosis))
    sys.exit(0 if diagnosis.ok else 1)


@main.command("documents")
@FORMAT
@click.pass_obj
@translate_errors
def documents_cmd(settings: Settings, fmt: str) -> None:
    """The documents of the corpus: key, year, citation name and official symbol."""
    corpus = _corpus(settings)
    rows = [
        {"key": d.key, "year": d.year, "short": d.short, "symbol": d.symbol, "title": d.title, "builtin": d.builtin,
         "paragraphs": len(corpus.by_doc(d.key))}
        for d in corpus.documents.values()
    ]
    if fmt == "json":
        _emit_json(rows)
        return
    for r in rows:
        symbol = f"  {r['symbol']}" if r["symbol"] else ""
        click.echo(f"{r['key']:<11} {r['year']}  {r['short']}{symbol}  ({r['paragraphs']} paragraphs)")


@main.command("search")
@click.argument("query")
@click.option("--top-k", default=10, show_default=True, type=click.IntRange(1, 100))
@click.option("--doc", "docs", multiple=True, help="Restrict to a document key (repeatable), e.g. PoA2009; `assistant documents` lists them.")
@click.option("--commitments-only", is_flag=True)
@click.option("--method", type=click.Choice(["hybrid", "dense", "lexical"]), default="hybrid", show_default=True)
@FORMAT
@click.pass_obj
@translate_errors
def search_cmd(settings: Settings, query: str, top_k: int, docs: tuple[str, ...], commitments_only: bool, method: str, fmt: str) -> None:
    """Ranked paragraphs for QUERY (hybrid dense + lexical retrieval with the agreed-language glossary)."""
    from assistant.retrieval.query import Filters, check_documents, parse_query_filters, prepare_query
    from assistant.retrieval.retriever import Retriever

    prepared = prepare_query(query, settings.max_query_chars)
    for warning in prepared.warnings:
        click.echo(f"Warning: {warning}", err=True)
    query = prepared.query
    corpus = _corpus(settings)
    check_documents(docs, corpus.documents)
    retriever = Retriever.open(settings, corpus)
    cleaned, named = parse_query_filters(query, corpus.documents)  # "in 2014", "in the Plan of Action" filter the search
    filters = Filters(docs=tuple(docs), commitments_only=commitments_only).narrowed_by(named)
    hits = retriever.search(cleaned or query, k=top_k, filters=filters, method=method)
    if fmt == "json":
        _emit_json(
            [
                {"rank": i + 1, "id": h.id, "score": round(h.score, 6), "citation": corpus.get(h.id).citation, "text": h.text}
                for i, h in enumerate(hits)
            ]
        )
        return
    for i, h in enumerate(hits, 1):
        p = corpus.get(h.id)
        click.echo(f"{i:2d}. {h.score:.4f}  {p.citation}  [{h.id}]")
        click.echo(f"    {h.text}")


@main.command("ask")
@click.argument("question")
@click.option("--top-k", default=5, show_default=True, type=click.IntRange(1, 50))
@click.option("--doc", "docs", multiple=True)
@click.option("--commitments-only", is_flag=True)
@click.option("--summarize", is_flag=True, help="Add a written summary from the configured local LLM (verified against the quotes).")
@click.option("--format", "fmt", type=click.Choice(["text", "markdown", "json", "docx"]), default="text", show_default=True)
@click.option("--output", type=str, default=None, help="Write the answer to this file (required for docx) instead of the terminal.")
@CITATION
@click.option("--mark-operative/--no-mark-operative", default=None,
              help="Operative verbs in bold in Markdown and Word quotes (default: ASSISTANT_MARK_OPERATIVE, else off: "
              "quotes are the official text exactly).")
@click.pass_obj
@translate_errors
def ask_cmd(settings: Settings, question: str, top_k: int, docs, commitments_only: bool, summarize: bool, fmt: str,
            output: str | None, citation: str | None, mark_operative: bool | None) -> None:
    """Answer QUESTION with verbatim, cited quotes and their counterparts (the same answer the app shows);
    `--format markdown|docx --output FILE` exports it."""
    from assistant.answer.service import Assistant
    from assistant.present.citations import styled
    from assistant.retrieval.query import Filters, check_documents, prepare_query

    # Checked before anything heavy is loaded: a bad question, document key or output costs nothing.
    if fmt == "docx" and not output:
        raise BadOutput("--format docx writes a Word file: give it with --output FILE.docx.")
    if output:
        _writable(output)
    prepare_query(question, settings.max_query_chars)
    corpus = _corpus(settings)
    check_documents(docs, corpus.documents)
    bot = Assistant.load(settings, corpus)
    filters = Filters(docs=tuple(docs), commitments_only=commitments_only) if docs or commitments_only else None
    answer = styled(bot.ask(question, filters=filters, k=top_k).answer, citation or settings.citation, corpus.documents)
    marked = settings.mark_operative if mark_operative is None else mark_operative
    summary = None
    if summarize:
        from assistant.summary.client import summarize as _summarize

        summary = _summarize(settings, answer.question, answer.quotes)
    if fmt == "json":
        data = answer.to_dict()
        if summary is not None:
            data["summary"] = summary.to_dict()
        _emit(json.dumps(data, ensure_ascii=False, indent=2) + "\n", output)
    elif fmt == "docx":
        from assistant.present.docx import conversation_docx

        _emit(conversation_docx([answer], marked), output)
    elif fmt == "markdown":
        from assistant.present.markdown import answer_markdown, summary_markdown

        _emit(answer_markdown(answer, marked) + "\n" + (summary_markdown(summary) + "\n" if summary is not None else ""), output)
    else:
        from assistant.present.text import answer_text, summary_text

        _emit(answer_text(answer) + "\n" + (summary_text(summary) + "\n" if summary is not None else ""), output)


@main.command("add")
@click.argument("file", type=click.Path(dir_okay=False, path_type=str))
@click.option("--doc", "key", required=True, help="Document key for the paragraph IDs, e.g. MD2019 (MD2019:3.b).")
@click.option("--title", required=True, help="Title, e.g. 'Ministerial Declaration' (cited as '2019 Ministerial Declaration').")
@click.option("--year", required=True, type=int)
@FORMAT
@click.pass_obj
@translate_errors
def add_cmd(settings: Settings, file: str, key: str, title: str, year: int, fmt: str) -> None:
    """Add a document from a PDF or UTF-8 text FILE with numbered paragraphs, then update the index."""
    from dataclasses import asdict
    from pathlib import Path

    from assistant.ingest.documents import add_document

    report = add_document(settings, Path(file), key, title, year)
    if fmt == "json":
        _emit_json(asdict(report))
    else:
        click.echo(f"{report.key}: {report.action}, {report.paragraphs} paragraphs (index {report.index}, {report.seconds:.1f} s).")


@main.command("remove")
@click.argument("key")
@click.pass_obj
@translate_errors
def remove_cmd(settings: Settings, key: str) -> None:
    """Remove an added document (KEY, e.g. MD2019) from the corpus and the index."""
    from assistant.ingest.documents import remove_document

    report = remove_document(settings, key)
    click.echo(f"{report.key}: removed {report.paragraphs} paragraphs (index {report.index}, {report.seconds:.1f} s).")


@main.command("check")
@click.argument("file", type=str)
@click.option("--format", "fmt", type=click.Choice(["text", "json", "markdown", "docx"]), default="text", show_default=True)
@click.option("--output", type=str, default=None, help="Write the result to this file (required for docx) instead of the terminal.")
@CITATION
@click.pass_obj
@translate_errors
def check_cmd(settings: Settings, file: str, fmt: str, output: str | None, citation: str | None) -> None:
    """Check a draft (a .txt or .docx FILE, or - for standard input) against the agreed language of the corpus."""
    from assistant.drafting.check import check_draft
    from assistant.drafting.matcher import Matcher
    from assistant.drafting.reader import MAX_TEXT_BYTES, STDIN, read_draft, read_draft_file
    from assistant.present.citations import styled_check

    if fmt == "docx" and not output:
        raise BadOutput("--format docx writes a Word file: give it with --output FILE.docx.")
    if output:
        _writable(output)
    # The draft is read and checked before the corpus is loaded or anything is written.
    text = read_draft(sys.stdin.buffer.read(MAX_TEXT_BYTES + 1), STDIN) if file == STDIN else read_draft_file(file)
    corpus = _corpus(settings)
    result = styled_check(check_draft(text, Matcher(corpus)), citation or settings.citation, corpus.documents)
    if fmt == "docx":
        from assistant.present.draft_docx import report_docx

        data: bytes | str = report_docx(result)
    elif fmt == "json":
        data = json.dumps(result.to_dict(), ensure_ascii=False, indent=2) + "\n"
    elif fmt == "markdown":
        from assistant.present.draft import report_markdown

        data = report_markdown(result)
    else:
        from assistant.present.draft import report_text

        data = report_text(result)
    _emit(data, output)


@main.command("eval")
@click.option("--questions", "questions_paths", type=click.Path(dir_okay=False), multiple=True,
              help="Typed question set (JSONL: id, q, type, lang, gold, split); default eval/heldout.jsonl. "
                   "Given several times, the sets are scored together (each keeps its own split).")
@click.option("--split", type=click.Choice(["tune", "test", "both"]), default="both", show_default=True)
@click.option("--top-k", default=10, show_default=True, type=click.IntRange(1, 100))
@click.option("--per-question", is_flag=True, help="Also list the questions each split misses.")
@FORMAT
@click.pass_obj
@translate_errors
def eval_cmd(settings: Settings, questions_paths, split: str, top_k: int, per_question: bool, fmt: str) -> None:
    """Recall@1/5/10 and MRR per split, type and method (hybrid, dense, lexical) in one run; `ask`'s match
    decisions end to end; the suggester against the crosswalk table."""
    from pathlib import Path

    from assistant.answer.service import Assistant
    from assistant.tools.evaluate import (
        evaluate_splits,
        format_split_report,
        gold_link_scores,
        load_eval_set,
        load_gold_links,
        suggest_recall,
    )

    paths = [Path(p) for p in questions_paths] or [settings.eval_dir / "heldout.jsonl"]
    questions = [q for path in dict.fromkeys(paths) for q in load_eval_set(path)]
    if len({q.id for q in questions}) < len(questions):
        raise click.UsageError("the question sets share question IDs; score them one at a time")
    if split != "both":
        questions = [q for q in questions if q.split == split]
    bot = Assistant.load(settings)
    report = evaluate_splits(bot, questions, k=top_k)
    suggest = suggest_recall(bot.suggester, bot.crosswalk)
    gold = load_gold_links(settings.eval_dir / "jms_links.jsonl", bot.corpus.ids)
    links = [g for g in gold_link_scores(bot.suggester, gold) if split == "both" or g.split == split]
    if fmt == "json":
        _emit_json({**report.to_dict(), "suggest": suggest.__dict__, "jms_links": [g.__dict__ for g in links]})
        return
    click.echo(format_split_report(report, per_question=per_question))
    click.echo(f"Suggester vs the crosswalk table: {suggest.references} references from {suggest.paragraphs} paragraphs "
               f"of 2016; found in top 5: {suggest.recall_at_5:.3f}, top 10: {suggest.recall_at_10:.3f}; "
               f"by the closest item alone, top 5: {suggest.closest_at_5:.3f}")
    for g in links:
        click.echo(f"Suggester vs the 2014 -> 2016 gold set ({g.split} split, {g.items} items): "
                   f"a gold paragraph in the top 5 for {g.hit_at_5:.3f}"
                   + (f"; missed {', '.join(g.missed)}" if per_question and g.missed else ""))


@main.command("bench")
@click.option("--queries", default=200, show_default=True, type=click.IntRange(200, 10000))
@FORMAT
@click.pass_obj
@translate_errors
def bench_cmd(settings: Settings, queries: int, fmt: str) -> None:
    """Cold build, no-op rebuild, warm query latency (p50/p95, every method), answer latency and peak RSS."""
    from assistant.tools.bench import bench, format_bench_text

    report = bench(settings, queries=queries)
    if fmt == "json":
        _emit_json(report.to_dict())
    else:
        click.echo(format_bench_text(report))
