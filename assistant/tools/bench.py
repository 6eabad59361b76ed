"""Benchmarks: cold build, no-op rebuild, warm query latency per method and per query encoder (onnx, numpy,
torch), answer latency (onnx and numpy encoders), and a fresh `assistant ask` process's wall time and peak
memory for each encoder."""

from __future__ import annotations

import resource
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, replace
from pathlib import Path

from assistant.tools.evaluate import METHODS, percentile

MIN_QUERIES = 200


@dataclass(frozen=True)
class Latency:
    """Warm query latency of one method over `queries` distinct-query runs (cache cleared each time)."""

    method: str
    queries: int
    p50_ms: float
    p95_ms: float
    mean_ms: float


@dataclass(frozen=True)
class FreshAsk:
    """One fresh `assistant ask` process: wall time from start to printed answer, and its peak RSS."""

    encoder: str
    seconds: float
    peak_rss_mb: float


@dataclass(frozen=True)
class BenchReport:
    """What `assistant bench` prints; `to_dict()` for JSON."""

    paragraphs: int
    units: int
    cold_build_s: float
    noop_rebuild_s: float
    load_s: float
    latency: tuple[Latency, ...]
    peak_rss_mb: float
    answer: Latency | None = None  # after the warm-up the app runs at start (every paragraph's counterparts)
    answer_cold: Latency | None = None  # the same questions before it: counterparts worked out on demand
    answer_unbatched: Latency | None = None  # warm, each absent word's variant encoded apart from the question
    answer_numpy: Latency | None = None  # warm, with the numpy query encoder (the previous default)
    fresh: tuple[FreshAsk, ...] = ()
    encoders: tuple[Latency, ...] = ()  # warm hybrid latency with each query encoder
    check: CheckBench | None = None  # the draft checker (`assistant check`)
    ingest: IngestBench | None = None  # fresh-process add and remove of a 10-paragraph document vs a rebuild

    def to_dict(self) -> dict:
        return asdict(self)


def peak_rss_mb() -> float:
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # Linux reports KiB, macOS bytes.
    return round(rss / (1024 * 1024) if sys.platform == "darwin" else rss / 1024, 1)


def _queries(settings, n: int) -> list[str]:
    from assistant.tools.evaluate import load_eval_set

    path = settings.eval_dir / "heldout.jsonl"
    qs: list[str] = [q.q for q in load_eval_set(path)] if path.exists() else []
    qs = qs or ["what did we commit on naloxone?", "needle exchange", "money laundering know your customer"]
    return [qs[i % len(qs)] for i in range(max(n, MIN_QUERIES))]


def bench(settings, corpus=None, queries: int = MIN_QUERIES, methods=METHODS) -> BenchReport:
    """Build a fresh embedded index in a temp dir, time a no-op rebuild, then time warm queries."""
    from assistant.corpus.load import load_corpus
    from assistant.retrieval.embed import Embedder, QueryEncoder
    from assistant.retrieval.index import ensure_index
    from assistant.retrieval.retriever import Retriever
    from assistant.retrieval.units import make_units

    corpus = corpus if corpus is not None else load_corpus(settings)
    with tempfile.TemporaryDirectory(prefix="assistant-bench-") as tmp:
        # Always embedded and private: the user's index (or server) is never touched.
        s = replace(settings, index_dir=Path(tmp) / "index", chroma_host=None)
        embedder = Embedder(s)
        embedder.dimension  # load the model first, so the build time is the build alone
        cold = ensure_index(s, corpus, embedder, rebuild=True, progress=False)
        noop = ensure_index(s, corpus, embedder, progress=False)
        from assistant.retrieval.embed import export_onnx

        export_onnx(s)  # as `assistant index` does
        t0 = time.perf_counter()
        retriever = Retriever.open(s, corpus)  # the query path as `ask` runs it: the ONNX encoder
        load = time.perf_counter() - t0
        try:
            qs = _queries(settings, queries)
            latency = [_latency(m, retriever, qs, m) for m in methods]
            answer_cold, answer, answer_unbatched = _answer_latency(s, corpus, retriever, qs)
            fast = retriever.embedder
            retriever.embedder = QueryEncoder(s)
            answer_numpy = _answer_latency(s, corpus, retriever, qs, labels=("answer, numpy",))[0]
            encoders = []
            for name, encoder in (("onnx", fast), ("numpy", retriever.embedder), ("torch", embedder)):
                retriever.embedder = encoder
                encoders.append(_latency(f"hybrid, {name}", retriever, qs, "hybrid"))
            retriever.embedder = fast
            fresh = tuple(_fresh_ask(s, name) for name in ("onnx", "numpy", "torch"))
        finally:
            retriever.store.close()
        ingest = ingest_bench(s)
        units = len(make_units(corpus))
    return BenchReport(
        len(corpus), units, round(cold.seconds, 2), round(noop.seconds, 3), round(load, 2), tuple(latency), peak_rss_mb(),
        answer, answer_cold, answer_unbatched, answer_numpy, fresh, tuple(encoders), check_bench(corpus), ingest=ingest,
    )


