"""Finding people in the registry by name, ignoring diacritics and case, within a scope."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, Select, func, literal_column, select, text, union_all

from ansinh.domain.names import fold
from ansinh.store.models import Household, Person, Unit
from ansinh.store.scope import Scope, household_filter

MAX_WORDS = 6
# Counting stops here: "more than 200" is all an officer needs before narrowing the search.
COUNT_LIMIT = 200
_WORD = re.compile(r"[a-z0-9]+")


@dataclass(frozen=True)
class Found:
    person_id: int
    full_name: str
    birth_date: str | None
    relation: str
    citizen_id: str | None
    household_id: int
    household_code: str
    commune_name: str
    village_name: str | None


@dataclass(frozen=True)
class SearchResult:
    items: list[Found]
    total: int  # capped at COUNT_LIMIT + 1
    more: bool = False  # True when more than COUNT_LIMIT people match


def words(typed: str) -> list[str]:
    """The folded words typed, without punctuation: 'Nguyễn Văn-Hùng!' -> nguyen, van, hung."""
    return _WORD.findall(fold(typed))[:MAX_WORDS]


def _by_words(connection: Connection, found: list[str]) -> Select[Any]:
    """Ids of people with every typed word in their name, in any order, through the word index;
    the last word may be unfinished (a prefix), as when typing."""
    if connection.dialect.name == "sqlite":
        query = " ".join(f'"{w}"' for w in found[:-1]) + f' "{found[-1]}"*'
        return (
            select(literal_column("rowid").label("id"))
            .select_from(text("person_name"))
            .where(text("person_name MATCH :words").bindparams(words=query.strip()))
        )
    query = " & ".join([*found[:-1], f"{found[-1]}:*"])
    vector = func.to_tsvector(literal_column("'simple'::regconfig"), Person.name_folded)
    tsquery = func.to_tsquery(literal_column("'simple'::regconfig"), query)
    return select(Person.id).where(vector.op("@@")(tsquery))


def _candidates(connection: Connection, typed: str, by_citizen_id: bool) -> Any | None:
    """Ids of people found by name, or by an exact household, person or citizen code."""
    found = words(typed)
    if not found:
        return None
    exact = typed.strip()
    parts = [
        _by_words(connection, found),
        select(Person.id).where(Person.code == exact),
        select(Person.id)
        .join(Household, Household.id == Person.household_id)
        .where(Household.code == exact),
    ]
    if by_citizen_id and exact.isdigit():
        parts.append(select(Person.id).where(Person.citizen_id == exact))
    return union_all(*parts).subquery()


def search_people(
    connection: Connection,
    scope: Scope,
    typed: str,
    *,
    by_citizen_id: bool = False,
    limit: int = 50,
    offset: int = 0,
) -> SearchResult:
    """People whose name holds every word typed ('nguyen van hung' finds 'Nguyễn Văn Hùng').

    At most COUNT_LIMIT + 1 people are gathered in scope, then sorted by name: every query is
    bounded, however common the name."""
    candidates = _candidates(connection, typed, by_citizen_id)
    if candidates is None:
        return SearchResult([], 0)
    ids = list(
        connection.scalars(
            select(Person.id)
            .join(Household, Household.id == Person.household_id)
            .where(Person.id.in_(select(candidates.c.id)), household_filter(scope))
            .limit(COUNT_LIMIT + 1)
        )
    )
    commune = Unit.__table__.alias("commune")
    village = Unit.__table__.alias("village")
    rows = connection.execute(
        select(
            Person.id,
            Person.full_name,
            Person.birth_date,
            Person.relation,
            Person.citizen_id,
            Household.id,
            Household.code,
            commune.c.name,
            village.c.name,
        )
        .join(Household, Household.id == Person.household_id)
        .join(commune, commune.c.code == Household.commune_code)
        .outerjoin(village, village.c.code == Household.village_code)
        .where(Person.id.in_(ids[:COUNT_LIMIT]))
        .order_by(Person.name_folded, Person.id)
        .limit(limit)
        .offset(offset)
    )
    return SearchResult([Found(*row) for row in rows], len(ids), len(ids) > COUNT_LIMIT)


_SQLITE_NAME_INDEX = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS person_name USING fts5("
    "name_folded, content='person', content_rowid='id', tokenize='unicode61')",
    "CREATE TRIGGER IF NOT EXISTS person_name_ai AFTER INSERT ON person BEGIN "
    "INSERT INTO person_name(rowid, name_folded) VALUES (new.id, new.name_folded); END",
    "CREATE TRIGGER IF NOT EXISTS person_name_ad AFTER DELETE ON person BEGIN "
    "INSERT INTO person_name(person_name, rowid, name_folded) "
    "VALUES ('delete', old.id, old.name_folded); END",
    "CREATE TRIGGER IF NOT EXISTS person_name_au AFTER UPDATE OF name_folded ON person BEGIN "
    "INSERT INTO person_name(person_name, rowid, name_folded) "
    "VALUES ('delete', old.id, old.name_folded); "
    "INSERT INTO person_name(rowid, name_folded) VALUES (new.id, new.name_folded); END",
    "INSERT INTO person_name(person_name) VALUES ('rebuild')",
]


def ensure_name_index(engine: Engine) -> bool:
    """Build the SQLite word index of names if a database migrated by an early 0002 lacks it
    (migration 0002 creates it; this repairs development copies). True if it was built."""
    if engine.dialect.name != "sqlite":
        return False
    with engine.begin() as connection:
        connection.execute(
            text(
                "CREATE INDEX IF NOT EXISTS ix_review_result_household_run "
                "ON review_result (household_id, run_id)"
            )
        )
        exists = connection.scalar(
            text("SELECT count(*) FROM sqlite_master WHERE name = 'person_name'")
        )
        if exists:
            return False
        for statement in _SQLITE_NAME_INDEX:
            connection.execute(text(statement))
    return True
