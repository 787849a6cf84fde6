"""An empty workbook in the import format, for a manager to fill in by hand.

Each header cell carries a comment (what the column means, its format, the
allowed values, whether it is required); enumerated columns get drop-down
lists in the workbook's language, and client_id columns offer the codes of
the Clients sheet.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from reviewdesk.exchange import schema
from reviewdesk.exchange.exporter import HEADER_FILL, HEADER_FONT
from reviewdesk.files import write_private
from reviewdesk.i18n import N_, translator
from reviewdesk.money import CURRENCIES

ROWS = 5000  # rows prepared with drop-downs

_FORMATS = {
    "text": N_("Text."),
    "code": N_("Text, one code per client (e.g. C00001)."),
    "amount": N_("Number, or text such as 1,234.50, ¥1,234.50, 12.5万 or 1.2亿."),
    "rate": N_("Number, e.g. 7.10."),
    "int": N_("Whole number."),
    "date": N_("Date: an Excel date, 2026-03-31 or 2026年3月31日."),
    "tags": N_("Text; several tags separated by ; or ；or 、"),
    "currency": N_("ISO currency code."),
    "json": N_("JSON object."),
    "enum": N_("One of the listed values."),
    "yesno": N_("Yes or no (yes/no, 是/否, 1/0)."),
}


def comment_text(column: schema.Column, lang: str) -> str:
    tr = translator(lang)
    lines = [tr(column.help), tr(_FORMATS[column.kind])]
    if column.kind in ("enum", "yesno"):
        lines.append(
            tr(N_("Allowed: {values}")).format(values=", ".join(schema.allowed_texts(column, lang)))
        )
    if column.kind == "currency":
        lines.append(tr(N_("Allowed: {values}")).format(values=", ".join(CURRENCIES)))
    lines.append(tr(N_("Required.")) if column.required else tr(N_("Optional.")))
    return "\n".join(lines)


def write_template(path: str | Path, lang: str = "zh") -> Path:
    path = Path(path)
    workbook = Workbook()
    workbook.remove(workbook.active)
    clients_name = schema.CLIENTS.name(lang)
    for sheet in schema.SHEETS:
        ws = workbook.create_sheet(sheet.name(lang))
        ws.freeze_panes = "A2"
        for index, column in enumerate(sheet.columns, start=1):
            letter = get_column_letter(index)
            cell = ws.cell(row=1, column=index, value=column.name(lang))
            cell.font = HEADER_FONT
            cell.fill = HEADER_FILL
            text = comment_text(column, lang)
            cell.comment = Comment(
                text, "ReviewDesk", width=320, height=60 + 18 * (text.count("\n") + 2)
            )
            ws.column_dimensions[letter].width = max(
                12, min(40, len(column.name(lang)) * (2 if lang == "zh" else 1) + 6)
            )
            cells = f"{letter}2:{letter}{ROWS + 1}"
            validation = None
            if column.kind in ("enum", "yesno"):
                values = ",".join(schema.allowed_texts(column, lang))
                validation = DataValidation(type="list", formula1=f'"{values}"', allow_blank=True)
            elif column.kind == "currency":
                validation = DataValidation(
                    type="list", formula1=f'"{",".join(CURRENCIES)}"', allow_blank=True
                )
            elif column.key == "client_id" and sheet is not schema.CLIENTS:
                # Codes from the Clients sheet; a code already in the book is allowed too.
                validation = DataValidation(
                    type="list",
                    allow_blank=True,
                    errorStyle="warning",
                    formula1=f"{quote_sheetname(clients_name)}!$A$2:$A${ROWS + 1}",
                )
            elif column.kind == "date":
                for row in range(2, 202):
                    ws.cell(row=row, column=index).number_format = "yyyy-mm-dd"
            if validation is not None:
                tr = translator(lang)
                validation.error = tr(N_("Choose a value from the list."))
                validation.errorTitle = column.name(lang)
                validation.prompt = tr(column.help)
                validation.showErrorMessage = True
                validation.add(cells)
                ws.add_data_validation(validation)
    return write_private(path, workbook.save)
