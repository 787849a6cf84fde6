"""The pack's Performance section, end to end: a workbook made as a manager fills one,
imported into an encrypted book, the pack made and its text read back (the issue's
worked case: new money told apart from what the market did)."""

from __future__ import annotations

import datetime as dt
import io
import os
from decimal import Decimal as D
from pathlib import Path

import pytest
from openpyxl import Workbook
from pypdf import PdfReader
from sqlalchemy import select

from reviewdesk.book.models import Client
from reviewdesk.exchange import import_files, schema
from reviewdesk.pack.produce import make_pack
from reviewdesk.review.build import build_review
from reviewdesk.review.returns import NoReturn
from reviewdesk.settings import Settings

TODAY = dt.date(2026, 4, 15)
HOLDING_KEYS = [
    "client_id",
    "review_date",
    "asset_class",
    "product_name",
    "currency",
    "market_value",
]
FLOW_KEYS = ["client_id", "date", "amount", "currency", "kind", "note"]


def _workbook(path: Path, flows: bool = True, reviews: int = 3) -> Path:
    """A CNY client reviewed on 31 Jan (1,000,000), 28 Feb (1,030,000, after 20,000 taken
    out on 14 Feb) and 31 Mar 2026 (1,060,000, after 100,000 put in on 21 Mar)."""
    lang = "zh"
    wb = Workbook()
    wb.remove(wb.active)

    def sheet(spec: schema.Sheet, keys: list[str], rows: list[list[object]]) -> None:
        ws = wb.create_sheet(spec.name(lang))
        ws.append([spec.by_key[k].name(lang) for k in keys])
        for row in rows:
            ws.append(row)

    sheet(schema.CLIENTS, ["client_id", "name", "report_currency"], [["P1", "王伟", "CNY"]])
    values = [
        (dt.date(2026, 1, 31), 1_000_000),
        (dt.date(2026, 2, 28), 1_030_000),
        (dt.date(2026, 3, 31), 1_060_000),
    ][:reviews]
    sheet(
        schema.HOLDINGS,
        HOLDING_KEYS,
        [["P1", day, "理财", "稳健理财", "CNY", value] for day, value in values],
    )
    if flows:
        sheet(
            schema.FLOWS,
            FLOW_KEYS,
            [
                ["P1", dt.date(2026, 2, 14), -20_000, "CNY", "取出", "学费"],
                ["P1", dt.date(2026, 3, 21), 100_000, "CNY", "存入", None],
            ],
        )
    wb.save(path)
    return path


def _pack_text(book, path: Path, lang: str) -> str:
    report = import_files(book, [path])
    assert report.problems == [] and report.applied
    with book.session() as session:
        client_id = session.scalar(select(Client.id).where(Client.code == "P1"))
        pack = make_pack(session, client_id, settings=Settings(), today=TODAY, lang=lang)
    if os.environ.get("REVIEWDESK_KEEP_PACKS"):
        Path(os.environ["REVIEWDESK_KEEP_PACKS"], f"{path.stem}-{lang}.pdf").write_bytes(pack.data)
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pack.data)).pages)
    return "".join(text.split())


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_issues_worked_case_reads_in_the_pack(book, tmp_path, lang):
    text = _pack_text(book, _workbook(tmp_path / "worked.xlsx"), lang)
    # Modified Dietz: 50,000 / 990,000 and -70,000 / 1,062,258.06.
    assert "+5.05%" in text and "-6.59%" in text
    # Chain-linked over the two periods.
    assert "-1.87%" in text
    # Net new money 80,000 while the value changed by 60,000 (6%).
    assert "+80,000.00" in text and "-20,000.00" in text
    assert ("+60,000.00（+6.0%）" if lang == "zh" else "+60,000.00(+6.0%)") in text
    if lang == "zh":
        assert "投资表现" in text and "时间加权收益率" in text and "资金加权收益率" in text
        assert "不计入房产和负债" in text.replace("，", "")  # the figures leave them out
        assert "自2026年1月31日以来" in text
        # The summary: the change since the last review, and the new money beside it.
        assert "2026年2月28日以来变动" in text and "+3.00万" in text
        assert "+10.00万" in text and "市场损益-7.00万" in text
        assert "修正Dietz法" in text  # the glossary
    else:
        assert "Performance" in text and "Time-weightedreturn" in text
        assert "Propertyandliabilitiesareleftoutofthesefigures" in text
        assert "Changesince28Feb2026" in text and "+30,000" in text
        assert "Netnewmoneysince28Feb2026" in text and "+100,000" in text
        assert "Marketgain-70,000.00" in text
        assert "ModifiedDietz" in text and "Money-weightedreturn" in text


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_without_flows_the_pack_says_what_is_needed(book, tmp_path, lang):
    text = _pack_text(book, _workbook(tmp_path / "noflows.xlsx", flows=False), lang)
    assert "-1.87%" not in text and "+6.00%" not in text and "+6.0%" in text
    if lang == "zh":
        assert "未记录任何存入或取出" in text and "全部变动来自市场" in text
    else:
        assert "Nodepositorwithdrawalisrecorded" in text
        assert "thewholechangecamefromthemarket" in text
        assert "Time-weightedreturn" not in text


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_with_one_review_the_pack_says_when_figures_come(book, tmp_path, lang):
    text = _pack_text(book, _workbook(tmp_path / "one.xlsx", reviews=1), lang)
    if lang == "zh":
        assert "只有一次回顾" in text
    else:
        assert "withonereviewonrecordthereisnothingtomeasureyet" in text


