"""The workbook format: sheets, columns and vocabularies, in English and Chinese.

One declaration serves the reader (header matching, cell parsing), the
writer (export headers and enumeration texts) and the template (header
comments and drop-down lists), so the three cannot drift apart.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache

from reviewdesk.book.enums import (
    AssetClass,
    Cadence,
    Channel,
    ClientRiskLevel,
    FeedbackTopic,
    FlowKind,
    LabelledEnum,
    Language,
    MaritalStatus,
    PolicyKind,
    Relation,
    RiskLevel,
    Tier,
)
from reviewdesk.exchange import parse
from reviewdesk.i18n import N_, catalogue, current_language, translator

# Chinese spellings a manager uses besides the vocabulary's own labels.
_EXTRA_ALIASES: dict[type[LabelledEnum], dict[str, LabelledEnum]] = {
    Tier: {"重要客户": Tier.KEY, "普通客户": Tier.STANDARD, "vip": Tier.KEY},
    Cadence: {
        "每月": Cadence.MONTHLY,
        "每季度": Cadence.QUARTERLY,
        "月": Cadence.MONTHLY,
        "季": Cadence.QUARTERLY,
    },
    Language: {
        "汉语": Language.ZH,
        "简体中文": Language.ZH,
        "英语": Language.EN,
        "zh-cn": Language.ZH,
        "en-us": Language.EN,
        "en-gb": Language.EN,
    },
    Relation: {
        "丈夫": Relation.SPOUSE,
        "妻子": Relation.SPOUSE,
        "husband": Relation.SPOUSE,
        "wife": Relation.SPOUSE,
        "子": Relation.SON,
        "女": Relation.DAUGHTER,
    },
    AssetClass: {
        "保险": AssetClass.INSURANCE,
        "理财": AssetClass.WEALTH_PRODUCT,
        "wealth product": AssetClass.WEALTH_PRODUCT,
        "存款产品": AssetClass.DEPOSIT,
    },
    PolicyKind: {
        "重大疾病险": PolicyKind.CRITICAL_ILLNESS,
        "重疾": PolicyKind.CRITICAL_ILLNESS,
        "critical illness": PolicyKind.CRITICAL_ILLNESS,
        "人寿险": PolicyKind.LIFE,
        "年金": PolicyKind.ANNUITY,
        "医疗": PolicyKind.MEDICAL,
        "意外": PolicyKind.ACCIDENT,
    },
    Channel: {
        "微信": Channel.CHAT,
        "见面": Channel.MEETING,
        "面访": Channel.MEETING,
        "电邮": Channel.EMAIL,
        "e-mail": Channel.EMAIL,
    },
    ClientRiskLevel: {},
    RiskLevel: {},
    MaritalStatus: {"已婚有子女": MaritalStatus.MARRIED},
    FeedbackTopic: {},
    FlowKind: {
        "存款": FlowKind.DEPOSIT,
        "追加": FlowKind.DEPOSIT,
        "取款": FlowKind.WITHDRAWAL,
        "赎回": FlowKind.WITHDRAWAL,
        "收益": FlowKind.INCOME_PAID,
        "派息": FlowKind.INCOME_PAID,
        "手续费": FlowKind.FEE,
    },
}


@cache
def aliases(cls: type[LabelledEnum]) -> dict[str, LabelledEnum]:
    """Every accepted spelling of each member, lower-cased."""
    zh = catalogue("zh")
    table: dict[str, LabelledEnum] = {}
    for member in cls:
        names: list[str] = [member.value, member.label, zh.get(member.label, "")]
        if cls in (RiskLevel, ClientRiskLevel):
            # "C3 Balanced" / "C3 平衡型": the words alone name the level too.
            names += [n.split(" ", 1)[1] for n in names if " " in n]
        if cls is Channel:
            names.append(member.label.lower())
        for name in names:
            key = unicodedata.normalize("NFKC", name).strip().lower()
            if key:
                table.setdefault(key, member)
    for name, member in _EXTRA_ALIASES.get(cls, {}).items():
        table.setdefault(name.lower(), member)
    return table


def enum_text(member: LabelledEnum, lang: str) -> str:
    """How a vocabulary value is written in a workbook of `lang`."""
    # `value` is the member's own text (a str enum), which mypy sees as Any.
    if isinstance(member, RiskLevel | ClientRiskLevel):
        return str(member.value)
    if lang == "zh":
        return translator("zh")(member.label)
    if isinstance(member, Channel):
        return member.label.lower()
    return str(member.value)


def shown_values(cls: type[LabelledEnum]) -> list[str]:
    """The allowed values as a refusal lists them: with their Chinese names in Chinese."""
    if current_language() != "zh":
        return [m.value for m in cls]
    out = []
    for member in cls:
        name = enum_text(member, "zh")
        out.append(name if name == member.value else f"{name} ({member.value})")
    return out


@dataclass(frozen=True)
class Column:
    key: str
    zh: str
    kind: str
    help: str
    required: bool = False
    enum: type[LabelledEnum] | None = None
    # Beyond the columns managers keep today; carried so an export reads back whole.
    extra: bool = False
    # A team book's only (who holds the client): a book file's export leaves it out, and
    # its import ignores it (one manager's book has no people to name).
    team: bool = False
    # The (record, field) a bank may switch off (privacy.FIELD_SWITCHES): switched off, the
    # export leaves the column out, and an import refuses a value in it.
    collected: tuple[str, str] | None = None

    def name(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.key

    @property
    def parser(self) -> Callable[[object], object]:
        return _parser(self.kind, self.enum)


@cache
def _parser(kind: str, enum: type[LabelledEnum] | None) -> Callable[[object], object]:
    inner = _kind_parser(kind, enum)
    refuse = parse.refuse_uncalculated

    def parse_cell(value: object) -> object:
        refuse(value)
        return inner(value)

    return parse_cell


def _kind_parser(kind: str, enum: type[LabelledEnum] | None) -> Callable[[object], object]:
    if kind == "enum":
        assert enum is not None
        return parse.enum_parser(enum, aliases(enum), lambda: shown_values(enum))
    return {
        "text": parse.parse_text,
        "code": parse.parse_code,
        "amount": parse.parse_amount,
        "rate": parse.parse_rate,
        "int": parse.parse_integer,
        "date": parse.parse_date,
        "tags": parse.parse_tags,
        "currency": parse.parse_currency,
        "json": parse.parse_text,
        "yesno": parse.parse_yes_no,
    }[kind]


@dataclass(frozen=True)
class Sheet:
    key: str
    zh: str
    columns: tuple[Column, ...]
    required: bool = False
    by_key: dict[str, Column] = field(default_factory=dict, compare=False, hash=False)

    def __post_init__(self) -> None:
        self.by_key.update({c.key: c for c in self.columns})

    def name(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.key

    def match_column(self, header: str) -> Column | None:
        key = normal_name(header)
        for column in self.columns:
            if key in (column.key, normal_name(column.zh)):
                return column
        return None


def for_book(sheet: Sheet, team: bool, off: frozenset[tuple[str, str]] = frozenset()) -> Sheet:
    """The sheet as a book writes it: a book file's without the team's columns, and without
    the fields the book's settings switch off."""
    columns = tuple(
        c
        for c in sheet.columns
        if (team or not c.team) and (c.collected is None or c.collected not in off)
    )
    if columns == sheet.columns:
        return sheet
    return Sheet(sheet.key, sheet.zh, columns, sheet.required)


