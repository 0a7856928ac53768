"""Reading CSV tables: stripped text, the file's row numbers, and bad files named by their line."""

from __future__ import annotations

from pathlib import Path

import pytest

from ansinh.errors import InputError
from ansinh.io import tables
from ansinh.io.tables import read_table


def test_cells_are_stripped_text_with_the_file_row_numbers(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("\ufeffa,b\n 1 ,\n2,x \n", encoding="utf-8")
    frame = read_table(path)
    assert frame.columns == ["_row", "a", "b"]
    assert frame.rows() == [(2, "1", ""), (3, "2", "x")]


def test_a_byte_that_is_not_utf8_is_named_by_its_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tables, "UTF8_BLOCK", 8)  # the file is checked a few lines at a time
    path = tmp_path / "t.csv"
    lines = [f"{n},Hùng {n}".encode() for n in range(1, 9)]
    lines[5] = b"6,Ho\xe0"  # "Hòa" as a Windows-1258 export writes it
    path.write_bytes(b"id,name\n" + b"\n".join(lines) + b"\n")
    with pytest.raises(InputError) as error:
        read_table(path)
    assert error.value.problems[0].row == 7
    assert "UTF-8" in error.value.problems[0].reason_en


@pytest.mark.parametrize("content", [b"", b"  \r\n\n"])
def test_an_empty_file_is_refused(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "t.csv"
    path.write_bytes(content)
    with pytest.raises(InputError, match="empty"):
        read_table(path)
