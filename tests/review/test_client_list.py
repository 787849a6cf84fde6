import datetime as dt
from decimal import Decimal

from reviewdesk.book.enums import AssetClass, ClientRiskLevel, RiskLevel
from reviewdesk.book.models import Client, Holding, RiskAssessment, Snapshot
from reviewdesk.review.client_list import ClientFlag, list_client_rows, list_clients
from tests.conftest import AS_OF


def _client(
    session,
    name,
    level=ClientRiskLevel.C2,
    assessed=dt.date(2026, 1, 10),
    holdings=(),
    review=dt.date(2026, 5, 31),
):
    client = Client(code=name, name=name, phone="13800000000", report_currency="CNY")
    client.set_tags(["有子女"])
    client.assessments.append(
        RiskAssessment(
            assessed_on=assessed,
            level=level,
            score=30,
            valid_until=assessed.replace(year=assessed.year + 1),
        )
    )
    snap = Snapshot(review_date=review)
    for risk, maturity in holdings:
        snap.holdings.append(
            Holding(
                product_name="p",
                asset_class=AssetClass.FUND,
                currency="CNY",
                market_value=Decimal("100.50"),
                risk_level=risk,
                maturity_date=maturity,
            )
        )
    client.snapshots.append(snap)
    session.add(client)
    return client


def test_flags_follow_the_latest_snapshot_and_assessment(book):
    with book.session() as s:
        _client(s, "ok", holdings=[(RiskLevel.R2, None)])
        _client(s, "above", holdings=[(RiskLevel.R1, None), (RiskLevel.R3, None)])
        _client(s, "expired", assessed=dt.date(2025, 3, 1), holdings=[(RiskLevel.R1, None)])
        _client(s, "maturing", holdings=[(None, AS_OF + dt.timedelta(days=30))])
        _client(s, "overdue", review=dt.date(2026, 1, 31), holdings=[(RiskLevel.R1, None)])
        # Quarterly: next due 2026-06-18, within the 7 days ahead of AS_OF.
        _client(s, "due", review=dt.date(2026, 3, 18), holdings=[(RiskLevel.R1, None)])
        old = _client(s, "old risk", holdings=[(RiskLevel.R1, None)], review=dt.date(2026, 5, 31))
        earlier = Snapshot(review_date=dt.date(2026, 2, 28))
        earlier.holdings.append(
            Holding(
                product_name="x",
                asset_class=AssetClass.STOCK,
                currency="CNY",
                market_value=1,
                risk_level=RiskLevel.R5,
            )
        )
        old.snapshots.append(earlier)
    with book.session() as s:
        rows = {r.summary.name: r for r in list_client_rows(s, AS_OF, 90)}
        assert rows["ok"].flags == frozenset()
        assert rows["above"].flags == {ClientFlag.SUITABILITY}
        assert rows["expired"].flags == {ClientFlag.ASSESSMENT_EXPIRED}
        assert rows["maturing"].flags == {ClientFlag.MATURITY_SOON}
        # An overdue review is flagged as such, as the agenda says it; the "Review due"
        # filter takes it too.
        assert rows["overdue"].flags == {ClientFlag.REVIEW_OVERDUE}
        assert rows["due"].flags == {ClientFlag.REVIEW_DUE}
        assert rows["overdue"].has(ClientFlag.REVIEW_DUE) and rows["due"].has(ClientFlag.REVIEW_DUE)
        assert not rows["due"].has(ClientFlag.REVIEW_OVERDUE)
        assert not rows["ok"].has(ClientFlag.REVIEW_DUE)
        assert rows["old risk"].flags == frozenset()  # only the latest snapshot counts
        assert rows["ok"].tags == ("有子女",) and rows["ok"].phone == "13800000000"
        assert rows["ok"].risk_level is ClientRiskLevel.C2
        assert rows["above"].summary.total_assets == Decimal("201.00")


def test_summaries_agree_with_list_clients(demo_book):
    with demo_book.session() as s:
        plain = {c.id: c for c in list_clients(s, AS_OF)}
        for row in list_client_rows(s, AS_OF):
            assert row.summary == plain[row.id]


def test_last_review_and_next_due_are_the_agendas(book):
    """The list, the command line and the agenda agree: a pack shown counts as a review,
    and the cadence follows the settings unless the client has its own."""
    from reviewdesk.book.enums import Cadence, PackAction, Tier
    from reviewdesk.book.models import PackRecord
    from reviewdesk.review.cadence import book_cadences
    from reviewdesk.settings import load_settings, save_setting

    with book.session() as s:
        save_setting(s, "review_cadence_standard", "monthly")
        shown = _client(s, "shown", review=dt.date(2026, 3, 31))
        s.flush()
        s.add(
            PackRecord(
                client_id=shown.id,
                review_date=dt.date(2026, 3, 31),
                action=PackAction.SHOWN,
                language="zh",
                produced_at=dt.datetime(2026, 6, 2, 10, 0),
            )
        )
        own = _client(s, "own cadence", review=dt.date(2026, 5, 31))
        own.review_cadence = Cadence.QUARTERLY
        key = _client(s, "key", review=dt.date(2026, 4, 30))
        key.tier = Tier.KEY
    with book.session() as s:
        agenda = {c.name: c for c in book_cadences(s, AS_OF, load_settings(s))}
        listed = {c.name: c for c in list_clients(s, AS_OF)}
        rows = {r.summary.name: r.summary for r in list_client_rows(s, AS_OF)}
    assert listed["shown"].last_review == dt.date(2026, 6, 2)
    assert listed["shown"].next_review_due == dt.date(2026, 7, 2)  # monthly by the settings
    assert listed["own cadence"].next_review_due == dt.date(2026, 8, 31)
    assert listed["key"].next_review_due == dt.date(2026, 5, 30)
    for name, cadence in agenda.items():
        for summary in (listed[name], rows[name]):
            assert (summary.cadence, summary.last_review, summary.next_review_due) == (
                cadence.cadence,
                cadence.last_review,
                cadence.next_review_due,
            ), name