def _hkd_client_with_a_cny_flow(session) -> int:
    """A client whose report currency changed from CNY to HKD after a CNY deposit was
    recorded (at its rate to CNY): every holding in HKD, 1,000,000 on 31 Jan and
    1,050,000 on 31 Mar 2026, the deposit of 10 Feb in between."""
    from reviewdesk.book.enums import FlowKind
    from reviewdesk.book.flows import record_flow
    from tests import factories as f

    client = f.client("P2", "陈静", report_currency="CNY")
    client.snapshots = [
        f.snapshot(dt.date(2026, 1, 31), f.holding("港币存款", "1000000", "HKD")),
        f.snapshot(dt.date(2026, 3, 31), f.holding("港币存款", "1050000", "HKD")),
    ]
    session.add(client)
    session.flush()
    record_flow(
        session,
        client.id,
        dt.date(2026, 2, 10),
        D(50_000),
        FlowKind.DEPOSIT,
        rate=D(1),
        today=TODAY,
    )
    client.report_currency = "HKD"
    session.flush()
    return client.id


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_flow_without_a_rate_to_the_report_currency_is_said_as_such(book, lang):
    """Found: after the report currency changed from CNY to HKD, a CNY deposit recorded
    before had no value in HKD, and the Performance page told the client "a review in that
    time has no exchange rate for CNY, so its total leaves those holdings out" (every
    holding is in HKD and the totals are whole; the summary showed the change +50,000),
    then asked for "the date and amount of every deposit..." although one is recorded. The
    page now says the deposit has no rate to HKD, so the change is not split and no
    return is given."""
    with book.session() as session:
        client_id = _hkd_client_with_a_cny_flow(session)
        review = build_review(session, client_id, settings=Settings(), today=TODAY)
        pack = make_pack(session, client_id, settings=Settings(), today=TODAY, lang=lang)
    span = review.returns.spans[-1]
    assert span.missing_rates == () and span.change == D(50_000)
    assert span.no_twr is span.no_mwr is NoReturn.NO_FLOW_RATE
    text = "".join(
        "".join(p.extract_text() for p in PdfReader(io.BytesIO(pack.data)).pages).split()
    )
    assert "+50,000" in text or "+5.00万" in text
    if lang == "zh":
        assert "其合计未计入这些持仓" not in text and "缺少CNY的汇率" not in text
        assert "每笔存入、取出及转入转出的日期和金额" not in text
        assert "2026年2月10日以CNY记录的存入没有折算为HKD的汇率" in text
        assert "因此该变动未拆分为净投入和市场损益" in text
        assert "流水未折算：" in text
    else:
        assert "leavesthoseholdingsout" not in text and "exchangerateforCNY" not in text
        assert "thedateandamountofeverydeposit" not in text
        assert "NoexchangeratetoHKDforthedepositof10Feb2026inCNY" not in text  # sentence case
        assert "ThereisnoexchangeratetoHKDforthedepositof10Feb2026inCNY" in text
        assert "thechangeisnotsplitintonewmoneyandmarketgain" in text
        assert "Flownotvalued:" in text and "flownotvalued" in text


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_notes_date_as_the_page_does(book, tmp_path, lang):
    """Found: the notes under the spans table printed "2026-03-31" and "2025-12-31" while
    every sentence around them read "31 Mar 2026" (zh "2026年3月31日"). The notes now take
    the page's dates."""
    text = _pack_text(book, _workbook(tmp_path / "dates.xlsx"), lang)
    start = text.index("各区间均截至" if lang == "zh" else "Everyspanends")
    notes = text[
        start : text.index("收益率按精确金额计算" if lang == "zh" else "Returnsarecomputed")
    ]
    assert "2026-" not in notes and "2025-" not in notes
    if lang == "zh":
        assert "各区间均截至本次回顾（2026年3月31日）" in text
        assert "2025年12月31日没有回顾" in text and "首次回顾2026年1月31日起算" in text
    else:
        assert "Everyspanendsatthisreview(31Mar2026)" in text
        assert "thereisnoreviewon31Dec2025" in text
        assert "afterit,on31Jan2026." in text


def test_a_pack_naming_a_flow_with_no_rate_has_a_reference_of_its_own(book):
    """The reason names the flow's day; the flow is out of the review's repr (references of
    packs handed out stay), so the reference digests it apart (`Review.digest_extras`):
    a pack that names another day is another pack."""
    from reviewdesk.book.models import Flow
    from reviewdesk.pack.reference import pack_reference

    with book.session() as session:
        client_id = _hkd_client_with_a_cny_flow(session)
    # Each review read from the book, as every pack is made: in the session that wrote them,
    # the holdings' amounts are the Decimals as typed (1050000) until the identity map lets
    # them go, and read back they are the book's (1050000.0000), so that the reprs compared
    # depended on when the cycle collector ran.
    with book.session() as session:
        before = build_review(session, client_id, settings=Settings(), today=TODAY)
        flow = session.query(Flow).filter_by(client_id=client_id).one()
        flow.flow_date = dt.date(2026, 2, 11)
    with book.session() as session:
        after = build_review(session, client_id, settings=Settings(), today=TODAY)
    assert repr(before) == repr(after)
    assert pack_reference(before, "en", "a4") != pack_reference(after, "en", "a4")
