"""A workbook measured before it is read: what it unpacks to, how far its cells reach, and how
much text its cells hold once each shared string is put where it is used.

The reader (calamine) holds a sheet whole, as a rectangle from the first cell to the furthest,
and copies a shared string into every cell that uses it: a 2 KB workbook with one cell at
XFD1048576, a shared-string table claiming a billion entries, or a 13 KB one whose 100,000
cells all use one 30 KB string, ends the process or takes gigabytes. Each is found here by one
streaming pass over the unzipped XML, within the bounds, before the reader sees it: regular
expressions over whole rows where the XML is plain (what Excel, LibreOffice, openpyxl and
xlsxwriter write; 2.5 million cells in 1.6 s), an XML parser (expat) where it is not (prefixed
names, entities, single quotes, a cell without its reference...: 12 s for as many).
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from xml.parsers import expat

import numpy as np

from ansinh.errors import InputError
from ansinh.io.limits import MIB, SHEET_COLUMNS, SHEET_ROWS, Limits

MAX_PARTS = 1_000
READ_BLOCK = MIB
_CELL_REF = re.compile(r"([A-Z]{1,3})([0-9]{1,7})$")


class _TooLarge(Exception):
    def __init__(self, vi: str, en: str) -> None:
        super().__init__(en)
        self.vi, self.en = vi, en


def check_workbook(path: Path, limits: Limits) -> None:
    """Raise InputError, naming the file, if the workbook (.xlsx, .xlsm) exceeds `limits`."""
    try:
        with zipfile.ZipFile(path) as archive:
            _measure(archive, limits)
    except _TooLarge as error:
        raise InputError.single(str(path), error.vi, error.en) from None
    except (zipfile.BadZipFile, zipfile.LargeZipFile, expat.ExpatError, OSError, EOFError,
            NotImplementedError, ValueError, RuntimeError) as error:  # fmt: skip
        raise InputError.single(
            str(path),
            f"Không đọc được tệp Excel: {type(error).__name__}",
            f"Cannot read the workbook: {type(error).__name__}",
        ) from None


def _measure(archive: zipfile.ZipFile, limits: Limits) -> None:
    parts = archive.infolist()
    if len(parts) > MAX_PARTS:
        raise _TooLarge(
            f"Tệp Excel có quá nhiều phần ({len(parts)})",
            f"The workbook has too many parts ({len(parts)})",
        )
    _Budget(limits.max_unpacked).spend(sum(p.file_size for p in parts))  # as the zip says
    budget = _Budget(limits.max_unpacked)  # as read: a zip may say less than it holds
    lengths: list[int] = []
    for part in parts:
        if part.filename.lower().endswith("sharedstrings.xml"):
            plain = _plain_lengths(archive, part, limits, budget)
            lengths = (
                _shared_string_lengths(archive, part, limits, budget) if plain is None else plain
            )
    for part in parts:
        if re.search(r"worksheets/[^/]+\.xml$", part.filename, re.IGNORECASE):
            before = budget.left
            if not _PlainSheet(limits, np.array(lengths, np.int64)).scan(archive, part, budget):
                budget.left = before  # read again, exactly
                _Sheet(limits, lengths).scan(archive, part, budget)


@dataclass
class _Budget:
    left: int

    def spend(self, size: int) -> None:
        self.left -= size
        if self.left < 0:
            raise _TooLarge(
                "Tệp Excel khi giải nén quá lớn (có thể là tệp độc hại)",
                "The workbook unpacks to too much data (it may be malicious)",
            )


def _parse(
    archive: zipfile.ZipFile, part: zipfile.ZipInfo, parser: object, budget: _Budget
) -> None:
    with archive.open(part) as stream:
        while block := stream.read(READ_BLOCK):
            budget.spend(len(block))
            parser.Parse(block, False)  # type: ignore[attr-defined]
        parser.Parse(b"", True)  # type: ignore[attr-defined]


def _chunks(
    archive: zipfile.ZipFile, part: zipfile.ZipInfo, budget: _Budget, boundary: bytes
) -> Iterator[bytes]:
    """The part's bytes in pieces cut just before `boundary` (a tag no expression spans)."""
    pending = b""
    with archive.open(part) as stream:
        while block := stream.read(READ_BLOCK):
            budget.spend(len(block))
            pending += block
            cut = pending.rfind(boundary)
            if cut > 0:
                yield pending[:cut]
                pending = pending[cut:]
            elif len(pending) > PLAIN_PIECE:
                raise _NotPlain()
    yield pending


