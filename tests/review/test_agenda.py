import datetime as dt
from decimal import Decimal

from reviewdesk.book.enums import (
    AssetClass,
    Channel,
    ClientRiskLevel,
    PolicyKind,
    Relation,
    Tier,
)
from reviewdesk.book.models import Contact, FamilyMember, InsurancePolicy, RiskAssessment
from reviewdesk.review.agenda import (
    AgendaKind,
    build_agenda,
    calendar_days,
    channel_hint,
    next_birthday,
    preference_note,
    premium_dates,
)
from reviewdesk.review.cadence import add_months
from reviewdesk.review.model import paying_premiums
from tests import factories as f

D = dt.date
NO_CALLS = "no calls in working hours: prefer SMS or lunch time"


def _assessed(day):
    return RiskAssessment(
        assessed_on=day,
        level=ClientRiskLevel.C3,
        valid_until=D(day.year + 1, day.month, min(day.day, 28)),
    )


def _quiet(code, name, today, **kw):
    """A client with nothing due around `today` unless the test adds it."""
    kw.setdefault("snapshots", [f.snapshot(today - dt.timedelta(days=10))])
    kw.setdefault(
        "contacts", [Contact(contact_date=today - dt.timedelta(days=5), channel=Channel.PHONE)]
    )
    kw.setdefault("assessments", [_assessed(today - dt.timedelta(days=30))])
    return f.client(code, name, **kw)


def _lines(book, today, days=7, kind=None):
    with book.session() as s:
        agenda = build_agenda(s, today, days)
    return [l for l in agenda.lines if kind is None or l.kind is kind]  # noqa: E741


def test_next_birthday_handles_the_year_end_and_29_february():
    assert next_birthday(D(1980, 1, 2), D(2025, 12, 28)) == (D(2026, 1, 2), 46)
    assert next_birthday(D(1980, 12, 28), D(2025, 12, 28)) == (D(2025, 12, 28), 45)
    assert next_birthday(D(1984, 2, 29), D(2025, 2, 20)) == (D(2025, 2, 28), 41)
    assert next_birthday(D(1984, 2, 29), D(2028, 2, 20)) == (D(2028, 2, 29), 44)
    assert next_birthday(D(1984, 2, 29), D(2025, 3, 1)) == (D(2026, 2, 28), 42)


def test_birthdays_across_the_year_end_with_age(book):
    today = D(2025, 12, 28)
    with book.session() as s:
        s.add_all(
            [
                _quiet("A", "新年生日", today, birthday=D(1980, 1, 2)),
                _quiet("B", "昨天生日", today, birthday=D(1980, 12, 27)),
                _quiet("C", "下月生日", today, birthday=D(1980, 1, 20)),
                _quiet(
                    "D",
                    "家人生日",
                    today,
                    family=[
                        FamilyMember(name="王小明", relation=Relation.SON, birthday=D(2015, 12, 31))
                    ],
                ),
            ]
        )
    lines = _lines(book, today, kind=AgendaKind.BIRTHDAY)
    assert [(l.client_code, l.day) for l in lines] == [  # noqa: E741
        ("D", D(2025, 12, 31)),
        ("A", D(2026, 1, 2)),
    ]
    assert lines[0].why("en") == "Son 王小明's birthday: turns 10"
    assert lines[1].why("en") == "Birthday: turns 46"
    assert "46" in lines[1].why("zh")


def test_a_29_february_birthday_in_a_common_year(book):
    with book.session() as s:
        s.add(_quiet("L", "闰日", D(2025, 2, 25), birthday=D(1984, 2, 29)))
    lines = _lines(book, D(2025, 2, 25), kind=AgendaKind.BIRTHDAY)
    assert [(l.day, l.params["age"]) for l in lines] == [(D(2025, 2, 28), 41)]  # noqa: E741
    assert "29 February" in lines[0].why("en")
    lines = _lines(book, D(2024, 2, 25), kind=AgendaKind.BIRTHDAY)
    assert [(l.day, l.params["age"]) for l in lines] == [(D(2024, 2, 29), 40)]  # noqa: E741
    assert "29 February" not in lines[0].why("en")


