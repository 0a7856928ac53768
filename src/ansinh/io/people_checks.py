"""Checks and normalisation of a households-and-members table (the import template)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import polars as pl

from ansinh.domain import codelists
from ansinh.domain.codelists import BENEFIT_COLUMNS
from ansinh.domain.names import fold_expr, normalize_name_expr
from ansinh.io import checks
from ansinh.problems import ROW, where, where_explained

REQUIRED = ["person_id", "household_id", "full_name", "commune_code", "relation"]
OPTIONAL = [
    "birth_date",
    "sex",
    "citizen_id",
    "address",
    "source",
    "village_code",
    "village_name",
    "ethnicity",
    "able_to_work",
    "disability",
    *BENEFIT_COLUMNS,
]
# Levels certified under the Law on Persons with Disabilities that benefits depend on.
DISABILITY = {
    "severe": "severe",
    "nang": "severe",
    "khuyet tat nang": "severe",
    "extremely severe": "extremely_severe",
    "extremely_severe": "extremely_severe",
    "dac biet nang": "extremely_severe",
    "khuyet tat dac biet nang": "extremely_severe",
}
SEX = {"m": "M", "nam": "M", "male": "M", "f": "F", "nu": "F", "female": "F"}
FLAGS = {"1": "1", "0": "0", "co": "1", "khong": "0", "yes": "1", "no": "0"}
HOUSEHOLD_FIELDS = ["commune_code", "village_code", "village_name", "address"]
# The widths of the registry's columns (store/models.py): a longer value is an error here, not
# a database error at the write.
LENGTHS = {"person_id": 64, "household_id": 64, "full_name": 200, "source": 100,
           "village_name": 200, "address": 2000}  # fmt: skip
# A village: its commune's code, '-', then 1-10 letters or digits (04465-01). Nothing else: the
# code names files and lines of logs, and may not be mistaken for a commune.
VILLAGE_CODE = r"^\d{5}-[A-Za-z0-9]{1,10}$"


@dataclass(frozen=True)
class CheckedPeople:
    """The normalised table (one row per person) and the problem rows found."""

    people: pl.DataFrame
    problems: list[pl.DataFrame]


def check_rows(frame: pl.DataFrame, communes: set[str], today: date) -> CheckedPeople:
    """The checks each row passes or fails on its own, and its values normalised: a part of a
    file is checked as the whole would be."""
    frame = frame.with_columns(pl.lit("").alias(c) for c in OPTIONAL if c not in frame.columns)
    frame = frame.with_columns(_pad_code(pl.col("commune_code"), 5).alias("commune_code"))
    found = checks.required(frame, REQUIRED)
    found += checks.nul_cells(frame)
    found += checks.too_long(frame, LENGTHS)
    found.append(_village_codes(frame))
    found.append(_unknown_commune(frame, communes))
    frame, more = _normalise_codes(frame)
    found += more
    frame, more = _birth_dates(frame, today)
    found += more
    found.append(_citizen_ids(frame))
    return CheckedPeople(frame, found)


def across_keys(people: pl.DataFrame) -> pl.DataFrame:
    """What `check_across` reads of rows checked by `check_rows`: the keys as written, and
    each household field as its hash (8 bytes a row, not the text), which tells members who
    disagree as well as the text does."""
    return people.select(
        ROW,
        "person_id",
        "household_id",
        "citizen_id",
        "relation",
        "birth_year",
        *[pl.col(field).hash(seed=0) for field in HOUSEHOLD_FIELDS],
    )


def check_across(keys: pl.DataFrame) -> list[pl.DataFrame]:
    """The checks of rows against one another, on the `across_keys` of the whole file."""
    found = [
        checks.duplicated(keys, "person_id", "Mã người", "Person id"),
        checks.duplicated(keys, "citizen_id", "Số định danh", "Citizen id"),
    ]
    return found + _household_structure(keys)


def _village_codes(frame: pl.DataFrame) -> pl.DataFrame:
    code = pl.col("village_code")
    of_commune = code.str.starts_with(pl.col("commune_code") + "-")
    return where(
        frame,
        (code != "") & ~(code.str.contains(VILLAGE_CODE) & of_commune),
        "village_code",
        "Mã thôn phải là mã xã, dấu '-', rồi 1–10 chữ cái hoặc chữ số (ví dụ 04465-01)",
        "A village code is the commune's code, '-', then 1-10 letters or digits (e.g. 04465-01)",
    )


def _pad_code(code: pl.Expr, width: int) -> pl.Expr:
    # Spreadsheets drop leading zeros from codes such as 04465.
    return pl.when(code.str.contains(r"^\d+$")).then(code.str.zfill(width)).otherwise(code)


def _unknown_commune(frame: pl.DataFrame, communes: set[str]) -> pl.DataFrame:
    code = pl.col("commune_code")
    return where_explained(
        frame,
        (code != "") & ~code.is_in(list(communes)),
        "commune_code",
        pl.format("Mã xã không tồn tại hoặc hết hiệu lực: '{}'", code),
        pl.format("Unknown or expired commune code: '{}'", code),
    )


def _normalise_codes(frame: pl.DataFrame) -> tuple[pl.DataFrame, list[pl.DataFrame]]:
    folded = {
        c: fold_expr(pl.col(c))
        for c in ["sex", "relation", "ethnicity", "able_to_work", "disability"]
    }
    sex, bad_sex = checks.coded(frame, "sex", SEX, folded["sex"], "Giới tính", "Sex")
    relation, bad_relation = checks.coded(
        frame, "relation", codelists.relation_lookup(), folded["relation"], "Quan hệ", "Relation"
    )
    ethnicity, bad_ethnicity = checks.coded(
        frame,
        "ethnicity",
        codelists.ethnicity_lookup(),
        folded["ethnicity"]
        .str.replace_all("['-]", " ")
        .str.replace_all(" +", " ")
        .str.strip_chars(),
        "Dân tộc",
        "Ethnic group",
    )
    able, bad_able = checks.coded(
        frame, "able_to_work", FLAGS, folded["able_to_work"], "Khả năng lao động", "Able to work"
    )
    disability, bad_disability = checks.coded(
        frame,
        "disability",
        DISABILITY,
        folded["disability"].str.replace_all("_", " "),
        "Mức độ khuyết tật",
        "Disability level",
    )
    found = [bad_sex, bad_relation, bad_ethnicity, bad_able, bad_disability]
    categories = codelists.benefit_categories()
    for column, programme in BENEFIT_COLUMNS.items():
        # A cell may name several categories of the programme, separated by ';'.
        named = pl.col(column).str.split(";").list.eval(pl.element().str.strip_chars())
        unknown = named.list.eval(
            pl.element().filter((pl.element() != "") & ~pl.element().is_in(categories[programme]))
        )
        found.append(
            where_explained(
                frame,
                unknown.list.len() > 0,
                column,
                pl.format("Diện không có trong danh mục: '{}'", unknown.list.join(";")),
                pl.format("Category not in the code list: '{}'", unknown.list.join(";")),
            )
        )
    frame = frame.with_columns(
        normalize_name_expr(pl.col("full_name")).alias("full_name"),
        fold_expr(pl.col("full_name")).alias("name_folded"),
        sex.alias("sex"),
        relation.alias("relation"),
        ethnicity.alias("ethnicity_code"),
        pl.when(able.is_not_null()).then(able == "1").alias("able_to_work"),
        disability.alias("disability"),
    )
    return frame, found


def _birth_dates(frame: pl.DataFrame, today: date) -> tuple[pl.DataFrame, list[pl.DataFrame]]:
    text = pl.col("birth_date")
    shaped = text.str.contains(r"^\d{4}(-\d{2}(-\d{2})?)?$")
    # A partial date is checked as its first possible day: 1990-02 as 1990-02-01.
    length = text.str.len_chars()
    padded = (
        pl.when(length == 4)
        .then(text + "-01-01")
        .when(length == 7)
        .then(text + "-01")
        .otherwise(text)
    )
    parsed = padded.str.to_date("%Y-%m-%d", strict=False)
    frame = frame.with_columns(
        pl.when(shaped).then(parsed).alias("_birth"),
        pl.when(shaped).then(text.str.slice(0, 4).cast(pl.Int32)).alias("birth_year"),
    )
    bad_shape = where_explained(
        frame,
        (text != "") & pl.col("_birth").is_null(),
        "birth_date",
        pl.format("Ngày sinh không hợp lệ (YYYY-MM-DD, YYYY-MM hoặc YYYY): '{}'", text),
        pl.format("Invalid birth date (YYYY-MM-DD, YYYY-MM or YYYY): '{}'", text),
    )
    future = where_explained(
        frame,
        (pl.col("_birth") > pl.lit(today)) | (pl.col("birth_year") < 1900),
        "birth_date",
        pl.format("Ngày sinh ở tương lai hoặc trước năm 1900: '{}'", text),
        pl.format("Birth date in the future or before 1900: '{}'", text),
    )
    return frame.drop("_birth"), [bad_shape, future]


def _citizen_ids(frame: pl.DataFrame) -> pl.DataFrame:
    rules = codelists.citizen_id_rules()
    value = pl.col("citizen_id")
    century_of = {
        digit: (int(start), sex)
        for start, digits in rules["century_sex_digits"].items()
        for digit, sex in zip(digits, ["M", "F"], strict=True)
    }
    digit = value.str.slice(3, 1)
    century = digit.replace_strict({d: c for d, (c, _) in century_of.items()}, default=None)
    id_sex = digit.replace_strict({d: s for d, (_, s) in century_of.items()}, default=None)
    id_year = century.cast(pl.Int32) + value.str.slice(4, 2).cast(pl.Int32, strict=False)
    is_new = value.str.contains(rf"^\d{{{rules['length']}}}$")
    is_old = value.str.contains(rf"^\d{{{rules['old_id_length']}}}$")
    bad = (value != "") & (
        ~(is_new | is_old)
        | (is_new & ~value.str.slice(0, 3).is_in(rules["province_codes"]))
        | (is_new & pl.col("birth_year").is_not_null() & (id_year != pl.col("birth_year")))
        | (is_new & pl.col("sex").is_not_null() & (id_sex != pl.col("sex")))
    )
    return where_explained(
        frame,
        bad,
        "citizen_id",
        pl.format(
            "Số định danh không đúng cấu trúc (12 số: mã tỉnh, thế kỷ-giới tính, năm sinh; "
            "hoặc CMND 9 số) hoặc không khớp năm sinh/giới tính: '{}'",
            value,
        ),
        pl.format(
            "Citizen id does not fit its structure (12 digits: province, century-sex, birth "
            "year; or an old 9-digit id) or disagrees with birth year/sex: '{}'",
            value,
        ),
    )


def _household_structure(frame: pl.DataFrame) -> list[pl.DataFrame]:
    by_household = pl.col("household_id")
    found = []
    heads = (pl.col("relation") == "head").sum().over(by_household)
    found.append(
        where_explained(
            frame,
            (by_household != "") & (heads != 1),
            "relation",
            pl.format("Hộ '{}' có {} chủ hộ; phải có đúng một", by_household, heads),
            pl.format("Household '{}' has {} heads; it must have exactly one", by_household, heads),
        )
    )
    for relation in codelists.relations().values():
        found += _relation_rules(frame, relation)
    for field in HOUSEHOLD_FIELDS:
        found.append(
            where(
                frame,
                (by_household != "") & (pl.col(field).n_unique().over(by_household) > 1),
                field,
                "Các thành viên cùng hộ ghi khác nhau ở cột này",
                "Members of the same household disagree in this column",
            )
        )
    return found


def _relation_rules(frame: pl.DataFrame, relation: codelists.Relation) -> list[pl.DataFrame]:
    is_this = pl.col("relation") == relation.code
    found = []
    if relation.max_per_household is not None and relation.code != "head":
        count = is_this.sum().over("household_id")
        found.append(
            where(
                frame,
                is_this & (count > relation.max_per_household),
                "relation",
                f"Hộ có quá {relation.max_per_household} người là '{relation.name_vi}'",
                f"Household has more than {relation.max_per_household} '{relation.name_en}'",
            )
        )
    if relation.born is not None:
        head_year = (
            pl.when(pl.col("relation") == "head")
            .then(pl.col("birth_year"))
            .max()
            .over("household_id")
        )
        wrong = (
            pl.col("birth_year") < head_year
            if relation.born == "after_head"
            else pl.col("birth_year") > head_year
        )
        order_vi = "sau" if relation.born == "after_head" else "trước"
        order_en = "after" if relation.born == "after_head" else "before"
        found.append(
            where(
                frame,
                is_this & wrong,
                "birth_date",
                f"'{relation.name_vi}' phải sinh {order_vi} chủ hộ",
                f"A '{relation.name_en}' must be born {order_en} the head",
            )
        )
    return found
