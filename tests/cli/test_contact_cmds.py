import datetime as dt
import json

import pytest

from reviewdesk.book.db import open_book
from reviewdesk.book.enums import Channel, Tier
from reviewdesk.book.models import Contact
from reviewdesk.cli import main
from tests import factories as f

TODAY = dt.date.today()
NO_CALLS = "no calls in working hours: prefer SMS or lunch time"


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def db(tmp_path):
    """Two clients, dated from the real today (the command line works as of today)."""
    path = str(tmp_path / "contact.sqlite")
    book = open_book(path)
    tomorrow = TODAY + dt.timedelta(days=1)
    born = (
        tomorrow.replace(year=TODAY.year - 40)
        if (tomorrow.month, tomorrow.day) != (2, 29)
        else dt.date(TODAY.year - 40, 2, 28)
    )
    with book.session() as s:
        s.add_all(
            [
                f.client(
                    "C1",
                    "王芳",
                    tier=Tier.KEY,
                    contact_preferences=NO_CALLS,
                    birthday=born,
                    snapshots=[
                        f.snapshot(TODAY - dt.timedelta(days=40), f.holding(value="8000000"))
                    ],
                ),
                f.client(
                    "C2",
                    "Alice Lam",
                    snapshots=[
                        f.snapshot(
                            TODAY - dt.timedelta(days=10),
                            f.holding(value="1000000"),
                            f.holding("他行理财", institution="招商银行", value="9000000"),
                        )
                    ],
                    contacts=[
                        Contact(contact_date=TODAY - dt.timedelta(days=3), channel=Channel.PHONE)
                    ],
                ),
            ]
        )
    book.close()
    return path


def test_agenda_text_says_why_and_how_to_reach(capsys, db):
    code, out, err = run(capsys, "--db", db, "agenda", "--days", "3")
    assert code == 0, err
    assert "(today)" in out and "(tomorrow)" in out
    assert "Review overdue" in out and "王芳" in out
    assert NO_CALLS in out
    assert "Birthday: turns 40" in out
    code, out, _ = run(capsys, "--db", db, "--ui-lang", "zh", "agenda")
    assert "今天" in out and "回顾逾期" in out and "生日" in out


def test_agenda_json(capsys, db):
    code, out, _ = run(capsys, "--db", db, "agenda", "--json", "--days", "0")
    data = json.loads(out)
    assert data["today"] == TODAY.isoformat() and data["days"] == 0
    kinds = {(line["client_name"], line["kind"]) for line in data["lines"]}
    assert ("王芳", "review_overdue") in kinds
    assert ("Alice Lam", "contact_overdue") not in kinds
    first = next(line for line in data["lines"] if line["client_name"] == "王芳")
    assert first["preferences"] == NO_CALLS and first["suggested_channel"] == "S"


def test_segments_text_and_json(capsys, db):
    code, out, err = run(capsys, "--db", db, "segments")
    assert code == 0, err
    assert "1 of 2 clients (50.0%) hold" in out and "of the assets here (CNY 9,000,000.00)" in out
    assert "Clients with potential:" in out and "Alice Lam" in out
    code, out, _ = run(capsys, "--db", db, "segments", "--json")
    data = json.loads(out)
    assert data["key_count"] == 1
    assert [r["name"] for r in data["ranking"]] == ["王芳", "Alice Lam"]
    assert data["ranking"][1]["rank_total"] == 1
    assert data["potential"][0]["name"] == "Alice Lam"


def test_log_a_contact_with_feedback_then_list_it(capsys, db):
    code, out, err = run(
        capsys,
        "--db",
        db,
        "contact",
        "C1",
        "--channel",
        "M",
        "--summary",
        "面谈回顾",
        "--feedback",
        "希望多一些线下活动",
        "--topic",
        "service",
    )
    assert code == 0, err
    assert "Logged: Meeting with 王芳" in out
    code, out, _ = run(capsys, "--db", db, "feedback", "王芳")
    assert "希望多一些线下活动" in out and "Service" in out
    code, out, _ = run(capsys, "--db", db, "feedback", "C1", "--json")
    assert json.loads(out)[0]["topic"] == "service"
    code, out, _ = run(capsys, "--db", db, "feedback", "C2")
    assert "No feedback from Alice Lam yet." in out


def test_contact_errors_are_one_line(capsys, db):
    future = (TODAY + dt.timedelta(days=2)).isoformat()
    code, _, err = run(
        capsys, "--db", db, "contact", "C1", "--channel", "T", "--date", future, "--summary", "x"
    )
    assert code == 1 and err.count("\n") == 1 and "is in the future" in err
    with pytest.raises(SystemExit) as info:
        main(["--db", db, "contact", "C1", "--channel", "X", "--summary", "x"])
    assert info.value.code == 2
    assert "channel 'X' is not one of T|E|M|S|C|O" in capsys.readouterr().err


def test_tier_follows_or_overrides_the_suggestion(capsys, db):
    code, out, err = run(capsys, "--db", db, "tier", "C2", "key")
    assert code == 0, err
    assert "Alice Lam: tier Standard -> Key (suggested: Standard)." in out


def test_tags(capsys, db):
    code, out, err = run(capsys, "--db", db, "tags")
    assert code == 0, err
    assert "No tags in use yet." in out and "likes new fund launches" in out
    code, out, _ = run(capsys, "--db", db, "--ui-lang", "zh", "tags", "--json")
    import json as _json

    assert "喜欢新发基金" in _json.loads(out)["suggested"]


def test_segments_share_of_clients_rounds_half_up(capsys, book, passphrase_env):
    """3 of 80 clients is 3.75%: shown 3.8% (the money rule), not 3.7% as a float has it."""
    with book.session() as s:
        for i in range(80):
            value = "10000000" if i < 3 else "10000"
            s.add(
                f.client(
                    f"C{i:02}",
                    f"客户{i:02}",
                    snapshots=[f.snapshot(TODAY - dt.timedelta(days=5), f.holding(value=value))],
                )
            )
    book.close()
    code, out, err = run(capsys, "--db", str(book.path), "segments")
    assert code == 0, err
    assert "3 of 80 clients (3.8%) hold" in out
