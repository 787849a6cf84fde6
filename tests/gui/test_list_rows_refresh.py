"""After an edit the client list reads the edited client's row again, not the whole book: the
row is what a whole listing makes of it, the other rows stay as they were, and so do the
selection and the manager's sort order."""

from __future__ import annotations

from decimal import Decimal as D

from PySide6.QtCore import Qt
from sqlalchemy import select

from reviewdesk.book.editing import create_client, delete_client
from reviewdesk.book.models import Client, Holding, Snapshot
from reviewdesk.gui.client_list import NAME, TOTAL
from reviewdesk.money import format_money
from reviewdesk.review.client_list import list_client_rows
from reviewdesk.settings import load_settings


def full_listing(ctx) -> dict:
    with ctx.book.session() as s:
        settings = load_settings(s)
        rows = list_client_rows(s, ctx.today, settings.maturity_window_days, settings)
    return {row.id: row for row in rows}


def refreshed(qtbot, window, *client_ids: int) -> None:
    with qtbot.waitSignal(window.rows_updated, timeout=10_000):
        window.refresh_clients(*client_ids)


def test_an_edited_clients_row_is_read_again_and_the_others_are_kept(qtbot, window, ctx):
    before = {row.id: row for row in window.model.rows}
    chosen = window.model.rows[3].id
    old_text = window.model.index(window.model.row_of(chosen), TOTAL).data()
    with ctx.book.session() as s:
        latest = s.scalars(
            select(Snapshot)
            .where(Snapshot.client_id == chosen)
            .order_by(Snapshot.review_date.desc())
            .limit(1)
        ).one()
        holding = s.scalars(select(Holding).where(Holding.snapshot_id == latest.id)).first()
        holding.market_value += D("1234567")
    # What a tab's save says: this client's figures in the list may have changed.
    with qtbot.waitSignal(window.rows_updated, timeout=10_000):
        window.workspace.list_stale.emit(chosen)
    after = {row.id: row for row in window.model.rows}
    assert after[chosen] == full_listing(ctx)[chosen]
    assert after[chosen].summary.total_assets != before[chosen].summary.total_assets
    assert all(after[cid] is row for cid, row in before.items() if cid != chosen)
    # The cell shows the new total (its text is not the one made for the row before).
    summary = after[chosen].summary
    shown = window.model.index(window.model.row_of(chosen), TOTAL).data()
    assert shown == format_money(summary.total_assets, summary.report_currency, "en")
    assert shown != old_text
    assert window.model.rows == sorted(
        window.model.rows, key=lambda r: (r.summary.sort_name, r.summary.name, r.id)
    )


def test_a_renamed_client_moves_in_the_order_and_the_selection_stays(qtbot, window, ctx):
    window.model.sort(NAME, Qt.SortOrder.AscendingOrder)
    selected = window.model.rows[5].id
    window.select_client(selected)
    last = window.model.rows[-1].id
    with ctx.book.session() as s:
        s.get(Client, last).name = "AAA 第一位"
    refreshed(qtbot, window, last)
    assert window.model.rows[0].id == last
    assert window.model.rows[0].summary.name == "AAA 第一位"
    current = window.table.currentIndex()
    assert (
        window.proxy.index(current.row(), NAME).data()
        == window.model.rows[window.model.row_of(selected)].summary.name
    )
    assert [r.id for r in window.model.rows] == list(full_listing(ctx))  # the listing's order


def test_a_new_client_is_added_and_a_deleted_one_removed(qtbot, window, ctx):
    count = len(window.model.rows)
    with ctx.book.session() as s:
        new_id = create_client(s, "新客户 Zed", "CNY")
    refreshed(qtbot, window, new_id)
    assert len(window.model.rows) == count + 1
    assert window.model.rows[window.model.row_of(new_id)] == full_listing(ctx)[new_id]
    assert window.proxy.rowCount() == count + 1

    gone = window.model.rows[0].id
    with ctx.book.session() as s:
        delete_client(s, gone)
    refreshed(qtbot, window, gone)
    assert window.model.row_of(gone) == -1
    assert len(window.model.rows) == count
    assert {row.id: row for row in window.model.rows} == full_listing(ctx)
