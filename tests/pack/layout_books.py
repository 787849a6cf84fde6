"""Clients that stretch the pack: very large amounts, Hangul and Thai names."""

from __future__ import annotations

import datetime as dt

from reviewdesk.book.enums import AssetClass, Language, RiskLevel
from tests import factories as f

APRIL = dt.date(2026, 4, 30)
MAY = dt.date(2026, 5, 31)


def make_yen_billionaire(session) -> int:
    """A JPY client worth about ¥5 billion, with a loan that shrinks."""
    client = f.client("J1", "Tanaka Hiroshi", report_currency="JPY", language=Language.EN)

    def snap(day, scale):
        return f.snapshot(
            day,
            f.holding(
                "Nikkei 225 Index Fund",
                str(2_107_170_519 * scale // 100),
                "JPY",
                AssetClass.FUND,
                product_code="JP225",
            ),
            f.holding(
                "Toyota Motor",
                str(1_400_000_000 * scale // 100),
                "JPY",
                AssetClass.STOCK,
                risk_level=RiskLevel.R4,
            ),
            f.holding("JGB 10Y", "700000000", "JPY", AssetClass.BOND, risk_level=RiskLevel.R1),
            f.holding(
                "USD Time Deposit", "1234567.89", "USD", AssetClass.DEPOSIT, risk_level=RiskLevel.R1
            ),
            f.holding(
                "Tokyo Mortgage",
                str(300_000_000 - scale * 1000),
                "JPY",
                AssetClass.LOAN,
                risk_level=None,
            ),
            rates={("USD", "JPY"): "151.234567"},
        )

    client.snapshots = [snap(APRIL, 97), snap(MAY, 100)]
    session.add(client)
    session.flush()
    return client.id


def make_yi_client(session) -> int:
    """A CNY client with more than 1亿 in one class, and a loan that grows."""
    client = f.client("C9", "王建国")

    def snap(day, loan):
        return f.snapshot(
            day,
            f.holding("招商中证白酒指数", "98765432.10", product_code="161725"),
            f.holding("易方达蓝筹精选混合", "45678901.23", product_code="005827"),
            f.holding(
                "大额存单", "99999999.99", asset_class=AssetClass.DEPOSIT, risk_level=RiskLevel.R1
            ),
            f.holding("经营贷", loan, asset_class=AssetClass.LOAN, risk_level=None),
        )

    client.snapshots = [snap(APRIL, "20000000"), snap(MAY, "25000000")]
    session.add(client)
    session.flush()
    return client.id


def make_korean_client(session) -> int:
    """A Korean-named client with KRW holdings and a Thai product."""
    client = f.client("K1", "김민준", report_currency="KRW", language=Language.EN)
    client.snapshots = [
        f.snapshot(
            MAY,
            f.holding(
                "삼성전자 보통주", "850000000", "KRW", AssetClass.STOCK, risk_level=RiskLevel.R4
            ),
            f.holding(
                "กองทุนเปิดบัวหลวงธนสาร", "1500000", "THB", AssetClass.FUND, institution="ธนาคารกรุงเทพ"
            ),
            f.holding("生僻字𠮷基金", "1000000", "KRW", AssetClass.FUND),
            rates={("THB", "KRW"): "38.5"},
        )
    ]
    session.add(client)
    session.flush()
    return client.id


def make_funds_then_cash(session, funds: int) -> int:
    """A CNY client of `funds` funds and one cash account, one review: a holdings table
    whose last group (a title and one row) and footnote come at a page's foot for some
    counts of funds."""
    client = f.client(f"F{funds}", "陈立华")
    holdings = [
        f.holding(f"Fund {i:02d}", f"{100_000 + 1_000 * i}.00", product_code=f"F{i:03d}")
        for i in range(funds)
    ]
    holdings.append(
        f.holding("Cash at bank", "50000.00", asset_class=AssetClass.CASH, risk_level=RiskLevel.R1)
    )
    client.snapshots = [f.snapshot(MAY, *holdings)]
    session.add(client)
    session.flush()
    return client.id
