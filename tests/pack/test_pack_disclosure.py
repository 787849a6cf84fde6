"""The pack prints only what the client may read of the contact log, in both languages."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from reviewdesk.pack.document import render_pack
from reviewdesk.review.build import build_review
from reviewdesk.settings import load_settings, save_setting
from tests.review.disclosure_book import (
    DONE_STEP,
    HIDDEN_STEP,
    INTERNAL_STEP,
    NOTE,
    NOTE_WORDS,
    OPEN_STEP,
    SHARED_NOTE,
    SOONER_STEP,
    SPECIAL_NOTES,
    TODAY,
    add_client,
    disclosure_book,
)


@pytest.fixture
def book(tmp_path):
    b = disclosure_book(tmp_path / "b.sqlite")
    yield b
    b.close()


def pack_text(book, client_id, lang: str) -> str:
    with book.session() as session:
        review = build_review(session, client_id, settings=load_settings(session), today=TODAY)
    data = render_pack(review, lang)
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    return "".join(text.split())


def squeeze(text: str) -> str:
    return "".join(text.split())


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_an_internal_note_is_in_no_pack(book, lang):
    text = pack_text(book, add_client(book), lang)
    assert squeeze(NOTE) not in text
    for words in (*NOTE_WORDS, INTERNAL_STEP, HIDDEN_STEP, DONE_STEP, SPECIAL_NOTES[:6]):
        assert words not in text, words
    # What was shared is there, each open next step with its due date.
    assert SHARED_NOTE in text
    assert f"{OPEN_STEP}2026-07-10" in text and f"{SOONER_STEP}2026-06-20" in text
    assert text.index(SOONER_STEP) < text.index(OPEN_STEP)  # soonest due first
    headings = (
        ("已约定的下一步", "近期联络", "期限")
        if lang == "zh"
        else ("Agreednextsteps", "Recentcontacts", "Dueby")
    )
    assert all(h in text for h in headings)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_setting_leaves_the_section_out_of_the_pack(book, lang):
    cid = add_client(book)
    with book.session() as session:
        save_setting(session, "pack_show_contacts", False)
    text = pack_text(book, cid, lang)
    for words in (SHARED_NOTE, OPEN_STEP, SOONER_STEP, *NOTE_WORDS):
        assert words not in text, words
    gone = ("已约定的下一步", "近期联络") if lang == "zh" else ("Agreednextsteps", "Recentcontacts")
    assert not any(h in text for h in gone)
    assert ("未来90天内到期" if lang == "zh" else "Maturinginthenext90days") in text


def test_the_demo_book_shares_some_notes_and_keeps_its_judgements_internal(demo_book):
    from sqlalchemy import func, select

    from reviewdesk.book.models import Contact
    from reviewdesk.demo import INTERNAL_NOTES
    from tests.conftest import AS_OF

    with demo_book.session() as s:

        def count(*where):
            return s.scalar(select(func.count(Contact.id)).where(*where))

        assert count(Contact.shared) and count(~Contact.shared)
        assert count(
            Contact.next_step_shared,
            Contact.next_step_done.is_(None),
            Contact.next_step_due >= AS_OF,
        )
        assert count(Contact.next_step_done.is_not(None))
        assert count(Contact.next_step.is_not(None), Contact.next_step_due.is_(None)) == 0
        # A client with an open shared next step: their pack lists it with its due date.
        contact = s.scalars(
            select(Contact)
            .where(
                Contact.next_step_shared,
                Contact.next_step_done.is_(None),
                Contact.next_step_due >= AS_OF,
            )
            .order_by(Contact.client_id)
        ).first()
        review = build_review(s, contact.client_id, settings=load_settings(s), today=AS_OF)
    assert review.next_steps and all(step.due for step in review.next_steps)
    text = "".join(
        page.extract_text() for page in PdfReader(io.BytesIO(render_pack(review, "zh"))).pages
    )
    text = "".join(text.split())
    step = review.next_steps[0]
    # the text without spaces, as the page's: an English client's step has them
    assert "".join(f"{step.text}{step.due.isoformat()}".split()) in text
    for note, next_step in INTERNAL_NOTES:
        for lang in note:
            assert note[lang] not in text and (next_step is None or next_step[lang] not in text)


def test_the_demo_writes_a_clients_notes_in_the_clients_language(demo_book):
    """A shared note goes into the client's pack: an English client's demo pack read
    "What was discussed: 电话沟通市场情况，客户关注利率下行"."""
    from sqlalchemy import select

    from reviewdesk.book.enums import Language
    from reviewdesk.book.models import Client, Contact

    def chinese(text: str) -> bool:
        return any("\u4e00" <= ch <= "\u9fff" for ch in text)

    with demo_book.session() as s:
        rows = s.execute(
            select(Client.language, Contact.summary, Contact.next_step, Contact.feedback).join(
                Contact, Contact.client_id == Client.id
            )
        ).all()
    seen = {Language.EN: 0, Language.ZH: 0}
    for language, *notes in rows:
        for note in filter(None, notes):
            assert chinese(note) == (language is Language.ZH), (language, note)
            seen[language] += 1
    assert seen[Language.EN] and seen[Language.ZH]
