"""Suitability is only ever judged against a valid assessment, and says so when it cannot be.

The review decides (status, holdings needing an assessment, talking points);
the pack prints it in both languages. Every page that speaks of the
assessment's state uses one rule (review.risk_status), with the validity setting.
"""

import datetime as dt
import io
import json
from decimal import Decimal as D
from functools import partial

import pytest
from pypdf import PdfReader

from reviewdesk.book.db import open_book
from reviewdesk.book.enums import AssetClass, ClientRiskLevel, PolicyKind, RiskLevel
from reviewdesk.book.models import Client, InsurancePolicy, RiskAssessment
from reviewdesk.cli import main
from reviewdesk.i18n import written_date
from reviewdesk.pack.document import render_pack
from reviewdesk.review.agenda import AgendaKind, build_agenda
from reviewdesk.review.build import TALKING_POINTS, build_review
from reviewdesk.review.cadence import add_months
from reviewdesk.review.client_list import ClientFlag, list_client_rows, list_clients
from reviewdesk.review.model import PointKind, Suitability, name_list, unjudged_sentence
from reviewdesk.review.risk_status import (
    AssessmentState,
    assessment_status,
    book_assessment_statuses,
    status_of,
)
from reviewdesk.settings import Settings, load_settings, save_setting
from tests import factories as f

TODAY = dt.date(2026, 6, 10)
PASSPHRASE = "suitability-test-passphrase"


@pytest.fixture
def book(tmp_path):
    b = open_book(str(tmp_path / "b.sqlite"), passphrase=PASSPHRASE)
    yield b
    b.close()


def _holdings():
    return (
        f.holding("进取成长股票基金", "300000", risk_level=RiskLevel.R5),
        f.holding("平衡混合基金", "200000", risk_level=RiskLevel.R4),
        f.holding("稳健债券基金", "50000", asset_class=AssetClass.BOND, risk_level=RiskLevel.R2),
        f.holding("活期存款", "10000", asset_class=AssetClass.DEPOSIT, risk_level=RiskLevel.R1),
        f.holding("住房按揭", "400000", asset_class=AssetClass.LOAN, risk_level=None),
    )


def _add(session, code, name, *assessments, snapshots=None):
    client = f.client(code, name)
    client.snapshots = snapshots or [f.snapshot(dt.date(2026, 5, 31), *_holdings())]
    client.assessments = list(assessments)
    session.add(client)
    session.flush()
    return client.id


def _review(book, make, settings=None):
    with book.session() as session:
        cid = make(session)
    with book.session() as session:
        return build_review(session, cid, settings=settings or Settings(), today=TODAY)


def _pdf_text(review, lang):
    pages = PdfReader(io.BytesIO(render_pack(review, lang))).pages
    return ["".join(p.extract_text().split()) for p in pages]


def _squash(text):
    return "".join(text.split())


def _points_section(pages, heading):
    """The text of the summary page after the talking points' heading."""
    page = next(p for p in pages if _squash(heading) in p)
    return page[page.index(_squash(heading)) + len(_squash(heading)) :]


NEEDING = ["进取成长股票基金", "平衡混合基金", "稳健债券基金"]  # R5, R4, R2; not R1, not the loan
WITHIN = {
    "zh": "所有已记录产品风险等级的资产均在客户的风险承受等级之内",
    "en": "Every asset held with a product risk rating on record is within the client's risk level",
}
# What the pack said before the verdict spoke only of the assets judged: kept out of every pack.
EVERY_HOLDING = {
    "zh": "所有持仓均在客户的风险承受等级之内",
    "en": "Every holding is within the client's risk level",
}
HEADING = {"zh": "本次值得沟通的要点", "en": "Worth talking about"}


