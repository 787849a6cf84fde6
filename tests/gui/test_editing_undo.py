"""Editing the client as a manager does: one undo history for every edit of the client, the
importer's amounts in the editors, and every refused profile field marked on one Save."""

from __future__ import annotations

from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from sqlalchemy import func, select

from reviewdesk.book.errors import ValidationError
from reviewdesk.book.models import (
    Client,
    FamilyMember,
    Holding,
    InsurancePolicy,
    RiskAssessment,
    Snapshot,
)
from reviewdesk.gui.worker import book_worker
from tests.gui.conftest import book_dump, open_client


def _client_with_family(ctx) -> Client:
    with ctx.book.session() as s:
        return s.scalars(
            select(Client).join(Snapshot).join(FamilyMember).order_by(Client.name)
        ).first()


def _edit_cell(qtbot, view, row: int, column: int, text: str) -> None:
    index = view.model().index(row, column)
    view.setCurrentIndex(index)
    view.edit(index)
    editor = view.indexWidget(index)
    editor.selectAll()
    if text.isascii():
        qtbot.keyClicks(editor, text)
    else:  # QTest cannot type Chinese; an input method commits the text whole
        editor.insert(text)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: view.indexWidget(index) is None, timeout=2000)


def _settle(qtbot, window) -> None:
    """The book work done and the client shown again."""
    from PySide6.QtWidgets import QApplication

    for _round in range(3):
        book_worker().waitForDone(10_000)
        QApplication.processEvents()
    qtbot.wait(50)


def _count(ctx, model, **where) -> int:
    with ctx.book.session() as s:
        query = select(func.count()).select_from(model)
        for key, value in where.items():
            query = query.where(getattr(model, key) == value)
        return s.scalar(query)


def holdings_of(ctx, snapshot_id: int) -> list[tuple]:
    """Every value of every holding of the snapshot, but its id and its save counter (an
    undo is a save too)."""
    with ctx.book.session() as s:
        rows = s.scalars(select(Holding).where(Holding.snapshot_id == snapshot_id)).all()
        return [
            tuple(
                str(getattr(h, c.key))
                for c in Holding.__table__.columns
                if c.key not in ("id", "version")
            )
            for h in rows
        ]


def _undo(qtbot, window) -> None:
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    _settle(qtbot, window)


