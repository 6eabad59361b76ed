"""The app's panel when the index is missing or stale: what is wrong, a "Build the index" button, a progress bar."""

from __future__ import annotations

import streamlit as st

from assistant.config import Settings
from assistant.present.escape import escape_md
from assistant.retrieval.doctor import Diagnosis


def index_panel(settings: Settings, diagnosis: Diagnosis) -> bool:
    """Show what the doctor found; return True once the index has been built in this run."""
    for f in diagnosis.findings:
        if not f.ok:
            st.error(escape_md(f"{f.name.capitalize()}: {f.detail}") + (f"\n\nFix: {escape_md(f.fix)}" if f.fix else ""))
    index = diagnosis.finding("index")
    if index is None or index.ok:
        return False
    st.caption("Questions need the search index. Building it embeds every paragraph once (about half a minute); "
               "from the command line the same is `assistant index`.")
    if not st.button("Build the index", icon=":material/build:", type="primary"):
        return False
    from assistant.corpus.load import load_corpus
    from assistant.retrieval.embed import Embedder
    from assistant.retrieval.index import ensure_index

    bar = st.progress(0.0, text="Loading the embedding model…")
    report = ensure_index(
        settings, load_corpus(settings), Embedder(settings), rebuild=not index.detail.startswith("no index"),
        progress=False, on_progress=lambda done, total: bar.progress(done / total, text=f"Embedded {done} of {total} passages"),
    )
    from assistant.retrieval.embed import export_onnx, exported

    if not exported(settings):
        bar.progress(1.0, text="Preparing the fast query encoder (once)…")
        export_onnx(settings)
    bar.progress(1.0, text=f"Index built: {report.units} passages in {report.seconds:.0f} s.")
    return True