def test_no_assessment_cannot_be_assessed_and_comes_first(book):
    review = _review(book, lambda s: _add(s, "N1", "王芳"))
    assert review.risk.state is AssessmentState.MISSING
    assert review.suitability_status is Suitability.NO_ASSESSMENT
    assert not review.all_within_level
    assert [n.product_name for n in review.needs_assessment] == NEEDING
    first = review.talking_points[0]
    assert first.kind is PointKind.NO_ASSESSMENT and list(first.names) == NEEDING
    assert first.text("en", "CNY") == (
        "No risk assessment on record: suitability cannot be assessed for 3 holdings of "
        "R2 or above (进取成长股票基金, 平衡混合基金, 稳健债券基金)."
    )
    assert first.text("zh", "CNY") == (
        "尚无风险评估记录，3 项 R2 及以上持仓（进取成长股票基金、平衡混合基金、稳健债券基金）"
        "无法进行适当性评估。"
    )
    # What the manager is to do is the manager's cue, never the client's sentence.
    assert first.for_manager("en", "CNY") == (
        first.text("en", "CNY") + " Assess the client in this meeting."
    )
    assert (
        first.for_manager("zh", "CNY")
        == first.text("zh", "CNY") + "请在本次会面中为客户做风险评估。"
    )

    for lang, cannot in (
        ("zh", "无法评估适当性：尚无风险评估记录。"),
        ("en", "Suitability cannot be assessed: there is no risk assessment on record."),
    ):
        pages = _pdf_text(review, lang)
        text = "".join(pages)
        assert _squash(WITHIN[lang]) not in text
        assert _squash(cannot) in text
        risk_page = next(p for p in pages if _squash(cannot) in p)
        for name in NEEDING:
            assert name in risk_page
        assert "活期存款" not in risk_page and "住房按揭" not in risk_page
        points = _points_section(pages, HEADING[lang])
        assert points.startswith("•" + _squash(first.text(lang, "CNY"))[:30])


def test_an_expired_assessment_is_treated_the_same(book):
    expired = RiskAssessment(
        assessed_on=dt.date(2025, 3, 1), level=ClientRiskLevel.C3, valid_until=dt.date(2026, 3, 1)
    )
    review = _review(book, lambda s: _add(s, "E1", "刘洋", expired))
    assert review.risk.state is AssessmentState.EXPIRED
    assert review.suitability_status is Suitability.EXPIRED
    assert not review.all_within_level
    assert [n.product_name for n in review.needs_assessment] == NEEDING
    assert [n.above_last_level for n in review.needs_assessment] == [True, True, False]
    kinds = [p.kind for p in review.talking_points]
    assert kinds[:2] == [PointKind.EXPIRED, PointKind.SUITABILITY]
    # Valid until 1 Mar 2026, its last valid day: it expired on the 2nd.
    assert review.talking_points[0].when == dt.date(2026, 3, 2)
    # Found: the point named the largest holding above the level alone, as if the only one.
    above = [n.product_name for n in review.needs_assessment if n.above_last_level]
    assert review.talking_points[1].text("en", "CNY") == (
        f"2 holdings are above the risk level of the expired assessment: {above[0]}, {above[1]}."
    )
    assert review.talking_points[1].text("zh", "CNY") == (
        f"2 项持仓高于已过期评估的风险承受等级：{above[0]}、{above[1]}。"
    )

    for lang, cannot in (
        ("zh", "无法评估适当性：风险评估已于 2026年3月2日 过期。"),
        ("en", "Suitability cannot be assessed: the risk assessment expired on 2 Mar 2026."),
    ):
        pages = _pdf_text(review, lang)
        text = "".join(pages)
        assert _squash(WITHIN[lang]) not in text
        assert _squash(cannot) in text
        risk_page = next(p for p in pages if _squash(cannot) in p)
        for name in NEEDING:
            assert name in risk_page
        points = _points_section(pages, HEADING[lang])
        # In the pack, dated as its sentences write a date.
        first = review.talking_points[0].text(lang, "CNY", partial(written_date, lang=lang))
        assert points.startswith("•" + _squash(first)[:30])
        assert written_date(dt.date(2026, 3, 2), lang) in first and "进取成长股票基金" in first


def test_an_assessment_is_never_said_valid_and_expired_on_one_day(book):
    """Found in an English demo pack: "Assessed on 25 Dec 2024, valid until 25 Dec 2025."
    above "Suitability cannot be assessed: the risk assessment expired on 25 Dec 2025."
    (and the key point the same): valid on its valid-until day, it expired the day after."""
    expired = RiskAssessment(
        assessed_on=dt.date(2025, 3, 1), level=ClientRiskLevel.C3, valid_until=dt.date(2026, 3, 1)
    )
    review = _review(book, lambda s: _add(s, "E3", "刘洋", expired))
    assert review.risk.expired_on == dt.date(2026, 3, 2)
    text = "".join(_pdf_text(review, "en"))
    assert _squash("Assessed on 1 Mar 2025, valid until 1 Mar 2026.") in text
    assert _squash("The risk assessment expired on 2 Mar 2026:") in text
    assert _squash("the risk assessment expired on 2 Mar 2026.") in text
    assert _squash("expired on 1 Mar 2026") not in text


