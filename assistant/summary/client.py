"""Optional written summaries of retrieved quotes by an OpenAI-compatible LLM, verified before display."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterator, Protocol, Sequence

from assistant.summary import prompts
from assistant.config import Settings

MAX_RETRIES = 1
MAX_TOKENS = 400
TEMPERATURE = 0.2

# Statuses, in order of trust.
VERIFIED, FLAGGED, WITHHELD, UNAVAILABLE = "verified", "flagged", "withheld", "unavailable"
# Issue kinds.
INVENTED_ID, UNVERIFIED_QUOTE, UNCITED_SENTENCE = "invented_id", "unverified_quote", "uncited_sentence"


class QuoteLike(Protocol):
    """Anything with a paragraph ID and its verbatim text, e.g. `answer.Quote`."""

    id: str
    text: str


@dataclass(frozen=True)
class Issue:
    """One verification failure in one sentence of a summary."""

    kind: str
    sentence: str
    detail: str


@dataclass(frozen=True)
class SentenceCheck:
    """A summary sentence, the given quote IDs it cites, and what failed in it."""

    text: str
    cited: tuple[str, ...]
    issues: tuple[Issue, ...]

    @property
    def ok(self) -> bool:
        return not self.issues


@dataclass(frozen=True)
class Verification:
    """The per-sentence check of a summary against the quotes it was written from."""

    sentences: tuple[SentenceCheck, ...]

    @property
    def issues(self) -> tuple[Issue, ...]:
        return tuple(issue for s in self.sentences for issue in s.issues)

    @property
    def failed(self) -> int:
        return sum(not s.ok for s in self.sentences)

    @property
    def status(self) -> str:
        """verified (no issue), withheld (any unverified quotation, or most sentences fail), else flagged."""
        if not self.sentences:
            return WITHHELD
        if any(i.kind == UNVERIFIED_QUOTE for i in self.issues) or 2 * self.failed > len(self.sentences):
            return WITHHELD
        return FLAGGED if self.failed else VERIFIED


@dataclass(frozen=True)
class Summary:
    """A summary and its verdict; only `summary_markdown` decides what of `text` a user sees."""

    text: str
    status: str
    issues: tuple[Issue, ...] = ()
    note: str = ""
    sentences: tuple[SentenceCheck, ...] = ()


# ---------------------------------------------------------------- verification

_LIST_MARKER = re.compile(r"^\s*(?:#+|[-*+•]|\d+[.)])\s+", re.M)
_SENTENCE_END = re.compile(r"[.!?]+[\"”’')\]]*(?=\s)")
_ABBREVIATION = re.compile(r"\b(?:paras?|e\.g|i\.e|cf|nos?|arts?|sect|vol|op|pp?|etc|viz|mrs?|ms|dr|st)\.$", re.I)
_LEADING_CITATIONS = re.compile(r"^(?:\s*\[[^\[\]\n]*\])+")
_BRACKET = re.compile(r"\[([^\[\]\n]*)\]")
_ID_SEPARATOR = re.compile(r"\s*(?:[,;]|\band\b)\s*")
_DOUBLE_QUOTED = re.compile(r"\"((?:[^\"\n]|\n(?!\s*\n))+)\"|“((?:[^”\n]|\n(?!\s*\n))+)”")  # within a paragraph
_SINGLE_QUOTED = re.compile(r"‘([^’\n]+)’|(?<!\w)'([^'\n]+?)'(?!\w)")
_ELLIPSIS = re.compile(r"\s*(?:\.\.\.|…)\s*")
_MIN_SINGLE_QUOTED_WORDS = 3


def _quote_spans(sentence: str) -> list[tuple[int, int, str]]:
    """(start, end, quoted text) of every quotation: double-quoted of any length, single-quoted of 3+ words."""
    spans = [(m.start(), m.end(), m.group(1) or m.group(2)) for m in _DOUBLE_QUOTED.finditer(sentence)]
    for m in _SINGLE_QUOTED.finditer(sentence):
        inner = m.group(1) or m.group(2)
        if len(inner.split()) >= _MIN_SINGLE_QUOTED_WORDS and not any(s <= m.start() < e for s, e, _ in spans):
            spans.append((m.start(), m.end(), inner))
    return spans


def split_sentences(text: str) -> tuple[str, ...]:
    """Sentences of `text`; a citation written after the full stop stays with its sentence."""
    text = _LIST_MARKER.sub("", text)
    protected = [(s, e) for s, e, _ in _quote_spans(text)]
    ends = [m.end() for m in _SENTENCE_END.finditer(text) if not _ABBREVIATION.search(text[: m.start() + 1])]
    ends += [m.start() for m in re.finditer(r"\n", text)]
    cuts = sorted({end for end in ends if not any(s < end < e for s, e in protected)})
    sentences: list[str] = []
    for start, end in zip([0, *cuts], [*cuts, len(text)]):
        piece = text[start:end]
        lead = _LEADING_CITATIONS.match(piece)
        if lead and sentences:
            sentences[-1] += " " + _squash(lead.group(0))
            piece = piece[lead.end() :]
        if re.search(r"\w", piece):
            sentences.append(piece.strip())
    return tuple(sentences)


def _squash(text: str) -> str:
    return " ".join(text.split())


def _found_in(quoted: str, source: str) -> bool:
    """Whether `quoted` is verbatim in `source` (whitespace runs aside; '...' joins in-order fragments)."""
    source = _squash(source)
    fragments = [f for f in _ELLIPSIS.split(_squash(quoted)) if f]
    position = 0
    for n, fragment in enumerate(fragments):
        found = source.find(fragment, position)
        if found < 0 and n == len(fragments) - 1 and fragment.rstrip(".,;:"):
            # Quoting convention lets the writer's own full stop or comma sit inside the quotation marks.
            found = source.find(fragment.rstrip(".,;:"), position)
        if found < 0:
            return False
        position = found + len(fragment)
    return bool(fragments)


def _check_sentence(sentence: str, by_id: dict[str, str]) -> SentenceCheck:
    spans = _quote_spans(sentence)
    issues: list[Issue] = []
    cited: list[str] = []
    for m in _BRACKET.finditer(sentence):
        if any(s <= m.start() < e for s, e, _ in spans):
            continue
        for token in filter(None, _ID_SEPARATOR.split(m.group(1).strip())):
            if token not in by_id:
                issues.append(Issue(INVENTED_ID, sentence, f"[{token}] is not one of the quotes given"))
            elif token not in cited:
                cited.append(token)
    sources = cited or list(by_id)
    for _, _, quoted in spans:
        if not any(_found_in(quoted, by_id[i]) for i in sources):
            elsewhere = [i for i in by_id if i not in sources and _found_in(quoted, by_id[i])]
            where = f"the cited text ({', '.join(cited)})" if cited else "any quote given"
            hint = f"; it is in {', '.join(elsewhere)}, which the sentence does not cite" if elsewhere else ""
            detail = f"quotation “{quoted}” is not verbatim in {where}{hint}"
            issues.append(Issue(UNVERIFIED_QUOTE, sentence, detail))
    if not cited:
        issues.append(Issue(UNCITED_SENTENCE, sentence, "cites none of the quotes given"))
    return SentenceCheck(sentence, tuple(cited), tuple(issues))


def verify(text: str, quotes: Sequence[QuoteLike]) -> Verification:
    """Check every sentence: cited IDs are given quotes, quotations are verbatim in what it cites, it cites one."""
    by_id = {q.id: q.text for q in quotes}
    return Verification(tuple(_check_sentence(s, by_id) for s in split_sentences(text)))


def check(text: str, quotes: Sequence[QuoteLike]) -> Summary:
    """The `Summary` of a model's `text`: verified, flagged or withheld (empty text is unavailable)."""
    if not isinstance(text, str) or not text.strip():
        return Summary("", UNAVAILABLE, note="The summary service returned no text.")
    verification = verify(text, quotes)
    status, n, failed = verification.status, len(verification.sentences), verification.failed
    if status == VERIFIED:
        note = "Every sentence cites a quote above and every quotation matches its source."
    elif status == FLAGGED:
        note = f"{failed} of {n} sentences failed verification and are marked."
    elif any(i.kind == UNVERIFIED_QUOTE for i in verification.issues):
        note = "It puts in quotation marks words that are not in the text it cites."
    else:
        note = f"{failed} of {n} sentences failed verification."
    return Summary(text, status, verification.issues, note, verification.sentences)