def test_adding_a_holding_keeps_the_undo_history_and_every_edit_undoes(
    qtbot, window, ctx, monkeypatch
):
    client = open_client(qtbot, window, _client_with_family(ctx).name)
    workspace = window.workspace
    holdings = workspace.holdings
    workspace.tabs.setCurrentWidget(holdings)
    snapshot_id = holdings.snapshot_id
    before = holdings_of(ctx, snapshot_id)
    held = len(before)

    # a value edited, then a holding added: the value's edit is still undoable
    column = [c.field for c in holdings.holdings.columns].index("market_value")
    first = dict(holdings.holdings.rows[0])
    _edit_cell(qtbot, holdings.holdings_view, 0, column, "1.2万")
    _settle(qtbot, window)
    holdings.add_holding()
    _settle(qtbot, window)
    assert _count(ctx, Holding, snapshot_id=snapshot_id) == held + 1
    assert workspace.history.count() == 2 and window.undo_action.isEnabled()

    # the first holding removed
    monkeypatch.setattr(
        QMessageBox, "question", staticmethod(lambda *a, **k: QMessageBox.StandardButton.Yes)
    )
    holdings.holdings_view.setCurrentIndex(holdings.holdings.index(0, 0))
    holdings.remove_holding()
    _settle(qtbot, window)
    assert _count(ctx, Holding, snapshot_id=snapshot_id) == held

    # a profile save, a family member's edit, a policy added, an assessment saved
    profile = workspace.profile
    profile.editors["occupation"].setText("教师")
    profile.save()
    _settle(qtbot, window)
    family_column = [c.field for c in profile.family.columns].index("annual_income")
    _edit_cell(qtbot, profile.family_view, 0, family_column, "30万")
    _settle(qtbot, window)
    member_id = profile.family.rows[0]["id"]
    member_income = next(m.annual_income for m in client.family if m.id == member_id)
    with ctx.book.session() as s:
        assert s.get(FamilyMember, member_id).annual_income == Decimal(300_000)
    policies = _count(ctx, InsurancePolicy, client_id=client.id)
    workspace.insurance.add_policy()
    _settle(qtbot, window)
    assert _count(ctx, InsurancePolicy, client_id=client.id) == policies + 1
    risk = workspace.risk
    for combo in risk.answers.values():
        combo.setCurrentIndex(1)
    assessments = _count(ctx, RiskAssessment, client_id=client.id)
    risk.save()
    _settle(qtbot, window)
    assert _count(ctx, RiskAssessment, client_id=client.id) == assessments + 1
    with ctx.book.session() as s:
        assert s.get(Client, client.id).occupation == "教师"
    assert workspace.history.count() == 7

    # undone one by one, from any tab, back to the book as it was
    for _edit in range(7):
        _undo(qtbot, window)
    assert not window.undo_action.isEnabled()
    assert _count(ctx, Holding, snapshot_id=snapshot_id) == held
    with ctx.book.session() as s:
        assert s.get(Client, client.id).occupation == client.occupation
        restored = s.scalars(
            select(Holding).where(
                Holding.snapshot_id == snapshot_id,
                Holding.product_name == first["product_name"],
            )
        ).one()
        assert restored.market_value == first["market_value"]
        assert s.get(FamilyMember, member_id).annual_income == member_income
    assert _count(ctx, InsurancePolicy, client_id=client.id) == policies
    assert _count(ctx, RiskAssessment, client_id=client.id) == assessments
    # every holding as it was (the removed one came back under a new id)
    assert sorted(holdings_of(ctx, snapshot_id)) == sorted(before)

    # and redone, the removed holding's value edit reaching it under its new id
    window.redo_action.trigger()
    _settle(qtbot, window)
    with ctx.book.session() as s:
        assert s.scalars(
            select(Holding.market_value).where(
                Holding.snapshot_id == snapshot_id,
                Holding.product_name == first["product_name"],
            )
        ).one() == Decimal(12_000)


def test_another_client_starts_a_new_history(qtbot, window, ctx):
    open_client(qtbot, window, _client_with_family(ctx).name)
    window.workspace.holdings.add_holding()
    _settle(qtbot, window)
    assert window.undo_action.isEnabled()
    with ctx.book.session() as s:
        other = s.scalars(select(Client).order_by(Client.name.desc())).first().name
    open_client(qtbot, window, other)
    assert not window.undo_action.isEnabled()


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("1.2万", Decimal(12_000)),
        ("1.2亿", Decimal(120_000_000)),
        ("1,234,567.50", Decimal("1234567.50")),
        ("CNY 2,000", Decimal(2000)),
        ("¥3,500", Decimal(3500)),
    ],
)
def test_the_holdings_editor_reads_amounts_as_the_importer_does(qtbot, window, ctx, typed, stored):
    open_client(qtbot, window, _client_with_family(ctx).name)
    holdings = window.workspace.holdings
    window.workspace.tabs.setCurrentWidget(holdings)
    column = [c.field for c in holdings.holdings.columns].index("market_value")
    row_id = holdings.holdings.rows[0]["id"]
    _edit_cell(qtbot, holdings.holdings_view, 0, column, typed)
    _settle(qtbot, window)
    assert not holdings.message.isVisible()
    with ctx.book.session() as s:
        assert s.get(Holding, row_id).market_value == stored


