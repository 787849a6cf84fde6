"""The gain against the recorded principal (cost) reads the same in the pack, on the
review page, in present mode and from `show`: the same figure from the same HoldingRow."""

from __future__ import annotations

import io
import json
from decimal import Decimal as D

import pytest
from pypdf import PdfReader
from PySide6.QtWidgets import QTableWidget

from reviewdesk.cli import main
from reviewdesk.gui.present import PresentWindow
from reviewdesk.gui.review_page import ReviewPage, load_review
from reviewdesk.i18n import set_language, translator, with_ratio
from reviewdesk.money import format_money, format_signed
from reviewdesk.pack.produce import make_pack
from reviewdesk.settings import Settings
from tests.conftest import AS_OF
from tests.gui.returns_books import client_ctx
from tests.review.test_cost_gain import make_li

# In the order the pack lists them (by class, then value): each with its gain as shown.
SHOWN = {
    "蓝筹混合": ("+10,000.00", "+10.0%", "100,000.00"),
    "美元债": ("+3,602.38", "+5.0%", "72,000.00"),  # 500.33 USD x 7.2
    "违约债": ("-20,000.00", "-100.0%", "20,000.00"),
    "成长股票": ("-15,000.00", "-25.0%", "60,000.00"),
}


@pytest.fixture
def li_ctx(book):
    return client_ctx(book, make_li)


def _flat(text: str) -> str:
    return "".join(text.split())


def _table_rows(table: QTableWidget) -> dict[str, list[str]]:
    rows = {}
    for r in range(table.rowCount()):
        cells = [table.item(r, c).text() if table.item(r, c) else "" for c in range(4)]
        rows[cells[0].strip()] = [
            table.item(r, c).text() if table.item(r, c) else "" for c in range(table.columnCount())
        ]
    return rows


def _column(table: QTableWidget, title: str) -> int:
    titles = [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]
    return titles.index(title)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_pack_and_the_screen_show_the_same_gain_against_cost(qtbot, li_ctx, book, lang):
    set_language(lang)
    _ = translator(lang)
    review, dates = load_review(li_ctx, li_ctx.client_id)
    page = ReviewPage(li_ctx)
    qtbot.addWidget(page)
    page.show_review(review, dates)
    table = page.findChild(QTableWidget, "reviewHoldings")
    column = _column(table, _("Gain vs. cost"))
    rows = _table_rows(table)

    with book.session() as session:
        pack = make_pack(session, li_ctx.client_id, settings=Settings(), today=AS_OF, lang=lang)
    text = _flat("".join(p.extract_text() for p in PdfReader(io.BytesIO(pack.data)).pages))

    for name, (amount, pct, cost) in SHOWN.items():
        # the pack: the gain, its percentage and the principal under them
        after = text.split(name, 1)[1]
        assert after.split(name, 1)[0]  # the name is there once in the table
        assert _flat(amount + pct + _("cost {amount}").format(amount=cost)) in after, name
        # the screen: the same gain (shorter in Chinese above 10,000) and percentage
        h = next(h for h in review.holdings if h.product_name == name)
        gain = D(amount.replace(",", ""))
        assert h.cost_gain.value.quantize(D("0.01")) == gain
        screen = format_signed(gain, "CNY", lang, compact=True)
        assert rows[name][column] == with_ratio(screen, pct, lang), (name, rows[name])
        if lang == "en" or abs(gain) < 10_000:
            assert screen == amount
    # no principal: "—"; a rate missing: the percentage alone with "—"; a zero principal:
    # the gain alone; a loan and a holding no longer held: nothing
    assert rows["现金"][column] == "—"
    assert rows["欧元存款"][column] == with_ratio("—", "+11.1%", lang)
    recorded = format_money(D(1800), "EUR", lang, compact=False)
    assert _flat("—+11.1%" + _("cost {amount}").format(amount=recorded)) in text
    assert rows["赠股"][column] == "+3,000.00"
    assert rows["住房按揭"][column] == "" and rows["旧股票"][column] == ""
    # the total, over the holdings with a principal only, in both
    total = review.cost_gain
    assert total.gain == D("-18397.62") and total.holdings == 5
    label = _("Gain vs. cost of the {count} holdings with a recorded principal")
    if lang == "en":
        assert rows[label.format(count=5)][column] == "-18,397.62 (-7.3%)"
        assert "Overthe5holdingswitharecordedprincipal:-18,397.62(-7.3%)" in text
        assert "252,000.00" in text.split("Overthe5holdings", 1)[1]
        assert "Leftoutofthattotalforwantofanexchangerate:EUR." in text
    else:
        assert rows["记录了本金的 5 项产品的本金盈亏"][column] == "-1.84万（-7.3%）"
        assert "记录了本金的5项产品合计：-18,397.62（-7.3%），本金252,000.00。" in text

    # present mode shows the review page's cells
    present = PresentWindow(review, full_screen=False, lang=lang)
    qtbot.addWidget(present)
    shown = present.findChild(QTableWidget, "reviewHoldings")
    shown_rows = _table_rows(shown)
    shown_column = _column(shown, _("Gain vs. cost"))
    for name in SHOWN:
        assert shown_rows[name][shown_column] == rows[name][column]
    page.close()
    present.close()


def test_show_lists_the_gain_against_cost(li_ctx, passphrase_env, capsys):
    set_language("en")
    url = li_ctx.db
    assert main(["--db", url, "show", "P1"]) == 0
    out = capsys.readouterr().out
    line = next(line for line in out.splitlines() if line.startswith("美元债"))
    assert line.rstrip().endswith("+3,602.38 (+5.0%)")
    loan = next(line for line in out.splitlines() if line.startswith("住房按揭"))
    assert "(" not in loan
    assert "Gain vs. cost of the 5 holdings with a recorded principal: -18,397.62 (-7.3%)" in out
    assert "Left out of that total for want of an exchange rate: EUR." in out

    assert main(["--db", url, "show", "P1", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    snapshot = data["latest_snapshot"]
    bond = next(h for h in snapshot["holdings"] if h["product_name"] == "美元债")
    assert D(bond["cost_gain"]) == D("500.33")
    assert D(bond["cost_gain_in_report"]) == D("3602.376")
    assert D(bond["principal_in_report"]) == D("72000")
    loan = next(h for h in snapshot["holdings"] if h["product_name"] == "住房按揭")
    assert D(loan["principal"]) == D("1000000") and loan["cost_gain"] is None
    assert snapshot["cost_gain"]["holdings"] == 5
    assert D(snapshot["cost_gain"]["gain"]) == D("-18397.62")
    assert snapshot["cost_gain"]["missing_rates"] == ["EUR"]
