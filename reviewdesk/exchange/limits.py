"""How much an import file may hold, and the refusal of one that holds more.

A workbook is a zip of XML parts: a few hundred kilobytes can unpack to gigabytes
(a "zip bomb"), and reading them would take minutes and all the memory. Each limit
is checked before reading, from the sizes the zip declares (Python's zip reader
never yields more than the declared size: a part that unpacks to more fails its
checksum), and again while the rows stream, by counting. The defaults pass a
book of two thousand clients' full history (a 1 GB holdings sheet of 1.8 million
rows, packed about ten to one) with room to spare, and refuse a bomb at once.
A refused file names the limit it broke.
"""

from __future__ import annotations

from dataclasses import dataclass

from reviewdesk.files import MiB
from reviewdesk.i18n import _


@dataclass(frozen=True)
class Limits:
    # Uncompressed size of one worksheet, of the shared strings, of any other part.
    sheet_bytes: int = 3 << 30
    strings_bytes: int = 64 * MiB
    other_bytes: int = 64 * MiB
    # Uncompressed size of all the parts together, and how many parts there may be.
    total_bytes: int = 4 << 30
    parts: int = 10_000
    # How many times its packed size a part may unpack to (spreadsheets: about 10),
    # for parts larger than `ratio_from`.
    ratio: int = 100
    ratio_from: int = 1 * MiB
    # Excel's own limit on a cell's text.
    cell_chars: int = 32_767
    # Rows of one sheet (or lines of one CSV file); columns with a value; one row's XML.
    rows: int = 5_000_000
    columns: int = 16_384  # Excel's own: XFD
    row_bytes: int = 16 * MiB


DEFAULT_LIMITS = Limits()


class ImportRefused(Exception):
    """A file the import will not read, and why; the reason is translated when shown.

    `reason` is a message marked with `N_` and `params` its fields, so the refusal can
    cross from the process that read a sheet and still be shown in the user's language.
    """

    def __init__(
        self, reason: str, params: dict[str, object] | None = None, row: int | None = None
    ):
        super().__init__(reason, params or {}, row)
        self.reason = reason
        self.params: dict[str, object] = params or {}
        self.row = row  # the row or line it is about, if one

    def message(self) -> str:
        shown = {
            k: f"{v:,}" if isinstance(v, int) and not isinstance(v, bool) else v
            for k, v in self.params.items()
        }
        return _(self.reason).format(**shown)

    def __str__(self) -> str:
        return self.message()
