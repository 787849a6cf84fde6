"""The "Next steps" page says only what is true on the day the pack is prepared: steps
past their due date are said to be overdue, and no open step is denied."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from pypdf import PdfReader

from reviewdesk.book.enums import Channel
from reviewdesk.book.models import Contact
from reviewdesk.i18n import translator
from reviewdesk.pack.document import render_pack
from reviewdesk.review.build import build_review
from reviewdesk.review.model import NO_NEXT_STEP_LINE, OVERDUE_STEP, Review
from reviewdesk.settings import Settings
from tests import factories as f

PREPARED_ON = dt.date(2026, 6, 10)


def squeeze(text: str) -> str:
    return "".join(text.split())


def pack_text(review: Review, lang: str) -> str:
    data = render_pack(review, lang)
    return squeeze("".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages))


def review_of(book, *snapshots, contacts=(), today: dt.date = PREPARED_ON) -> Review:
    with book.session() as session:
        client = f.client("N1", "周丽")
        client.snapshots = list(snapshots)
        client.contacts = list(contacts)
        session.add(client)
        session.flush()
        return build_review(session, client.id, settings=Settings(), today=today)


def step(text: str, due: dt.date | None, *, shared: bool = True) -> Contact:
    return Contact(
        contact_date=dt.date(2026, 1, 15),
        channel=Channel.MEETING,
        shared=shared,
        next_step=text,
        next_step_shared=shared,
        next_step_due=due,
    )


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_an_overdue_step_is_said_to_be_overdue(book, lang):
    """Found: a pack prepared on 10 Jun 2026 showed "Send insurance quote — Due by
    2026-02-01" as if the step were still on time."""
    review = review_of(
        book,
        f.snapshot(dt.date(2026, 5, 31), f.holding()),
        contacts=[
            step("Send insurance quote", dt.date(2026, 2, 1)),
            step("Book the next meeting", dt.date(2026, 6, 30)),
            step("Due today", PREPARED_ON),
        ],
    )
    overdue = {s.text: s.overdue for s in review.next_steps}
    assert overdue == {
        "Send insurance quote": True,
        "Book the next meeting": False,
        "Due today": False,
    }
    text = pack_text(review, lang)
    said = translator(lang)(OVERDUE_STEP)
    assert squeeze(said.format(date="2026-02-01")) in text
    assert squeeze(said.format(date="2026-02-01")) == squeeze(review.next_steps[0].due_text(lang))
    for on_time in ("2026-06-30", PREPARED_ON.isoformat()):
        assert on_time in text and squeeze(said.format(date=on_time)) not in text


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_internal_open_steps_are_not_denied(book, lang):
    """Found: with an open next step kept internal, the pack read "No open next step." /
    「暂无待办的下一步。」, false as said; the step itself is neither shown nor counted."""
    review = review_of(
        book,
        f.snapshot(dt.date(2026, 5, 31), f.holding()),
        contacts=[step("申请费率优惠审批", dt.date(2026, 6, 30), shared=False)],
    )
    assert review.next_steps == () and review.internal_next_steps == 1
    text = pack_text(review, lang)
    assert squeeze(translator(lang)(NO_NEXT_STEP_LINE)) in text
    for false_line in ("Noopennextstep", "暂无待办的下一步"):
        assert false_line not in text
    assert "申请费率优惠审批" not in text
