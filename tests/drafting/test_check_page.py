"""The "Check a draft" page driven by AppTest: statuses, official wording and citations shown literally, downloads,
clear errors; on its own (no index needed) and through the app's navigation."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from assistant.present.escape import escape_md

ROOT = Path(__file__).resolve().parents[2]
PAGE = str(ROOT / "app_pages" / "check.py")
APP = str(ROOT / "app.py")
HOSTILE = "<b>x</b> **y** $z$ [a](javascript:alert(1))"


def _unescape(md: str) -> str:
    """The text a CommonMark renderer shows for our escaped Markdown."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", md).replace("  \n", "\n")


def _ok(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def _check(at: AppTest, text: str) -> AppTest:
    at.text_area(key="draft_text").input(text)
    [b for b in at.button if b.label == "Check"][0].click().run()
    return at


def _page() -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=60).run()
    _ok(at)
    return at


@pytest.fixture(scope="module")
def draft(corpus) -> dict[str, str]:
    jms = corpus.get("JMS2014:B.29").text
    exact = corpus.get("UNGASS2016:1.m").text.rstrip(";")
    near = "Urge all" + jms[len("Encourage") : jms.index(", which is used")]
    return {"exact": exact, "near": near, "agreed_near": jms[: jms.index(", which is used")],
            "text": f"{near}.\n\nWe will {exact}. {HOSTILE}"}


def test_statuses_wording_and_citations_are_shown(draft):
    at = _check(_page(), draft["text"])
    _ok(at)
    shown = [_unescape(m.value) for m in at.markdown]
    assert ":orange-badge[Near-agreed]" in shown and ":green-badge[Agreed]" in shown and ":gray-badge[New]" in shown
    assert f"Official wording: “{draft['exact']}”" in shown
    assert f"Official wording: “{draft['agreed_near']}”" in shown
    assert "Changed: ~~Encourage~~ → **Urge all**" in shown
    assert "2016 Outcome Document, para. 1 (m) `UNGASS2016:1.m`" in shown
    codes = [c.value for c in at.code]
    assert f"“{draft['exact']}” (2016 Outcome Document, para. 1 (m))" in codes
    summary = r"\d+% of the draft \(\d+ of \d+ words\) is agreed language, .* 2 documents \(.*\)\."
    assert any(re.fullmatch(summary, m) for m in shown)
    assert [m.label for m in at.metric] == ["Agreed", "Near-agreed", "New"]
    assert [b.label for b in at.get("download_button")] == ["Markdown", "Word", "JSON"]


def test_hostile_text_is_shown_literally(draft):
    at = _check(_page(), draft["text"])
    _ok(at)
    assert not at.get("html")
    assert any(escape_md(HOSTILE) in m.value for m in at.markdown)
    for element in [*at.markdown, *at.caption]:
        value = element.value
        assert not re.search(r"(?<!\\)[<$]", value), value
        assert "javascript:" not in value and not re.search(r"(?<!\\)\]\(", value), value


def test_empty_and_oversized_drafts_get_a_clear_error():
    at = _check(_page(), "   \n ")
    assert not at.exception
    assert [_unescape(e.value) for e in at.error] == ["The draft is empty: paste or upload the text to check."]
    at = _check(at, "word " * 40_001)
    assert not at.exception and "too large" in at.error[0].value
    assert not at.markdown or not any("badge[" in m.value for m in at.markdown)


def test_a_new_check_replaces_the_previous_result(draft):
    at = _check(_page(), draft["text"])
    at = _check(at, "Nothing agreed here at all, only Ruritanian ideas.")
    _ok(at)
    badges = [m.value for m in at.markdown if "badge[" in m.value]
    assert badges == [":gray-badge[New]"]


@pytest.mark.slow
def test_page_is_in_the_apps_navigation(full_index, draft):
    at = AppTest.from_file(APP, default_timeout=120).run()
    _ok(at)
    at.switch_page("app_pages/check.py").run()
    _ok(at)
    assert at.title[0].value == "Check a draft"
    at = _check(at, draft["text"])
    _ok(at)
    assert any("UNGASS2016:1.m" in m.value for m in at.markdown)
