"""How big an input table may be, checked before it is parsed: bytes, columns, cells, and what a
workbook unpacks to."""

from __future__ import annotations

from dataclasses import dataclass

MIB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """Bounds on one input table; None: no bound of that kind."""

    max_bytes: int | None  # the file as sent
    max_columns: int  # of the header, and of any row of a workbook
    max_cells: int | None  # rows times columns of a CSV
    max_sheet_cells: int  # rows times columns of a workbook's sheet, empty cells included
    max_unpacked: int  # a workbook's parts once unzipped
    max_text: int  # the text of a workbook's cells, each shared string counted where it is used

    def too_large(self) -> tuple[str, str]:
        size = f"{(self.max_bytes or 0) // MIB} MB"
        return f"Tệp lớn hơn {size}", f"The file is larger than {size}"


# Files given on the command line: a province's registry is hundreds of MB of CSV (3.9 million
# people, 66 million cells), so neither bytes nor cells of a CSV are bounded; a workbook holds
# at most Excel's 1,048,576 rows, but its sheet is read whole, empty cells included, and
# unpacked or expanded without bound it ends the process (calamine aborts when an allocation
# fails): it is bounded by what a machine holds (a million people of 24 columns).
FILE_LIMITS = Limits(
    max_bytes=None,
    max_columns=512,
    max_cells=None,
    max_sheet_cells=24_000_000,
    max_unpacked=4096 * MIB,
    max_text=4096 * MIB,
)
# Files sent from the browser, read by a worker that serves everyone else meanwhile. A 20 MB
# CSV of people is about 170,000 rows of 17 columns (2.9 million cells).
UPLOAD_LIMITS = Limits(
    max_bytes=20 * MIB,
    max_columns=256,
    max_cells=5_000_000,
    max_sheet_cells=5_000_000,
    max_unpacked=200 * MIB,
    max_text=200 * MIB,
)
# A workbook's cells: Excel's own bounds.
SHEET_ROWS = 1_048_576
SHEET_COLUMNS = 16_384
