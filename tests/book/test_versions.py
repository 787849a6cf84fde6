"""Two sessions, one record: the second save is refused, naming who saved first and when."""

from __future__ import annotations

import pytest

from reviewdesk.book.models import Client
from reviewdesk.book.queries import find_client
from reviewdesk.book.versions import EditConflict
from reviewdesk.i18n import set_language
from tests import factories as f


def _two_sessions(book, code: str):
    with book.session() as s:
        s.add(f.client(code=code, name="张伟"))
    first = book.read_session()
    client = first.scalar(
        Client.__table__.select().where(Client.code == code).with_only_columns(Client.id)
    )
    mine = first.get(Client, client)
    first.commit()  # read, and the screen shows it
    return first, mine


def test_a_save_over_a_change_saved_meanwhile_is_refused(book):
    first, mine = _two_sessions(book, "V1")
    with book.session() as other:
        find_client(other, "V1").phone = "13800000000"
    mine.name = "张小伟"
    with pytest.raises(
        EditConflict, match=r"Client 张伟 \(\d+\) was changed by .+ at 20\d\d-.+ since you"
    ) as caught:
        first.commit()
    assert caught.value.changed[0].who == book.actor
    first.rollback()
    first.close()
    with book.session() as s:
        kept = find_client(s, "V1")
        assert (kept.name, kept.phone, kept.version) == ("张伟", "13800000000", 2)


def test_a_record_deleted_meanwhile_is_not_brought_back(book):
    first, mine = _two_sessions(book, "V2")
    client_id = mine.id
    with book.session() as other:
        other.delete(find_client(other, "V2"))
    mine.name = "张小伟"
    with pytest.raises(EditConflict, match="was deleted by"):
        first.commit()
    first.rollback()
    first.close()
    with book.session() as s:
        assert s.get(Client, client_id) is None


def test_saves_one_after_another_count_up(book):
    with book.session() as s:
        s.add(f.client(code="V3"))
    for phone in ("13800000001", "13800000002"):
        with book.session() as s:
            find_client(s, "V3").phone = phone
    with book.session() as s:
        assert find_client(s, "V3").version == 3


def test_an_edit_names_what_the_screen_showed_and_is_refused_when_it_moved_on(book):
    """The desk's writes (update_fields, delete_record) name the save counter the screen
    showed, an exchange rate's as well as a holding's."""
    import datetime as dt
    from decimal import Decimal

    from reviewdesk.book.editing import delete_record, update_fields
    from reviewdesk.book.models import FxRate, Holding, Snapshot

    with book.session() as s:
        client = f.client(code="V4", name="王芳")
        snapshot = f.snapshot(dt.date(2026, 5, 31), f.holding("易方达蓝筹", "1000"))
        snapshot.rates = [FxRate(from_currency="USD", to_currency="CNY", rate=Decimal("7.1"))]
        client.snapshots = [snapshot]
        s.add(client)
        s.flush()
        holding_id = snapshot.holdings[0].id
        rate_id = snapshot.rates[0].id
        shown = s.get(Holding, holding_id).version
        rate_shown = s.get(FxRate, rate_id).version
    with book.session() as other:
        other.get(Holding, holding_id).market_value = Decimal("2000")
        other.get(FxRate, rate_id).rate = Decimal("7.2")
    with book.session() as s, pytest.raises(EditConflict, match="Holding 易方达蓝筹"):
        update_fields(s, Holding, holding_id, {"market_value": Decimal("3000")}, shown)
    with (
        book.session() as s,
        pytest.raises(EditConflict, match=rf"Exchange rate USD/CNY \({rate_id}\) was changed by"),
    ):
        update_fields(s, FxRate, rate_id, {"rate": Decimal("7.3")}, rate_shown)
    # The kind of record in the person's language, not the model's name.
    set_language("zh")
    try:
        with book.session() as s, pytest.raises(EditConflict, match=r"汇率 USD/CNY"):
            update_fields(s, FxRate, rate_id, {"rate": Decimal("7.3")}, rate_shown)
        with book.session() as s, pytest.raises(EditConflict, match="持仓 易方达蓝筹"):
            update_fields(s, Holding, holding_id, {"market_value": Decimal("3000")}, shown)
    finally:
        set_language("en")
    with book.session() as s, pytest.raises(EditConflict):
        delete_record(s, FxRate, rate_id, rate_shown)
    with book.session() as s:
        assert s.get(Holding, holding_id).market_value == Decimal("2000")
        assert s.get(FxRate, rate_id).rate == Decimal("7.2")
        # as it is now, the same writes go through
        update_fields(s, FxRate, rate_id, {"rate": Decimal("7.3")}, rate_shown + 1)
        delete_record(s, Holding, holding_id, shown + 1)
    with book.session() as s:
        assert s.get(Holding, holding_id) is None
        assert s.get(FxRate, rate_id).rate == Decimal("7.3")
        assert s.get(FxRate, rate_id).version == rate_shown + 2
        assert s.get(Snapshot, snapshot.id) is not None
    # deleted meanwhile: said so, with who
    with book.session() as s, pytest.raises(EditConflict, match="was deleted by"):
        update_fields(s, Holding, holding_id, {"market_value": Decimal("1")}, shown + 1)