def _latency(label: str, retriever, qs: list[str], method: str) -> Latency:
    """Warm query latency of `method`: a warm-up pass takes one-off costs (first calls, glossary phrase
    vectors) out; query vectors are still cleared before every timed query."""
    for q in dict.fromkeys(qs):
        retriever.search(q, k=10, method=method)
    times = []
    for q in qs:
        retriever.clear_cache()
        t = time.perf_counter()
        retriever.search(q, k=10, method=method)
        times.append((time.perf_counter() - t) * 1000)
    return Latency(label, len(times), round(percentile(times, 50), 2), round(percentile(times, 95), 2), round(sum(times) / len(times), 2))


def _answer_latency(settings, corpus, retriever, qs: list[str],
                    labels=("answer, cold", "answer", "answer, unbatched")) -> tuple[Latency, ...]:
    """Server-side answer time (retrieval, coverage, counterparts, suggestions, verification, composition):
    first before, then after `Assistant.warm` (what the app runs in the background at start), then warm
    with the question's variants for absent words encoded apart from it (the previous path); any other
    label is timed warm and batched (another query encoder in `retriever`)."""
    from assistant.crosswalk.links import read_csv
    from assistant.crosswalk.table import Crosswalk
    from assistant.answer.service import Assistant
    from assistant.retrieval.suggest import Suggester

    crosswalk = Crosswalk(read_csv(settings.crosswalk_path))
    bot = Assistant(settings, corpus, crosswalk, retriever, Suggester(retriever, crosswalk))
    out = []
    for label in labels:
        if label not in ("answer, cold", "answer, unbatched"):
            bot.warm()
        bot.batch_salience = label != "answer, unbatched"
        times = []
        for q in qs:
            retriever.clear_cache()
            t = time.perf_counter()
            bot.ask(q)
            times.append((time.perf_counter() - t) * 1000)
        out.append(Latency(label, len(times), round(percentile(times, 50), 2), round(percentile(times, 95), 2),
                           round(sum(times) / len(times), 2)))
    return tuple(out)


# Run by a small fresh interpreter that forks the measured process: Linux carries a process's peak RSS
# across fork and exec, so a child forked straight from this (model-laden) process would report our peak.
_LAUNCHER = """
import json, os, sys, time
t = time.perf_counter()
pid = os.fork()
if pid == 0:
    fd = os.open(os.devnull, os.O_WRONLY)
    os.dup2(fd, 1)
    os.dup2(fd, 2)
    os.execv(sys.executable, [sys.executable, *sys.argv[1:]])
_, status, usage = os.wait4(pid, 0)
print(json.dumps({"seconds": time.perf_counter() - t, "maxrss": usage.ru_maxrss, "code": os.waitstatus_to_exitcode(status)}))
"""


