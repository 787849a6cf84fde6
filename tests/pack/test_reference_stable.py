"""A pack's reference is a digest of the review it shows (`pack/reference.py`): a pack a
client brings back is rebuilt from its record only when the book gives the same
reference again. A field added to the review for the screen's sake, or a rule that
changes nothing the pack shows, must leave the references of packs already handed out
as they were, or every one of them would be refused as "the book or its settings have
changed since". The golden book's references are pinned here: when what a pack shows
changes on purpose, they change, and this list is updated with the reason in the commit.
"""

from __future__ import annotations

import datetime as dt

from reviewdesk.pack.reference import pack_reference
from reviewdesk.review.build import build_review
from reviewdesk.settings import load_settings
from tests.pack.golden_book import build_golden_book

# As of 2026-12-02 (the reviews of 31 December 2025, prepared on 10 January 2026, zh, A4).
# Changed on 2026-12-02 for the four clients holding property: a home is no longer counted
# as held at another institution (the allocation by institution has a property slice).
# Changed for "cny": its current account topped up (+25.5%) is no longer the key point's
# move, which is now its fund's (+16.1%): a balance the client moves is not the market's.
# Changed again on 2026-12-02 for the four clients with a class holding a product bought or
# sold between reviews: a class's Change % is over its holdings held at both reviews.
# Changed on 2026-12-02 for all five, each holding several products above the client's risk
# level (or the expired assessment's): the key point names them all, where it named the
# largest alone ("many" holds ten).
# Changed for "jpy", whose assessment has expired: the key point and the risk page say it
# expired on the day after it was valid until, where they gave that last valid day.
REFERENCES = {
    "cny": "C00001-20251231-2QDPY2",
    "hangul": "C00005-20251231-WNJFLF",
    "jpy": "C00002-20251231-N4YPCI",
    "long": "C00004-20251231-VVD63Q",
    "many": "C00003-20251231-IABTCP",
}


def test_the_references_of_packs_handed_out_stay_as_they_were(tmp_path):
    book, ids = build_golden_book(tmp_path / "golden.sqlite")
    try:
        with book.session() as session:
            settings = load_settings(session)
            found = {
                name: pack_reference(
                    build_review(session, cid, settings=settings, today=dt.date(2026, 1, 10)),
                    "zh",
                    "a4",
                )
                for name, cid in ids.items()
            }
    finally:
        book.close()
    assert found == REFERENCES
