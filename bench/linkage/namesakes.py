"""A namesake-heavy set of benefit lists, made apart from `ansinh synth` and from the model.

Nothing here is imported from `ansinh`: its own name tables, its own ID numbers, its own
errors, so that the linker is not scored on data shaped by the code that made its model. In
communes of 10,000 people a quarter of the people get one or two namesakes (same surname and
given name, same commune, same birth year, most in the same village; own valid ID number
with the same first six digits; a birth date differing in day and month; a different middle
name for one in four), a sixth get a sibling at the same address and one in fifty a twin.
Each person is on one to three lists typed by different agencies, each with its own way of
writing addresses and its own errors. Truth: person_id, entity_id, kind (namesake, sibling,
twin or blank: what the record's person was made as).
"""

from __future__ import annotations

import unicodedata

import numpy as np
import polars as pl

COMMUNE_SIZE = 10_000
VILLAGES = 14
SURNAMES = {"Nguyễn": 38, "Trần": 11, "Lê": 9.5, "Phạm": 7, "Hoàng": 5, "Phan": 4.5, "Vũ": 3.9,
            "Đặng": 2.1, "Bùi": 2, "Đỗ": 1.4, "Hồ": 1.3, "Ngô": 1.3, "Dương": 1, "Lý": 0.5,
            "Giàng": 1.5, "Sùng": 1, "Vàng": 1, "Lò": 1, "Nông": 0.8, "Triệu": 0.6}  # fmt: skip
MIDDLE = {
    "M": {"Văn": 50, "Đức": 8, "Xuân": 6, "Hữu": 6, "Quang": 6, "Minh": 6, "Công": 5, "Seo": 3,
          "A": 3, "Mạnh": 3, "Duy": 3, "Thành": 3},
    "F": {"Thị": 70, "Ngọc": 6, "Thu": 6, "Thanh": 5, "Minh": 4, "Hồng": 4, "Kim": 3, "Mỷ": 2},
}  # fmt: skip
GIVEN = {
    "M": ["Hùng", "Dũng", "Long", "Quý", "Sơn", "Hải", "Nam", "Tuấn", "Thắng", "Cường", "Bình",
          "Minh", "Trung", "Hòa", "Phúc", "Tiến", "Páo", "Chứ", "Dế", "Khánh", "Lợi", "Toàn"],
    "F": ["Hoa", "Lan", "Hương", "Mai", "Thủy", "Hằng", "Nga", "Thảo", "Trang", "Huyền", "Yến",
          "Dung", "Mỷ", "Dợ", "Liên", "Nhung", "Hạnh", "Vân", "Loan", "Tuyết", "Phương", "Hà"],
}  # fmt: skip
PROVINCES = ["015", "010", "008", "001"]
LISTS = {"tro_cap": 0.55, "nguoi_co_cong": 0.25, "bhyt": 0.5}