def _fresh_ask(settings, encoder: str) -> FreshAsk:
    """A fresh `assistant ask` process (index already built) with query encoder `encoder`: wall time, peak RSS."""
    import json
    import subprocess

    from assistant.config import child_env

    env = child_env(ASSISTANT_INDEX_DIR=str(settings.index_dir), ASSISTANT_CORPUS_DIR=str(settings.corpus_dir),
                    ASSISTANT_QUERY_ENCODER=encoder)
    args = ["-m", "assistant", "ask", "what did we commit on naloxone?", "--format", "json"]
    out = subprocess.run([sys.executable, "-c", _LAUNCHER, *args], env=env, capture_output=True, text=True, timeout=300)
    result = json.loads(out.stdout)
    if result["code"] != 0:
        raise RuntimeError(f"`assistant ask` with the {encoder} encoder exited {result['code']}")
    rss = result["maxrss"] / (1024 * 1024) if sys.platform == "darwin" else result["maxrss"] / 1024
    return FreshAsk(encoder, round(result["seconds"], 2), round(rss, 1))


def format_bench_text(report: BenchReport) -> str:
    """A plain-text table of the report (what `assistant bench` prints)."""
    lines = [
        f"Corpus: {report.paragraphs} paragraphs, {report.units} units",
        f"Cold index build: {report.cold_build_s:.1f} s   no-op rebuild: {report.noop_rebuild_s * 1000:.0f} ms   "
        f"retriever load: {report.load_s:.1f} s",
        "",
        f"{'method':<9} {'queries':>8} {'p50 ms':>8} {'p95 ms':>8} {'mean ms':>8}",
        "-" * 45,
    ]
    for l in report.latency:
        lines.append(f"{l.method:<9} {l.queries:>8} {l.p50_ms:>8.1f} {l.p95_ms:>8.1f} {l.mean_ms:>8.1f}")
    if report.answer_cold:
        a = report.answer_cold
        lines.append(f"{'cold ans.':<9} {a.queries:>8} {a.p50_ms:>8.1f} {a.p95_ms:>8.1f} {a.mean_ms:>8.1f}   "
                     "(full answer, server-side, counterparts worked out on demand)")
    if report.answer:
        a = report.answer
        lines.append(f"{'answer':<9} {a.queries:>8} {a.p50_ms:>8.1f} {a.p95_ms:>8.1f} {a.mean_ms:>8.1f}   "
                     "(full answer, server-side, after the start-up warm-up)")
    if report.answer_unbatched:
        a = report.answer_unbatched
        lines.append(f"{'unbatched':<9} {a.queries:>8} {a.p50_ms:>8.1f} {a.p95_ms:>8.1f} {a.mean_ms:>8.1f}   "
                     "(the same, absent words' variants encoded apart from the question: the previous path)")
    if report.answer_numpy:
        a = report.answer_numpy
        lines.append(f"{'numpy':<9} {a.queries:>8} {a.p50_ms:>8.1f} {a.p95_ms:>8.1f} {a.mean_ms:>8.1f}   "
                     "(the same with the numpy query encoder, the previous default)")
    for l in report.encoders:
        lines.append(f"{l.method:<14} {l.queries:>3} {l.p50_ms:>8.1f} {l.p95_ms:>8.1f} {l.mean_ms:>8.1f}   (query encoder side by side)")
    if report.fresh:
        lines += ["", f"{'fresh `assistant ask`':<24} {'wall s':>8} {'peak RSS MB':>12}"]
        lines += [f"{'query encoder ' + f.encoder:<24} {f.seconds:>8.2f} {f.peak_rss_mb:>12.0f}" for f in report.fresh]
    lines += check_lines(report.check)
    if report.ingest:
        i = report.ingest
        lines += ["", f"Add a {i.paragraphs}-paragraph text document: {i.add_s:.1f} s (index {i.index}), remove it: "
                      f"{i.remove_s:.1f} s; full rebuild: {i.rebuild_s:.1f} s; add = {i.add_s / i.rebuild_s:.0%} of a "
                      "rebuild (fresh processes)"]
    lines += ["", f"Peak RSS of this benchmark process (model loaded for the build): {report.peak_rss_mb:.0f} MB"]
    return "\n".join(lines)


@dataclass(frozen=True)
class CheckBench:
    """The draft checker: building its n-gram index, and checking a draft of `words` words warm (`runs` times)."""

    words: int
    runs: int
    build_ms: float
    p50_ms: float
    p95_ms: float
    max_ms: float


