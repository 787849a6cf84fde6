"""A pack's reference number: what identifies one pack, so that it can be rebuilt."""

from __future__ import annotations

import base64
import hashlib

from reviewdesk.review.model import Review


def pack_reference(review: Review, lang: str, paper: str) -> str:
    """The pack's reference, e.g. `C00012-20260331-7KQ3F9`.

    A digest of everything the pack shows (the review object, which includes its
    as-of date and the preparer's names) and of the options, so the same book, dates
    and options give the same reference, and a pack a client brings back can be
    matched to its record and rebuilt; if the book has changed since, the rebuilt
    pack's reference differs. The review is made of frozen dataclasses, tuples,
    enums, dates and Decimals, whose `repr` is the same in every process; what the pack
    prints beside it is `Review.digest_extras`, added only when there is some.
    """
    shown = f"{review!r}|{lang}|{paper}"
    if review.digest_extras:
        shown += f"|{review.digest_extras!r}"
    digest = hashlib.sha256(shown.encode()).digest()
    tag = base64.b32encode(digest).decode("ascii")[:6]
    return f"{review.client.code}-{review.review_date:%Y%m%d}-{tag}"
