"""Reading one cell of a manager's workbook into a typed value.

Every parser takes whatever a cell can hold (None, str, int, float, bool,
date, datetime, time, Decimal) and returns a typed value or raises
`CellError` with a reason for the user; nothing else escapes (the property
tests throw arbitrary values at them).

Numbers from Excel: a numeric cell is a binary double, and openpyxl hands it
over as a float. We never compute with it: we take the shortest decimal text
that reads back as the same double (`repr`), then round to 15 significant
digits, the precision Excel itself shows and keeps. So a typed 0.1 stays
Decimal("0.1") and a computed =0.1+0.2 (0.30000000000000004) becomes 0.3.
Amounts that need more than 15 digits must be given as text.
"""

from __future__ import annotations

import datetime as dt
import enum
import math
import re
import unicodedata
from collections.abc import Callable, Mapping
from decimal import Context, Decimal, InvalidOperation
from typing import TypeVar

from reviewdesk.book.models import Client, ClientTag
from reviewdesk.book.validation import text_rules
from reviewdesk.i18n import _
from reviewdesk.money import CURRENCIES
from reviewdesk.text import normalise_code

EXCEL_DIGITS = 15
_CONTEXT = Context(prec=EXCEL_DIGITS)

_E = TypeVar("_E", bound=enum.Enum)


class CellError(ValueError):
    """A cell value that cannot be read; `reason` is for the user (translated)."""

    def __init__(self, reason: str):
        self.reason = reason
        super().__init__(reason)


class Uncalculated:
    """A formula cell with no value saved with it: the file was written by a program
    that does not calculate (openpyxl, a script), and Excel never opened it."""

    __slots__ = ("formula",)

    def __init__(self, formula: str):
        self.formula = formula

    def __str__(self) -> str:
        return "=" + self.formula if self.formula else "="

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Uncalculated) and other.formula == self.formula

    def __hash__(self) -> int:
        return hash(("Uncalculated", self.formula))


class Percent(float):
    """A number in a cell formatted as a percentage: 0.8 that the workbook shows as 80%."""

    __slots__ = ()

    def shown(self) -> str:
        """As the workbook shows it: 80%."""
        try:
            return f"{float_to_decimal(float(self) * 100).normalize():f}%"
        except CellError:
            return repr(float(self))

    def __repr__(self) -> str:
        return self.shown()

    __str__ = __repr__


def refuse_uncalculated(value: object) -> None:
    if value.__class__ is Uncalculated:
        raise CellError(
            _(
                "is a formula that was never calculated (the file was not saved by a "
                "spreadsheet program): open the workbook in Excel or LibreOffice, save it, "
                "and import it again"
            )
        )


def _normal(text: str) -> str:
    """Full-width digits, signs and separators as their ASCII forms; trimmed."""
    return unicodedata.normalize("NFKC", text).strip()


def is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def float_to_decimal(value: float) -> Decimal:
    """The decimal an Excel user typed or sees for a double (see the module docstring)."""
    if not math.isfinite(value):
        raise CellError(_("is not a finite number"))
    text = float.__repr__(value)  # a Percent shows itself as 80%
    exact = Decimal(text)
    # No more digits than characters: most amounts need no count (a large import's hot path).
    if len(text) > EXCEL_DIGITS and len(exact.as_tuple().digits) > EXCEL_DIGITS:
        exact = _CONTEXT.plus(exact)
        if exact == exact.to_integral_value():
            exact = Decimal(int(exact))
        else:
            exact = exact.normalize()
    return exact


# ---- text -----------------------------------------------------------------


def parse_text(value: object) -> str | None:
    """Free text; numbers typed in a text column (a phone, a product code) keep their digits."""
    if is_blank(value):
        return None
    if isinstance(value, str):
        # A line end typed on Windows or an old Mac is a line end.
        return value.replace("\r\n", "\n").replace("\r", "\n").strip()
    if isinstance(value, bool):
        raise CellError(_("is not text"))
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        number = float_to_decimal(value)
        if number == number.to_integral_value():
            return str(int(number))
        return str(number)
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise CellError(_("is not text"))
        return str(value)
    if isinstance(value, dt.datetime | dt.date):
        raise CellError(_("is a date, not text"))
    raise CellError(_("is not text"))


# The book's limits (its text rules), for the cells read before they reach a record.
_CODE_LIMIT = text_rules(Client)["code"].limit
_TAG_LIMIT = text_rules(ClientTag)["tag"].limit


