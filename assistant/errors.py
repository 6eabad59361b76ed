"""Domain errors raised by the package and translated to clear messages by the CLI and the app."""

from __future__ import annotations


class AssistantError(Exception):
    """Base of every error a user may see; `str(err)` is the message to show."""


class UnknownParagraph(AssistantError):
    """A paragraph reference that names no paragraph, or more than one."""

    def __init__(self, ref: str, suggestions: tuple[str, ...] = (), reason: str = "unknown"):
        self.ref = ref
        self.suggestions = tuple(suggestions)
        self.reason = reason
        msg = f"{reason.capitalize()} paragraph reference: {ref!r}."
        if self.suggestions:
            msg += " Did you mean: " + ", ".join(self.suggestions) + "?"
        super().__init__(msg)


class CorpusError(AssistantError):
    """The canonical corpus is missing, unreadable or inconsistent."""


class IndexNotBuilt(AssistantError):
    """No usable index: run `assistant index`."""


class IndexStale(IndexNotBuilt):
    """The index was built from another corpus, model or chromadb version: run `assistant index`."""


class IndexBusy(AssistantError):
    """Another process holds the index lock."""


class IndexCorrupt(AssistantError):
    """The index failed its health check: rebuild needed (`assistant index --rebuild`)."""


class IndexUnreadable(AssistantError):
    """The index exists but this process may not read it (permissions): not corrupt, do not rebuild."""


class ModelMissing(AssistantError):
    """The embedding model cannot be found where the settings say."""


class StoreUnavailable(AssistantError):
    """The Chroma server cannot be reached."""


class BadQuery(AssistantError):
    """A query that cannot be searched (empty, whitespace only)."""


class UnverifiedQuote(AssistantError):
    """A quote that is not an exact substring of its paragraph's canonical text."""


class DocumentRejected(AssistantError):
    """A user-supplied document that cannot be added (bad PDF, too large, no text...)."""


class BadSetting(AssistantError):
    """An environment setting with a value the program does not accept (e.g. ASSISTANT_CITATION=long)."""


class BadOutput(AssistantError):
    """An output the command cannot produce: a format that needs --output without one, or a file it cannot write."""