def normal_name(text: str) -> str:
    text = unicodedata.normalize("NFKC", str(text)).strip().lower()
    return "_".join(text.replace("-", " ").split())


CLIENT_ID = Column(
    "client_id", "客户编号", "code", N_("The client's code in the book."), required=True
)

MANAGER = Column(
    "manager",
    "客户经理",
    "text",
    N_(
        "Team book: the login name of the client's manager. Blank: whoever imports "
        "(an assistant of several managers names one). A book file ignores it."
    ),
    team=True,
)

# A record's id in the book that wrote the workbook: what a re-import updates, whatever
# else of the row was edited (its date, amount, summary, number).
RECORD_ID = Column(
    "record_id",
    "记录编号",
    "text",
    N_(
        "The record's id, written by the export: a row with it updates that record in the "
        "book it came from. Blank: a new record (rows without an id are matched by their "
        "other columns)."
    ),
    extra=True,
)


def record_tag(book_id: str | None) -> str | None:
    """What a record id names its book by (see schema.RECORD_ID): an id is honoured only by
    the book that wrote it, never taken for another book's record of the same number."""
    return book_id[:8].lower() if book_id else None


CLIENTS = Sheet(
    "Clients",
    "客户",
    (
        CLIENT_ID,
        Column("name", "姓名", "text", N_("Full name."), required=True),
        Column("phone", "电话", "text", N_("Phone number.")),
        Column("email", "邮箱", "text", N_("Email address.")),
        Column("address", "地址", "text", N_("Postal address."), collected=("Client", "address")),
        Column("birthday", "生日", "date", N_("Date of birth."), collected=("Client", "birthday")),
        Column("occupation", "职业", "text", N_("Occupation.")),
        Column("employer", "工作单位", "text", N_("Employer.")),
        Column(
            "hobbies", "爱好", "text", N_("Hobbies, free text."), collected=("Client", "hobbies")
        ),
        Column(
            "annual_income",
            "年收入",
            "amount",
            N_("Annual income, in the income currency (blank: the report currency)."),
            collected=("Client", "annual_income"),
        ),
        Column(
            "income_currency",
            "收入币种",
            "currency",
            N_("Currency of the annual income (ISO code). Blank: the report currency."),
            collected=("Client", "income_currency"),
        ),
        Column("marital_status", "婚姻状况", "enum", N_("Marital status."), enum=MaritalStatus),
        Column(
            "tier",
            "客户等级",
            "enum",
            N_("Key clients are reviewed monthly, standard ones quarterly. Blank: standard."),
            enum=Tier,
        ),
        Column(
            "review_cadence",
            "回顾频率",
            "enum",
            N_("Review cadence. Blank: follow the tier."),
            enum=Cadence,
        ),
        Column(
            "report_currency",
            "报告币种",
            "currency",
            N_("Currency of the review pack (ISO code). Blank: the book's default currency."),
        ),
        Column(
            "language",
            "语言",
            "enum",
            N_("Language of the review pack. Blank: Chinese."),
            enum=Language,
        ),
        Column("tags", "标签", "tags", N_("Tags, separated by ; or ；or 、")),
        Column(
            "notes",
            "特别注意事项",
            "text",
            N_("Things to watch out for."),
            collected=("Client", "special_notes"),
        ),
        Column(
            "contact_preferences",
            "联系偏好",
            "text",
            N_("How and when the client likes to be contacted."),
            extra=True,
        ),
        Column(
            "contact_cadence_days",
            "联络间隔天数",
            "int",
            N_("Contact at least every this many days (1-366). Blank: the book's setting."),
            extra=True,
        ),
        Column(
            "id_number",
            "证件号码",
            "text",
            N_(
                "Identity card or passport number, in full (masked on screen and in packs). "
                "Without this column an import keeps the numbers in the book."
            ),
            extra=True,
            collected=("Client", "id_number"),
        ),
        MANAGER,
    ),
    required=True,
)

