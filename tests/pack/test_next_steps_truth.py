"""The "Next steps" page says only what is true on the day the pack is prepared: steps
past their due date are said to be overdue, and no open step is denied."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from pypdf import PdfReader

from reviewdesk.book.enums import AssetClass, Channel
from reviewdesk.book.models import Contact
from reviewdesk.i18n import translator, written_date
from reviewdesk.pack.document import render_pack
from reviewdesk.review.build import build_review
from reviewdesk.review.model import (
    MATURITY_BASIS_LINE,
    NO_NEXT_STEP_LINE,
    OVERDUE_STEP,
    UNDATED_TERM_LINE,
    Review,
)
from reviewdesk.settings import Settings
from tests import factories as f

PREPARED_ON = dt.date(2026, 6, 10)


def squeeze(text: str) -> str:
    return "".join(text.split())


def pack_text(review: Review, lang: str) -> str:
    data = render_pack(review, lang)
    return squeeze("".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages))


def review_of(
    book,
    *snapshots,
    contacts=(),
    today: dt.date = PREPARED_ON,
    review_date: dt.date | None = None,
    code: str = "N1",
) -> Review:
    with book.session() as session:
        client = f.client(code, "周丽")
        client.snapshots = list(snapshots)
        client.contacts = list(contacts)
        session.add(client)
        session.flush()
        return build_review(session, client.id, review_date, settings=Settings(), today=today)


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


def bond_x(**kw):
    return f.holding(
        "Bond X", "200000", asset_class=AssetClass.BOND, maturity_date=dt.date(2026, 6, 20), **kw
    )


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_an_older_review_does_not_announce_the_maturity_of_a_product_since_sold(book, lang):
    """Found: Bond X was gone by the 31 May review; a pack of the 31 Jan review made on
    10 Jun printed "Maturing in the next 90 days: 2026-06-20 Bond X" and the key point
    "Bond X matures on 2026-06-20"."""
    jan = dt.date(2026, 1, 31)
    review = review_of(
        book,
        f.snapshot(jan, f.holding(), bond_x()),
        f.snapshot(
            dt.date(2026, 5, 31),
            f.holding(),
            f.holding(
                "Note Y",
                "80000",
                asset_class=AssetClass.WEALTH_PRODUCT,
                maturity_date=dt.date(2026, 8, 1),
            ),
        ),
        review_date=jan,
    )
    assert review.review_date == jan and review.maturities_from == dt.date(2026, 5, 31)
    assert [m.product_name for m in review.maturities] == ["Note Y"]
    assert all(p.subject != "Bond X" for p in review.talking_points)
    text = pack_text(review, lang)
    # The holdings page shows Bond X as held on 31 Jan, with its date; no line of the
    # maturities (date, then product) nor a key point announces it.
    assert "BondX" in text and "2026-06-20BondX" not in text
    assert "Note Y" not in [h.product_name for h in review.holdings]
    assert "2026-08-01NoteY" in text
    said = translator(lang)(MATURITY_BASIS_LINE).format(
        date=written_date(dt.date(2026, 5, 31), lang)
    )
    assert squeeze(said) in text and squeeze(said) in map(squeeze, review.maturity_notes(lang))
    # The latest review itself says nothing of where its maturities are read from.
    latest = review_of(book, f.snapshot(dt.date(2026, 5, 31), bond_x()), code="N2")
    assert latest.maturities_from is None and latest.maturity_notes(lang) == ()


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_term_product_without_a_maturity_date_is_named(book, lang):
    """Found: a bond recorded without its maturity date was covered by "No holding on
    record matures in this period." alone, as if it were known not to mature."""
    review = review_of(
        book,
        f.snapshot(
            dt.date(2026, 5, 31),
            f.holding("Undated bond", "150000", asset_class=AssetClass.BOND),
            f.holding("Open note", "90000", asset_class=AssetClass.WEALTH_PRODUCT),
            f.holding("Current account", "50000", asset_class=AssetClass.DEPOSIT),
            bond_x(),
        ),
    )
    assert review.undated_term == ("Undated bond", "Open note")
    text = pack_text(review, lang)
    said = translator(lang)(UNDATED_TERM_LINE).format(
        names=("、" if lang == "zh" else ", ").join(review.undated_term)
    )
    assert squeeze(said) in text
    assert "Currentaccount" not in squeeze(said)


@pytest.mark.parametrize(
    ("lang", "point", "iso"),
    [
        ("zh", "BondX将于2026年6月20日到期", "BondX将于2026-06-20到期"),
        ("en", "BondXmatureson20Jun2026", "BondXmatureson2026-06-20"),
    ],
)
def test_a_key_points_date_is_written_as_the_packs_other_sentences_write_one(
    book, lang, point, iso
):
    """Found: the key points read "Bond X 将于 2026-06-20 到期" where every other sentence
    of the pack (the cover, the risk page, the performance notes) writes "2026年6月20日";
    the tables keep their short dates."""
    review = review_of(book, f.snapshot(dt.date(2026, 5, 31), f.holding(), bond_x()))
    assert [p.subject for p in review.talking_points if p.when] == ["Bond X"]
    text = pack_text(review, lang)
    assert point in text and iso not in text
    assert "2026-06-20BondX" in text  # the maturities' table
