import datetime as dt
import hashlib
from decimal import Decimal as D

from sqlalchemy import func, select, text

from reviewdesk.book.db import open_book
from reviewdesk.book.enums import Language
from reviewdesk.book.models import Client, RiskAssessment, Snapshot
from reviewdesk.demo import DemoOptions, fill_demo
from reviewdesk.review.client_list import list_clients
from tests.conftest import AS_OF

TABLES = [
    "client",
    "client_tag",
    "family_member",
    "snapshot",
    "fx_rate",
    "holding",
    "insurance_policy",
    "risk_assessment",
    "contact",
]


def content_hash(book) -> str:
    digest = hashlib.sha256()
    with book.engine.connect() as conn:
        for table in TABLES:
            cols = [
                c
                for c in conn.execute(text(f"SELECT * FROM {table} LIMIT 0")).keys()
                if c not in ("created_at", "updated_at")
            ]
            for row in conn.execute(text(f"SELECT {', '.join(cols)} FROM {table} ORDER BY 1, 2")):
                digest.update(repr(tuple(row)).encode())
    return digest.hexdigest()


def make(tmp_path, name, seed):
    book = open_book(str(tmp_path / name))
    with book.session() as s:
        fill_demo(s, DemoOptions(clients=12, seed=seed, as_of=AS_OF))
    return book


def test_same_seed_same_book(tmp_path):
    a, b, c = make(tmp_path, "a", 5), make(tmp_path, "b", 5), make(tmp_path, "c", 6)
    assert content_hash(a) == content_hash(b)
    assert content_hash(a) != content_hash(c)
    for book in (a, b, c):
        book.close()


def test_demo_is_realistic(demo_book):
    with demo_book.session() as s:
        clients = s.scalars(select(Client)).all()
        languages = {c.language for c in clients}
        assert languages == {Language.ZH, Language.EN}
        assert any(any("\u4e00" <= ch <= "\u9fff" for ch in c.name) for c in clients)
        per_client = s.execute(
            select(
                Snapshot.client_id,
                func.count(),
                func.min(Snapshot.review_date),
                func.max(Snapshot.review_date),
            ).group_by(Snapshot.client_id)
        ).all()
        assert len(per_client) == len(clients)
        for _, count, first, last in per_client:
            years = (last - first).days / 365
            assert 1.5 <= years <= 4.1 and count >= 8
            assert last <= AS_OF
        # Some expired assessments and some holdings above the client's level.
        latest = {}
        for a in s.scalars(select(RiskAssessment).order_by(RiskAssessment.assessed_on)):
            latest[a.client_id] = a
        assert any(a.valid_until < AS_OF for a in latest.values())
        currencies = s.scalars(text("SELECT DISTINCT currency FROM holding")).all()
        assert {"CNY", "USD", "HKD"} <= set(currencies)
        others = s.scalar(text("SELECT COUNT(*) FROM holding WHERE institution IS NOT NULL"))
        assert others > 0
        summaries = list_clients(s, AS_OF)
        assert all(x.total_assets > 0 and not x.missing_rates for x in summaries)


def test_some_holdings_exceed_the_clients_risk_level(tmp_path):
    book = open_book(str(tmp_path / "big.sqlite"))
    with book.session() as s:
        fill_demo(s, DemoOptions(clients=60, seed=2026, as_of=dt.date(2026, 6, 15)))
        rows = s.execute(
            text(
                "SELECT COUNT(DISTINCT s.client_id) FROM holding h "
                "JOIN snapshot s ON s.id = h.snapshot_id "
                "JOIN risk_assessment r ON r.client_id = s.client_id "
                "WHERE h.risk_level IS NOT NULL AND CAST(substr(h.risk_level, 2) AS INTEGER) > "
                "CAST(substr(r.level, 2) AS INTEGER)"
            )
        ).scalar()
    book.close()
    assert 1 <= rows < 60


