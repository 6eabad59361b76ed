"""Tests for the 2016→2009 crosswalk, on the real flattened table in corpus/raw."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.crosswalk import build
from assistant.crosswalk import links as csvlinks
from assistant.crosswalk import table as queries
from assistant.corpus.order import id_sort_key
from assistant.corpus.sources import crosswalk_table as table
from assistant.corpus.sources import fulltext2009

ROOT = Path(__file__).resolve().parents[2]
RAW = ROOT / "corpus" / "raw"

# Existing 2009 ids, read off corpus/raw/2009_Political_Declaration_and_Plan_of_Action.txt.
_POA_ITEMS = {
    2: "abcdefgh", 4: "abcdefghi", 6: "abc", 8: "abc", 10: "abc", 12: "abcd", 14: "abc", 16: "abcd",
    18: "abcde", 20: "abcdefgh", 22: "abcdefghijklmnopq", 24: "abcdefgh", 26: "abcd", 28: "ab",
    30: "abcdefghij", 32: "abcde", 34: "abc", 36: "abcde", 38: "abc", 41: "abcdefghijklmnopqrstuv",
    43: "abcde", 45: "abcdefghijklmno", 47: "abcdefghijklmn", 49: "abcdefghi", 54: "abcdef",
    56: "abcde", 58: "abc", 60: "abc", 64: "abcdefgh",
}
_POA_51 = {"a": 7, "b": 7, "c": 5, "d": 3}
_ROMAN = ["i", "ii", "iii", "iv", "v", "vi", "vii"]
PROBLEMS = {f"PoA2009:{n}" for n in [*range(1, 40, 2), 40, 42, 44, 46, 48, 50, 52, 53, 55, 57, 59, 61, 63]}
KNOWN = (
    {f"PD2009:{n}" for n in range(1, 41)}
    | {"PD2009:24.a", "PD2009:24.b", "PD2009:24.b.i", "PD2009:24.b.ii", "PD2009:24.b.iii", "PD2009:24.c"}
    | {f"PD2009:36.{x}" for x in "abcde"}
    | {f"PoA2009:{n}" for n in range(1, 65)}
    | {f"PoA2009:{n}.{x}" for n, xs in _POA_ITEMS.items() for x in xs}
    | {f"PoA2009:51.{x}" for x in _POA_51}
    | {f"PoA2009:51.{x}.{r}" for x, n in _POA_51.items() for r in _ROMAN[:n]}
)
U = "UNGASS2016:"


@pytest.fixture(scope="module")
def links() -> list[csvlinks.Link]:
    return build.build_links(RAW, KNOWN, PROBLEMS)


@pytest.fixture(scope="module")
def walk(links) -> queries.Crosswalk:
    return queries.Crosswalk(links)


@pytest.fixture(scope="module")
def rows() -> list[table.TableRow]:
    return table.parse(RAW / table.FILE)


def one(walk: queries.Crosswalk, source: str, target: str) -> csvlinks.Link:
    found = [k for k in walk.sources_of(U + source) if k.target == target]
    assert len(found) == 1, (source, target, walk.sources_of(U + source))
    return found[0]


def targets(walk: queries.Crosswalk, source: str) -> list[str]:
    return [k.target for k in walk.sources_of(U + source)]


def test_every_row_of_the_table_is_parsed_once(rows):
    expected = ["1"] + [f"{ch}.{x}" for ch, last in zip("1234567", "rguoyel") for x in map(chr, range(97, ord(last) + 1))]
    assert [r.label for r in rows] == sorted((U + x for x in expected), key=id_sort_key)
    assert next(r for r in rows if r.label == U + "1.p").raw_label == "[missing] 1.p)"
    assert next(r for r in rows if r.label == U + "3.r").raw_label == "[missing] 3.r)"


def test_single_line_row(walk):
    assert targets(walk, "1.b") == ["PoA2009:12.c", "PoA2009:8.c", "PoA2009:4.a", "PoA2009:4.g", "PoA2009:6.c"]
    assert {k.confidence for k in walk.sources_of(U + "1.b")} == {"exact"}
    assert all(k.line == 4 and k.resolved for k in walk.sources_of(U + "1.b"))


def test_spilled_rows(walk):
    assert targets(walk, "1.h") == [
        "PoA2009:18.d", "PD2009:15", "PoA2009:20.a", "PoA2009:20.b", "PoA2009:20.c", "PoA2009:20.g",
        "PoA2009:18.a", "PoA2009:2.h", "PoA2009:2.g", "PoA2009:4.i",
    ]
    assert targets(walk, "1.i") == [
        "PD2009:20", "PD2009:21", "PoA2009:4.a", "PoA2009:4.h", "PoA2009:6.a", "PoA2009:6.c", "PoA2009:12.b",
    ]
    assert targets(walk, "1.k") == [
        "PD2009:22", "PoA2009:2.d", "PoA2009:18.e", "PoA2009:20.f", "PoA2009:10.b", "PD2009:9",
        "PoA2009:42.f", "PoA2009:16.c", "PoA2009:14.a", "PoA2009:14.b",
    ]
    assert one(walk, "1.k", "PoA2009:2.d").line == 33


def test_rerendered_block_of_1l_to_1o(walk):
    assert targets(walk, "1.l") == [""]
    assert targets(walk, "1.m") == [""]
    assert targets(walk, "1.n") == ["PD2009:32", "PoA2009:24.h"]  # its N/A is an echo of 1 (m)
    assert targets(walk, "1.o") == ["PoA2009:10.b", "PD2009:20", "PoA2009:4.i", "PoA2009:16.a", "PoA2009:16.c"]
    assert targets(walk, "1.p") == []


def test_duplicates_keep_first_occurrence(walk):
    assert one(walk, "1.h", "PoA2009:18.d").line == 13  # "Action 18 .d Action 18 .d"
    assert one(walk, "1.c", "PoA2009:4.f").raw == "Action 4.f"
    assert one(walk, "3.q", "PD2009:36.e").line == 146  # duplicated lines 146-152
    assert one(walk, "1.i", "PoA2009:6.c").raw == "Action 6.c"  # before "Action 6.C" on line 28


@pytest.mark.parametrize(
    ("source", "target", "raw"),
    [
        ("1.g", "PoA2009:6.b", "Action 6 .b"),
        ("5.n", "PoA2009:24.f", "Antion 24 f"),
        ("3.h", "PD2009:26", "OP26"),
        ("5.d", "PoA2009:32.l", "Action 32.I"),
        ("3.i", "PoA2009:51.a.v", "Action 51 a.v"),
        ("4.i", "PD2009:24.c", "OP. 24 c."),
        ("1.i", "PD2009:20", "OP 20,"),
        ("3.p", "PoA2009:51.d.ii", "Action d.ii"),
        ("4.g", "PD2009:9", "PP 9"),
    ],
)
def test_garbled_references(walk, source, target, raw):
    link = one(walk, source, target)
    assert link.raw == raw
    assert link.confidence in {"repaired", "ambiguous"}


def test_garbled_action_6C_is_repaired_then_deduplicated(rows):
    repairs = table.load_repairs(ROOT / "corpus" / "crosswalk_repairs.csv")
    assert repairs["Action 6.C"].repaired == "PoA2009:6.c"
    assert any(r.token == "Action 6.C" for r in next(r for r in rows if r.label == U + "1.i").refs)


@pytest.mark.parametrize(
    ("raw_label", "source", "target"),
    [
        ("3.0)", "3.o", "PoA2009:51"),
        ("5.1)", "5.l", "PoA2009:36"),
        ("4.)", "4.l", ""),
        ("7.I)", "7.l", ""),
        ("1.1)", "1.l", ""),
        ("3.1)", "3.l", ""),
    ],
)
def test_garbled_labels(rows, walk, raw_label, source, target):
    assert next(r for r in rows if r.label == U + source).raw_label == raw_label
    assert one(walk, source, target).confidence == "repaired"


def test_garbled_label_I_n_names_1n(rows):
    repairs = table.load_repairs(ROOT / "corpus" / "crosswalk_repairs.csv")
    assert repairs["I.n)"].repaired == U + "1.n"
    assert all("I." not in r.label for r in rows)


def test_stray_label_is_not_a_row(rows):
    assert U + "4.1" not in {r.label for r in rows}
    assert [r.label for r in rows].count(U + "4.l") == 1


def test_na_rows(walk, links):
    na = [k for k in links if k.new_in_2016]
    assert len(na) == len({k.source for k in na}) == 23  # one per paragraph, even when N/A is printed twice
    assert all(k.target == "" and k.raw == "N/A" for k in na)
    assert walk.is_new_in_2016(U + "1.j") and walk.is_new_in_2016(U + "3.j")
    assert not walk.is_new_in_2016(U + "1.n") and not walk.is_new_in_2016(U + "1.b")
    assert walk.sources_of(U + "3.j") == [na[[k.source for k in na].index(U + "3.j")]]


def test_between_labels_rule(rows, walk):
    refs_1k = {r.token: r.placement for r in next(r for r in rows if r.label == U + "1.k").refs}
    assert refs_1k["Action 16.c"] == refs_1k["Action 14.b"] == table.BETWEEN
    assert refs_1k["Action 42.f"] == table.ROW
    for source, target in [("1.k", "PoA2009:14.b"), ("1.g", "PD2009:23"), ("3.h", "PoA2009:40.p"),
                           ("1.h", "PoA2009:2.g"), ("5.n", "PoA2009:24.f")]:
        assert one(walk, source, target).confidence == "ambiguous"
    assert not any(k.target == "PoA2009:14.b" for k in walk.sources_of(U + "1.l"))
    # a reference after a label line but before its text is inside the row: 3 (j)'s second N/A
    assert [r.placement for r in next(r for r in rows if r.label == U + "3.j").refs][:2] == ["row", "row"]


def test_shared_lines_of_3d_to_3f_are_decided_by_the_order_of_references(walk):
    # Line 86 holds the end of 3 (d) and the start of 3 (e); line 87 the end of 3 (e) and the start of 3 (f).
    # Each row lists OP, then Target, then Action: where the order starts again, the next row begins.
    assert targets(walk, "3.d") == ["PD2009:12", "PD2009:24", "PD2009:36.c", "PoA2009:43.c", "PoA2009:47.i"]
    assert targets(walk, "3.e") == ["PD2009:36.d", "PoA2009:22.n", "PoA2009:22.p", "PoA2009:24.a", "PoA2009:30.j"]
    assert targets(walk, "3.f") == ["PD2009:33", "PoA2009:22.p", "PoA2009:22.q", "PoA2009:24.d", "PoA2009:26.d"]
    assert {k.confidence for r in ("3.d", "3.e", "3.f") for k in walk.sources_of(U + r)} == {"exact"}


def test_shared_line_wording_decides_only_with_agreed_language():
    from assistant.config import Settings
    from assistant.corpus.load import load_corpus

    corpus = load_corpus(Settings.from_env())
    texts = {p.id: p.text for p in corpus}
    walk = queries.Crosswalk(build.build_links(RAW, KNOWN, PROBLEMS, texts=texts))
    # 47 (i) shares only "United Nations Office on Drugs and Crime" with 3 (e): a stock phrase, not evidence.
    assert one(walk, "3.d", "PoA2009:47.i").confidence == "exact"
    assert not any(k.target == "PoA2009:47.i" for k in walk.sources_of(U + "3.e"))


def test_7e_op_24_i_is_repaired_as_24_b_i(walk):
    link = one(walk, "7.e", "PD2009:24.b.i")
    assert link.raw == "OP 24.i" and link.confidence == "repaired" and link.resolved
    repairs = table.load_repairs(ROOT / "corpus" / "crosswalk_repairs.csv")
    assert "exactly one (i), under (b)" in repairs["OP 24.i"].reason


def test_unresolved_references_are_kept_and_reported(walk, links):
    bad = {(k.source, k.target) for k in walk.unresolved()}
    assert (U + "2.a", "PoA2009:40.b") in bad  # "Action 40.b": 40 is a Problem paragraph
    assert (U + "5.h", "PoA2009:40") in bad  # exists, but as a Problem, not an Action
    assert (U + "7.e", "PD2009:24.i") not in bad and (U + "7.e", "PD2009:24.b.i") not in bad  # repaired
    assert (U + "3.i", "PoA2009:4.5") in bad
    assert (U + "1.b", "PoA2009:4.a") not in bad
    assert all(not k.new_in_2016 for k in walk.unresolved())
    assert len(build.build_links(RAW, None)) == len(links)  # existence check drops nothing


def test_unresolved_against_the_2009_parser():
    parsed = fulltext2009.parse(RAW)
    known = {p.id for p in parsed}
    problems = {p.id for p in parsed if p.kind == "problem"}
    assert {k.target for k in queries.Crosswalk(build.build_links(RAW, known, problems)).unresolved()} == {
        k.target for k in queries.Crosswalk(build.build_links(RAW, KNOWN, PROBLEMS)).unresolved()
    }


def test_both_directions(walk):
    assert U + "1.b" in {k.source for k in walk.counterparts_of("PoA2009:8.c")}
    exact = walk.counterparts_of("PoA2009:51.a", broader=False)
    assert {(k.source, queries.relation(k.target, "PoA2009:51.a")) for k in exact} >= {
        (U + "3.q", "exact"), (U + "3.i", "narrower"), (U + "5.r", "narrower"),
    }
    wide = walk.counterparts_of("PoA2009:51.a")
    assert (U + "3.o", "PoA2009:51") in {(k.source, k.target) for k in wide}
    assert queries.relation("PoA2009:51", "PoA2009:51.a") == "broader"
    assert wide[: len(exact)] == exact  # exact and narrower first
    assert walk.counterparts_of("PoA2009:62") == []


def test_csv_round_trip_is_byte_identical(links, tmp_path):
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    csvlinks.write_csv(links, first)
    back = csvlinks.read_csv(first)
    assert back == links
    csvlinks.write_csv(back, second)
    assert first.read_bytes() == second.read_bytes()
    csvlinks.write_csv(build.build_links(RAW, KNOWN, PROBLEMS), second)
    assert first.read_bytes() == second.read_bytes()
    assert first.read_text().splitlines()[0] == ",".join(csvlinks.COLUMNS)


def test_every_repair_is_used(links, rows):
    repairs = table.load_repairs(ROOT / "corpus" / "crosswalk_repairs.csv")
    tokens = {r.token for row in rows for r in row.refs} | {row.raw_label for row in rows} | {"4.1)", "I.m)", "I.n)", "I.o)", "1.0)"}
    assert set(repairs) <= tokens
    assert all(r.reason for r in repairs.values())


def test_id_sort_key():
    ids = ["PoA2009:51.c.iv", "PoA2009:51.c.ix", "PoA2009:51.c.v", "PoA2009:4", "PoA2009:51.c", "PoA2009:10"]
    assert sorted(ids, key=id_sort_key) == [
        "PoA2009:4", "PoA2009:10", "PoA2009:51.c", "PoA2009:51.c.iv", "PoA2009:51.c.v", "PoA2009:51.c.ix",
    ]
    assert sorted([U + "2", U + "1.m", U + "PP24", U + "1"], key=id_sort_key) == [U + "PP24", U + "1", U + "1.m", U + "2"]
