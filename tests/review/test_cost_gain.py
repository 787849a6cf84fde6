"""The gain against principal (cost) per holding and over the holdings that have one,
checked against a small book worked by hand."""

import datetime as dt
from decimal import Decimal as D

import pytest

from reviewdesk.book.enums import AssetClass
from reviewdesk.review.build import build_review
from reviewdesk.review.model import HoldingStatus
from reviewdesk.settings import Settings
from tests import factories as f

TODAY = dt.date(2026, 6, 10)


def make_li(session) -> int:
    """李明 (CNY): at 30 Apr a stock and a loan; at 31 May the stock is gone and eight
    holdings are held, with and without a principal, one in dollars, one in euros (no rate)."""
    client = f.client("P1", "李明")
    client.snapshots = [
        f.snapshot(
            dt.date(2026, 4, 30),
            f.holding("旧股票", "50000", asset_class=AssetClass.STOCK, principal=D(40000)),
            f.holding(
                "住房按揭",
                "800000",
                asset_class=AssetClass.LOAN,
                principal=D(1000000),
                risk_level=None,
            ),
            rates={("USD", "CNY"): "7.0"},
        ),
        f.snapshot(
            dt.date(2026, 5, 31),
            f.holding("蓝筹混合", "110000", principal=D(100000)),
            f.holding("成长股票", "45000", asset_class=AssetClass.STOCK, principal=D(60000)),
            f.holding("美元债", "10500.33", "USD", AssetClass.BOND, principal=D(10000)),
            f.holding("欧元存款", "2000", "EUR", AssetClass.DEPOSIT, principal=D(1800)),
            f.holding("现金", "5000", asset_class=AssetClass.DEPOSIT),
            f.holding("赠股", "3000", asset_class=AssetClass.STOCK, principal=D(0)),
            f.holding("违约债", "0", asset_class=AssetClass.BOND, principal=D(20000)),
            f.holding(
                "住房按揭",
                "780000",
                asset_class=AssetClass.LOAN,
                principal=D(1000000),
                risk_level=None,
            ),
            rates={("USD", "CNY"): "7.2"},
        ),
    ]
    session.add(client)
    session.flush()
    return client.id


@pytest.fixture
def li(book):
    with book.session() as session:
        cid = make_li(session)
    with book.session() as session:
        yield build_review(session, cid, settings=Settings(), today=TODAY)


def _row(review, name):
    (row,) = [h for h in review.holdings if h.product_name == name]
    return row


def test_a_gain_and_a_loss_against_principal(li):
    gain = _row(li, "蓝筹混合")
    assert gain.principal.amount == gain.principal.value == D(100000)
    assert gain.cost_gain.amount == gain.cost_gain.value == D(10000)
    assert gain.cost_gain_pct == D("0.1")
    loss = _row(li, "成长股票")
    assert loss.cost_gain.value == D(-15000)
    assert loss.cost_gain_pct == D("-0.25")


def test_a_dollar_principal_is_converted_at_the_snapshots_stored_rate(li):
    bond = _row(li, "美元债")
    assert bond.principal.amount == D(10000) and bond.principal.currency == "USD"
    assert bond.principal.value == D(72000)  # 10,000 x 7.2, the rate of 31 May, not 7.0
    assert bond.cost_gain.amount == D("500.33")  # in dollars
    assert bond.cost_gain.value == D("3602.376")  # exact: 500.33 x 7.2, rounded only when shown
    assert bond.cost_gain.rate == ("USD", "CNY", D("7.2"))
    assert bond.cost_gain_pct == D("0.050033")


def test_a_missing_rate_leaves_the_gain_in_its_own_currency_only(li):
    euros = _row(li, "欧元存款")
    assert euros.value is None
    assert euros.principal.missing and euros.cost_gain.missing  # never taken at a rate of 1
    assert euros.cost_gain.amount == D(200) and euros.cost_gain.currency == "EUR"
    assert euros.cost_gain_pct == D(200) / D(1800)  # the ratio needs no rate


def test_no_principal_no_gain_and_a_zero_principal_has_no_ratio(li):
    cash = _row(li, "现金")
    assert cash.principal is None and cash.cost_gain is None and cash.cost_gain_pct is None
    gift = _row(li, "赠股")
    assert gift.principal.value == 0 and gift.cost_gain.value == D(3000)
    assert gift.cost_gain_pct is None


def test_a_holding_worth_nothing_has_lost_its_principal(li):
    bond = _row(li, "违约债")
    assert bond.status is HoldingStatus.NEW
    assert bond.cost_gain.value == D(-20000)
    assert bond.cost_gain_pct == D(-1)


def test_a_loan_and_a_holding_gone_show_their_principal_but_no_gain(li):
    loan = _row(li, "住房按揭")
    assert loan.principal.value == D(1000000)  # what was borrowed
    assert loan.cost_gain is None and loan.cost_gain_pct is None
    gone = _row(li, "旧股票")
    assert gone.status is HoldingStatus.GONE
    assert gone.principal.value == D(40000) and gone.cost_gain is None


def test_the_total_is_over_the_holdings_with_a_principal_only(li):
    total = li.cost_gain
    # 蓝筹混合, 成长股票, 美元债, 赠股, 违约债; 欧元存款 left out for want of a EUR rate
    assert total.holdings == 5
    assert total.principal == D(100000 + 60000 + 72000 + 0 + 20000)
    assert total.gain == D(10000) - D(15000) + D("3602.38") + D(3000) - D(20000)
    assert total.gain == D("-18397.62")
    assert total.ratio == D("-18397.62") / D(252000)
    assert total.missing_rates == ("EUR",)


def test_no_principal_anywhere_no_total(book):
    with book.session() as session:
        client = f.client("P2", "王芳")
        client.snapshots = [f.snapshot(dt.date(2026, 5, 31), f.holding("现金", "5000"))]
        session.add(client)
        session.flush()
        cid = client.id
    with book.session() as session:
        review = build_review(session, cid, settings=Settings(), today=TODAY)
    assert review.cost_gain is None
    assert review.holdings[0].cost_gain is None