def test_the_editors_call_the_importers_amount_parser(monkeypatch):
    from reviewdesk.exchange import parse
    from reviewdesk.gui.tables import Column, parse_text

    calls = []
    monkeypatch.setattr(parse, "parse_amount", lambda text: calls.append(text) or Decimal(7))
    assert parse_text("Holding", Column("market_value", "amount"), "7 apples") == Decimal(7)
    assert calls == ["7 apples"]


def test_an_unreadable_amount_names_the_field_and_the_value(qtbot, window, ctx):
    open_client(qtbot, window, _client_with_family(ctx).name)
    holdings = window.workspace.holdings
    window.workspace.tabs.setCurrentWidget(holdings)
    column = [c.field for c in holdings.holdings.columns].index("market_value")
    _edit_cell(qtbot, holdings.holdings_view, 0, column, "12x万")
    text = holdings.message.text()
    assert "Market value" in text and "12x万" in text and "12.5万" in text


def test_income_is_shown_with_separators_and_read_back(qtbot, window, ctx):
    client = open_client(qtbot, window, _client_with_family(ctx).name)
    profile = window.workspace.profile
    with ctx.book.session() as s:
        s.get(Client, client.id).annual_income = Decimal(1_250_000)
    window.workspace.reload()
    qtbot.waitUntil(lambda: profile.editors["annual_income"].text() == "1,250,000.00", timeout=5000)
    before = book_dump(ctx.book)
    profile.save()  # nothing changed: nothing written
    _settle(qtbot, window)
    assert book_dump(ctx.book) == before
    assert profile.values()["annual_income"] == Decimal(1_250_000)


def test_every_refused_profile_field_is_marked_on_one_save(qtbot, window, ctx):
    open_client(qtbot, window, _client_with_family(ctx).name)
    profile = window.workspace.profile
    window.workspace.tabs.setCurrentWidget(profile)
    before = book_dump(ctx.book)
    profile.editors["birthday"].setText("1990-02-30")
    profile.editors["phone"].setText("call me")
    profile.editors["email"].setText("not an address")
    profile.editors["annual_income"].setText("lots")
    profile.editors["contact_cadence_days"].setText("1.5")
    qtbot.mouseClick(profile.save_button, Qt.MouseButton.LeftButton)
    _settle(qtbot, window)
    marked = {field for field, message in profile.messages.items() if message.isVisible()}
    assert marked == {"birthday", "phone", "email", "annual_income", "contact_cadence_days"}
    assert "Birthday" in profile.messages["birthday"].text()
    assert "no such day" in profile.messages["birthday"].text()
    assert "1990-02-30" in profile.messages["birthday"].text()
    phone = profile.messages["phone"].text()
    assert "Phone" in phone and "call me" in phone and "not a phone number" in phone
    assert book_dump(ctx.book) == before
    assert not window.undo_action.isEnabled()


def test_a_refused_profile_reads_in_chinese(qtbot, window, ctx):
    from reviewdesk.i18n import set_language

    open_client(qtbot, window, _client_with_family(ctx).name)
    set_language("zh")
    window.retranslate()
    profile = window.workspace.profile
    profile.editors["birthday"].setText("1990-02-30")
    profile.editors["phone"].setText("12345")
    profile.save()
    assert "日历上没有这一天" in profile.messages["birthday"].text()
    assert "不是电话号码" in profile.messages["phone"].text()
    assert "12345" in profile.messages["phone"].text()


@pytest.mark.parametrize(
    "phone", ["13800138000", "+852 9000 0000", "(021) 6888-1234", "+86-10-12345678"]
)
def test_the_book_takes_phone_numbers(phone):
    assert Client(phone=phone).phone == phone


@pytest.mark.parametrize(
    "phone", ["12345", "call me", "138-0013-8000 ext 5", "1" * 21, "+86 138 0013 800x"]
)
def test_the_book_refuses_what_is_not_a_phone_number(phone):
    with pytest.raises(ValidationError) as info:
        Client(phone=phone)
    assert info.value.field == "phone" and "not a phone number" in info.value.reason
