"""A synthetic Vietnamese people file with known duplicates, vectorised (for the scale runs).

Used when the `ansinh synth` output (people.csv and truth.csv) is not given. Names follow the
published surname shares (Nguyễn about 38%); duplicates carry the variants officers type.
"""

from __future__ import annotations

import unicodedata

import numpy as np
import polars as pl

SURNAMES = {
    "Nguyễn": 38.0,
    "Trần": 11.0,
    "Lê": 9.5,
    "Phạm": 7.0,
    "Hoàng": 5.1,
    "Huỳnh": 1.0,
    "Phan": 4.5,
    "Vũ": 3.9,
    "Võ": 1.0,
    "Đặng": 2.1,
    "Bùi": 2.0,
    "Đỗ": 1.4,
    "Hồ": 1.3,
    "Ngô": 1.3,
    "Dương": 1.0,
    "Lý": 0.5,
    "Giàng": 0.4,
    "Sùng": 0.3,
    "Vàng": 0.3,
    "Lò": 0.4,
    "Hà": 0.6,
    "Ma": 0.3,
    "Đinh": 0.6,
    "Trương": 0.6,
    "Lương": 0.5,
    "Mai": 0.4,
    "Tô": 0.3,
}
MALE_MIDDLE = ["Văn", "Văn", "Văn", "Đức", "Minh", "Quang", "Hữu", "Công", "Thanh", "Xuân"]
FEMALE_MIDDLE = ["Thị", "Thị", "Thị", "Thị", "Ngọc", "Thu", "Thanh", "Minh", "Hồng", "Kim"]
MALE_GIVEN = [
    "Hùng",
    "Dũng",
    "Nam",
    "Tuấn",
    "Minh",
    "Hải",
    "Long",
    "Thắng",
    "Sơn",
    "Cường",
    "Đức",
    "Hoà",
    "Thành",
    "Trung",
    "Quân",
    "Khoa",
    "Phúc",
    "Tài",
    "Bình",
    "Huy",
    "Hoàng",
    "Việt",
    "Quý",
    "Toàn",
    "Lực",
    "Páo",
    "Sinh",
    "Tính",
    "Khải",
    "Nghĩa",
]
FEMALE_GIVEN = [
    "Lan",
    "Hương",
    "Mai",
    "Hoa",
    "Thuỷ",
    "Linh",
    "Trang",
    "Hằng",
    "Ngọc",
    "Hà",
    "Nga",
    "Thảo",
    "Yến",
    "Loan",
    "Phương",
    "Hiền",
    "Huệ",
    "Dung",
    "Mỵ",
    "Xoà",
    "Nhung",
    "Vân",
    "Tuyết",
    "Oanh",
    "Quỳnh",
    "Khuê",
    "Diệp",
    "Thoả",
    "Chi",
    "My",
]
# New tone placement (Thủy, Hòa) where the base lists use the old (Thuỷ, Hoà).
NEW_TONE = {"Thuỷ": "Thủy", "Hoà": "Hòa", "Xoà": "Xòa", "Thoả": "Thỏa"}


