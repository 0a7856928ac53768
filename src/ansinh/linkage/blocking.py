"""Blocking keys: which pairs are compared at all, with blocks too common to say anything purged."""

from __future__ import annotations

from typing import Any

import polars as pl
from splink import block_on
from splink.blocking_rule_library import And, CustomRule
from splink.internals.blocking_rule_creator import BlockingRuleCreator

BASE_DIALECT = "duckdb"


def key_column(rule: dict[str, Any]) -> str:
    """The name of the column that holds a capped rule's key."""
    return "block_" + "_".join(rule["columns"])


def blocking_rule(rule: dict[str, Any]) -> BlockingRuleCreator:
    """`columns` equal on both sides (or the capped key, for `max_block`), and optional `sql`;
    or `sql_only`, a condition of its own (an equi-join between two different columns)."""
    if "sql_only" in rule:
        return CustomRule(rule["sql_only"], sql_dialect=BASE_DIALECT)
    exact = block_on(key_column(rule)) if "max_block" in rule else block_on(*rule["columns"])
    if "sql" not in rule:
        return exact
    return And(exact, CustomRule(rule["sql"], sql_dialect=BASE_DIALECT))


def add_capped_keys(prepared: pl.DataFrame, rules: list[dict[str, Any]]) -> pl.DataFrame:
    """A key column per rule with `max_block`: null where more records than that share the key.

    Block purging (Papadakis et al., 2013): a key that many records share (the same name in a
    commune where a third of people are Nguyễn) says little about identity and costs pairs
    quadratically, while a rare one (the same name at the same address, with a different
    birth date) finds the duplicates the other rules miss. Capping keeps the cost linear.
    """
    keys = []
    for rule in rules:
        if "max_block" not in rule or "columns" not in rule:
            continue
        columns = rule["columns"]
        complete = pl.all_horizontal(pl.col(c).is_not_null() for c in columns)
        size = pl.len().over(columns)
        keys.append(
            pl.when(complete & (size <= rule["max_block"]))
            .then(pl.concat_str([pl.col(c).cast(pl.String) for c in columns], separator="\x1f"))
            .alias(key_column(rule))
        )
    return prepared.with_columns(keys) if keys else prepared