class _NotPlain(Exception):
    """XML the regular expressions do not read exactly: the parser reads it."""


PLAIN_PIECE = 64 * MIB
# Anything that would let an expression misread a cell: a prefixed name, an entity, a single-
# quoted value, spaces around '='.
# (Byte searches: one expression of alternatives took 3.9 s over 2.5 million cells.)
_ODD = (b"&", b"'", b" =", b"= ", b"\n=", b"=\n", b"\t=", b"=\t", b"\r=", b"=\r")
_PREFIXED = re.compile(rb"<[A-Za-z_][\w.-]*:")
_CELL = re.compile(rb"<c[\s/>]")
_CELL_REFERENCE = re.compile(rb'<c\b[^>]*?\sr="([A-Z]{1,3})([0-9]{1,7})"')
_TWO_REFERENCES = re.compile(rb'<c\b[^>]*?\sr="[^>]*?\sr="')
_SHARED_VALUE = re.compile(
    rb'<c\b[^>]*?\st="s"[^>]*>\s*(?:<f\b[^>]*?(?:/>|>[^<]*</f>)\s*)?<v>\s*([0-9]{1,9})\s*</v>'
)
_ITEM = re.compile(rb"<si[\s>/]")
_PLAIN_ITEM = re.compile(rb"<si>(.*?)</si>", re.DOTALL)
_SST = re.compile(rb"<sst\b[^>]*>")
_CLAIMED = re.compile(rb"(?:count|uniqueCount)\s*=\s*[\"']([^\"']*)")


def _plain_lengths(
    archive: zipfile.ZipFile, part: zipfile.ZipInfo, limits: Limits, budget: _Budget
) -> list[int] | None:
    """Each shared string's length in bytes with its tags (more than its characters: safe),
    or None if the XML is not plain."""
    before = budget.left
    lengths: list[int] = []
    try:
        for piece in _chunks(archive, part, budget, b"<si"):
            for tag in _SST.findall(piece):
                for claimed in _CLAIMED.findall(tag):
                    if not claimed.isdigit() or int(claimed) > limits.max_sheet_cells:
                        raise _too_many_cells(limits)
            if re.search(rb"<\w+:", piece):
                raise _NotPlain()
            items = _PLAIN_ITEM.findall(piece)
            if len(items) != len(_ITEM.findall(piece)):
                raise _NotPlain()
            lengths.extend(map(len, items))
            if len(lengths) > limits.max_sheet_cells:
                raise _too_many_cells(limits)
    except _NotPlain:
        budget.left = before
        return None
    return lengths


@dataclass
class _PlainSheet:
    """A sheet's reach and shared text read by regular expressions over whole rows."""

    limits: Limits
    lengths: np.ndarray
    rows: int = 0
    columns: int = 0
    text: int = 0

    def scan(self, archive: zipfile.ZipFile, part: zipfile.ZipInfo, budget: _Budget) -> bool:
        """False if the XML is not plain; raises _TooLarge beyond the limits."""
        try:
            for piece in _chunks(archive, part, budget, b"<row"):
                self._measure(piece)
        except _NotPlain:
            return False
        return True

    def _measure(self, piece: bytes) -> None:
        if any(odd in piece for odd in _ODD) or _PREFIXED.search(piece):
            raise _NotPlain()
        if _TWO_REFERENCES.search(piece):
            raise _NotPlain()
        references = _CELL_REFERENCE.findall(piece)
        if len(references) != len(_CELL.findall(piece)):  # a cell without its reference
            raise _NotPlain()
        shared = _SHARED_VALUE.findall(piece)
        if len(shared) != piece.count(b' t="s"'):  # a shared cell misread
            raise _NotPlain()
        if references:
            columns, rows = zip(*references, strict=True)
            self.rows = max(self.rows, *map(int, set(rows)))
            self.columns = max(self.columns, *map(_column_number, set(columns)))
            _check_reach(self.rows, self.columns, self.limits)
        if shared:
            index = np.fromiter(map(int, shared), np.int64, len(shared))
            known = index[index < len(self.lengths)]
            self.text += int(self.lengths[known].sum())
            _check_text(self.text, self.limits)