def _too_long(text: str, limit: int) -> str:
    return _("is longer than {limit} characters ({length})").format(
        limit=f"{limit:,}", length=f"{len(text):,}"
    )


def parse_code(value: object) -> str | None:
    """A client code (client_id); `C00001` and 1001 alike, in the book's one form."""
    text = parse_text(value)
    if text is None:
        return None
    # The book's one form of a code: `c90001` and `Ｃ９０００１` are `C90001`.
    text = normalise_code(text)
    if len(text) > _CODE_LIMIT:
        raise CellError(_too_long(text, _CODE_LIMIT))
    return text


# ---- amounts --------------------------------------------------------------

_UNITS = {
    "万": Decimal(10_000),
    "亿": Decimal(100_000_000),
    "千": Decimal(1000),
    "百万": Decimal(1_000_000),
    "千万": Decimal(10_000_000),
}
# The codes first (longest marks before the symbols they contain), then the symbols.
_CURRENCY_MARKS = (
    "RMB",
    *CURRENCIES,
    "HK$",
    "US$",
    "NT$",
    "S$",
    "A$",
    "C$",
    "MOP$",
    "¥",
    "$",
    "€",
    "£",
    "元",
    "人民币",
    "港币",
    "港元",
    "美元",
    "欧元",
    "英镑",
    "日元",
)
# The currencies each sign or code names: ¥ is the yuan's and the yen's, $ any dollar's.
_DOLLARS = frozenset({"USD", "HKD", "TWD", "SGD", "AUD", "CAD", "NZD", "MOP"})
_SIGN_CURRENCIES: dict[str, frozenset[str]] = {
    **{code: frozenset({code}) for code in CURRENCIES},
    "RMB": frozenset({"CNY"}),
    "HK$": frozenset({"HKD"}),
    "US$": frozenset({"USD"}),
    "NT$": frozenset({"TWD"}),
    "S$": frozenset({"SGD"}),
    "A$": frozenset({"AUD"}),
    "C$": frozenset({"CAD"}),
    "MOP$": frozenset({"MOP"}),
    "¥": frozenset({"CNY", "JPY"}),
    "$": _DOLLARS,
    "€": frozenset({"EUR"}),
    "£": frozenset({"GBP"}),
    "元": frozenset({"CNY"}),
    "人民币": frozenset({"CNY"}),
    "港币": frozenset({"HKD"}),
    "港元": frozenset({"HKD"}),
    "美元": frozenset({"USD"}),
    "欧元": frozenset({"EUR"}),
    "英镑": frozenset({"GBP"}),
    "日元": frozenset({"JPY"}),
}
_PLAIN = re.compile(r"^(\d+(\.\d*)?|\.\d+)$")
_GROUPED = re.compile(r"^\d{1,3}(,\d{3})+(\.\d*)?$")
_SCIENTIFIC = re.compile(r"^(\d+(\.\d*)?|\.\d+)[eE][+-]?\d{1,3}$")
_MAX_AMOUNT = Decimal("1e18")


def parse_amount(value: object) -> Decimal | None:
    """An exact amount from a number or text: `1,234.50`, `¥1,234.50`, `12.5万`, `1.2亿`."""
    if is_blank(value):
        return None
    if isinstance(value, bool):
        raise CellError(_("is not an amount"))
    if isinstance(value, Percent):
        # An amount typed into a cell formatted as a percentage: Excel reads 500000 as
        # 500000% and keeps 5000, a hundredth of what was typed.
        raise CellError(
            _(
                "is a cell formatted as a percentage, which holds {number}: an amount is "
                "expected here; take the format off and type the amount again"
            ).format(number=f"{float_to_decimal(value).normalize():f}")
        )
    if isinstance(value, int):
        result = Decimal(value)
    elif isinstance(value, float):
        result = float_to_decimal(value)
    elif isinstance(value, Decimal):
        if not value.is_finite():
            raise CellError(_("is not a finite number"))
        result = value
    elif isinstance(value, str):
        result = _amount_text(value)
    else:
        raise CellError(_("is not an amount"))
    if abs(result) >= _MAX_AMOUNT:
        raise CellError(_("is too large"))
    return result


def _amount_text(raw: str) -> Decimal:
    return _amount_parts(raw)[0]


def currency_signs(value: object) -> tuple[str, ...]:
    """The currency signs and codes an amount's text carries (`US$` of `US$1,000`, `元` of
    `1000元`); none for a number, a text without one, or one that is no amount."""
    if not isinstance(value, str):
        return ()
    try:
        return _amount_parts(value)[1]
    except CellError:
        return ()


