"""Two sessions, one record: the second save is refused, naming who saved first and when."""

from __future__ import annotations

import pytest

from reviewdesk.book.models import Client
from reviewdesk.book.queries import find_client
from reviewdesk.book.versions import EditConflict
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
