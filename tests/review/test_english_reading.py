"""What a client reads in English, read across a whole demo book (an audit of the English
packs and present mode): each test names the sentence that was found."""

import re
from decimal import Decimal as D

import pytest

from reviewdesk.review.model import PointKind, TalkingPoint
from tests.review.book_packs import book_packs


def test_a_move_is_said_as_a_rise_or_a_fall():
    """Found: "招商银行 moved -7.2% (CNY -80,942.62) since the last review."."""
    fall = TalkingPoint(PointKind.MOVE, "招商银行", D("-80942.62"), ratio=D("-0.072"))
    assert fall.text("en", "CNY") == "招商银行 fell 7.2% (CNY 80,942.62) since the last review."
    assert fall.text("zh", "CNY") == "招商银行 较上次回顾下跌 7.2%（8.09万 CNY）。"
    rise = TalkingPoint(PointKind.MOVE, "Apple Inc.", D("29006.95"), ratio=D("0.04"))
    assert rise.text("en", "HKD") == "Apple Inc. rose 4.0% (HKD 29,006.95) since the last review."
    assert rise.text("zh", "HKD") == "Apple Inc. 较上次回顾上涨 4.0%（2.90万 HKD）。"


def test_the_premiums_point_names_the_guide_as_the_insurance_page_does():
    """Found: "Premiums of CNY 142,630.00 a year exceed the planned share of income." in the
    key points, "(guide: at most 10.0%)" on the insurance page and "(limit 62,500.00)" in
    present mode: one guide, three names, and a plan the client never made."""
    point = TalkingPoint(PointKind.PREMIUMS, amount=D("142630"), ratio=D("0.10"))
    assert point.text("en", "CNY") == (
        "Premiums of CNY 142,630.00 a year exceed the guide of 10.0% of household income."
    )
    assert point.text("zh", "CNY") == "每年保费 14.26万 CNY，超过建议比例（家庭年收入的 10.0%）。"


def test_a_sentence_ending_on_a_name_with_a_full_stop_has_one():
    """Found in the golden English pack: "2 holdings are above the risk level of the expired
    assessment: Toyota Motor Corp., Sony Group Corp..": the name's stop, then the
    sentence's."""
    point = TalkingPoint(
        PointKind.SUITABILITY,
        "Toyota Motor Corp.",
        variant="expired",
        detail="R5",
        names=("Toyota Motor Corp.", "Sony Group Corp."),
    )
    assert point.text("en", "JPY").endswith(": Toyota Motor Corp., Sony Group Corp.")
    unrated = TalkingPoint(PointKind.UNRATED, names=("Apple Inc.",)).text("en", "")
    assert unrated.endswith("so its suitability cannot be judged: Apple Inc.")
    ellipsis = TalkingPoint(PointKind.UNRATED, names=("Fund...",)).text("en", "")
    assert ellipsis.endswith(": Fund...")


# The modules whose messages the client reads: the pack's pages, present mode, the charts,
# and the review's own sentences. (The pack's batch and produce speak to the manager.)
CLIENT_READ = ("reviewdesk/pack/", "reviewdesk/charts/", "reviewdesk/gui/present.py")
CLIENT_READ_FILES = {
    "reviewdesk/review/model.py",
    "reviewdesk/review/insurance_text.py",
    "reviewdesk/review/returns_text.py",
    "reviewdesk/review/risk_status.py",
}
MANAGER_READ = {"reviewdesk/pack/batch.py", "reviewdesk/pack/produce.py"}


def test_what_the_client_reads_says_review_never_snapshot():
    """Found: "Incomes recorded in another currency are converted at the snapshot's exchange
    rates." under the insurance rules of an English pack, and present mode's "No holdings in
    this snapshot.": "snapshot" is the book's word for the holdings recorded on a review date,
    never the client's."""
    from pathlib import Path

    from reviewdesk.i18n.extract import messages

    root = Path(__file__).resolve().parents[2]
    found = []
    for message, place in messages(root / "reviewdesk").items():
        path = Path(place.rsplit(":", 1)[0]).resolve().relative_to(root).as_posix()
        read = path in CLIENT_READ_FILES or path.startswith(CLIENT_READ)
        if read and path not in MANAGER_READ and "snapshot" in message.lower():
            found.append((message, place))
    assert found == []


@pytest.fixture(scope="module")
def english_packs(demo_book_path, tmp_path_factory):
    """Every client's pack of the tests' demo book, in English, as text: what a client and
    a compliance officer read across a whole book."""
    packs = book_packs(demo_book_path, tmp_path_factory.mktemp("english"), "en")
    return {code: " ".join(text.split()) for code, (_review, text) in packs.items()}


def test_the_english_packs_of_a_book_read_as_english(english_packs):
    """The sentences found wrong in the English packs of a 40-client demo book, absent
    from every pack of the tests' demo book, and their corrected forms present where the
    book has the case."""
    joined = "\n".join(english_packs.values())
    assert len(english_packs) > 10
    assert not re.search(r" moved [+-]\d", joined)
    assert "snapshot" not in joined.lower()
    assert not re.search(r"[A-Za-z]\.\.(?!\.)", joined)
    assert "Earlier periods not listed" not in joined
    assert "planned share" not in joined
    assert "Change: of the net worth" not in joined
    assert "plus for the client:" not in joined
    assert (
        "Life: 10 times the person's annual income, plus, for the client, the client's debts "
        "and CNY 500,000.00 of education per child under 22." in joined
    )
    assert "Change: the change in net worth, property and liabilities included." in joined
    for text in english_packs.values():
        for count, noun in re.findall(r"(\d+) earlier (periods?) (?:is|are) not listed", text):
            assert (noun == "period") == (count == "1"), (count, noun)
    assert re.search(r"\d+ earlier periods? (?:is|are) not listed", joined)
