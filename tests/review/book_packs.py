"""Every client's pack of the tests' demo book, rendered once, for the tests that read a
whole book's packs as a client and a compliance officer would (`test_english_reading`,
`test_chinese_reading`)."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

from pypdf import PdfReader

from reviewdesk.review.model import Review
from tests.conftest import AS_OF, PASSPHRASE


def book_packs(demo_book_path: Path, folder: Path, lang: str) -> dict[str, tuple[Review, str]]:
    """Per client code (clients with a review): the review and its pack's text in `lang`,
    page after page. The book is a copy in `folder`, opened as users open it (encrypted)."""
    from reviewdesk.book.db import open_book
    from reviewdesk.book.models import Client
    from reviewdesk.pack.document import render_pack
    from reviewdesk.review.build import build_review
    from reviewdesk.settings import load_settings

    path = folder / "demo.sqlite"
    shutil.copyfile(demo_book_path, path)
    book = open_book(str(path), passphrase=PASSPHRASE)
    packs = {}
    try:
        with book.session() as session:
            settings = load_settings(session)
            for client in session.query(Client).order_by(Client.id):
                if not client.snapshots:
                    continue
                review = build_review(session, client.id, settings=settings, today=AS_OF)
                pages = PdfReader(io.BytesIO(render_pack(review, lang))).pages
                packs[client.code] = (review, "\n".join(p.extract_text() for p in pages))
    finally:
        book.close()
    return packs