def generate(people: int = 20_000, seed: int = 11) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The people file (DESIGN.md contract) and truth: person_id, entity_id, kind."""
    rng = np.random.default_rng(seed)
    base = _base(rng, int(people * 0.62))
    relatives = pl.concat(
        [
            _namesakes(rng, base.sample(fraction=0.25, seed=seed)),
            _siblings(rng, base.sample(fraction=0.16, seed=seed + 1), twins=False),
            _siblings(rng, base.sample(fraction=0.02, seed=seed + 2), twins=True),
        ]
    )
    population = pl.concat([base, relatives]).with_row_index("entity_id")
    population = population.with_columns(_valid_id(rng, population))
    records = _lists(rng, population)
    records = records.sample(fraction=1.0, shuffle=True, seed=seed).with_row_index("n")
    records = records.with_columns(pl.format("r{}", pl.col("n")).alias("person_id"))
    truth = records.select("person_id", pl.col("entity_id").cast(pl.String), "kind")
    columns = ["person_id", "full_name", "birth_date", "sex", "citizen_id", "commune_code",
               "address", "source"]  # fmt: skip
    return records.select(columns), truth


def _draw(rng: np.random.Generator, table: dict[str, float], n: int) -> np.ndarray:
    weights = np.array(list(table.values()), dtype=float)
    return np.array(list(table))[rng.choice(len(table), n, p=weights / weights.sum())]


def _given(rng: np.random.Generator, sex: np.ndarray) -> np.ndarray:
    ranks = 1.0 / np.arange(1, len(GIVEN["M"]) + 1) ** 0.7
    picks = rng.choice(len(ranks), sex.size, p=ranks / ranks.sum())
    return np.where(sex == "M", np.array(GIVEN["M"])[picks], np.array(GIVEN["F"])[picks])


def _middle(rng: np.random.Generator, sex: np.ndarray) -> np.ndarray:
    return np.where(
        sex == "M", _draw(rng, MIDDLE["M"], sex.size), _draw(rng, MIDDLE["F"], sex.size)
    )


def _base(rng: np.random.Generator, n: int) -> pl.DataFrame:
    sex = np.where(rng.random(n) < 0.5, "M", "F")
    communes = max(1, round(n / COMMUNE_SIZE * 1.6))
    return pl.DataFrame(
        {
            "surname": _draw(rng, SURNAMES, n),
            "middle": _middle(rng, sex),
            "given": _given(rng, sex),
            "sex": sex,
            "year": rng.integers(1930, 2024, n),
            "month": rng.integers(1, 13, n),
            "day": rng.integers(1, 29, n),
            "commune": rng.integers(0, communes, n),
            "village": rng.integers(1, VILLAGES + 1, n),
            "province": rng.choice(PROVINCES, n, p=[0.85, 0.05, 0.05, 0.05]),
            "kind": "",
        }
    )


def _namesakes(rng: np.random.Generator, originals: pl.DataFrame) -> pl.DataFrame:
    """One or two others with the name, commune and year of each original; own date and ID."""
    copies = pl.concat([originals, originals.filter(pl.Series(rng.random(originals.height) < 0.3))])
    n = copies.height
    month_shift = rng.integers(1, 12, n)
    day_shift = rng.integers(1, 28, n)
    new_month = (copies["month"].to_numpy() - 1 + month_shift) % 12 + 1
    new_day = (copies["day"].to_numpy() - 1 + day_shift) % 28 + 1
    # Not a day/month swap of the original: that would be the same person mistyped.
    swap = (new_month == copies["day"].to_numpy()) & (new_day == copies["month"].to_numpy())
    new_day = np.where(swap, new_day % 28 + 1, new_day)
    other_middle = _middle(rng, copies["sex"].to_numpy())
    return copies.with_columns(
        pl.Series("month", new_month),
        pl.Series("day", new_day),
        pl.when(pl.Series(rng.random(n) < 0.25))
        .then(pl.Series(other_middle))
        .otherwise(pl.col("middle"))
        .alias("middle"),
        pl.when(pl.Series(rng.random(n) < 0.3))
        .then(pl.Series(rng.integers(1, VILLAGES + 1, n)))
        .otherwise(pl.col("village"))
        .alias("village"),
        pl.lit("namesake").alias("kind"),
    )


def _siblings(rng: np.random.Generator, originals: pl.DataFrame, twins: bool) -> pl.DataFrame:
    """A brother or sister at the same address: own given name; a twin shares the birth date."""
    n = originals.height
    sex = np.where(rng.random(n) < 0.5, "M", "F")
    given = _given(rng, sex)
    for _ in range(20):  # parents do not give two of their children one name
        clash = given == originals["given"].to_numpy()
        given = np.where(clash, _given(rng, sex), given)
    gap = np.where(rng.random(n) < 0.5, -1, 1) * rng.integers(1, 7, n)
    return originals.with_columns(
        pl.Series("sex", sex),
        pl.Series("given", given),
        pl.when(pl.Series(rng.random(n) < 0.6) & (pl.col("sex") == pl.Series(sex)))
        .then(pl.col("middle"))
        .otherwise(pl.Series(_middle(rng, sex)))
        .alias("middle"),
        pl.col("year") if twins else (pl.col("year") + pl.Series(gap)).clip(1930, 2023),
        pl.col("month") if twins else pl.Series("month", rng.integers(1, 13, n)),
        pl.col("day") if twins else pl.Series("day", rng.integers(1, 29, n)),
        pl.lit("twin" if twins else "sibling").alias("kind"),
    )


def _valid_id(rng: np.random.Generator, people: pl.DataFrame) -> pl.Expr:
    """Province of birth, century-and-sex digit, year, six random digits (Decree 137/2015)."""
    year = pl.col("year")
    century = (year >= 2000).cast(pl.Int32) * 2 + (pl.col("sex") == "F").cast(pl.Int32)
    serial = pl.Series(rng.choice(1_000_000, people.height, replace=False)).cast(pl.String)
    return pl.concat_str(
        pl.col("province"),
        century.cast(pl.String),
        (year % 100).cast(pl.String).str.zfill(2),
        serial.str.zfill(6),
    ).alias("citizen_id")


def _lists(rng: np.random.Generator, population: pl.DataFrame) -> pl.DataFrame:
    """Each person on one to three lists, a few twice on one; each list typed its own way."""
    parts = []
    on_any = np.zeros(population.height, dtype=bool)
    for position, (name, share) in enumerate(LISTS.items()):
        chosen = rng.random(population.height) < share
        if position == len(LISTS) - 1:
            chosen |= ~on_any
        on_any |= chosen
        holders = population.filter(pl.Series(chosen))
        again = holders.filter(pl.Series(rng.random(holders.height) < 0.03))
        parts.append(_typed(rng, pl.concat([holders, again]), name, position))
    return pl.concat(parts)


def _typed(rng: np.random.Generator, rows: pl.DataFrame, source: str, style: int) -> pl.DataFrame:
    """The records as one agency typed them: its address style, its officers' errors."""
    n = rows.height
    u = rng.random((8, n))
    full = pl.concat_str(["surname", "middle", "given"], separator=" ")
    short = pl.concat_str(["surname", "given"], separator=" ")
    initial = pl.concat_str([pl.col("surname"), pl.col("middle").str.slice(0, 1) + ".", "given"],
                            separator=" ")  # fmt: skip
    name = (
        pl.when(pl.Series(u[0] < 0.05)).then(short)
        .when(pl.Series(u[0] < 0.08)).then(initial)
        .otherwise(full)
    )  # fmt: skip
    name = (
        pl.when(pl.Series(u[1] < 0.2)).then(_ascii(name))
        .when(pl.Series(u[1] < 0.3)).then(name.str.to_uppercase())
        .otherwise(name)
    )  # fmt: skip
    iso = pl.format("{}-{}-{}", "year", pl.col("month").cast(pl.String).str.zfill(2),
                    pl.col("day").cast(pl.String).str.zfill(2))  # fmt: skip
    swapped = pl.format("{}-{}-{}", "year", pl.col("day").cast(pl.String).str.zfill(2),
                        pl.col("month").cast(pl.String).str.zfill(2))  # fmt: skip
    date = (
        pl.when(pl.Series(u[2] < 0.08)).then(pl.col("year").cast(pl.String))
        .when(pl.Series(u[2] < 0.11) & (pl.col("day") <= 12)).then(swapped)
        .otherwise(iso)
    )  # fmt: skip
    cid = pl.col("citizen_id")
    wrong = pl.Series(rng.integers(0, 10, n)).cast(pl.String)
    at = pl.Series(rng.integers(6, 12, n))
    typo = pl.concat_str(cid.str.slice(0, at), wrong, cid.str.slice(at + 1))
    transposed = (
        cid.str.slice(0, 9) + cid.str.slice(10, 1) + cid.str.slice(9, 1) + cid.str.slice(11)
    )
    old = (pl.col("entity_id") * 7_919 % 800_000_000 + 100_000_000).cast(pl.String)
    citizen = (
        pl.when(pl.Series(u[3] < 0.15)).then(pl.lit(""))
        .when(pl.Series(u[3] < 0.18)).then(typo)
        .when(pl.Series(u[3] < 0.20)).then(transposed)
        .when(pl.Series(u[3] < 0.25) & (pl.col("year") < 2000)).then(old)
        .otherwise(cid)
    )  # fmt: skip
    commune = (1000 + pl.col("commune") * 3).cast(pl.String)
    commune = pl.when(pl.Series(u[4] < 0.1)).then(commune).otherwise(commune.str.zfill(5))
    village = pl.col("village").cast(pl.String)
    address = [
        pl.format("Thôn {}, xã Bản {}", village, pl.col("commune")),
        pl.format("thon {}", village),
        pl.format("Thôn {} - Bản {}", village, pl.col("commune")),
    ][style]
    address = pl.when(pl.Series(u[5] < 0.25)).then(pl.lit("")).otherwise(address)
    sex = pl.when(pl.Series(u[6] < 0.5)).then(
        pl.when(pl.col("sex") == "M").then(pl.lit("Nam")).otherwise(pl.lit("Nữ"))
    ).otherwise(pl.col("sex"))  # fmt: skip
    return rows.select(
        "entity_id",
        "kind",
        name.alias("full_name"),
        date.alias("birth_date"),
        sex.alias("sex"),
        citizen.alias("citizen_id"),
        commune.alias("commune_code"),
        address.alias("address"),
        pl.lit(source).alias("source"),
    )


def _ascii(name: pl.Expr) -> pl.Expr:
    return name.map_batches(lambda s: pl.Series([_fold(v) for v in s]), return_dtype=pl.String)


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))