def test_the_holdings_mark_names_the_expired_assessment(book):
    """Found: with the assessment expired, the pack's holdings read "风险等级标 ▲：高于客户的
    风险承受等级。" ("above the client's assessed risk level") while its key points and risk
    page said suitability could not be assessed and the mark was against the expired
    assessment; the screen's tooltip said the same."""
    expired = RiskAssessment(
        assessed_on=dt.date(2025, 3, 1), level=ClientRiskLevel.C3, valid_until=dt.date(2026, 3, 1)
    )
    review = _review(book, lambda s: _add(s, "E2", "刘洋", expired))
    assert review.suitability and review.suitability_status is Suitability.EXPIRED
    for lang, said, not_said in (
        (
            "zh",
            "▲ 高于已过期评估的等级（C3 平衡型）。",
            "风险等级标有 ▲ 的持仓：高于客户的风险承受等级。",
        ),
        (
            "en",
            "▲ above the level of the expired assessment (C3 Balanced).",
            "Risk level marked ▲: above the client's assessed risk level.",
        ),
    ):
        pages = _pdf_text(review, lang)
        holdings_page = next(p for p in pages if "进取成长股票基金" in p and "▲" in p)
        assert _squash(said) in holdings_page
        assert _squash(not_said) not in "".join(pages)
    assert review.above_level_note("zh", short=True) == "高于已过期评估的等级（C3 平衡型）"

    valid = RiskAssessment(
        assessed_on=dt.date(2026, 1, 5), level=ClientRiskLevel.C3, valid_until=dt.date(2027, 1, 5)
    )
    review = _review(book, lambda s: _add(s, "V2", "陈静", valid))
    assert review.suitability and review.suitability_status is Suitability.ASSESSED
    text = "".join(_pdf_text(review, "zh"))
    assert _squash("风险等级标有 ▲ 的持仓：高于客户的风险承受等级。") in text
    assert "高于已过期评估的等级" not in text
    assert review.above_level_note("zh", short=True) == "高于客户的风险承受等级"


def test_a_product_held_in_several_lots_is_named_once(book):
    """Found: a client holding one wealth product in three lots read, among the key points,
    "5 项 R2 及以上持仓（朝招金 7天持有期、US Treasury 4.25% 2026、朝招金 7天持有期，另有
    2 项）" and under the maturities "未记录到期日：朝招金 7天持有期、朝招金 7天持有期、
    朝招金 7天持有期。"."""
    expired = RiskAssessment(
        assessed_on=dt.date(2025, 3, 1), level=ClientRiskLevel.C3, valid_until=dt.date(2026, 3, 1)
    )
    lots = [
        f.holding(
            "朝招金 7天持有期",
            value,
            asset_class=AssetClass.WEALTH_PRODUCT,
            risk_level=RiskLevel.R2,
        )
        for value in ("420000", "400000", "200000")
    ]
    snapshot = f.snapshot(
        dt.date(2026, 5, 31),
        lots[0],
        f.holding(
            "US Treasury 4.25% 2026",
            "410000",
            asset_class=AssetClass.BOND,
            risk_level=RiskLevel.R2,
            maturity_date=dt.date(2026, 6, 19),
        ),
        lots[1],
        f.holding("华夏纯债债券A", "390000", risk_level=RiskLevel.R2),
        lots[2],
    )
    review = _review(book, lambda s: _add(s, "L3", "卢婷", expired, snapshots=[snapshot]))
    assert len(review.needs_assessment) == 5
    point = review.talking_points[0]
    assert point.kind is PointKind.EXPIRED
    assert point.text("zh", "CNY") == (
        "风险评估已于 2026-03-02 过期，在重新评估之前，5 项 R2 及以上持仓"
        "（朝招金 7天持有期、US Treasury 4.25% 2026、华夏纯债债券A）无法进行适当性评估。"
    )
    assert review.maturity_notes("zh") == ("未记录到期日：朝招金 7天持有期。",)
    text = "".join(_pdf_text(review, "zh"))
    assert _squash("未记录到期日：朝招金 7天持有期。") in text
    assert _squash(point.text("zh", "CNY", partial(written_date, lang="zh"))) in text
    # The three lots on the holdings page and on the risk page, the point, the maturities.
    assert text.count("朝招金7天持有期") == 3 + 3 + 1 + 1
    # The holdings not named are still counted: four names, one of them twice, then two more.
    assert name_list(("A", "B", "A", "C", "D", "E"), "en") == "A, B, C and 2 more"


