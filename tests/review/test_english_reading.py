"""What a client reads in English, read across a whole demo book (an audit of the English
packs and present mode): each test names the sentence that was found."""

import datetime as dt
from decimal import Decimal as D

from reviewdesk.review.model import PointKind, TalkingPoint


def test_a_move_is_said_as_a_rise_or_a_fall():
    """Found: "招商银行 moved -7.2% (CNY -80,942.62) since the last review."."""
    fall = TalkingPoint(PointKind.MOVE, "招商银行", D("-80942.62"), ratio=D("-0.072"))
    assert fall.text("en", "CNY") == "招商银行 fell 7.2% (CNY 80,942.62) since the last review."
    assert fall.text("zh", "CNY") == "招商银行 较上次回顾下跌 7.2%（8.09万 CNY）。"
    rise = TalkingPoint(PointKind.MOVE, "Apple Inc.", D("29006.95"), ratio=D("0.04"))
    assert rise.text("en", "HKD") == "Apple Inc. rose 4.0% (HKD 29,006.95) since the last review."
    assert rise.text("zh", "HKD") == "Apple Inc. 较上次回顾上涨 4.0%（2.90万 HKD）。"