FAMILY = Sheet(
    "Family",
    "家庭成员",
    (
        CLIENT_ID,
        Column("name", "姓名", "text", N_("Family member's full name."), required=True),
        Column(
            "relation", "关系", "enum", N_("Relation to the client."), required=True, enum=Relation
        ),
        Column(
            "birthday",
            "生日",
            "date",
            N_("Date of birth."),
            collected=("FamilyMember", "birthday"),
        ),
        Column("school_or_employer", "学校或单位", "text", N_("School or employer.")),
        Column(
            "annual_income",
            "年收入",
            "amount",
            N_("Annual income, in the income currency (blank: the client's report currency)."),
            collected=("FamilyMember", "annual_income"),
        ),
        Column(
            "income_currency",
            "收入币种",
            "currency",
            N_("Currency of the annual income (ISO code). Blank: the client's report currency."),
            collected=("FamilyMember", "income_currency"),
        ),
        RECORD_ID,
    ),
)

HOLDINGS = Sheet(
    "Holdings",
    "资产",
    (
        CLIENT_ID,
        Column(
            "review_date",
            "回顾日期",
            "date",
            N_(
                "Date of the review; the rows of one client and date form one snapshot "
                "and must be next to each other."
            ),
            required=True,
        ),
        Column(
            "asset_class", "资产类别", "enum", N_("Kind of asset."), required=True, enum=AssetClass
        ),
        Column("product_name", "产品名称", "text", N_("Product name."), required=True),
        Column("product_code", "产品代码", "text", N_("Product code.")),
        Column(
            "institution",
            "机构",
            "text",
            N_("Where it is held: blank or 本行 for this bank, or the other institution's name."),
        ),
        Column(
            "currency", "币种", "currency", N_("Currency of the amounts (ISO code)."), required=True
        ),
        Column(
            "market_value", "市值", "amount", N_("Market value on the review date."), required=True
        ),
        Column("principal", "本金", "amount", N_("Amount invested.")),
        Column("held_since", "持有起始日", "date", N_("Held since.")),
        Column("maturity_date", "到期日", "date", N_("Maturity date.")),
        Column(
            "risk_level",
            "风险等级",
            "enum",
            N_("Product risk rating, R1 (low) to R5 (high)."),
            enum=RiskLevel,
        ),
        Column(
            "account_number",
            "账号",
            "text",
            N_(
                "Account number, in full (masked on screen and in packs): tells two positions "
                "of one product apart from one review to the next. Without this column an "
                "import keeps the numbers in the book."
            ),
            extra=True,
            collected=("Holding", "account_number"),
        ),
        Column(
            "snapshot_note",
            "回顾备注",
            "text",
            N_(
                "A note on the whole snapshot, in any one of its rows (the export writes it in "
                "the first). Without this column an import keeps the note in the book."
            ),
            extra=True,
        ),
        Column(
            "snapshot_record",
            "快照编号",
            "text",
            N_(
                "The snapshot's id, written by the export on each of its rows: rows with it "
                "and another review date move that snapshot to the date (its rates with it) "
                "rather than add a second one. Blank: matched by client and date."
            ),
            extra=True,
        ),
    ),
    required=False,
)