def test_within_level_is_said_only_with_a_valid_assessment(book):
    valid = RiskAssessment(
        assessed_on=dt.date(2026, 1, 5), level=ClientRiskLevel.C5, valid_until=dt.date(2027, 1, 5)
    )
    review = _review(book, lambda s: _add(s, "V1", "陈静", valid))
    assert review.suitability_status is Suitability.ASSESSED and review.all_within_level
    assert not any(p.kind.compliance for p in review.talking_points)
    for lang in ("zh", "en"):
        assert _squash(WITHIN[lang]) in "".join(_pdf_text(review, lang))


def test_a_rated_product_held_with_no_rating_is_not_said_to_be_within_level(book):
    """A fund imported without its risk rating was covered by "Every holding is within the
    client's risk level": no one knew its level. Deposits, cash, insurance cash value,
    property and loans carry no rating and do not count."""
    valid = RiskAssessment(
        assessed_on=dt.date(2026, 1, 5), level=ClientRiskLevel.C5, valid_until=dt.date(2027, 1, 5)
    )
    snapshot = f.snapshot(
        dt.date(2026, 5, 31),
        *_holdings(),
        f.holding("新发混合基金", "80000", risk_level=None),
        f.holding("增额终身寿", "60000", asset_class=AssetClass.INSURANCE, risk_level=None),
        f.holding("现金", "5000", asset_class=AssetClass.CASH, risk_level=None),
    )
    review = _review(book, lambda s: _add(s, "U1", "周敏", valid, snapshots=[snapshot]))
    assert review.suitability_status is Suitability.ASSESSED and not review.suitability
    assert review.unrated == ("新发混合基金",)
    assert not review.all_within_level
    # ... and it is worth talking about: the summary no longer says nothing needs attention.
    assert review.talking_points[0].kind is PointKind.UNRATED
    for lang, line in (
        ("zh", "1项持仓未记录产品风险等级，无法判断其适当性：新发混合基金。"),
        ("en", "1holdinghasnoproductriskratingonrecord,soitssuitabilitycannotbejudged:"),
    ):
        text = "".join(_pdf_text(review, lang))
        assert _squash(WITHIN[lang]) not in text
        assert line in text, lang


def test_the_cap_never_drops_a_compliance_point(book):
    """Expired assessment, a holding above it, a 40 % move, a cover gap and a maturity."""

    def make(session):
        before = f.snapshot(
            dt.date(2026, 4, 30),
            f.holding("平衡混合基金", "100000", product_code="F1", risk_level=RiskLevel.R4),
            f.holding(
                "国债",
                "50000",
                asset_class=AssetClass.BOND,
                product_code="B1",
                risk_level=RiskLevel.R1,
            ),
        )
        after = f.snapshot(
            dt.date(2026, 5, 31),
            f.holding("平衡混合基金", "140000", product_code="F1", risk_level=RiskLevel.R4),
            f.holding(
                "国债",
                "50000",
                asset_class=AssetClass.BOND,
                product_code="B1",
                risk_level=RiskLevel.R1,
                maturity_date=dt.date(2026, 7, 1),
            ),
        )
        cid = _add(
            session,
            "X1",
            "赵敏",
            RiskAssessment(
                assessed_on=dt.date(2025, 1, 10),
                level=ClientRiskLevel.C2,
                valid_until=dt.date(2026, 1, 10),
            ),
            snapshots=[before, after],
        )
        client = session.get(Client, cid)
        client.annual_income = D(600_000)
        client.policies = [
            InsurancePolicy(kind=PolicyKind.LIFE, sum_assured=D(100_000), annual_premium=D(200_000))
        ]
        return cid

    review = _review(book, make)
    kinds = [p.kind for p in review.talking_points]
    assert len(kinds) == TALKING_POINTS
    assert kinds[:2] == [PointKind.EXPIRED, PointKind.SUITABILITY]
    assert kinds[2:] == [PointKind.MATURITY, PointKind.GAP]  # the move and premiums drop


