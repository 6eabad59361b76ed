"""Optional written summaries of retrieved quotes by an OpenAI-compatible LLM, verified before display."""

from __future__ import annotations

import re
from typing import Iterator, Sequence

from assistant.config import Settings
from assistant.summary import prompts
from assistant.summary.verify import UNAVAILABLE, QuoteLike, Summary, check

MAX_RETRIES = 1
MAX_TOKENS = 400
TEMPERATURE = 0.2

_TAG_OPENER = re.compile(r"<(?=\s*/?\s*(?:question|quotes?)\b)", re.I)


def _data(text: str) -> str:
    """`text` made unable to open or close the prompt's data blocks."""
    return _TAG_OPENER.sub("‹", text)


def build_messages(question: str, quotes: Sequence[QuoteLike]) -> list[dict[str, str]]:
    """The chat messages: fixed rules as system, question and quotes as delimited data as user."""
    block = "\n".join(f'<quote id="{_data(q.id)}">\n{_data(q.text)}\n</quote>' for q in quotes)
    user = prompts.render("summary_user", question=_data(question), quotes=block, example_id=quotes[0].id)
    return [{"role": "system", "content": prompts.render("summary_system")}, {"role": "user", "content": user}]


def _unavailable(note: str) -> Summary:
    return Summary("", UNAVAILABLE, note=note)


def _precheck(settings: Settings, quotes: Sequence[QuoteLike]) -> Summary | None:
    if not (settings.llm_base_url and settings.llm_model):
        return _unavailable("Summaries are off: set ASSISTANT_LLM_BASE_URL and ASSISTANT_LLM_MODEL to turn them on.")
    if not quotes:
        return _unavailable("No quotes to summarise.")
    return None


def _explain(err: Exception, settings: Settings) -> str:
    """The note for a failed summary: a local prompt template problem, the package, or the service's fault."""
    if isinstance(err, prompts.PromptError):  # our own template, not the service: say so, and what to fix
        return f"The summary prompt could not be built: {err}"
    try:
        import openai
    except ImportError:
        return "Summaries need the `openai` package, which is not installed."
    if isinstance(err, openai.APITimeoutError):
        return f"The summary service did not answer within {settings.llm_timeout:g} s."
    if isinstance(err, openai.APIConnectionError):
        return f"The summary service cannot be reached at {settings.llm_base_url}."
    if isinstance(err, openai.APIStatusError):
        return f"The summary service returned an error (HTTP {err.status_code})."
    return f"The summary service returned a malformed response ({type(err).__name__})."


def _create(settings: Settings, question: str, quotes: Sequence[QuoteLike], stream: bool):
    from openai import OpenAI  # lazily: summaries are optional

    messages = build_messages(question, quotes)  # first: a broken template must cost no request
    client = OpenAI(
        base_url=settings.llm_base_url,
        # Local servers ignore the key, but the client insists on one; never fall back to OPENAI_API_KEY.
        api_key=settings.llm_api_key or "not-needed",
        timeout=settings.llm_timeout,
        max_retries=MAX_RETRIES,
    )
    return client.chat.completions.create(
        model=settings.llm_model,
        messages=messages,
        temperature=TEMPERATURE,
        max_tokens=MAX_TOKENS,
        stream=stream,
    )


def summarize(settings: Settings, question: str, quotes: Sequence[QuoteLike]) -> Summary:
    """A verified summary of `quotes` answering `question`; never raises, 'unavailable' when it cannot."""
    quotes = tuple(quotes)
    if (off := _precheck(settings, quotes)) is not None:
        return off
    try:
        text = _create(settings, question, quotes, stream=False).choices[0].message.content
    except Exception as err:  # an optional service must never take the quotes down with it
        return _unavailable(_explain(err, settings))
    return check(text, quotes)


class SummaryStream:
    """Iterator over the summary's text deltas; `.summary` holds the verified `Summary` once it ends.

    Show the deltas only as a draft, then replace them with `present.markdown.summary_markdown(stream.summary)`.
    """

    def __init__(self, settings: Settings, question: str, quotes: Sequence[QuoteLike]):
        self.summary: Summary | None = None
        self._deltas = self._run(settings, question, tuple(quotes))

    def __iter__(self) -> Iterator[str]:
        return self

    def __next__(self) -> str:
        return next(self._deltas)

    def result(self) -> Summary:
        """The verified `Summary`, reading whatever deltas are left."""
        for _ in self:
            pass
        return self.summary

    def _run(self, settings: Settings, question: str, quotes: tuple[QuoteLike, ...]) -> Iterator[str]:
        if (off := _precheck(settings, quotes)) is not None:
            self.summary = off
            return
        parts: list[str] = []
        try:
            with _create(settings, question, quotes, stream=True) as chunks:
                for chunk in chunks:
                    delta = chunk.choices[0].delta.content if chunk.choices else None
                    if delta:
                        parts.append(delta)
                        yield delta
        except Exception as err:  # an optional service must never take the quotes down with it
            self.summary = _unavailable(_explain(err, settings) + (" (interrupted)" if parts else ""))
            return
        self.summary = check("".join(parts), quotes)


def stream_summary(settings: Settings, question: str, quotes: Sequence[QuoteLike]) -> SummaryStream:
    """Like `summarize`, streamed: iterate for text deltas, then read `.summary`; never raises."""
    return SummaryStream(settings, question, quotes)
