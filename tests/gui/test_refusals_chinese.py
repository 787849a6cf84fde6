"""In Chinese, a refused value is shown wholly in Chinese where it was typed: the field by
its label, the value as typed, the book's reason translated with its values filled in."""

from __future__ import annotations

import re

from PySide6.QtCore import Qt
from sqlalchemy import select

from reviewdesk.book.models import Client, InsurancePolicy, Snapshot
from reviewdesk.exchange import schema
from reviewdesk.i18n import set_language
from reviewdesk.money import CURRENCIES
from tests.exchange import workbooks as wbs
from tests.gui.conftest import book_dump, open_client
from tests.gui.test_exchange_dialogs import answer_open, wait_done


def chinese(window) -> None:
    set_language("zh")
    window.retranslate()


def english_left(text: str, *quoted: str) -> list[str]:
    for item in sorted(quoted, key=len, reverse=True):
        text = text.replace(item, "")
    return re.findall(r"[A-Za-z]+", text)


def client_with_holdings(ctx) -> str:
    with ctx.book.session() as s:
        return s.scalars(select(Client.name).join(Snapshot).order_by(Client.name)).first()


def test_a_holding_with_five_decimals_is_refused_in_chinese(qtbot, window, ctx):
    open_client(qtbot, window, client_with_holdings(ctx))
    chinese(window)
    tab = window.workspace.holdings
    window.workspace.tabs.setCurrentWidget(tab)
    before = book_dump(ctx.book)
    column = [c.field for c in tab.holdings.columns].index("market_value")
    assert not tab.holdings.setData(tab.holdings.index(0, column), "1.23456")
    assert tab.message.isVisibleTo(window)
    assert tab.message.text() == "市值“1.23456”：小数位超过 4 位"
    assert book_dump(ctx.book) == before


def test_the_profile_refuses_a_bad_email_in_chinese(qtbot, window, ctx):
    open_client(qtbot, window, client_with_holdings(ctx))
    chinese(window)
    profile = window.workspace.profile
    window.workspace.tabs.setCurrentWidget(profile)
    profile.editors["email"].setText("not an address")
    qtbot.mouseClick(profile.save_button, Qt.MouseButton.LeftButton)
    message = profile.messages["email"]
    qtbot.waitUntil(message.isVisible, timeout=5000)
    assert message.text() == "邮件“not an address”：不是有效的电子邮件地址"


def test_a_negative_sum_assured_is_refused_in_chinese(qtbot, window, ctx):
    with ctx.book.session() as s:
        name = s.scalar(select(Client.name).join(InsurancePolicy).order_by(Client.name))
    open_client(qtbot, window, name)
    chinese(window)
    tab = window.workspace.insurance
    window.workspace.tabs.setCurrentWidget(tab)
    tab.people.setCurrentRow(0)
    column = [c.field for c in tab.policies.columns].index("sum_assured")
    assert not tab.policies.setData(tab.policies.index(0, column), "-1")
    assert tab.message.text() == "保额“-1”：不能为负数"


def test_the_settings_form_refuses_in_chinese_under_the_field(qtbot, window, ctx):
    from reviewdesk.gui.settings_dialog import SettingsDialog

    chinese(window)
    window.open_settings()
    dialog = window.findChild(SettingsDialog)
    qtbot.waitUntil(dialog.isEnabled, timeout=5000)
    # The share's field is in percent: 150 typed there is 150%.
    dialog.editors["premium_income_share"].setText("150")
    dialog.save()
    message = dialog.messages["premium_income_share"]
    qtbot.waitUntil(message.isVisible, timeout=5000)
    assert message.text() == "“150%”：须为 0% 至 100% 之间的百分比，如 10%"
    dialog.editors["premium_income_share"].setText("很多")
    dialog.save()
    qtbot.waitUntil(lambda: message.text() == "“很多”：不是数字", timeout=5000)
    dialog.reject()


def test_the_contact_dialog_refuses_in_chinese(qtbot, window, ctx):
    import datetime as dt

    from reviewdesk.gui.contact_dialog import ContactDialog

    chinese(window)
    with ctx.book.session() as s:
        client = s.scalar(select(Client).order_by(Client.name))
        client_id, name = client.id, client.name
    dialog = ContactDialog(ctx, client_id, name, dt.date.today())
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.summary.setPlainText("面谈")
    dialog.next_step_shared.setChecked(True)
    dialog.save()
    qtbot.waitUntil(lambda: dialog.message.isVisibleTo(dialog), timeout=5000)
    assert dialog.message.text() == "告知客户下一步：需要先填写下一步"
    dialog.reject()


def test_the_import_dialog_lists_the_books_refusals_in_chinese(
    qtbot, window, tmp_path, monkeypatch
):
    from reviewdesk.gui.exchange_dialogs import ImportDialog, report_text

    chinese(window)
    path = wbs.write(
        tmp_path / "客户资料.xlsx",
        {
            schema.CLIENTS.name("zh"): [
                wbs.header(schema.CLIENTS, "zh", ["client_id", "name", "contact_cadence_days"]),
                ["N001", "王建国", 400],
            ],
            schema.HOLDINGS.name("zh"): [
                wbs.header(schema.HOLDINGS, "zh", wbs.HOLDING_KEYS),
                [
                    "N001",
                    "2026-03-31",
                    "基金",
                    "易方达蓝筹",
                    None,
                    None,
                    "CNY",
                    "1.23456",
                    None,
                    None,
                    None,
                    "R4",
                ],
                [
                    "N001",
                    "2026-03-31",
                    "存款",
                    "定期存款",
                    None,
                    None,
                    "XYZ",
                    1000,
                    None,
                    None,
                    None,
                    "R1",
                ],
            ],
        },
    )
    answer_open(monkeypatch, [path])
    window.import_action.trigger()
    dialog = window.findChild(ImportDialog)
    qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
    wait_done(qtbot, dialog)
    model = dialog.problems.model()
    reasons = [model.index(row, 4).data() for row in range(model.rowCount())]
    assert reasons == [
        "必须在 1 到 366 之间",
        "小数位超过 4 位",
        "不是已知币种（" + "、".join(CURRENCIES) + "）",
    ]
    assert model.index(1, 2).data() == "市值"
    text = report_text(dialog.report)
    assert "资产 第 2 行，市值：1.23456 小数位超过 4 位" in text.splitlines()
    assert english_left(text, str(path), "XYZ", *CURRENCIES) == [], text