def test_status_boundaries_and_the_warning_window():
    day = dt.date(2026, 6, 10)
    assert status_of("C3", day, dt.date(2026, 12, 10), day, 12).state is AssessmentState.VALID
    last = status_of("C3", dt.date(2025, 12, 10), dt.date(2026, 12, 10), day, 6)
    assert last.valid_until == day and last.state is AssessmentState.VALID  # still valid today
    gone = status_of("C3", dt.date(2025, 12, 9), dt.date(2026, 12, 9), day, 6)
    assert gone.valid_until == dt.date(2026, 6, 9) and gone.expired
    assert gone.expired_on == day  # valid on the 9th, expired on the 10th
    soon = status_of("C3", dt.date(2025, 12, 30), None, day, 6, warn_days=30)
    assert soon.state is AssessmentState.EXPIRING and soon.is_valid
    own = status_of("C3", dt.date(2026, 3, 1), dt.date(2026, 5, 1), day, 12)
    assert own.valid_until == dt.date(2026, 5, 1) and own.expired  # own date is earlier
    assert status_of(None, None, None, day, 12).state is AssessmentState.MISSING
    later = RiskAssessment(
        assessed_on=dt.date(2026, 7, 1), level=ClientRiskLevel.C5, valid_until=dt.date(2027, 7, 1)
    )
    assert assessment_status([later], day, 12).missing  # made after the day: not yet


