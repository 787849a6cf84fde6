"""Benchmark levels and choices in the book: validated (each refusal names its field and
value), one level per name and day, audited, gone with their client; and in the workbook
(round trip, all-or-nothing import) and on the command line."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from reviewdesk.book.audit import entries
from reviewdesk.book.benchmarks import (
    choices,
    choose,
    clear_choice,
    client_benchmark,
    levels,
    remove_level,
    set_level,
)
from reviewdesk.book.editing import delete_client
from reviewdesk.book.enums import ClientRiskLevel
from reviewdesk.book.errors import ValidationError
from reviewdesk.book.models import BenchmarkChoice, BenchmarkLevel, Client
from reviewdesk.cli import main
from reviewdesk.exchange import export_workbook, import_files, schema
from tests import factories as f
from tests.exchange import workbooks as wbs
from tests.exchange.content import book_content

D = Decimal
JAN, FEB = dt.date(2026, 1, 30), dt.date(2026, 2, 27)


def _refusal(exc: pytest.ExceptionInfo[ValidationError]) -> tuple[str, object, str]:
    return exc.value.field, exc.value.value, exc.value.message("en")


def test_levels_are_validated_and_one_per_name_and_day(book):
    with book.session() as s:
        set_level(s, " CSI  300 ", JAN, D("3850.12"))
        set_level(s, "CSI 300", JAN, D("3851.5"))  # the same name and day: corrected
        set_level(s, "CSI 300", FEB, D("3900"))
        s.commit()
        assert [(lv.name, lv.level_date, lv.level) for lv in levels(s, "CSI 300")] == [
            ("CSI 300", JAN, D("3851.5")),
            ("CSI 300", FEB, D("3900")),
        ]
        for name, day, level, field, value in (
            ("", JAN, D(1), "name", ""),
            ("X", JAN, D(0), "level", D(0)),
            ("X", JAN, D(-5), "level", D(-5)),
            ("X", JAN, D("1.1234567"), "level", D("1.1234567")),
            ("X", dt.date.today() + dt.timedelta(days=2), D(1), "level_date", None),
            ("X\x07", JAN, D(1), "name", "X\x07"),
        ):
            with pytest.raises(ValidationError) as exc:
                set_level(s, name, day, level)
            got_field, got_value, message = _refusal(exc)
            assert got_field == field, message
            if value is not None:
                assert got_value == value
            s.rollback()
        assert remove_level(s, "CSI 300", FEB) and not remove_level(s, "CSI 300", FEB)
        s.commit()
        assert s.scalar(select(func.count(BenchmarkLevel.id))) == 1


def test_choices_are_validated(book):
    with book.session() as s:
        c = f.client("K1", "周杰")
        s.add(c)
        set_level(s, "Equity", JAN, D(100))
        set_level(s, "Bonds", JAN, D(200))
        s.flush()
        cases = [
            (dict(risk_level=ClientRiskLevel.C3, benchmark="Nope"), "benchmark", "Nope"),
            (
                dict(risk_level=ClientRiskLevel.C3, benchmark="Equity", blend="Nope", weight=50),
                "blend",
                "Nope",
            ),
            (
                dict(risk_level=ClientRiskLevel.C3, benchmark="Equity", blend="Bonds"),
                "weight",
                None,
            ),
            (
                dict(risk_level=ClientRiskLevel.C3, benchmark="Equity", blend="Bonds", weight=100),
                "weight",
                100,
            ),
            (
                dict(risk_level=ClientRiskLevel.C3, benchmark="Equity", blend="Bonds", weight=0),
                "weight",
                0,
            ),
            (
                dict(risk_level=ClientRiskLevel.C3, benchmark="Equity", blend="Equity", weight=50),
                "blend",
                "Equity",
            ),
            (dict(risk_level=ClientRiskLevel.C3, benchmark="Equity", weight=60), "weight", 60),
            (dict(benchmark="Equity"), "risk_level", None),
            (
                dict(client_id=c.id, risk_level=ClientRiskLevel.C1, benchmark="Equity"),
                "risk_level",
                "C1",
            ),
        ]
        for kwargs, field, value in cases:
            name = kwargs.pop("benchmark")
            with pytest.raises(ValidationError) as exc:
                choose(s, name, **kwargs)
            got_field, got_value, message = _refusal(exc)
            assert (got_field, got_value) == (field, value), message
        assert s.scalar(select(func.count(BenchmarkChoice.id))) == 0
        # The record rule holds whatever the path (here a choice added directly).
        s.add(BenchmarkChoice(benchmark="Equity", blend="Bonds", weight=100, risk_level="C2"))
        with pytest.raises(ValidationError) as exc:
            s.flush()
        assert exc.value.field == "weight"
        assert exc.value.message("en") == (
            "Benchmark choice weight = 100: must be between 1 and 99: the two weights sum to 100%"
        )
        s.rollback()


def test_a_clients_own_choice_comes_before_its_risk_levels_and_goes_with_it(book):
    with book.session() as s:
        c = f.client("K1", "周杰")
        s.add(c)
        set_level(s, "Equity", JAN, D(100))
        set_level(s, "Bonds", JAN, D(200))
        s.flush()
        choose(s, "Bonds", risk_level=ClientRiskLevel.C2)
        assert client_benchmark(s, c.id, ClientRiskLevel.C2).benchmark == "Bonds"
        assert client_benchmark(s, c.id, ClientRiskLevel.C4) is None
        assert client_benchmark(s, c.id, None) is None
        choose(s, "Equity", client_id=c.id, blend="Bonds", weight=70)
        own = client_benchmark(s, c.id, ClientRiskLevel.C2)
        assert (own.benchmark, own.blend, own.weight) == ("Equity", "Bonds", 70)
        choose(s, "Bonds", client_id=c.id)  # replaces the client's choice
        assert s.scalar(select(func.count(BenchmarkChoice.id))) == 2
        assert [x.risk_level for x in choices(s)] == [ClientRiskLevel.C2, None]
        s.commit()
        delete_client(s, c.id)
        s.commit()
        assert [x.risk_level for x in choices(s)] == [ClientRiskLevel.C2]
        assert clear_choice(s, risk_level=ClientRiskLevel.C2)
        assert not clear_choice(s, risk_level=ClientRiskLevel.C2)
        s.commit()


def test_edits_are_audited(book):
    with book.session() as s:
        set_level(s, "Equity", JAN, D(100))
        set_level(s, "Equity", JAN, D("101.5"))
        choose(s, "Equity", risk_level=ClientRiskLevel.C5)
        clear_choice(s, risk_level=ClientRiskLevel.C5)
        s.commit()
        trail = [(e.action, e.record, e.field, e.new_value) for e in entries(s)]
    assert ("create", "BenchmarkLevel", None, trail[0][3]) == trail[0]
    assert '"level": "100"' in trail[0][3] and '"name": "Equity"' in trail[0][3]
    assert ("update", "BenchmarkLevel", "level", "101.5") in trail
    assert any(a == "create" and r == "BenchmarkChoice" for a, r, _f, _n in trail)
    assert any(a == "delete" and r == "BenchmarkChoice" for a, r, _f, _n in trail)


# ---- the workbook ---------------------------------------------------------------------

LEVEL_KEYS = ["name", "date", "level"]
CHOICE_KEYS = ["client_id", "risk_level", "benchmark", "blend", "weight"]


def _workbook(path, levels_rows, choice_rows, lang="en"):
    clients, b, c = schema.CLIENTS, schema.BENCHMARKS, schema.BENCHMARK_CHOICES
    return wbs.write(
        path,
        {
            clients.name(lang): [
                wbs.header(clients, lang, ["client_id", "name"]),
                ["K1", "周杰"],
            ],
            b.name(lang): [wbs.header(b, lang, LEVEL_KEYS), *levels_rows],
            c.name(lang): [wbs.header(c, lang, CHOICE_KEYS), *choice_rows],
        },
    )


def test_the_sheets_import_and_round_trip(book, tmp_path):
    path = _workbook(
        tmp_path / "in.xlsx",
        [
            ["沪深300", JAN, 3850.12],
            ["沪深300", "2026-02-27", "3,900"],
            ["中债总指数", JAN, "245.678901"],
        ],
        [
            [None, "C3", "沪深300", "中债总指数", 60],
            [None, "C1 保守型", "中债总指数", None, None],
            ["K1", None, "沪深300", None, None],
        ],
        lang="zh",
    )
    report = import_files(book, [path])
    assert report.problems == [] and report.applied
    with book.session() as s:
        rows = [(c.risk_level, c.client_id, c.benchmark, c.blend, c.weight) for c in choices(s)]
        assert rows == [
            (ClientRiskLevel.C1, None, "中债总指数", None, 100),
            (ClientRiskLevel.C3, None, "沪深300", "中债总指数", 60),
            (None, s.scalar(select(Client.id)), "沪深300", None, 100),
        ]
        assert [lv.level for lv in levels(s, "中债总指数")] == [D("245.678901")]
        out = tmp_path / "out.xlsx"
        export_workbook(s, out, lang="en")
        s.commit()
    again = import_files(book, [out])
    assert again.problems == [] and again.changed == 0
    target_path = tmp_path / "copy.sqlite"
    from reviewdesk.book.db import open_book

    target = open_book(str(target_path))
    try:
        assert import_files(target, [out]).applied
        original, copy = book_content(book), book_content(target)
        assert copy["benchmark_levels"] == original["benchmark_levels"]
        assert copy["benchmark_choices"] == original["benchmark_choices"]
        assert len(original["benchmark_levels"]) == 3
    finally:
        target.close()


def test_a_bad_benchmark_sheet_is_refused_whole_with_every_row_named(book, tmp_path):
    path = _workbook(
        tmp_path / "bad.xlsx",
        [
            ["Equity", JAN, 100],
            ["Equity", JAN, 101],  # the same day twice
            ["Equity", FEB, 0],
            [None, FEB, 10],
            ["Bonds", "not a date", 10],
            ["Bonds", FEB, -3],
        ],
        [
            [None, "C3", "Equity", "Missing", 60],
            ["K1", "C2", "Equity", None, None],
            [None, "C4", "Equity", "Equity", 50],
            [None, "C5", "Equity", None, 70],
            [None, "C9", "Equity", None, None],
        ],
    )
    report = import_files(book, [path])
    assert not report.applied
    messages = [p.message() for p in report.problems]
    expected = [
        "Benchmarks row 3, date",
        "Benchmarks row 4, level",
        "Benchmarks row 5, name",
        "Benchmarks row 6, date",
        "Benchmarks row 7, level",
        "Benchmark choices row 2, blend",
        "Benchmark choices row 3, risk_level",
        "Benchmark choices row 4, blend",
        "Benchmark choices row 5, weight",
        "Benchmark choices row 6, risk_level",
    ]
    for start in expected:
        assert any(m.startswith(start) for m in messages), (start, messages)
    assert len(messages) == len(expected), messages
    repeated = next(m for m in messages if m.startswith("Benchmarks row 3, date"))
    assert "two levels on this date (first in row 2)" in repeated, repeated
    with book.session() as s:
        assert s.scalar(select(func.count(BenchmarkLevel.id))) == 0
        assert s.scalar(select(func.count(Client.id))) == 0


# ---- the command line -----------------------------------------------------------------


def test_the_commands(book, passphrase_env, capsys, tmp_path):
    with book.session() as s:
        s.add(f.client("K1", "周杰"))
        s.commit()
    where = str(tmp_path / "book.sqlite")
    book.close()

    def run(*args: str) -> tuple[int, str, str]:
        code = main(["--db", where, "benchmark", *args])
        out = capsys.readouterr()
        return code, out.out, out.err

    assert run("set-level", "CSI 300", "--date", "2026-01-30", "--level", "3,850.12")[0] == 0
    assert run("set-level", "CSI 300", "--date", "2026-02-27", "--level", "3900")[0] == 0
    assert run("set-level", "ChinaBond", "--date", "2026-01-30", "--level", "245.5")[0] == 0
    code, _out, err = run("set-level", "ChinaBond", "--date", "2026-02-27", "--level", "-1")
    assert code == 1 and "-1" in err and "level" in err.lower()
    code, out, _err = run("levels", "CSI 300", "--json")
    assert code == 0
    assert [(r["date"], D(r["level"])) for r in json.loads(out)] == [
        ("2026-01-30", D("3850.12")),
        ("2026-02-27", D("3900")),
    ]
    code, out, _err = run("levels")
    assert code == 0 and "CSI 300" in out and "ChinaBond" in out
    code, out, _err = run(
        "choose", "CSI 300", "--risk-level", "C3", "--blend", "ChinaBond", "--weight", "60"
    )
    assert code == 0 and "60% CSI 300 + 40% ChinaBond" in out
    assert run("choose", "ChinaBond", "--client", "K1")[0] == 0
    code, _out, err = run("choose", "Nikkei", "--client", "K1")
    assert code == 1 and "Nikkei" in err
    code, out, _err = run("choices", "--json")
    listed = json.loads(out)
    assert [(r["risk_level"], r["client"], r["name"]) for r in listed] == [
        ("C3", None, "60% CSI 300 + 40% ChinaBond"),
        (None, "K1", "ChinaBond"),
    ]
    assert run("unchoose", "--client", "K1")[0] == 0
    assert run("unchoose", "--client", "K1")[0] == 1
    assert run("remove-level", "CSI 300", "--date", "2026-02-27")[0] == 0
    code, out, _err = run("levels", "CSI 300")
    assert code == 0 and "3850.12" in out and "3900" not in out