def test_maturities_from_the_latest_snapshot_inside_the_window_only(book):
    today = D(2025, 6, 10)
    old = f.snapshot(D(2025, 3, 31), f.holding("旧快照产品", maturity_date=D(2025, 6, 20)))
    latest = f.snapshot(
        D(2025, 5, 31),
        f.holding(
            "十天后到期",
            asset_class=AssetClass.WEALTH_PRODUCT,
            value="200000",
            maturity_date=D(2025, 6, 20),
        ),
        f.holding("三十天到期", maturity_date=D(2025, 7, 10)),
        f.holding("四十天到期", maturity_date=D(2025, 7, 20)),
        f.holding("昨天到期", maturity_date=D(2025, 6, 9)),
        f.holding("他行存款", institution="招商银行", maturity_date=D(2025, 6, 12)),
    )
    with book.session() as s:
        s.add(_quiet("M", "到期客户", today, snapshots=[old, latest]))
    lines = _lines(book, today, kind=AgendaKind.MATURITY)
    assert [l.params["product"] for l in lines] == ["他行存款", "十天后到期", "三十天到期"]  # noqa: E741
    assert lines[1].day == D(2025, 6, 20)
    assert lines[1].why("en") == (
        "十天后到期 (CNY 200,000.00) matures 2025-06-20: call about reinvesting"
    )
    assert "招商银行" in lines[0].why("en")
    assert "20.00万" in lines[1].why("zh")
    # A shorter look-ahead drops the one a month away.
    with book.session() as s:
        short = build_agenda(s, today, 7, lookahead=15)
    assert [l.params["product"] for l in short.lines if l.kind is AgendaKind.MATURITY] == [  # noqa: E741
        "他行存款",
        "十天后到期",
    ]


def test_the_agenda_says_how_far_ahead_it_looked_for_maturities(book):
    """A week's agenda lists a maturity three weeks away: its summary says the maturities,
    assessments and renewals were looked for further than the week, rather than "7 days"
    above a line dated later (found on the demo book's agenda)."""
    today = D(2025, 6, 10)
    latest = f.snapshot(D(2025, 5, 31), f.holding("三周后到期", maturity_date=D(2025, 7, 1)))
    with book.session() as s:
        s.add(_quiet("M", "到期客户", today, snapshots=[latest]))
    with book.session() as s:
        week = build_agenda(s, today, 7)
        month = build_agenda(s, today, 45)
        quiet = build_agenda(s, today, 7, lookahead=10)
    assert [line.day for line in week.lines] == [D(2025, 7, 1)]
    assert week.ahead == D(2025, 7, 10)
    assert week.span_text("en") == (
        "1 item from 2025-06-10 to 2025-06-17, with maturities, risk assessments and "
        "insurance renewals to 2025-07-10"
    )
    assert week.span_text("zh") == (
        "2025-06-10 至 2025-06-17 共 1 项（产品到期、风险测评与保险续期列至 2025-07-10）"
    )
    # looking further than the lookahead: the days say it all
    # nothing past its day: nothing said of it
    assert month.span_text("en") == "1 item from 2025-06-10 to 2025-07-25"
    assert month.span_text("zh") == "2025-06-10 至 2025-07-25 共 1 项"
    assert quiet.lines == []
    assert quiet.span_text("en") == (
        "Nothing due from 2025-06-10 to 2025-06-17, and no maturity, risk assessment or "
        "insurance renewal to 2025-06-20."
    )
    assert quiet.span_text("zh").startswith("2025-06-10 至 2025-06-17 没有待办事项，至 2025-06-20")


def test_preferences_travel_with_every_line(book):
    today = D(2025, 6, 10)
    with book.session() as s:
        client = f.client("P", "偏好客户", contact_preferences=NO_CALLS, birthday=D(1970, 6, 12))
        client.set_tags(["偏好短信", "喜欢新发基金"])
        s.add(client)
    lines = _lines(book, today)
    assert {l.kind for l in lines} >= {  # noqa: E741
        AgendaKind.REVIEW_OVERDUE,
        AgendaKind.CONTACT_OVERDUE,
        AgendaKind.BIRTHDAY,
        AgendaKind.ASSESSMENT_MISSING,
    }
    for line in lines:
        assert line.preferences == f"{NO_CALLS} · 偏好短信"
        assert line.channel is Channel.SMS
        assert line.as_dict("en")["preferences"] == line.preferences


