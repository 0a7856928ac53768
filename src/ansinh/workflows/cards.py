"""The health-insurance card list of a month: who must hold a state-paid or subsidised card and
why, the add/remove list against the month before for the social-security agency, and who
gains or loses one with the latest review."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import polars as pl
from sqlalchemy import Engine

from ansinh.domain.benefits.cards import card_holders, changes
from ansinh.domain.benefits.loader import shipped_rules
from ansinh.store.coverage import aged, paid_now, people_of, status_runs
from ansinh.store.freshness import remembered


@dataclass(frozen=True)
class CardList:
    month: date
    holders: pl.DataFrame  # person_id, full_name, household_pk, commune_code, group, ...
    monthly: pl.DataFrame  # person_id, ..., group_before, group, change (add/remove/group)
    review: pl.DataFrame  # the same against the statuses of the year's previous review


def card_list(engine: Engine, communes: list[str], month: date) -> CardList:
    """The month's cards of `communes`, kept until the registry changes (the page and the
    workbook of changes read every person of the province)."""
    key = (tuple(communes), month)
    return remembered(engine, "cards", key, lambda: _listed(engine, communes, month))


def _listed(engine: Engine, communes: list[str], month: date) -> CardList:
    rules = shipped_rules()
    before = _month_before(month)
    with engine.connect() as connection:
        people = people_of(connection, communes, month)
        earlier = aged(people, before)  # the same people a month younger: not read again
        runs = status_runs(connection)
        last_review = people_of(connection, communes, month, runs[1]) if len(runs) > 1 else None
        held, held_before = (paid_now(connection, communes, d) for d in (month, before))
    holders = card_holders(people, held, rules, month)
    monthly = changes(card_holders(earlier, held_before, rules, before), holders)
    review = (
        changes(card_holders(last_review, held, rules, month), holders)
        if last_review is not None
        else monthly.head(0)
    )
    names = people.select("person_id", "full_name", "household_pk")
    return CardList(
        month, *(frame.join(names, on="person_id") for frame in (holders, monthly, review))
    )


def _month_before(month: date) -> date:
    return date(month.year - (month.month == 1), (month.month - 2) % 12 + 1, 1)