# ---------------------------------------------------------------- the model call

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

    client = OpenAI(
        base_url=settings.llm_base_url,
        # Local servers ignore the key, but the client insists on one; never fall back to OPENAI_API_KEY.
        api_key=settings.llm_api_key or "not-needed",
        timeout=settings.llm_timeout,
        max_retries=MAX_RETRIES,
    )
    return client.chat.completions.create(
        model=settings.llm_model,
        messages=build_messages(question, quotes),
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

    Show the deltas only as a draft, then replace them with `summary_markdown(stream.summary)`.
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


# ---------------------------------------------------------------- display

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+\-.!|~$&])")


def escape_markdown(text: str) -> str:
    """`text` with Markdown's special characters and `$` (LaTeX in Streamlit) backslash-escaped."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def summary_markdown(summary: Summary) -> str:
    """Markdown for a summary: failures marked ⚠, withheld text never shown, all model text escaped."""
    note = escape_markdown(summary.note)
    if summary.status == UNAVAILABLE:
        return f"*Summary unavailable: {note}*"
    if summary.status == WITHHELD:
        return f"**Summary withheld.** {note} The quotes above are the answer."
    sentences = summary.sentences or tuple(SentenceCheck(s, (), ()) for s in split_sentences(summary.text))
    body = " ".join(
        escape_markdown(s.text) if s.ok
        else f"⚠ {escape_markdown(s.text)} *(⚠ {escape_markdown('; '.join(i.detail for i in s.issues))})*"
        for s in sentences
    )
    if summary.status == VERIFIED:
        return f"**Summary** (machine-written from the quotes above; citations and quotations checked)\n\n{body}"
    return f"**Draft summary** ⚠ {note}\n\n{body}"
