"""Helpers shared by tests: small corpora with their own index, and real servers on 127.0.0.1."""

import shutil
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

# Texts every query encoder must embed alike: a question, a phrase, one letter, French, Russian, Chinese,
# punctuation of all kinds, and a text beyond the model's 256-word-piece window.
ENCODER_SAMPLES = [
    "what did we commit on naloxone?",
    "needle exchange",
    "a",
    "Développement alternatif et éradication des cultures illicites ?",
    "что сказано об альтернативном развитии?",
    "关于替代发展的承诺",
    "money-laundering, know-your-customer; “quoted” — dashes… " * 60,
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, proc: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                raise RuntimeError(f"server on port {port} did not start")
            time.sleep(0.2)


@dataclass(frozen=True)
class ChromaServer:
    proc: subprocess.Popen
    port: int

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()


def start_chroma(path: Path) -> ChromaServer:
    """A real `chroma run` server on a free loopback port, storing under `path`."""
    port = free_port()
    proc = subprocess.Popen(
        [str(Path(sys.executable).parent / "chroma"), "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    wait_for_port(port, proc)
    return ChromaServer(proc, port)


def small_settings(tmp_path: Path, keep: list[str], glossary: bool = False, build: bool = False):
    """Settings for a corpus of the real paragraphs `keep` (with the real crosswalk, and the glossary if
    asked) under `tmp_path`, with its own index there; built if `build`."""
    from assistant.config import Settings
    from assistant.corpus.load import load_corpus
    from assistant.retrieval.embed import Embedder
    from assistant.retrieval.index import ensure_index

    real = Settings.from_env()
    corpus_dir = tmp_path / "corpus"
    corpus_dir.mkdir(parents=True)
    paragraphs = load_corpus(real)
    (corpus_dir / "paragraphs.jsonl").write_text("".join(paragraphs.get(p).to_json() + "\n" for p in keep), encoding="utf-8")
    shutil.copy(real.crosswalk_path, corpus_dir / "crosswalk.csv")
    if glossary:
        shutil.copy(real.glossary_path, corpus_dir / "glossary.toml")
    settings = Settings.from_env(corpus_dir=corpus_dir, index_dir=tmp_path / "index", chroma_host=None)
    if build:
        ensure_index(settings, load_corpus(settings), Embedder(settings), progress=False)
    return settings


def stored_vectors(settings) -> dict:
    """Every vector of the current index, by unit id (read through the store, closed after)."""
    from assistant.retrieval.index import open_index

    vs = open_index(settings)
    try:
        ids = vs.ids()
        return dict(zip(ids, vs.embeddings(ids)))
    finally:
        vs.close()
