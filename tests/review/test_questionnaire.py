import datetime as dt

import pytest

from reviewdesk.book.enums import ClientRiskLevel
from reviewdesk.review import questionnaire as q


def _answers(position: str) -> dict[str, str]:
    """Each question answered with its lowest- or highest-scoring choice."""
    pick = min if position == "low" else max
    return {
        question.key: pick(question.choices, key=lambda c: c.points).key for question in q.QUESTIONS
    }


def test_the_extremes_are_c1_and_c5():
    assert q.score(_answers("low")) == q.Result(0, ClientRiskLevel.C1)
    assert q.score(_answers("high")) == q.Result(100, ClientRiskLevel.C5)


def test_no_loss_accepted_caps_at_c1():
    answers = _answers("high") | {"loss": "none"}
    result = q.score(answers)
    assert result.level is ClientRiskLevel.C1 and result.capped
    assert result.score > 85


def test_levels_follow_the_thresholds():
    answers = _answers("low") | {
        "loss": "15",
        "horizon": "3_5",
        "experience": "stocks",
        "income": "1m_5m",
        "assets": "3m_10m",
        "age": "30_45",
        "reaction": "hold",
    }
    result = q.score(answers)
    points = 2 + 3 + 3 + 3 + 3 + 4 + 3
    assert result.score == round(100 * points / q.MAX_POINTS)
    assert result.level is ClientRiskLevel.C3


def test_every_question_must_be_answered():
    answers = _answers("high")
    del answers["horizon"]
    with pytest.raises(ValueError, match="horizon"):
        q.score(answers)
    with pytest.raises(KeyError, match="loss"):
        q.score(_answers("high") | {"loss": "all of it"})


def test_validity_counts_months():
    assert q.valid_until(dt.date(2026, 1, 31), 12) == dt.date(2027, 1, 31)
    assert q.valid_until(dt.date(2026, 1, 31), 1) == dt.date(2026, 2, 28)