def check_currency_sign(value: object, currency: str) -> None:
    """Refuse an amount whose sign names another currency than its row's: `US$1,000` in a
    row in HKD is not HKD 1,000."""
    for sign in currency_signs(value):
        if currency not in _SIGN_CURRENCIES[sign]:
            raise CellError(
                _("is marked {sign}, which is not the row's currency {currency}").format(
                    sign=sign, currency=currency
                )
            )


def _amount_parts(raw: str) -> tuple[Decimal, tuple[str, ...]]:
    """The amount of a text, and the currency signs or codes it carries."""
    signs: list[str] = []
    text = _normal(raw).replace(" ", "").replace("\u00a0", "").replace("'", "")
    text = text.replace("−", "-").replace("，", ",")
    negative = False
    if text.startswith("(") and text.endswith(")"):
        negative, text = True, text[1:-1]
    if text[:1] in "+-" and text:
        negative, text = negative ^ (text[0] == "-"), text[1:]
    for mark in _CURRENCY_MARKS:
        if text.upper().startswith(mark):
            signs.append(mark)
            text = text[len(mark) :]
            if text[:1] in "+-" and text and not negative:
                negative, text = text[0] == "-", text[1:]
            break
    factor = Decimal(1)
    for mark in ("元", "人民币", "CNY", "RMB"):
        if text.upper().endswith(mark):
            text = text[: -len(mark)]
            signs.append(mark)
    for unit in sorted(_UNITS, key=len, reverse=True):
        if text.endswith(unit):
            factor, text = _UNITS[unit], text[: -len(unit)]
            break
    if _GROUPED.match(text):
        text = text.replace(",", "")
    elif not (_PLAIN.match(text) or _SCIENTIFIC.match(text)):
        raise CellError(_("is not an amount (e.g. 1,234.50 or 12.5万)"))
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise CellError(_("is not an amount (e.g. 1,234.50 or 12.5万)")) from None
    if abs(number) >= _MAX_AMOUNT:
        raise CellError(_("is too large"))
    number = number * factor
    return (-number if negative else number), tuple(signs)


def parse_integer(value: object) -> int | None:
    """A whole number (years, a score, days)."""
    number = parse_amount(_held(value))
    if number is None:
        return None
    if isinstance(value, Percent):
        # 80% is 0.8 (and 100% is 1): a percentage where a whole number is meant.
        raise CellError(
            _(
                "is a cell formatted as a percentage, which holds {number}: a whole "
                "number is expected here; type it without the format, e.g. {example}"
            ).format(number=number, example=_percent_figure(number))
        )
    if number != number.to_integral_value():
        raise CellError(_("is not a whole number"))
    if abs(number) > 10**9:
        raise CellError(_("is too large"))
    return int(number)


def _percent_figure(number: Decimal) -> str:
    figure = (number * 100).normalize()
    return f"{figure:f}"


def parse_rate(value: object) -> Decimal | None:
    """An exchange rate: like an amount, but without 万 or currency signs making sense. A
    cell formatted as a percentage reads as the number it holds (92% is 0.92)."""
    return parse_amount(_held(value))


def _held(value: object) -> object:
    """What a cell formatted as a percentage holds, as the decimal it shows (80% -> 0.8),
    for the readers that take such a cell; other values as they are."""
    return float_to_decimal(value) if isinstance(value, Percent) else value


# ---- dates ----------------------------------------------------------------

_ISO = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]0{1,2}:0{2}(?::0{2}(?:\.0+)?)?)?$")
_CHINESE = re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_EXCEL_EPOCH = dt.date(1899, 12, 30)


# Before this day an Excel date is a number typed into a date cell, not a day meant: the
# years 1900-2100 typed alone become days of 1905 (2026 is 1905-07-18), 45 is 1900-02-13.
EARLIEST_CELL_DATE = dt.date(1910, 1, 1)


def parse_date(value: object) -> dt.date | None:
    """A date from an Excel date, `2026-03-31`, `2026/3/31`, `2026年3月31日` or `20260331`.

    A date cell of Excel comes as a date (the reader knows its format); a number is a
    date only as 20260331. Any other number is refused rather than counted as days from
    1900: in a date column it is a year typed alone (2026 became 1905-07-18) or a slip.
    """
    if is_blank(value):
        return None
    if isinstance(value, dt.datetime | dt.date):
        day = value.date() if isinstance(value, dt.datetime) else value
        if day < EARLIEST_CELL_DATE:
            raise CellError(
                _(
                    "is a date cell holding the number {number}, which Excel counts as days "
                    "from 1900 ({day}): type the whole date, e.g. 2026-03-31"
                ).format(number=_serial(day), day=day.isoformat())
            )
        return day
    if isinstance(value, bool):
        raise CellError(_("is not a date"))
    if isinstance(value, int | float | Decimal):
        return _date_number(value)
    if not isinstance(value, str):
        raise CellError(_("is not a date"))
    text = _normal(value)
    match = _ISO.match(text) or _CHINESE.match(text) or _COMPACT.match(text)
    if not match:
        raise CellError(_("is not a date (e.g. 2026-03-31 or 2026年3月31日)"))
    return _make_date(*(int(part) for part in match.groups()))


