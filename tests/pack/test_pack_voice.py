"""The pack speaks of the client in one voice: the third person, as its summary, holdings,
insurance and suitability pages do ("the client's risk level")."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from reviewdesk.pack.document import render_pack
from reviewdesk.review.build import build_review
from reviewdesk.settings import load_settings
from tests.review.disclosure_book import SHARED_NOTE, TODAY, add_client, disclosure_book


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_pack_never_turns_to_you(tmp_path, lang):
    """Found: the risk levels' table said "Your risk tolerance" and "a product suits you"
    beside "Every holding is within the client's risk level" above it."""
    book = disclosure_book(tmp_path / "b.sqlite")
    try:
        client_id = add_client(book)
        with book.session() as session:
            review = build_review(session, client_id, settings=load_settings(session), today=TODAY)
    finally:
        book.close()
    pages = PdfReader(io.BytesIO(render_pack(review, lang))).pages
    text = " ".join(page.extract_text() for page in pages).replace(SHARED_NOTE, "")
    if lang == "zh":
        assert "风险等级说明" in text and "您" not in text
    else:
        assert "Risk levels" in text
        assert not re.search(r"\byou(rs?)?\b", text, re.IGNORECASE), re.findall(
            r".{40}\byou.{40}", text, re.IGNORECASE
        )