def _check_reach(rows: int, columns: int, limits: Limits) -> None:
    if rows > SHEET_ROWS or columns > SHEET_COLUMNS:
        raise _TooLarge("Ô ngoài giới hạn của Excel", "A cell beyond Excel's bounds")
    if columns > limits.max_columns:
        raise _TooLarge(
            f"Trang tính dùng {columns} cột; tối đa {limits.max_columns}",
            f"The sheet uses {columns} columns; at most {limits.max_columns}",
        )
    if rows * columns > limits.max_sheet_cells:
        raise _too_many_cells(limits)


def _check_text(text: int, limits: Limits) -> None:
    if text > limits.max_text:
        raise _TooLarge(
            f"Các ô chứa quá nhiều chữ (tối đa {limits.max_text // MIB} MB)",
            f"The cells hold too much text (at most {limits.max_text // MIB} MB)",
        )


def _local(name: str) -> str:
    return name.rpartition(":")[2]


def _shared_string_lengths(
    archive: zipfile.ZipFile, part: zipfile.ZipInfo, limits: Limits, budget: _Budget
) -> list[int]:
    """The length of each shared string, in order."""
    lengths: list[int] = []
    state = {"in_item": False, "length": 0}

    def start(name: str, attributes: dict[str, str]) -> None:
        tag = _local(name)
        if tag == "sst":
            for key in ("count", "uniqueCount"):
                claimed = attributes.get(key, "0")
                if not claimed.isdigit() or int(claimed) > limits.max_sheet_cells:
                    raise _too_many_cells(limits)
        elif tag == "si":
            state["in_item"], state["length"] = True, 0
            if len(lengths) >= limits.max_sheet_cells:
                raise _too_many_cells(limits)

    def end(name: str) -> None:
        if _local(name) == "si":
            lengths.append(state["length"])
            state["in_item"] = False

    def text(data: str) -> None:
        if state["in_item"]:
            state["length"] += len(data)

    parser = expat.ParserCreate()
    parser.buffer_text = True
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text
    _parse(archive, part, parser, budget)
    return lengths


def _too_many_cells(limits: Limits) -> _TooLarge:
    return _TooLarge(
        f"Trang tính có quá nhiều ô (tối đa {limits.max_sheet_cells:,})",
        f"The sheet has too many cells (at most {limits.max_sheet_cells:,})",
    )


def _column_number(letters: str | bytes) -> int:
    number = 0
    for letter in letters.encode() if isinstance(letters, str) else letters:
        number = number * 26 + letter - 64
    return number


@dataclass
class _Sheet:
    """One streaming pass over a sheet: its furthest row and column, and its cells' text.

    Text is counted for shared strings only: any other text is in the XML, within the budget.
    The parser reads a cell's characters only inside a shared-string cell (2.5 million cells:
    4.3 s instead of 7.5 s).
    """

    limits: Limits
    lengths: list[int]
    row: int = 0
    column: int = 0
    rows: int = 0
    columns: int = 0
    text: int = 0
    value: list[str] = field(default_factory=list)

    def scan(self, archive: zipfile.ZipFile, part: zipfile.ZipInfo, budget: _Budget) -> None:
        parser = expat.ParserCreate()
        parser.buffer_text = True
        self.parser = parser
        parser.StartElementHandler = self.start
        parser.EndElementHandler = self.end
        _parse(archive, part, parser, budget)

    def start(self, name: str, attributes: dict[str, str]) -> None:
        tag = name.rpartition(":")[2]
        if tag == "c":
            found = _CELL_REF.match(attributes.get("r", ""))
            if found:
                self.column = _column_number(found[1])
                self.row = max(self.row, int(found[2]))
            else:
                self.column += 1
            if self.column > self.columns or self.row > self.rows:
                self._reach()
            if attributes.get("t") == "s":
                self.value = []
                self.parser.CharacterDataHandler = self.value.append
        elif tag == "row":
            given = attributes.get("r", "")
            self.row = int(given) if given.isdigit() else self.row + 1
            self.column = 0
            if self.row > self.rows:
                self._reach()

    def _reach(self) -> None:
        self.rows, self.columns = max(self.rows, self.row), max(self.columns, self.column)
        _check_reach(self.rows, self.columns, self.limits)

    def end(self, name: str) -> None:
        if self.parser.CharacterDataHandler is None or name.rpartition(":")[2] != "c":
            return
        self.parser.CharacterDataHandler = None
        value = "".join(self.value).strip()
        index = int(value) if value.isdigit() else -1
        self.text += self.lengths[index] if 0 <= index < len(self.lengths) else 0
        _check_text(self.text, self.limits)
