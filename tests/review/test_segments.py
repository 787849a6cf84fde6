import datetime as dt
from decimal import Decimal

from sqlalchemy import select

from reviewdesk.book.editing import set_tier
from reviewdesk.book.enums import AssetClass, Tier
from reviewdesk.book.models import AuditEntry, Client
from reviewdesk.review.client_list import list_clients
from reviewdesk.review.segments import pareto, segment_book
from reviewdesk.settings import save_setting
from tests import factories as f

D = dt.date
TODAY = D(2025, 6, 10)


def test_pareto_split_on_a_known_distribution():
    values = [Decimal(v) for v in (50, 20, 10, 5, 5, 4, 3, 1, 1, 1)]
    cumulative, count = pareto(values, Decimal("0.8"))
    assert count == 3  # 50 + 20 + 10 = 80%
    assert cumulative[:4] == [Decimal("0.5"), Decimal("0.7"), Decimal("0.8"), Decimal("0.85")]
    assert cumulative[-1] == 1
    assert pareto(values, Decimal("0.5"))[1] == 1
    assert pareto(values, Decimal("0.81"))[1] == 4
    assert pareto([Decimal(0), Decimal(0)], Decimal("0.8")) == ([0, 0], 0)


def _wealth(book):
    amounts = (50, 20, 10, 5, 5, 4, 3, 1, 1, 1)
    with book.session() as s:
        for i, amount in enumerate(amounts):
            s.add(
                f.client(
                    f"C{i}",
                    f"客户{i}",
                    tier=Tier.KEY if i in (0, 5) else Tier.STANDARD,
                    snapshots=[f.snapshot(D(2025, 5, 31), f.holding(value=f"{amount * 100000}"))],
                )
            )


def test_the_book_splits_into_key_clients_and_the_rest(book):
    _wealth(book)
    with book.session() as s:
        seg = segment_book(s, TODAY)
    assert seg.key_count == 3
    assert [r.code for r in seg.key_clients] == ["C0", "C1", "C2"]
    assert seg.total_bank == Decimal(10_000_000)
    assert seg.rows[2].cumulative_share == Decimal("0.8")
    # C1 and C2 should be key; C5 (key today) holds 4% only.
    assert {(r.code, r.suggested_tier) for r in seg.suggestions} == {
        ("C1", Tier.KEY),
        ("C2", Tier.KEY),
        ("C5", Tier.STANDARD),
    }
    curve = seg.curve()
    assert curve[2] == (Decimal("0.3"), Decimal("0.8"))


def test_assets_elsewhere_and_growth_make_potential(book):
    with book.session() as s:
        s.add_all(
            [
                f.client(
                    "H",
                    "本行为主",
                    snapshots=[
                        f.snapshot(
                            D(2025, 5, 31),
                            f.holding(value="3000000"),
                            f.holding(
                                "房产",
                                asset_class=AssetClass.PROPERTY,
                                institution="自持",
                                value="9000000",
                            ),
                        )
                    ],
                ),
                f.client(
                    "E",
                    "他行为主",
                    snapshots=[
                        f.snapshot(
                            D(2025, 5, 31),
                            f.holding(value="200000"),
                            f.holding("他行理财", institution="招商银行", value="4000000"),
                        )
                    ],
                ),
                f.client(
                    "G",
                    "增长",
                    snapshots=[
                        f.snapshot(D(2024, 5, 31), f.holding(value="1000000")),
                        f.snapshot(D(2025, 5, 31), f.holding(value="1500000")),
                    ],
                ),
            ]
        )
    with book.session() as s:
        seg = segment_book(s, TODAY)
    rows = {r.code: r for r in seg.rows}
    assert rows["H"].property_value == Decimal(9_000_000)
    assert rows["H"].total_assets == Decimal(12_000_000) and rows["H"].rank_total == 1
    assert rows["H"].potential == []  # property elsewhere is not money to win
    assert rows["E"].potential == ["elsewhere"]
    assert "4.8% here" in rows["E"].potential_text("en")
    assert rows["G"].growth == Decimal("0.5")
    assert rows["G"].potential == ["grew"]
    assert rows["G"].potential_text("en") == "Total assets grew +50.0% in a year"
    assert [r.code for r in seg.potential] == ["E", "G"]


def test_other_currencies_are_valued_in_the_book_currency(book):
    with book.session() as s:
        s.add_all(
            [
                f.client(
                    "HK",
                    "港币客户",
                    report_currency="HKD",
                    snapshots=[
                        f.snapshot(
                            D(2025, 5, 31),
                            f.holding(value="1000000", currency="HKD"),
                            f.holding(value="100000", currency="USD"),
                            rates={("USD", "HKD"): "7.8"},
                        )
                    ],
                ),
                f.client(
                    "CN",
                    "人民币客户",
                    snapshots=[
                        f.snapshot(
                            D(2025, 5, 30),
                            f.holding(value="100", currency="CNY"),
                            f.holding(value="100", currency="HKD"),
                            rates={("HKD", "CNY"): "0.9"},
                        )
                    ],
                ),
            ]
        )
    with book.session() as s:
        seg = segment_book(s, TODAY)
    rows = {r.code: r for r in seg.rows}
    # The client list's HKD 1,780,000.00, at the book's HKD->CNY rate of 0.9.
    assert rows["HK"].bank_assets == rows["HK"].total_assets == Decimal("1602000.00")
    assert seg.partly_valued == [] and seg.not_valued == [] and seg.rates_text("en") == ""