def generate(
    people: int, seed: int = 1, duplicate_share: float = 0.2
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The people file (DESIGN.md contract) and its truth: person_id, entity_id."""
    rng = np.random.default_rng(seed)
    originals = _originals(rng, people)
    copies = _variants(rng, originals.sample(fraction=duplicate_share, seed=seed))
    frame = pl.concat([originals, copies]).sample(fraction=1.0, shuffle=True, seed=seed)
    frame = frame.with_row_index("n").with_columns(pl.format("p{}", pl.col("n")).alias("person_id"))
    truth = frame.select("person_id", "entity_id")
    return frame.drop("n", "entity_id"), truth


def _originals(rng: np.random.Generator, n: int) -> pl.DataFrame:
    names = list(SURNAMES)
    shares = np.array(list(SURNAMES.values()))
    female = rng.random(n) < 0.5
    middle = np.where(female, rng.choice(FEMALE_MIDDLE, n), rng.choice(MALE_MIDDLE, n))
    given = np.where(female, _zipf(rng, FEMALE_GIVEN, n), _zipf(rng, MALE_GIVEN, n))
    surname = rng.choice(names, n, p=shares / shares.sum())
    year = rng.integers(1935, 2024, n)
    month = rng.integers(1, 13, n)
    day = rng.integers(1, 29, n)
    communes = max(20, n // 4000)
    province = rng.choice(["010", "015", "008", "002"], n)
    century = np.where(year >= 2000, np.where(female, 3, 2), np.where(female, 1, 0))
    serial = rng.integers(0, 1_000_000, n)
    return pl.DataFrame(
        {
            "entity_id": np.arange(n),
            "full_name": [f"{s} {m} {g}" for s, m, g in zip(surname, middle, given, strict=True)],
            "birth_date": [
                f"{y}-{mo:02d}-{d:02d}" for y, mo, d in zip(year, month, day, strict=True)
            ],
            "sex": np.where(female, "F", "M"),
            "citizen_id": [
                f"{p}{c}{y % 100:02d}{s:06d}"
                for p, c, y, s in zip(province, century, year, serial, strict=True)
            ],
            "commune_code": [f"{4000 + c:05d}" for c in rng.integers(0, communes, n)],
            "address": [f"Thôn {v}" for v in rng.integers(1, 15, n)],
            "source": "registry",
        }
    )


def _zipf(rng: np.random.Generator, values: list[str], n: int) -> np.ndarray:
    weights = 1.0 / np.arange(1, len(values) + 1) ** 0.8
    return rng.choice(values, n, p=weights / weights.sum())


def _variants(rng: np.random.Generator, rows: pl.DataFrame) -> pl.DataFrame:
    """The same people as another officer typed them on a benefit list."""
    n = rows.height
    draw = rng.random((8, n))
    name = pl.col("full_name")
    words = name.str.split(" ")
    new_tone = name
    for old, new in NEW_TONE.items():
        new_tone = new_tone.str.replace(old, new, literal=True)
    folded = new_tone.map_batches(
        lambda s: pl.Series([_fold(v) for v in s]), return_dtype=pl.String
    )
    date = pl.col("birth_date")
    swapped = pl.format(
        "{}-{}-{}", date.str.slice(0, 4), date.str.slice(8, 2), date.str.slice(5, 2)
    )
    cid = pl.col("citizen_id")
    transposed = cid.str.slice(0, 7) + cid.str.slice(8, 1) + cid.str.slice(7, 1) + cid.str.slice(9)
    return (
        rows.with_columns(pl.Series("d", draw.T.tolist()))
        .with_columns(
            pl.when(pl.col("d").list.get(0) < 0.15)
            .then(folded)
            .when(pl.col("d").list.get(0) < 0.3)
            .then(new_tone.str.to_uppercase())
            .when(pl.col("d").list.get(0) < 0.4)
            .then(words.list.first() + " " + words.list.last())
            .when(pl.col("d").list.get(0) < 0.45)
            .then(
                words.list.first()
                + " "
                + words.list.get(1).str.slice(0, 1)
                + ". "
                + words.list.last()
            )
            .otherwise(new_tone)
            .alias("full_name"),
            pl.when(pl.col("d").list.get(1) < 0.15)
            .then(date.str.slice(0, 4))
            .when(pl.col("d").list.get(1) < 0.2)
            .then(swapped)
            .otherwise(date)
            .alias("birth_date"),
            pl.when(pl.col("d").list.get(2) < 0.35)
            .then(pl.lit(""))
            .when(pl.col("d").list.get(2) < 0.4)
            .then(transposed)
            .otherwise(cid)
            .alias("citizen_id"),
            pl.when(pl.col("d").list.get(3) < 0.3)
            .then(pl.lit(""))
            .otherwise(pl.col("address"))
            .alias("address"),
            pl.when(pl.col("d").list.get(4) < 0.5)
            .then(pl.when(pl.col("sex") == "M").then(pl.lit("Nam")).otherwise(pl.lit("Nữ")))
            .otherwise(pl.col("sex"))
            .alias("sex"),
            pl.lit("assistance").alias("source"),
        )
        .drop("d")
    )


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))
