"""Small literal Vietnamese people lists for the linkage tests (two lists of one commune)."""

from __future__ import annotations

import polars as pl

COLUMNS = ["person_id", "full_name", "birth_date", "sex", "citizen_id", "commune_code", "source"]

# The household registry of commune 04465: distinct people, namesakes among them.
REGISTRY = [
    ("h1", "Nguyễn Văn Hùng", "1958-03-12", "M", "001058012345", "04465", "registry"),
    ("h2", "Nguyễn Văn Hùng", "1990-07-01", "M", "001090054321", "04465", "registry"),
    ("h3", "Nguyễn Thị Hoà", "1962-11-05", "F", "001162077777", "04465", "registry"),
    ("h4", "Trần Thị Thuỷ", "1975-02-20", "F", "001175011111", "04465", "registry"),
    ("h5", "Giàng A Páo", "1949-01-01", "M", "010049022222", "04465", "registry"),
    ("h6", "Lê Văn Đức", "1985-09-09", "M", "", "04465", "registry"),
    ("h7", "Phạm Thị Lan", "1940", "F", "", "04465", "registry"),
    ("h8", "Đỗ Minh Tuấn", "2001-12-30", "M", "001201033333", "04465", "registry"),
    ("h9", "Hoàng Văn Nam", "1966-06-15", "M", "001066044444", "04465", "registry"),
    ("h10", "Vũ Thị Mai", "1979-04-04", "F", "001179055555", "04465", "registry"),
    ("h11", "Bùi Văn Long", "1955-08-08", "M", "123456789", "04465", "registry"),
    ("h12", "Nguyễn Thị Lan", "1958-01-20", "F", "001158066666", "04465", "registry"),
]
# The social-assistance list of the same commune: the same people as typed by another officer.
ASSISTANCE = [
    ("a1", "NGUYỄN VĂN HÙNG", "1958-12-03", "Nam", "001058012345", "4465", "assistance"),
    ("a2", "Nguyễn Thị Hòa", "1962", "Nữ", "", "04465", "assistance"),
    ("a3", "Tran Thi Thuy", "1975-02-20", "F", "001175011111", "04465", "assistance"),
    ("a4", "Giàng A Páo", "1949-01-01", "M", "010049022222", "04465", "assistance"),
    ("a5", "Lê Đức", "1985-09-09", "M", "", "04465", "assistance"),
    ("a6", "Phạm T. Lan", "1940", "F", "", "04465", "assistance"),
    ("a7", "Bùi Văn Long", "1955-08-08", "M", "123456798", "04465", "assistance"),
    ("a8", "Ma Văn Sinh", "1938-05-05", "M", "", "04465", "assistance"),
]
SAME_PERSON = {
    ("a1", "h1"),
    ("a2", "h3"),
    ("a3", "h4"),
    ("a4", "h5"),
    ("a5", "h6"),
    ("a6", "h7"),
    ("a7", "h11"),
}


def people(*lists: list[tuple[str, ...]]) -> pl.DataFrame:
    rows = [row for rows in lists for row in rows]
    return pl.DataFrame(rows, schema=COLUMNS, orient="row")