def test_flows_leave_the_rest_of_the_demo_as_it_was(tmp_path):
    from reviewdesk.book.enums import FlowKind
    from reviewdesk.book.models import Flow

    with_flows = make(tmp_path, "with", 5)
    without = open_book(str(tmp_path / "without"))
    with without.session() as s:
        fill_demo(s, DemoOptions(clients=12, seed=5, as_of=AS_OF, flows=False))
    try:
        assert content_hash(with_flows) == content_hash(without)
        with with_flows.session() as s:
            flows = s.scalars(select(Flow)).all()
            kinds = {f.kind for f in flows}
        assert {FlowKind.DEPOSIT, FlowKind.WITHDRAWAL} <= kinds
        assert all(f.flow_date <= AS_OF for f in flows)
        with without.session() as s:
            assert s.scalar(select(func.count(Flow.id))) == 0
    finally:
        with_flows.close()
        without.close()


def test_the_flows_are_the_money_the_holdings_moved(demo_book):
    """Every client's recorded flows are what its financial holdings gained and lost by
    positions opened and closed: the market gain is what the positions already held did,
    so the demo's returns stay near its products' own moves (before, monthly savings that
    never reached the holdings gave a cash client -85% over a year)."""
    from reviewdesk.book.models import Flow
    from reviewdesk.review.build import build_review
    from reviewdesk.review.returns import Span
    from reviewdesk.settings import load_settings

    with demo_book.session() as s:
        settings = load_settings(s)
        ids = s.scalars(select(Client.id).order_by(Client.id)).all()
        assert s.scalar(select(func.count(Flow.id))) > 0
        measured = 0
        for cid in ids:
            review = build_review(s, cid, None, settings=settings, today=AS_OF)
            returns = review.returns
            if returns is None or not returns.flows_recorded:
                continue
            for period in returns.periods:
                # a period's market gain is the held positions' moves: a few percent at most
                base = max(period.start_value, period.end_value)
                assert abs(period.market_gain) <= base * D("0.12"), (cid, period)
            twr = returns.span(Span.SINCE_PREVIOUS).twr
            assert twr is None or abs(twr) < D("0.15"), (cid, twr)
            measured += 1
        assert measured >= len(ids) // 2


def test_a_fund_moves_by_its_risk_and_the_hong_kong_dollar_keeps_its_peg(demo_book):
    """A money market fund of the demo stood at +62.6% against its cost after five years,
    and a USD client's Hong Kong dollar account lost 1.5% in a month: an R1 fund earns a
    little and never falls, an R4 fund swings, and HKD-USD rates stay within the peg."""
    from reviewdesk.book.enums import AssetClass, RiskLevel
    from reviewdesk.book.models import FxRate, Holding

    with demo_book.session() as s:
        rows = s.execute(
            select(
                Snapshot.client_id,
                Holding.product_name,
                Holding.held_since,
                Holding.risk_level,
                Snapshot.review_date,
                Holding.market_value,
            )
            .join(Snapshot, Snapshot.id == Holding.snapshot_id)
            .where(Holding.asset_class == AssetClass.FUND)
            .order_by(Snapshot.client_id, Holding.product_name, Holding.held_since)
            .order_by(Snapshot.review_date)
        ).all()
        pegged = s.execute(
            select(FxRate.from_currency, FxRate.rate).where(
                FxRate.from_currency.in_(["HKD", "USD"]), FxRate.to_currency.in_(["HKD", "USD"])
            )
        ).all()
    moves: dict[RiskLevel, list[D]] = {}
    last: dict[tuple, D] = {}
    for cid, product, since, risk, _day, value in rows:
        key = (cid, product, since)
        if key in last and last[key] and value:
            moves.setdefault(risk, []).append(value / last[key] - 1)
        last[key] = value
    assert moves[RiskLevel.R1] and all(D(0) <= m <= D("0.0031") for m in moves[RiskLevel.R1])
    assert min(moves[RiskLevel.R4]) < D("-0.03") and max(moves[RiskLevel.R4]) > D("0.04")
    assert pegged
    for source, rate in pegged:
        low, high = (D("7.75"), D("7.85")) if source == "USD" else (D("0.1274"), D("0.1291"))
        assert low <= rate <= high, (source, rate)
