"""The risk questionnaire, in the spirit of the client survey in the seed.

Pure data and scoring: the screen shows the questions, the book stores the
answers, the score (0-100) and the level C1-C5. A client who accepts no loss
at all is C1 whatever else they answer, as bank questionnaires do.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from reviewdesk.book.enums import ClientRiskLevel
from reviewdesk.i18n import N_
from reviewdesk.review.cadence import add_months


@dataclass(frozen=True)
class Choice:
    key: str
    label: str
    points: int


@dataclass(frozen=True)
class Question:
    key: str
    text: str
    choices: tuple[Choice, ...]

    @property
    def max_points(self) -> int:
        return max(c.points for c in self.choices)

    def choice(self, key: str) -> Choice:
        for c in self.choices:
            if c.key == key:
                return c
        raise KeyError(f"{self.key}: {key!r} is not an answer to this question")


def _q(key: str, text: str, *choices: tuple[str, str, int]) -> Question:
    return Question(key, text, tuple(Choice(k, label, p) for k, label, p in choices))


QUESTIONS: tuple[Question, ...] = (
    _q(
        "age",
        N_("Age"),
        ("under_30", N_("Under 30"), 3),
        ("30_45", N_("30 to 45"), 4),
        ("46_60", N_("46 to 60"), 2),
        ("over_60", N_("Over 60"), 0),
    ),
    _q(
        "income",
        N_("Annual household income"),
        ("under_100k", N_("Under 100,000"), 0),
        ("100k_300k", N_("100,000 to 300,000"), 1),
        ("300k_1m", N_("300,000 to 1 million"), 2),
        ("1m_5m", N_("1 to 5 million"), 3),
        ("over_5m", N_("Over 5 million"), 4),
    ),
    _q(
        "savings_share",
        N_("Share of income saved or invested"),
        ("under_10", N_("Under 10%"), 0),
        ("10_25", N_("10% to 25%"), 1),
        ("25_50", N_("25% to 50%"), 3),
        ("over_50", N_("Over 50%"), 4),
    ),
    _q(
        "assets",
        N_("Financial assets"),
        ("under_500k", N_("Under 500,000"), 0),
        ("500k_3m", N_("500,000 to 3 million"), 2),
        ("3m_10m", N_("3 to 10 million"), 3),
        ("over_10m", N_("Over 10 million"), 4),
    ),
    _q(
        "experience",
        N_("Investment experience"),
        ("none", N_("Deposits only"), 0),
        ("funds", N_("Wealth products and bond funds"), 1),
        ("stocks", N_("Stocks and equity funds, under 5 years"), 3),
        ("expert", N_("Stocks, funds or derivatives, 5 years or more"), 4),
    ),
    _q(
        "knowledge",
        N_("Knowledge of financial products"),
        ("little", N_("Little"), 0),
        ("some", N_("Some"), 2),
        ("good", N_("Good"), 4),
    ),
    _q(
        "objective",
        N_("Main goal of investing"),
        ("preserve", N_("Keep the capital safe"), 0),
        ("income", N_("Steady income"), 1),
        ("balanced", N_("Balanced growth"), 2),
        ("growth", N_("Long-term growth"), 3),
        ("high", N_("High returns, accepting large swings"), 4),
    ),
    _q(
        "horizon",
        N_("Investment horizon"),
        ("under_1", N_("Under 1 year"), 0),
        ("1_3", N_("1 to 3 years"), 1),
        ("3_5", N_("3 to 5 years"), 3),
        ("over_5", N_("Over 5 years"), 4),
    ),
    _q(
        "loss",
        N_("Largest loss accepted in a year"),
        ("none", N_("No loss at all"), 0),
        ("5", N_("Up to 5%"), 1),
        ("15", N_("Up to 15%"), 2),
        ("30", N_("Up to 30%"), 3),
        ("more", N_("More than 30%"), 4),
    ),
    _q(
        "reaction",
        N_("If your investments fell 20%"),
        ("sell_all", N_("Sell everything"), 0),
        ("sell_some", N_("Sell part"), 1),
        ("hold", N_("Hold and wait"), 3),
        ("buy", N_("Buy more"), 4),
    ),
    _q(
        "debt",
        N_("Loan repayments as a share of income"),
        ("over_50", N_("Over 50%"), 0),
        ("25_50", N_("25% to 50%"), 1),
        ("under_25", N_("Under 25%"), 3),
        ("none", N_("No loans"), 4),
    ),
)
BY_KEY = {q.key: q for q in QUESTIONS}
MAX_POINTS = sum(q.max_points for q in QUESTIONS)

# Lowest score (0-100) of each level.
THRESHOLDS: tuple[tuple[int, ClientRiskLevel], ...] = (
    (85, ClientRiskLevel.C5),
    (65, ClientRiskLevel.C4),
    (45, ClientRiskLevel.C3),
    (25, ClientRiskLevel.C2),
    (0, ClientRiskLevel.C1),
)


@dataclass(frozen=True)
class Result:
    score: int
    level: ClientRiskLevel
    capped: bool = False


def score(answers: dict[str, str]) -> Result:
    """The 0-100 score and the level; every question must be answered."""
    missing = [q.key for q in QUESTIONS if q.key not in answers]
    if missing:
        raise ValueError(f"unanswered: {', '.join(missing)}")
    points = sum(
        BY_KEY[key].choice(value).points for key, value in answers.items() if key in BY_KEY
    )
    total = round(100 * points / MAX_POINTS)
    level = next(level for low, level in THRESHOLDS if total >= low)
    if answers["loss"] == "none" and level is not ClientRiskLevel.C1:
        return Result(total, ClientRiskLevel.C1, capped=True)
    return Result(total, level)


def valid_until(assessed_on: dt.date, validity_months: int) -> dt.date:
    """The day an assessment made on `assessed_on` lapses by the validity setting: the
    one rule of the questionnaire, an imported assessment and the assessment's state."""
    return add_months(assessed_on, validity_months)