def test_validity_setting_is_the_same_everywhere(book, capsys, monkeypatch):
    """Validity 6 months: an 8-month-old assessment whose own date is 4 months away is
    expired in the review and its pack, the client list, the agenda and the command line."""
    today = dt.date.today()
    assessed = add_months(today, -8)
    with book.session() as session:
        save_setting(session, "assessment_validity_months", 6)
        cid = _add(
            session,
            "S1",
            "孙丽",
            RiskAssessment(
                assessed_on=assessed, level=ClientRiskLevel.C4, valid_until=add_months(assessed, 12)
            ),
        )
        fresh = _add(
            session,
            "S2",
            "周强",
            RiskAssessment(
                assessed_on=add_months(today, -2),
                level=ClientRiskLevel.C4,
                valid_until=add_months(today, 10),
            ),
        )
    until = add_months(assessed, 6)
    with book.session() as session:
        settings = load_settings(session)
        review = build_review(session, cid, settings=settings, today=today)
        rows = {r.id: r for r in list_client_rows(session, today)}
        summaries = {s.id: s for s in list_clients(session, today)}
        agenda = build_agenda(session, today)
        statuses = book_assessment_statuses(session, today, settings.assessment_validity_months)
    assert review.risk.expired and review.risk.valid_until == until
    assert review.suitability_status is Suitability.EXPIRED
    assert review.talking_points[0].kind is PointKind.EXPIRED
    assert "风险评估已于" in "".join(_pdf_text(review, "zh"))
    assert ClientFlag.ASSESSMENT_EXPIRED in rows[cid].flags
    assert ClientFlag.ASSESSMENT_EXPIRED not in rows[fresh].flags
    assert summaries[cid].assessment == statuses[cid] == review.risk
    lines = [x for x in agenda.lines if x.client_id == cid]
    assert [
        (x.kind, x.params.get("due")) for x in lines if x.kind.value.startswith("assessment")
    ] == [(AgendaKind.ASSESSMENT_EXPIRED, until + dt.timedelta(days=1))]  # lapsed the day after
    assert not [
        x for x in agenda.lines if x.client_id == fresh and x.kind.value.startswith("assessment")
    ]
    book.close()

    monkeypatch.setenv("REVIEWDESK_PASSPHRASE", PASSPHRASE)
    db = str(book.path)
    assert main(["--db", db, "clients", "--json"]) == 0
    listed = {r["id"]: r["risk_assessment"] for r in json.loads(capsys.readouterr().out)}
    assert listed[cid] == {
        "status": "expired",
        "level": "C4",
        "assessed_on": assessed.isoformat(),
        "valid_until": until.isoformat(),
    }
    assert listed[fresh]["status"] == "valid"
    assert main(["--db", db, "show", str(cid), "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)["risk_assessment"]
    assert shown == listed[cid]


NONE_RATED = {
    "zh": "记录中没有产品风险等级为 R2 及以上的资产",
    "en": "No asset held has a product risk rating of R2 or above on record",
}
UNRATED_FUND = {
    "zh": "1 项持仓未记录产品风险等级，无法判断其适当性：新发股票基金。",
    "en": "1 holding has no product risk rating on record, so its suitability cannot be "
    "judged: 新发股票基金.",
}


@pytest.mark.parametrize("state", [AssessmentState.MISSING, AssessmentState.EXPIRED])
def test_a_fund_with_no_rating_is_named_without_a_valid_assessment(book, state):
    """Found: with no assessment (or an expired one), an equity fund recorded without its
    product risk rating beside a deposit: the client read "No holding is rated R2 or above;
    an assessment is needed before any product is recommended." (「目前没有 R2 及以上的
    持仓」), and the fund was never named."""
    assessments = []
    if state is AssessmentState.EXPIRED:
        assessments.append(
            RiskAssessment(
                assessed_on=dt.date(2025, 3, 1),
                level=ClientRiskLevel.C3,
                valid_until=dt.date(2026, 3, 1),
            )
        )
    snapshot = f.snapshot(
        dt.date(2026, 5, 31),
        f.holding("新发股票基金", "300000", risk_level=None),
        f.holding("活期存款", "10000", asset_class=AssetClass.DEPOSIT, risk_level=RiskLevel.R1),
    )
    review = _review(book, lambda s: _add(s, "R1", "吴昊", *assessments, snapshots=[snapshot]))
    assert review.risk.state is state and not review.suitability_status.can_assess
    assert review.needs_assessment == () and review.unrated == ("新发股票基金",)
    assert not review.none_rated_r2_or_above
    unrated = [p for p in review.talking_points if p.kind is PointKind.UNRATED]
    assert [p.names for p in unrated] == [("新发股票基金",)]
    for lang in ("zh", "en"):
        assert unrated[0].text(lang, "CNY") == UNRATED_FUND[lang]
        text = "".join(_pdf_text(review, lang))
        assert _squash(NONE_RATED[lang]) not in text
        assert "没有R2及以上" not in text and "NoholdingisratedR2" not in text
        risk_page = next(p for p in _pdf_text(review, lang) if _squash(UNRATED_FUND[lang]) in p)
        assert "新发股票基金" in risk_page


def test_with_every_rating_on_record_none_of_r2_is_said_of_the_record(book):
    """With no assessment and only a deposit rated R1 held, the review says that no
    holding has a rating of R2 or above on record, and names nothing unrated."""
    snapshot = f.snapshot(
        dt.date(2026, 5, 31),
        f.holding("活期存款", "10000", asset_class=AssetClass.DEPOSIT, risk_level=RiskLevel.R1),
    )
    review = _review(book, lambda s: _add(s, "R2", "郑洁", snapshots=[snapshot]))
    assert review.none_rated_r2_or_above
    assert PointKind.UNRATED not in {p.kind for p in review.talking_points}
    for lang in ("zh", "en"):
        assert _squash(NONE_RATED[lang]) in "".join(_pdf_text(review, lang))


NOTHING_TO_JUDGE = {
    "zh": "目前没有记录产品风险等级的资产，无从对照客户的风险等级作出判断。",
    "en": "No asset held has a product risk rating on record: there is nothing to judge "
    "against the client's risk level.",
}


@pytest.mark.parametrize("only_loan", [True, False])
def test_a_snapshot_with_nothing_to_judge_is_not_said_to_be_within_level(book, only_loan):
    """Found: a snapshot holding only a mortgage (or nothing) read "Every holding is within
    the client's risk level." beside a valid assessment."""
    valid = RiskAssessment(
        assessed_on=dt.date(2026, 1, 5), level=ClientRiskLevel.C3, valid_until=dt.date(2027, 1, 5)
    )
    held = (
        [f.holding("住房按揭", "400000", asset_class=AssetClass.LOAN, risk_level=None)]
        if only_loan
        else []
    )
    snapshot = f.snapshot(dt.date(2026, 5, 31), *held)
    review = _review(book, lambda s: _add(s, "L1", "冯磊", valid, snapshots=[snapshot]))
    assert review.suitability_status is Suitability.ASSESSED
    assert not review.all_within_level and review.nothing_to_judge
    for lang in ("zh", "en"):
        text = "".join(_pdf_text(review, lang))
        assert _squash(WITHIN[lang]) not in text
        assert _squash(NOTHING_TO_JUDGE[lang]) in text


def test_a_loan_recorded_with_a_rating_is_not_above_the_clients_level(book):
    """Found: a mortgage recorded with a product risk rating of R5 beside a fund rated R2
    read "住房按揭 (R5) is above the client's risk level." among the key points and in the
    risk page's table of holdings above the level; a loan is owed, not an investment the
    client's level speaks of."""
    valid = RiskAssessment(
        assessed_on=dt.date(2026, 1, 5), level=ClientRiskLevel.C3, valid_until=dt.date(2027, 1, 5)
    )
    snapshot = f.snapshot(
        dt.date(2026, 5, 31),
        f.holding("稳健债券基金", "100000", risk_level=RiskLevel.R2),
        f.holding("住房按揭", "400000", asset_class=AssetClass.LOAN, risk_level=RiskLevel.R5),
    )
    review = _review(book, lambda s: _add(s, "L2", "冯磊", valid, snapshots=[snapshot]))
    assert review.suitability == () and review.all_within_level
    assert PointKind.SUITABILITY not in {p.kind for p in review.talking_points}
    for lang in ("zh", "en"):
        text = "".join(_pdf_text(review, lang))
        assert _squash(WITHIN[lang]) in text
        assert "▲" not in text


@pytest.mark.parametrize(
    ("level", "en", "zh"),
    [
        # C3: the R5 and the R4 fund are both above it; both named, largest first.
        (
            ClientRiskLevel.C3,
            "2 holdings are above the client's risk level: 进取成长股票基金, 平衡混合基金.",
            "2 项持仓高于客户的风险承受等级：进取成长股票基金、平衡混合基金。",
        ),
        # C4: the R5 fund alone, named with its level as before.
        (
            ClientRiskLevel.C4,
            "进取成长股票基金 (R5) is above the client's risk level.",
            "进取成长股票基金（R5）高于客户的风险承受等级。",
        ),
    ],
)
def test_every_holding_above_the_level_is_named_in_the_key_point(book, level, en, zh):
    """Found: a client holding two products above a valid assessment's level read of the
    largest alone ("进取成长股票基金（R5）高于客户的风险承受等级。"), as if it were the only
    one; the risk page listed both."""
    valid = RiskAssessment(
        assessed_on=dt.date(2026, 1, 5), level=level, valid_until=dt.date(2027, 1, 5)
    )
    review = _review(book, lambda s: _add(s, "V1", "赵敏", valid))
    assert review.suitability_status.can_assess
    point = next(p for p in review.talking_points if p.kind is PointKind.SUITABILITY)
    assert point.text("en", "CNY") == en
    assert point.text("zh", "CNY") == zh
    points = _points_section(_pdf_text(review, "zh"), HEADING["zh"])
    assert _squash(zh) in points


def test_an_assessment_is_said_to_expire_the_day_after_it_is_valid_until(book):
    """Found: the risk page read "Assessed on 1 Jan 2026, valid until 9 Jun 2026." above
    "Suitability cannot be assessed: the risk assessment expired on 9 Jun 2026." ("有效期
    至 2026年6月9日" above "风险评估已于 2026年6月9日 过期"), and the key point the same: the
    assessment was valid on the 9th and expired on the 10th."""
    expired = RiskAssessment(
        assessed_on=dt.date(2026, 1, 1), level=ClientRiskLevel.C3, valid_until=dt.date(2026, 6, 9)
    )
    review = _review(book, lambda s: _add(s, "E9", "刘洋", expired))
    assert review.risk.expired and review.risk.expired_on == dt.date(2026, 6, 10)
    assert review.talking_points[0].when == dt.date(2026, 6, 10)
    for lang, said, wrong in (
        (
            "en",
            "the risk assessment expired on 10 Jun 2026",
            "expired on 9 Jun 2026",
        ),
        ("zh", "风险评估已于 2026年6月10日 过期", "已于 2026年6月9日 过期"),
    ):
        text = "".join(_pdf_text(review, lang))
        assert _squash(said) in text
        assert _squash(wrong) not in text


UNJUDGED = {
    "zh": "未记录产品风险等级的资产，未对照客户的风险等级作出判断（资产类别：存款、保险现金价值、"
    "房产）。",
    "en": "Assets held with no product risk rating on record are not judged against the "
    "client's risk level (asset classes: Deposit, Insurance cash value, Property).",
}


def _unjudged_snapshot():
    """A fund within a C3 level beside a structured deposit, an investment-linked policy and
    a flat, the three recorded without a rating; a savings account rated R1 and a mortgage."""
    return f.snapshot(
        dt.date(2026, 5, 31),
        f.holding("稳健债券基金", "100000", risk_level=RiskLevel.R2),
        f.holding("结构性存款A", "200000", asset_class=AssetClass.DEPOSIT, risk_level=None),
        f.holding("活期存款", "10000", asset_class=AssetClass.DEPOSIT, risk_level=RiskLevel.R1),
        f.holding("投连险", "80000", asset_class=AssetClass.INSURANCE, risk_level=None),
        f.holding("九龙住宅", "3000000", asset_class=AssetClass.PROPERTY, risk_level=None),
        f.holding("住房按揭", "1000000", asset_class=AssetClass.LOAN, risk_level=None),
    )


def test_assets_held_without_a_rating_are_not_said_to_be_within_level(book):
    """Found: a client with a fund within the level and a structured deposit (recorded as a
    deposit), an investment-linked policy (as insurance cash value) and a flat, the three
    recorded without a product risk rating: the pack read "Every holding is within the
    client's risk level." (「所有持仓均在客户的风险承受等级之内。」), though the three
    were never judged. The verdict now speaks of the assets with a rating on record, and the
    classes of those not judged are named under it; the rated deposit and the loan are not."""
    valid = RiskAssessment(
        assessed_on=dt.date(2026, 1, 5), level=ClientRiskLevel.C3, valid_until=dt.date(2027, 1, 5)
    )
    review = _review(book, lambda s: _add(s, "J1", "林峰", valid, snapshots=[_unjudged_snapshot()]))
    assert review.suitability_status is Suitability.ASSESSED and review.all_within_level
    assert review.unrated == ()
    assert {h.product_name for h in review.judged} == {"稳健债券基金", "活期存款"}
    assert review.unjudged_classes == (
        AssetClass.DEPOSIT,
        AssetClass.INSURANCE,
        AssetClass.PROPERTY,
    )
    for lang in ("zh", "en"):
        assert unjudged_sentence(review.unjudged_classes, lang) == UNJUDGED[lang]
        text = "".join(_pdf_text(review, lang))
        assert _squash(EVERY_HOLDING[lang]) not in text
        assert _squash(WITHIN[lang]) in text
        assert _squash(UNJUDGED[lang]) in text


def test_the_classes_not_judged_are_said_only_beside_a_verdict(book):
    """Not under "nothing to judge" (that line says it of every asset), nor without a valid
    assessment (nothing is judged then); one class is said as one."""
    valid = RiskAssessment(
        assessed_on=dt.date(2026, 1, 5), level=ClientRiskLevel.C3, valid_until=dt.date(2027, 1, 5)
    )
    flat = f.holding("九龙住宅", "3000000", asset_class=AssetClass.PROPERTY, risk_level=None)
    alone = _review(
        book,
        lambda s: _add(s, "J2", "林峰", valid, snapshots=[f.snapshot(dt.date(2026, 5, 31), flat)]),
    )
    assert alone.nothing_to_judge and alone.unjudged_classes == ()
    unassessed = _review(book, lambda s: _add(s, "J3", "林峰", snapshots=[_unjudged_snapshot()]))
    assert not unassessed.suitability_status.can_assess and unassessed.unjudged_classes == ()
    assert unjudged_sentence((AssetClass.PROPERTY,), "en") == (
        "Assets held with no product risk rating on record are not judged against the "
        "client's risk level (asset class: Property)."
    )