def test_a_missing_rate_leaves_out_what_the_client_list_leaves_out(book):
    """A currency with no rate is left out of the client's figures and named, as the client
    list does; a client with no rate into the book's currency is left out of the ranking
    and named, never ranked as holding nothing."""
    with book.session() as s:
        s.add_all(
            [
                f.client(
                    "X",
                    "缺汇率",
                    snapshots=[
                        f.snapshot(
                            D(2025, 5, 31),
                            f.holding(value="100", currency="CNY"),
                            f.holding(value="100", currency="EUR"),
                        )
                    ],
                ),
                f.client(
                    "E",
                    "欧元客户",
                    report_currency="EUR",
                    snapshots=[f.snapshot(D(2025, 5, 31), f.holding(value="5", currency="EUR"))],
                ),
            ]
        )
    with book.session() as s:
        seg = segment_book(s, TODAY)
        (listed,) = [c for c in list_clients(s, TODAY) if c.code == "X"]
    (row,) = seg.rows
    assert row.code == "X" and row.missing_rates == ("EUR",) == tuple(listed.missing_rates)
    assert row.bank_assets == row.total_assets == listed.total_assets == Decimal("100.00")
    assert [r.code for r in seg.partly_valued] == ["X"]
    assert [r.code for r in seg.not_valued] == ["E"] and len(seg.rows) == 1
    assert seg.rates_text("en") == (
        "Holdings left out for want of an exchange rate: 缺汇率 (EUR). "
        "Not valued and left out of these figures (no exchange rate into CNY): 欧元客户 (EUR)."
    )
    assert "欧元客户 (EUR)" in seg.rates_text("zh") and "缺汇率 (EUR)" in seg.rates_text("zh")


def test_a_total_is_the_client_lists_to_the_smallest_unit(book):
    """1,000.125 is 1,000.13 in the client list (half up); the segments once said 1,000.125
    and 1,000.12 in JSON (half to even). In a yen book, no decimals at all."""
    with book.session() as s:
        s.add(
            f.client(
                "H",
                "半分",
                snapshots=[f.snapshot(D(2025, 5, 31), f.holding(value="1000.125"))],
            )
        )
    with book.session() as s:
        (row,) = segment_book(s, TODAY).rows
        (listed,) = list_clients(s, TODAY)
    assert row.total_assets == row.bank_assets == listed.total_assets == Decimal("1000.13")
    assert str(row.as_dict()["total_assets"]) == "1000.13"


def test_a_yen_book_rounds_to_the_yen(book):
    with book.session() as s:
        save_setting(s, "default_currency", "JPY")
        s.add(
            f.client(
                "J",
                "円",
                report_currency="JPY",
                snapshots=[f.snapshot(D(2025, 5, 31), f.holding(value="1000.5", currency="JPY"))],
            )
        )
    with book.session() as s:
        seg = segment_book(s, TODAY)
        (listed,) = list_clients(s, TODAY)
    (row,) = seg.rows
    assert row.total_assets == listed.total_assets == Decimal("1001")
    assert str(row.as_dict()["bank_assets"]) == "1001" and str(seg.total_bank) == "1001"


def test_accepting_or_overriding_a_tier_is_recorded(book):
    _wealth(book)
    with book.session() as s:
        c1 = s.scalar(select(Client).where(Client.code == "C1"))
        c5 = s.scalar(select(Client).where(Client.code == "C5"))
        set_tier(s, c1.id, Tier.KEY, "mgr", suggested=Tier.KEY)
        set_tier(s, c5.id, Tier.KEY, "mgr", suggested=Tier.STANDARD)
    with book.session() as s:
        assert s.get(Client, c1.id).tier is Tier.KEY
        entries = s.scalars(
            select(AuditEntry).where(AuditEntry.field == "tier").order_by(AuditEntry.id)
        ).all()
        assert [(e.client_id, e.old_value, e.new_value, e.detail) for e in entries] == [
            (c1.id, "standard", "key", "accepted the suggested tier"),
            (c5.id, "key", "key", "kept key against the suggested standard"),
        ]
        seg = segment_book(s, TODAY)
    # C5's tier was kept against the suggestion: not suggested again.
    assert {r.code for r in seg.suggestions} == {"C2"}
    assert {r.code for r in seg.rows if r.overridden} == {"C5"}


def test_tags_in_use_come_first_then_the_practice_suggestions(book):
    from reviewdesk.review.segments import tag_counts, tag_suggestions

    with book.session() as s:
        a, b = f.client("A", "甲"), f.client("B", "乙")
        a.set_tags(["偏好短信", "高尔夫"])
        b.set_tags(["偏好短信"])
        s.add_all([a, b])
    with book.session() as s:
        assert tag_counts(s) == [("偏好短信", 2), ("高尔夫", 1)]
        zh = tag_suggestions(s, "zh")
        en = tag_suggestions(s, "en")
    assert zh[:2] == ["偏好短信", "高尔夫"]
    assert zh.count("偏好短信") == 1 and "喜欢新发基金" in zh
    assert "likes new fund launches" in en