def test_preference_helpers():
    assert preference_note(None, []) is None
    assert preference_note("  ", ["有子女"]) is None
    assert preference_note(None, ["工作时间勿电话"]) == "工作时间勿电话"
    assert channel_hint("偏好邮件沟通", []) is Channel.EMAIL
    assert channel_hint(None, ["周末可面谈"]) is Channel.MEETING
    assert channel_hint("call any time", []) is None


def test_reviews_and_contacts_due_and_overdue(book):
    today = D(2026, 1, 10)
    with book.session() as s:
        s.add_all(
            [
                _quiet(
                    "K", "月度到期", today, tier=Tier.KEY, snapshots=[f.snapshot(D(2025, 12, 13))]
                ),
                _quiet(
                    "O",
                    "季度逾期",
                    today,
                    snapshots=[f.snapshot(D(2025, 9, 30))],
                    contacts=[Contact(contact_date=D(2025, 9, 1), channel=Channel.EMAIL)],
                ),
                _quiet("F", "尚早", today, snapshots=[f.snapshot(D(2025, 12, 31))]),
            ]
        )
    lines = _lines(book, today)
    got = {(l.client_code, l.kind): l for l in lines}  # noqa: E741
    assert got[("K", AgendaKind.REVIEW_DUE)].day == D(2026, 1, 13)
    overdue = got[("O", AgendaKind.REVIEW_OVERDUE)]
    assert overdue.day == today
    assert overdue.why("en") == "Quarterly review was due 2025-12-30; last review 2025-09-30"
    assert overdue.action == "review"
    contact = got[("O", AgendaKind.CONTACT_OVERDUE)]
    assert contact.why("en") == ("No contact for 131 days (every 90 days); last contact 2025-09-01")
    assert contact.action == "contact"
    assert not [l for l in lines if l.client_code == "F"]  # noqa: E741


def test_assessments_expired_expiring_or_missing(book):
    today = D(2025, 6, 10)
    with book.session() as s:
        s.add_all(
            [
                _quiet(
                    "E",
                    "已过期",
                    today,
                    assessments=[
                        RiskAssessment(
                            assessed_on=D(2024, 5, 1),
                            level=ClientRiskLevel.C2,
                            valid_until=D(2025, 5, 1),
                        )
                    ],
                ),
                _quiet(
                    "X",
                    "将过期",
                    today,
                    assessments=[
                        RiskAssessment(
                            assessed_on=D(2023, 6, 1),
                            level=ClientRiskLevel.C2,
                            valid_until=D(2024, 6, 1),
                        ),
                        RiskAssessment(
                            assessed_on=D(2024, 6, 30),
                            level=ClientRiskLevel.C4,
                            valid_until=D(2025, 6, 30),
                        ),
                    ],
                ),
                _quiet("N", "未测评", today, assessments=[]),
            ]
        )
    lines = _lines(book, today)
    got = {
        l.client_code: l
        for l in lines  # noqa: E741
        if l.kind
        in (
            AgendaKind.ASSESSMENT_EXPIRED,
            AgendaKind.ASSESSMENT_MISSING,
            AgendaKind.ASSESSMENT_EXPIRING,
        )
    }
    assert got["E"].kind is AgendaKind.ASSESSMENT_EXPIRED and got["E"].day == today
    # Found: "expired 2025-05-01" for an assessment valid until that day, which the pack says
    # expired on the 2nd: the agenda says the day it lapsed, as the pack does.
    assert got["E"].why("en").startswith("Risk assessment (C2 Prudent) expired 2025-05-02:")
    assert got["X"].kind is AgendaKind.ASSESSMENT_EXPIRING and got["X"].day == D(2025, 6, 30)
    assert got["X"].why("en") == (
        "Risk assessment (C4 Growth) valid until 2025-06-30: redo it by then"
    )
    assert got["N"].why("en") == "No risk assessment on file: assess before advising"
    assert got["N"].action == "open"
    # Found: a client never assessed was listed under "Risk assessment expired".
    assert got["N"].kind is AgendaKind.ASSESSMENT_MISSING and got["N"].kind.urgent
    assert AgendaKind.ASSESSMENT_MISSING.label == "No risk assessment"