FX = Sheet(
    "FX",
    "汇率",
    (
        Column(
            "review_date",
            "回顾日期",
            "date",
            N_("Review date the rate is used for."),
            required=True,
        ),
        Column(
            "from_currency",
            "币种",
            "currency",
            N_("Currency converted from (ISO code)."),
            required=True,
        ),
        Column(
            "to_currency",
            "目标币种",
            "currency",
            N_("Currency converted to (ISO code)."),
            required=True,
        ),
        Column(
            "rate",
            "汇率",
            "rate",
            N_("1 unit of the first currency in the target currency, e.g. USD to CNY 7.10."),
            required=True,
        ),
        Column(
            "client_id",
            "客户编号",
            "code",
            N_(
                "Blank: the rate is used by every snapshot of that date; otherwise only by "
                "this client's."
            ),
            extra=True,
        ),
    ),
)

INSURANCE = Sheet(
    "Insurance",
    "保险",
    (
        CLIENT_ID,
        Column(
            "insured",
            "被保险人",
            "text",
            N_("The client's name or a family member's name. Blank: the client."),
        ),
        Column("policy_type", "险种", "enum", N_("Kind of cover."), required=True, enum=PolicyKind),
        Column("insurer", "保险公司", "text", N_("Insurance company.")),
        Column("sum_assured", "保额", "amount", N_("Sum assured."), required=True),
        Column(
            "annual_premium",
            "年缴保费",
            "amount",
            N_("Premium per year. Blank: not on record (the premiums are then not judged)."),
        ),
        Column("payment_years", "缴费年限", "int", N_("Years of premium payments (1-100).")),
        Column("start_date", "生效日期", "date", N_("Start of cover.")),
        Column("end_date", "保障期至", "date", N_("End of cover. Blank: for life.")),
        Column(
            "currency", "币种", "currency", N_("Currency of the policy (ISO code). Blank: CNY.")
        ),
        Column(
            "policy_number",
            "保单号",
            "text",
            N_("Policy number. Without this column an import keeps the numbers in the book."),
            extra=True,
            collected=("InsurancePolicy", "policy_number"),
        ),
        RECORD_ID,
    ),
)