def _make_date(year: int, month: int, day: int) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise CellError(_("is not a day of the calendar")) from None


def _date_number(value: int | float | Decimal) -> dt.date:
    """A number in a date column: 20260331 typed as a number; nothing else (see
    `parse_date`)."""
    try:
        number = Decimal(float.__repr__(value)) if isinstance(value, float) else Decimal(value)
    except (InvalidOperation, ValueError):
        raise CellError(_("is not a date")) from None
    if number.is_finite() and number == number.to_integral_value():
        whole = int(number)
        if 19000101 <= whole <= 29991231:
            return _make_date(whole // 10000, whole // 100 % 100, whole % 100)
    raise CellError(
        _(
            "is a number, not a date: type the whole date, e.g. 2026-03-31 (a year alone is "
            "not a date), or format the cell as a date"
        )
    )


def _serial(day: dt.date) -> int:
    """The number Excel keeps for a day (it counts 1900-02-29, which never was)."""
    days = (day - _EXCEL_EPOCH).days
    return days if days >= 61 else days - 1


# ---- yes or no --------------------------------------------------------------

YES = ("yes", "y", "true", "1", "是", "对", "√", "✓")
NO = ("no", "n", "false", "0", "否", "不", "×")


def parse_yes_no(value: object) -> bool | None:
    """Yes or no: `yes`/`no`, `true`/`false`, `1`/`0`, `是`/`否`, or an Excel TRUE/FALSE."""
    if is_blank(value):
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    if isinstance(value, Decimal) and value.is_finite() and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        text = _normal(value).lower()
        if text in YES:
            return True
        if text in NO:
            return False
    raise CellError(_("is not yes or no (yes/no, 是/否, 1/0)"))


# ---- enumerations and tags -------------------------------------------------


def enum_parser(
    cls: type[_E], aliases: Mapping[str, _E], shown: Callable[[], list[str]] | None = None
) -> Callable[[object], _E | None]:
    """A parser for one vocabulary: its values, English labels and Chinese names.

    `aliases` maps lower-case spellings to members; built by schema.py.
    `shown()` lists the allowed values for a refusal, in the interface language.
    """

    def parse(value: object) -> _E | None:
        if is_blank(value):
            return None
        if not isinstance(value, str):
            if isinstance(value, int) and not isinstance(value, bool):
                value = str(value)
            else:
                raise CellError(_("is not one of the allowed values"))
        member = aliases.get(_normal(value).lower())
        if member is None:
            names = shown() if shown else [str(m.value) for m in cls]
            raise CellError(_("is not one of: {values}").format(values=", ".join(names)))
        return member

    return parse


_TAG_SPLIT = re.compile(r"[;；、]")


def parse_tags(value: object) -> list[str] | None:
    """Tags separated by `;`, `；` or `、`; blank parts are dropped, order kept."""
    text = parse_text(value)
    if text is None:
        return None
    tags: list[str] = []
    for part in _TAG_SPLIT.split(text):
        tag = part.strip()
        if not tag:
            continue
        if len(tag) > _TAG_LIMIT:
            raise CellError(_too_long(tag, _TAG_LIMIT))
        if tag not in tags:
            tags.append(tag)
    return tags


def parse_currency(value: object) -> str | None:
    """An ISO currency code as text (upper-cased); the book checks it is known."""
    text = parse_text(value)
    if text is None:
        return None
    code = _normal(text).upper()
    return _CURRENCY_NAMES.get(code, code)


_CURRENCY_NAMES = {
    "RMB": "CNY",
    "人民币": "CNY",
    "港币": "HKD",
    "港元": "HKD",
    "美元": "USD",
    "欧元": "EUR",
    "英镑": "GBP",
    "日元": "JPY",
    "新台币": "TWD",
    "澳门元": "MOP",
    "新加坡元": "SGD",
    "澳元": "AUD",
    "加元": "CAD",
}
