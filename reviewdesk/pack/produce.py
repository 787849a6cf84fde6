"""Producing one pack from the book, writing it safely, and recording it."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from reviewdesk.book.enums import Language, PackAction
from reviewdesk.book.models import PackRecord
from reviewdesk.pack.document import render_pack
from reviewdesk.review.build import build_review
from reviewdesk.review.model import Review
from reviewdesk.settings import Settings


@dataclass(frozen=True)
class Pack:
    review: Review
    lang: str
    paper: str
    data: bytes
    reference: str
    warnings: tuple[str, ...] = ()  # e.g. characters no embedded font has: show them

    @property
    def as_of(self) -> dt.date:
        """The day the pack was judged from (expiry, maturities, contacts)."""
        return self.review.today


def pack_reference(review: Review, lang: str, paper: str) -> str:
    """The pack's reference, e.g. `C00012-20260331-7KQ3F9`.

    A digest of everything the pack shows (the review object, which includes its
    as-of date) and of the options, so the same book, dates and options give the
    same reference, and a pack a client brings back can be matched to its record
    and rebuilt; if the book has changed since, the rebuilt pack's reference differs.
    """
    digest = hashlib.sha256(f"{review!r}|{lang}|{paper}".encode()).digest()
    tag = base64.b32encode(digest).decode("ascii")[:6]
    return f"{review.client.code}-{review.review_date:%Y%m%d}-{tag}"


def make_pack(session: Session, client_id: int, review_date: dt.date | None = None, *,
              settings: Settings, today: dt.date, lang: str | None = None,
              paper: str | None = None) -> Pack:
    """The pack of a client's review; the client's preferred language unless `lang` is given."""
    review = build_review(session, client_id, review_date, settings=settings, today=today)
    lang = lang or review.client.language.value
    paper = paper or settings.paper_size
    reference = pack_reference(review, lang, paper)
    warnings: list[str] = []
    data = render_pack(review, lang, paper, warnings)
    return Pack(review, lang, paper, data, reference, tuple(warnings))


def write_atomic(path: Path, data: bytes) -> Path:
    """Write through a temporary file in the same folder, then rename: never a half file."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".pack-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def record_pack(session: Session, client_id: int, review_date: dt.date, action: PackAction,
                lang: str, *, encrypted: bool = False, recipient: str | None = None,
                file_name: str | None = None, as_of: dt.date | None = None,
                paper: str | None = None, reference: str | None = None) -> PackRecord:
    """Note in the book that a pack was produced (what was disclosed, how, to whom, and
    what it takes to rebuild it: the as-of date, the paper and the reference)."""
    record = PackRecord(client_id=client_id, review_date=review_date, action=action,
                        language=Language(lang), encrypted=encrypted, recipient=recipient,
                        file_name=file_name, as_of=as_of, paper=paper, reference=reference)
    session.add(record)
    return record
