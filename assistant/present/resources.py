"""The app's shared, read-only resources: one query encoder per process, one assistant per corpus version."""

from __future__ import annotations

import streamlit as st

from assistant.config import Settings
from assistant.retrieval.index import current_version


def shared_encoder(settings: Settings):
    """The query encoder every assistant and every add of this process uses: the model is loaded once (again
    only when the ONNX export appears, made by the app's "Build the index" or `assistant index`)."""
    from assistant.retrieval.embed import exported

    return _encoder(settings, exported(settings))


@st.cache_resource(show_spinner=False)
def _encoder(settings: Settings, onnx: bool):
    # `onnx` only keys the cache, so an export made while the app runs is used from the next page run.
    from assistant.retrieval.embed import query_encoder

    return query_encoder(settings)


@st.cache_resource(show_spinner="Loading the documents and the search index…", max_entries=2)
def _assistant(settings: Settings, version: str):
    # `version` only keys the cache: an add, a remove or a build loads a new instance on the next run, and
    # the previous one stays for sessions still answering with it (its index generation is kept on disk).
    import threading

    from assistant.answer.service import Assistant

    bot = Assistant.load(settings, embedder=shared_encoder(settings))
    if settings.warm_start:  # counterparts for every paragraph, worked out while the first questions are typed
        threading.Thread(target=bot.warm, name="assistant-warm", daemon=True).start()
    return bot


def shared_assistant(settings: Settings):
    """The Assistant for the corpus and index being served now; never mutated, shared by every session."""
    return _assistant(settings, current_version(settings))
