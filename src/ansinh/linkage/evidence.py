"""Field-by-field evidence of a scored pair: what agreed, what differed, and by how much."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from ansinh.linkage.settings import LinkageConfig

LANGUAGES = ("vi", "en")
ID_LENGTH = 12


@dataclass(frozen=True)
class Evidence:
    """One comparison of one pair: the values, the level reached and its weight (log2 BF).

    `text_vi` / `text_en`: the level in words for an inspector ("Số định danh khác 7/12 chữ
    số" / "IDs differ in 7 of 12 digits"); empty for evidence stored before they existed.
    """

    field: str
    level: str
    left: str | None
    right: str | None
    weight: float
    agreed: bool
    text_vi: str = ""
    text_en: str = ""

    def text(self, language: str) -> str:
        """The level in words in `language` (vi or en), else its short label."""
        return (self.text_vi if language == "vi" else self.text_en) or self.level


def evidence_frame(pairs: pl.DataFrame, config: LinkageConfig) -> pl.DataFrame:
    """One row per pair and comparison: person_id_l/_r, field, level, left, right, weight.

    `weight` is the comparison's match weight including its term-frequency adjustment, so that
    the weights of a pair add up (with the prior) to its match weight. `agreed` is a positive
    weight: the field pushed the pair towards a match.
    """
    labels = config.level_labels()
    words = {lang: config.level_words(lang) for lang in LANGUAGES}
    missing = {lang: config.missing_words(lang) for lang in LANGUAGES}
    parts = []
    for comparison in config.raw["comparisons"]:
        name = comparison["name"]
        gamma = pl.col(f"gamma_{name}")
        tf = f"mw_tf_adj_{name}"
        weight = pl.col(f"mw_{name}") + (pl.col(tf) if tf in pairs.columns else pl.lit(0.0))
        parts.append(
            pairs.select(
                "person_id_l",
                "person_id_r",
                pl.lit(name).alias("field"),
                pl.when(gamma < 0)
                .then(pl.lit("missing"))
                .otherwise(gamma.replace_strict(dict(enumerate(labels[name])), default="?"))
                .alias("level"),
                _shown(pairs, comparison["show"], "l").alias("left"),
                _shown(pairs, comparison["show"], "r").alias("right"),
                weight.cast(pl.Float64).round(3).alias("weight"),
                *[
                    pl.when(gamma < 0)
                    .then(pl.lit(missing[lang][name]))
                    .otherwise(gamma.replace_strict(dict(enumerate(words[lang][name])), default=""))
                    .alias(f"text_{lang}")
                    for lang in LANGUAGES
                ],
            )
        )
    frame = pl.concat(parts).with_columns((pl.col("weight") > 0).alias("agreed"))
    return frame.with_columns(_filled(pl.col(f"text_{lang}")) for lang in LANGUAGES)


def _filled(text: pl.Expr) -> pl.Expr:
    """The placeholders of a level's words: {digits} and {length} of two IDs, {count} shown."""
    left, right = pl.col("left"), pl.col("right")
    length = left.str.len_chars()
    digits = pl.sum_horizontal(
        (left.str.slice(i, 1) != right.str.slice(i, 1)).cast(pl.Int32) for i in range(ID_LENGTH)
    )
    same_length = length == right.str.len_chars()
    shown_digits = pl.when(same_length).then(digits.cast(pl.String)).otherwise(pl.lit("?"))
    return (
        text.str.replace("{digits}", shown_digits.fill_null("?"), literal=True)
        .str.replace("{length}", length.cast(pl.String).fill_null("?"), literal=True)
        .str.replace("{count}", left.fill_null("?"), literal=True)
        .alias(text.meta.output_name())
    )


def evidence_json(pairs: pl.DataFrame, config: LinkageConfig) -> pl.DataFrame:
    """person_id_l, person_id_r and the pair's evidence as one JSON array (for the queue)."""
    return (
        evidence_frame(pairs, config)
        .group_by("person_id_l", "person_id_r", maintain_order=True)
        .agg(
            pl.struct(
                "field", "level", "left", "right", "weight", "agreed", "text_vi", "text_en"
            ).alias("evidence")
        )
        .with_columns(pl.col("evidence").list.eval(pl.element().struct.json_encode()))
        .with_columns(("[" + pl.col("evidence").list.join(",") + "]").alias("evidence"))
    )


def _shown(pairs: pl.DataFrame, columns: list[str], side: str) -> pl.Expr:
    present = [f"{c}_{side}" for c in columns if f"{c}_{side}" in pairs.columns]
    if not present:
        return pl.lit(None, pl.String)
    return pl.coalesce([pl.col(c).cast(pl.String) for c in present])