def test_insurance_renewals_and_renewal_premiums(book):
    today = D(2025, 6, 10)
    with book.session() as s:
        s.add(
            _quiet(
                "I",
                "保险客户",
                today,
                policies=[
                    InsurancePolicy(
                        kind=PolicyKind.MEDICAL,
                        insurer="平安",
                        sum_assured=Decimal(1000000),
                        start_date=D(2024, 6, 20),
                        end_date=D(2025, 6, 19),
                        payment_years=1,
                        annual_premium=Decimal(800),
                    ),
                    InsurancePolicy(
                        kind=PolicyKind.CRITICAL_ILLNESS,
                        insurer="友邦",
                        sum_assured=Decimal(500000),
                        start_date=D(2020, 7, 1),
                        payment_years=20,
                        annual_premium=Decimal("12000.50"),
                    ),
                    InsurancePolicy(
                        kind=PolicyKind.LIFE,
                        insurer="国寿",
                        sum_assured=Decimal(500000),
                        start_date=D(2015, 6, 15),
                        payment_years=10,
                        annual_premium=Decimal(9000),
                    ),
                ],
            )
        )
    lines = _lines(book, today, kind=AgendaKind.INSURANCE_RENEWAL)
    assert [l.why("en") for l in lines] == [  # noqa: E741
        "Medical policy (平安) ends 2025-06-19: discuss renewal",
        "Critical illness policy (友邦): renewal premium CNY 12,000.50 due 2025-07-01",
    ]  # the life policy's ten premiums are all paid


def test_calendar_days_span_the_year_end_and_29_february():
    assert calendar_days(D(2025, 12, 30), D(2026, 1, 2)) == {1230, 1231, 101, 102}
    assert calendar_days(D(2025, 2, 27), D(2025, 3, 1)) == {227, 228, 229, 301}  # common year
    assert calendar_days(D(2028, 2, 27), D(2028, 2, 28)) == {227, 228}  # 29 Feb comes next
    assert calendar_days(D(2028, 2, 29), D(2028, 2, 29)) == {229}
    assert calendar_days(D(2025, 6, 1), D(2025, 6, 1)) == {601}
    assert calendar_days(D(2025, 6, 1), D(2026, 5, 31)) is None  # the whole year
    short = calendar_days(D(2025, 6, 1), D(2026, 5, 30))
    assert short is not None and 531 not in short and len(short) == 365  # with 229


def test_a_29_february_start_renews_on_28_february_and_a_long_agenda_reads_every_day(book):
    today = D(2025, 2, 20)
    with book.session() as s:
        s.add(
            _quiet(
                "I",
                "闰日保单",
                today,
                birthday=D(1970, 1, 10),
                policies=[
                    InsurancePolicy(
                        kind=PolicyKind.LIFE,
                        insurer="国寿",
                        sum_assured=Decimal(500000),
                        start_date=D(2020, 2, 29),
                        payment_years=20,
                        annual_premium=Decimal(8000),
                    )
                ],
            )
        )
    lines = _lines(book, today, kind=AgendaKind.INSURANCE_RENEWAL)
    assert [l.day for l in lines] == [D(2025, 2, 28)]  # noqa: E741
    # A year and more ahead: every birthday and anniversary of the year can fall in it.
    assert [l.day for l in _lines(book, today, 400, AgendaKind.BIRTHDAY)] == [D(2026, 1, 10)]  # noqa: E741
    assert [l.day for l in _lines(book, today, 400, AgendaKind.INSURANCE_RENEWAL)] == [  # noqa: E741
        D(2025, 2, 28),
        D(2026, 2, 28),
    ]


def test_premium_dates_stop_after_the_paying_years():
    start = D(2020, 2, 29)
    assert premium_dates(start, 5, None, D(2021, 1, 1), D(2021, 12, 31)) == [D(2021, 2, 28)]
    assert premium_dates(start, 5, None, D(2025, 1, 1), D(2025, 12, 31)) == []
    # Paid in one premium: no renewal.
    assert premium_dates(start, 1, None, D(2021, 1, 1), D(2021, 12, 31)) == []
    # No term recorded: the review counts the annual premium as paid every year, and the
    # agenda reminds its renewal (it reminded none).
    assert premium_dates(start, None, None, D(2021, 1, 1), D(2021, 12, 31)) == [D(2021, 2, 28)]
    assert premium_dates(start, None, D(2021, 2, 1), D(2021, 1, 1), D(2021, 12, 31)) == []
    # One rule with the review's: every anniversary listed is one on which it counts the
    # premium as paid, and every such anniversary is listed.
    for years in (None, 0, 1, 2, 5, 10):
        listed = premium_dates(start, years, None, D(2020, 1, 1), D(2032, 12, 31))
        anniversaries = [add_months(start, 12 * n) for n in range(1, 13)]
        assert listed == [a for a in anniversaries if paying_premiums(start, years, a)], years


