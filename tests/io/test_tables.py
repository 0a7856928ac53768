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


def test_a_header_of_ten_thousand_columns_is_refused_before_parsing(tmp_path: Path) -> None:
    """Trust issue, item 4: 10,000 columns took 24 s, 40,000 over 300 s (a column at a time)."""
    path = tmp_path / "wide.csv"
    header = ",".join(f"c{n}" for n in range(10_000))
    path.write_text(header + "\n" + "," * 9_999 + "\n", encoding="utf-8")
    with pytest.raises(InputError) as error:
        read_table(path)
    assert error.value.problems[0].reason_en == "The file has 10000 columns; at most 512"
    assert error.value.problems[0].row == 1


def test_an_upload_of_too_many_cells_or_bytes_is_refused(tmp_path: Path) -> None:
    from ansinh.io.limits import UPLOAD_LIMITS

    path = tmp_path / "long.csv"
    path.write_bytes(b"a,b,c,d,e,f,g,h,i,j\n" + b",,,,,,,,,\n" * 600_000)
    with pytest.raises(InputError) as error:
        read_table(path, limits=UPLOAD_LIMITS)
    assert "too many cells" in error.value.problems[0].reason_en
    path.write_bytes(b"a\n" + b"x" * (UPLOAD_LIMITS.max_bytes or 0) + b"\n")
    with pytest.raises(InputError) as error:
        read_table(path, limits=UPLOAD_LIMITS)
    assert error.value.problems[0].reason_en == "The file is larger than 20 MB"