CONTACTS = Sheet(
    "Contacts",
    "联络记录",
    (
        CLIENT_ID,
        Column("date", "日期", "date", N_("Date of the contact."), required=True),
        Column(
            "channel",
            "方式",
            "enum",
            N_("T phone, E email, M meeting, S SMS, C chat, O other."),
            required=True,
            enum=Channel,
        ),
        Column("summary", "内容", "text", N_("What was discussed.")),
        Column("next_step", "下一步", "text", N_("Agreed next step.")),
        Column(
            "feedback",
            "客户反馈",
            "text",
            N_("What the client said about products or service."),
            extra=True,
        ),
        Column(
            "feedback_topic",
            "反馈类别",
            "enum",
            N_("What the feedback is about."),
            enum=FeedbackTopic,
            extra=True,
        ),
        Column(
            "shared",
            "告知客户",
            "yesno",
            N_("Yes: the client may read the summary in the review pack. Blank: internal."),
        ),
        Column(
            "next_step_shared",
            "下一步告知客户",
            "yesno",
            N_("Yes: the client may read the next step in the review pack. Blank: internal."),
        ),
        Column("next_step_due", "下一步期限", "date", N_("The day the next step is due.")),
        Column(
            "next_step_done",
            "下一步完成日期",
            "date",
            N_("The day the next step was done. Blank: still open."),
        ),
        RECORD_ID,
    ),
)

RISK = Sheet(
    "Risk",
    "风险测评",
    (
        CLIENT_ID,
        Column("assessed_on", "测评日期", "date", N_("Date of the assessment."), required=True),
        Column(
            "level",
            "风险等级",
            "enum",
            N_("Assessed level, C1 (conservative) to C5 (aggressive)."),
            required=True,
            enum=ClientRiskLevel,
        ),
        Column("score", "得分", "int", N_("Questionnaire score (0-1000).")),
        Column(
            "valid_until",
            "有效期至",
            "date",
            N_("Valid until. Blank: the book's validity period after the assessment."),
        ),
        Column("answers", "问卷答案", "json", N_("Questionnaire answers as JSON."), extra=True),
        RECORD_ID,
    ),
)

FLOWS = Sheet(
    "Flows",
    "资金流水",
    (
        CLIENT_ID,
        Column("date", "日期", "date", N_("The day the money moved."), required=True),
        Column(
            "amount",
            "金额",
            "amount",
            N_("Positive: into the portfolio; negative: out of it. Not zero."),
            required=True,
        ),
        Column(
            "currency",
            "币种",
            "currency",
            N_("Currency of the amount (ISO code). Blank: the client's report currency."),
        ),
        Column(
            "kind",
            "类型",
            "enum",
            N_(
                "What the money was: a deposit, a withdrawal, a transfer in or out, income paid "
                "out or a fee."
            ),
            required=True,
            enum=FlowKind,
        ),
        Column("holding", "产品名称", "text", N_("The holding the money went to or came from.")),
        Column("note", "备注", "text", N_("A note.")),
        Column(
            "rate",
            "汇率",
            "rate",
            N_(
                "1 unit of the currency in the client's report currency. Blank: the rate of "
                "the client's first snapshot on or after the date."
            ),
        ),
        Column(
            "to_currency",
            "折算币种",
            "currency",
            N_(
                "The currency the rate converts to: the client's report currency when the "
                "flow was recorded. Blank: the report currency."
            ),
            extra=True,
        ),
        RECORD_ID,
    ),
)