def test_agenda_groups_by_day_and_kind(book):
    today = D(2025, 6, 10)
    with book.session() as s:
        s.add(f.client("G", "分组", birthday=D(1970, 6, 12)))
    with book.session() as s:
        agenda = build_agenda(s, today, 7)
    days = [day for day, _ in agenda.by_day()]
    assert days == sorted(days) and days[0] == today
    kinds = [kind for kind, _ in agenda.by_kind()]
    assert kinds[0] is AgendaKind.REVIEW_OVERDUE


def test_clients_sharing_a_name_are_told_apart(book):
    today = D(2025, 6, 10)
    with book.session() as s:
        s.add_all([f.client("W1", "王伟"), f.client("W2", "王伟"), f.client("L", "李娜")])
    labels = {l.client_label for l in _lines(book, today)}  # noqa: E741
    assert labels == {"王伟 (W1)", "王伟 (W2)", "李娜"}


def test_a_contact_due_before_the_review_stays_on_the_agenda(book):
    """Found: with 30 days ahead, a contact due on the 17th vanished behind a review due
    on the 30th, while the calendar still showed it due. A review meeting is a contact
    only when it comes first."""
    today = D(2026, 1, 10)
    with book.session() as s:
        s.add(
            _quiet(
                "K",
                "联络先到",
                today,
                tier=Tier.KEY,
                snapshots=[f.snapshot(D(2026, 1, 5))],
                contacts=[Contact(contact_date=D(2025, 12, 20), channel=Channel.PHONE)],
            )
        )
    wide = {l.kind: l for l in _lines(book, today, days=30)}  # noqa: E741
    review, contact = wide[AgendaKind.REVIEW_DUE], wide[AgendaKind.CONTACT_DUE]
    assert contact.day < review.day
    later = {l.kind for l in _lines(book, contact.day, days=30)}  # noqa: E741
    assert AgendaKind.CONTACT_DUE in later or AgendaKind.CONTACT_OVERDUE in later


def test_next_steps_due_or_overdue_are_on_the_agenda(book):
    """Found: a next step agreed at a contact "by 16 December" was on no list but the
    pack's: the agenda, where a manager plans the week, left it out, and left it out once
    overdue. A step done, one with no date, one due after the agenda's days and one of a
    contact logged for a later day are not listed."""
    today = D(2026, 12, 2)

    def step(text, due, done=None, on=today - dt.timedelta(days=5)):
        return Contact(
            contact_date=on,
            channel=Channel.PHONE,
            next_step=text,
            next_step_due=due,
            next_step_done=done,
        )

    with book.session() as s:
        s.add(
            _quiet(
                "S",
                "下一步客户",
                today,
                contacts=[
                    step("发送养老方案", D(2026, 12, 5)),
                    step("补充收入证明", D(2026, 11, 30)),
                    step("已办完", D(2026, 12, 4), done=D(2026, 12, 1)),
                    step("没有日期", None),
                    step("下月再说", D(2026, 12, 20)),
                    step("明天才记录", D(2026, 12, 3), on=today + dt.timedelta(days=1)),
                ],
            )
        )
    lines = [
        line
        for line in _lines(book, today)
        if line.kind in (AgendaKind.NEXT_STEP_DUE, AgendaKind.NEXT_STEP_OVERDUE)
    ]
    got = [(line.day, line.kind, line.why("en")) for line in lines]
    assert got == [
        (
            today,
            AgendaKind.NEXT_STEP_OVERDUE,
            "Agreed 2026-11-27, due 2026-11-30: 补充收入证明",
        ),
        (D(2026, 12, 5), AgendaKind.NEXT_STEP_DUE, "Agreed 2026-11-27: 发送养老方案"),
    ]
    assert lines[0].kind.urgent and not lines[1].kind.urgent
    assert {line.action for line in lines} == {"open"}
    assert lines[1].why("zh") == "2026-11-27 约定：发送养老方案"