def check_bench(corpus, words: int = 1000, runs: int = 30) -> CheckBench:
    """Time `Matcher(corpus)` and `check_draft` on a draft spliced from corpus fragments, altered words and new text."""
    from assistant.drafting.check import check_draft
    from assistant.drafting.matcher import Matcher

    t = time.perf_counter()
    matcher = Matcher(corpus)
    build = (time.perf_counter() - t) * 1000
    text = sample_draft(corpus, words)
    check_draft(text, matcher)  # warm-up
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        check_draft(text, matcher)
        times.append((time.perf_counter() - t) * 1000)
    return CheckBench(len(text.split()), runs, round(build, 1), round(percentile(times, 50), 1),
                      round(percentile(times, 95), 1), round(max(times), 1))


def sample_draft(corpus, words: int = 1000, seed: int = 0) -> str:
    """A realistic draft: sentences cut from random paragraphs, some with a word changed, between new sentences."""
    import random

    rng = random.Random(seed)
    paragraphs = list(corpus)
    filler = "our delegation believes that the coming decade will require renewed and determined common action".split()
    out: list[str] = []
    while sum(len(s.split()) for s in out) < words:
        piece = rng.choice(paragraphs).text.split()
        start = rng.randrange(len(piece))
        piece = piece[start : start + rng.randint(8, 40)]
        if rng.random() < 0.4:
            piece[rng.randrange(len(piece))] = rng.choice(filler)
        out.append(" ".join(piece).rstrip(",;:.") + ".")
        out.append(" ".join(rng.sample(filler, rng.randint(4, 10))).capitalize() + ".")
    return " ".join(" ".join(out).split()[:words])


def check_lines(c: CheckBench | None) -> list[str]:
    if c is None:
        return []
    return ["", f"Draft check ({c.words} words, {c.runs} runs): p50 {c.p50_ms:.1f} ms, p95 {c.p95_ms:.1f} ms, "
                f"max {c.max_ms:.1f} ms (target 200 ms); index build {c.build_ms:.0f} ms"]


@dataclass(frozen=True)
class IngestBench:
    """Fresh-process wall times: `assistant add` and `remove` of one document, and `assistant index --rebuild`."""

    paragraphs: int
    add_s: float
    remove_s: float
    rebuild_s: float
    index: str  # what the add did to the index: "updated" (its units only) or "built" (a full rebuild)


def ingest_bench(settings, paragraphs: int = 10) -> IngestBench:
    """Time add, remove and a full rebuild as separate `assistant` processes, on copies of the corpus and of
    `settings`' index (which must serve that corpus): the user's files are never written."""
    import json
    import shutil
    import subprocess

    from assistant.config import child_env

    with tempfile.TemporaryDirectory(prefix="assistant-bench-add-") as tmp:
        root = Path(tmp)
        shutil.copytree(settings.corpus_dir, root / "corpus")
        shutil.copytree(settings.index_dir, root / "index")
        doc = root / "declaration.txt"
        doc.write_text("Declaration\n\n" + "\n\n".join(
            f"{n}. We resolve to strengthen measure {n} against the world drug problem, in full conformity with the "
            "purposes and principles of the Charter of the United Nations and international law." for n in range(1, paragraphs + 1)
        ), encoding="utf-8")
        env = child_env(ASSISTANT_CORPUS_DIR=str(root / "corpus"), ASSISTANT_INDEX_DIR=str(root / "index"))
        times, outputs = [], []
        for args in (["add", str(doc), "--doc", "BENCH2025", "--title", "Bench", "--year", "2025", "--format", "json"],
                     ["remove", "BENCH2025"], ["index", "--rebuild"]):
            t = time.perf_counter()
            proc = subprocess.run([sys.executable, "-m", "assistant", *args], env=env, capture_output=True, text=True)
            times.append(round(time.perf_counter() - t, 2))
            if proc.returncode != 0:
                raise RuntimeError(f"`assistant {args[0]}` exited {proc.returncode}: {proc.stderr.strip()[-300:]}")
            outputs.append(proc.stdout)
    return IngestBench(paragraphs, *times, json.loads(outputs[0])["index"])