BENCHMARKS = Sheet(
    "Benchmarks",
    "基准",
    (
        Column(
            "name",
            "名称",
            "text",
            N_("The benchmark's name, e.g. CSI 300: every level of one benchmark has the same."),
            required=True,
        ),
        Column(
            "date", "日期", "date", N_("The day of the level (a closing level)."), required=True
        ),
        Column(
            "level",
            "点位",
            "rate",
            N_(
                "The index level on that day, greater than zero. A review date takes the "
                "latest level up to 7 days before it."
            ),
            required=True,
        ),
    ),
)

BENCHMARK_CHOICES = Sheet(
    "Benchmark choices",
    "基准选择",
    (
        Column(
            "client_id",
            "客户编号",
            "code",
            N_("The client this benchmark is for. Give a client or a risk level, not both."),
        ),
        Column(
            "risk_level",
            "风险等级",
            "enum",
            N_(
                "The client risk level this benchmark is the default for (clients without a "
                "benchmark of their own). Give a client or a risk level, not both."
            ),
            enum=ClientRiskLevel,
        ),
        Column(
            "benchmark",
            "基准",
            "text",
            N_("The benchmark's name, as in the Benchmarks sheet or the book."),
            required=True,
        ),
        Column(
            "blend",
            "混合基准",
            "text",
            N_("A second benchmark blended with the first. Blank: the first alone."),
        ),
        Column(
            "weight",
            "权重",
            "int",
            N_(
                "The first benchmark's weight in percent (1-99) when blended; the second "
                "weighs the rest, and the blend is rebalanced on every review date. "
                "Blank: 100 (no blend)."
            ),
        ),
    ),
)

# Import order: what a row refers to is read before the row (a flow's rate: the snapshots;
# a benchmark choice: the benchmarks' levels).
SHEETS: tuple[Sheet, ...] = (
    CLIENTS,
    FAMILY,
    HOLDINGS,
    FX,
    INSURANCE,
    CONTACTS,
    RISK,
    FLOWS,
    BENCHMARKS,
    BENCHMARK_CHOICES,
)
IMPORT_ORDER: tuple[Sheet, ...] = (
    CLIENTS,
    FAMILY,
    FX,
    HOLDINGS,
    INSURANCE,
    CONTACTS,
    RISK,
    FLOWS,
    BENCHMARKS,
    BENCHMARK_CHOICES,
)


def match_sheet(name: str) -> Sheet | None:
    key = normal_name(name)
    for sheet in SHEETS:
        if key in (normal_name(sheet.key), normal_name(sheet.zh)):
            return sheet
    return None


THIS_BANK = ("本行", "this bank", "thisbank", "本银行")


YES_NO_TEXT = {"en": ("yes", "no"), "zh": ("是", "否")}


def yes_no_text(value: bool, lang: str) -> str:
    """How yes or no is written in a workbook of `lang`."""
    yes, no = YES_NO_TEXT.get(lang, YES_NO_TEXT["en"])
    return yes if value else no


def allowed_texts(column: Column, lang: str) -> list[str]:
    """The drop-down entries of an enumerated column, in the workbook's language."""
    if column.kind == "yesno":
        return list(YES_NO_TEXT.get(lang, YES_NO_TEXT["en"]))
    assert column.enum is not None
    return [enum_text(m, lang) for m in column.enum]
