"""Finding people in the registry by name, ignoring diacritics and case, within a scope."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from sqlalchemy import Connection, Engine, func, select, text

from ansinh.domain.names import fold, folded_words
from ansinh.store import frames
from ansinh.store.db import reading
from ansinh.store.freshness import timed_cache_for
from ansinh.store.models import Household
from ansinh.store.scope import Scope
from ansinh.store.units import unit_names

MAX_WORDS = 6
# A person's name folded (what the words match, and the ranking's tie-break) and as written
# (what the ranking compares with the text typed): read with the person, not asked for again.
Names = tuple[str, str]
# Counting stops here: "more than 100" (two pages) is all an officer needs before narrowing the
# search. At 200 the names were read twice as far: a third more time per search at 3.9 million
# people, and a search is what officers ask for most.
COUNT_LIMIT = 100


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
    # True when more than COUNT_LIMIT people match, or when the scan of the word index stopped
    # before the end (SCAN_LIMIT): there may be more than `total` - 1.
    more: bool = False


# Age bands an officer filters by, as (youngest, oldest) age in whole years reached this year:
# children under 16 (Law on Children 2016, Art. 1), the elderly from 60 (Law on the Elderly
# 2009, Art. 2), the working years between.
AGE_BANDS = {"child": (0, 15), "working": (16, 59), "elderly": (60, 200)}
STATUSES = ("poor", "near_poor")


@dataclass(frozen=True)
class SearchFilter:
    """What narrows a search besides the units: the household's status in a review run, and
    the person's age band in a year (by year of birth; an unknown birth date is in no band)."""

    status: str | None = None
    run_id: int | None = None
    age: str | None = None
    year: int | None = None

    @property
    def empty(self) -> bool:
        return self.where()[0] == ""

    def where(self) -> tuple[str, dict[str, Any]]:
        parts: list[str] = []
        values: dict[str, Any] = {}
        if self.status in STATUSES and self.run_id is not None:
            parts.append(
                "EXISTS (SELECT 1 FROM review_result r WHERE r.household_id = h.id "
                "AND r.run_id = :f_run AND r.status = :f_status)"
            )
            values |= {"f_run": self.run_id, "f_status": self.status}
        if self.age in AGE_BANDS and self.year is not None:
            youngest, oldest = AGE_BANDS[self.age]
            # Birth dates are text beginning with the year: compared as text, on any backend.
            parts.append("p.birth_date >= :f_born_from AND p.birth_date < :f_born_to")
            values |= {
                "f_born_from": f"{self.year - oldest:04d}",
                "f_born_to": f"{self.year - youngest + 1:04d}",
            }
        return "".join(f" AND {p}" for p in parts), values


NO_FILTER = SearchFilter()


def words(typed: str) -> list[str]:
    """The folded words typed, each once, without punctuation: 'Nguyễn Văn-Hùng!' -> nguyen,
    van, hung."""
    return list(dict.fromkeys(folded_words(fold(typed))))[:MAX_WORDS]


# A common name ("nguyen van") matches hundreds of thousands of people: the word index is read
# in its own order, those in scope are kept up to COUNT_LIMIT + 1, and nothing is ranked or
# sorted but the few kept. For a viewer whose units hold most of the registry that comes
# after a few hundred matches. For a narrow scope (a few communes of a country) the index is
# read no further than SCAN_LIMIT matches: who types one common word may then see "more than
# N" before typing another, and the query stays bounded however large the registry.
SCAN_LIMIT = 20_000
# How many households each commune holds, to tell the two apart: an estimate, kept a minute.
SHARE_TTL = 60.0
_PER_COMMUNE = select(Household.commune_code, func.count()).group_by(Household.commune_code)


def _households_per_commune(connection: Connection) -> dict[str, int]:
    """Counted again behind the requests once a minute: a GROUP BY of every household, 1.0 s
    at 5,000,000 (about 5 s at 27 million), which the request that found it old waited for."""
    engine = connection.engine

    def counted(connection: Connection) -> dict[str, int]:
        return {str(c): int(n) for c, n in connection.execute(_PER_COMMUNE)}

    def behind() -> dict[str, int]:
        with reading(engine) as own:
            return counted(own)

    cache = timed_cache_for(engine, "households_per_commune", SHARE_TTL)
    return cache.get(None, lambda: counted(connection), behind=behind)


def communes_to_filter(connection: Connection, scope: Scope) -> list[tuple[str, str]]:
    """(code, name) of the communes in scope that hold households, by name: a search's
    commune filter."""
    held = [c for c in _households_per_commune(connection) if scope.has_commune(c)]
    names = unit_names(connection, set(held))
    return sorted(((c, names.get(c, c)) for c in held), key=lambda pair: (fold(pair[1]), pair[0]))


def _narrow(connection: Connection, scope: Scope) -> bool:
    """Whether the scope holds less than half of the registry's households."""
    if scope.communes is None:
        return False
    counts = _households_per_commune(connection)
    inside = sum(counts.get(c, 0) for c in scope.communes)
    return inside * 2 < sum(counts.values())


def _match_query(
    connection: Connection, scope: Scope, found: list[str], prefix: bool, columns: str = "id"
) -> tuple[str, str]:
    """The word-index subquery (ids of people with every word, the last as a prefix if
    `prefix`; on PostgreSQL, whose index is on person itself, their `columns`), and the query
    text it takes."""
    dialect = connection.dialect.name
    if dialect == "sqlite" and len(found) > 1:
        return (
            "SELECT rowid AS id FROM person_name_pair WHERE person_name_pair MATCH :words",
            _pairs_query(found, prefix),
        )
    if dialect == "sqlite":
        return (
            "SELECT rowid AS id FROM person_name WHERE person_name MATCH :words",
            f'"{found[0]}"' + ("*" if prefix else ""),
        )
    if len(found) > 1 and _province_index_ready(connection):
        provinces = provinces_in(connection, scope)
        if not provinces:  # a scope of units without households
            return f"SELECT {columns} FROM person WHERE 1 = 0 AND name_folded = :words", ""
        return (
            # migration 0028's index: every two words of a name, after its province
            f"SELECT {columns} FROM person "
            "WHERE name_pairs_in(province_code, name_folded) @@ CAST(:words AS tsquery)",
            " | ".join(f"({_pairs_tsquery(found, prefix, p)})" for p in provinces),
        )
    if len(found) > 1:
        return (
            # migration 0027's index of the country, while 0028's is being built
            f"SELECT {columns} FROM person "
            "WHERE name_pairs(name_folded) @@ CAST(:words AS tsquery)",
            _pairs_tsquery(found, prefix),
        )
    return (
        f"SELECT {columns} FROM person WHERE to_tsvector('simple'::regconfig, name_folded) "
        "@@ to_tsquery('simple'::regconfig, :words)",
        found[0] + (":*" if prefix else ""),
    )


# Whether migration 0028's index is built (it is built after the migrations, and its people's
# provinces filled first: on a big registry that takes minutes), checked once a minute.
_PROVINCE_INDEX = "SELECT indisvalid FROM pg_index WHERE indexrelid = to_regclass(:name)"
PROVINCE_INDEX_TTL = 60.0


def _province_index_ready(connection: Connection) -> bool:
    cache = timed_cache_for(connection.engine, "province_name_index", PROVINCE_INDEX_TTL)
    return bool(
        cache.get(
            None,
            lambda: connection.scalar(
                text(_PROVINCE_INDEX), {"name": "ix_person_province_name_pairs"}
            ),
        )
    )


# The provinces of a scope's communes, as migration 0028's unit_province finds them; for the
# country, those of the communes that hold households.
_PROVINCES = "SELECT DISTINCT unit_province(c) FROM unnest(CAST(:communes AS text[])) AS c"


def provinces_in(connection: Connection, scope: Scope) -> list[str]:
    """The provinces (codes, sorted) whose people a search within `scope` may find."""
    cache = timed_cache_for(connection.engine, "search_provinces", SHARE_TTL)

    def read() -> list[str]:
        communes = scope.communes
        if communes is None:
            communes = frozenset(_households_per_commune(connection))
        found = connection.scalars(text(_PROVINCES), {"communes": sorted(communes)})
        return sorted(str(code) for code in found)

    return list(cache.get(scope.roots, read))


def _pairs_tsquery(found: list[str], prefix: bool, province: str = "") -> str:
    """`_pairs_query` as a tsquery of the pair lexemes: ('van_hung' | 'hung_van') & ...; the
    words are folded letters and digits, quoted all the same. With a province, its lexemes in
    migration 0028's index: ('15_van_hung' | '15_hung_van') & ..."""
    before = f"{province}_" if province else ""
    pairs = [(_lexeme(before + a, b), _lexeme(before + b, a)) for a, b in pairwise(found)]
    groups = [f"({ab} | {ba})" for ab, ba in pairs[:-1]]
    ab, ba = pairs[-1]
    groups.append(f"({ab}:* | {ba})" if prefix else f"({ab} | {ba})")
    return " & ".join(groups)


def _lexeme(first: str, second: str) -> str:
    pair = f"{first}_{second}".replace("'", "''")
    return f"'{pair}'"


def _pairs_query(found: list[str], prefix: bool) -> str:
    """Every word typed, as pairs of words next to each other in what was typed, each pair in
    either order in the name (migration 0008 indexes every two words of a name in its order):
    'van hung nguyen' -> (van_hung OR hung_van) AND (hung_nguyen OR nguyen_hung).

    A name holds every word typed exactly when it holds each of these pairs. Two common words
    cost the word index a walk through a million people; a pair of them, a few thousand. The
    last word as a prefix is taken after the one typed before it, as names are typed in order:
    'nguyen van hu' finds 'Nguyễn Văn Hùng', 'van hu' too, but 'hu van' does not."""
    pairs = list(pairwise(found))
    groups = [f'("{a}_{b}" OR "{b}_{a}")' for a, b in pairs[:-1]]
    a, b = pairs[-1]
    groups.append(f'("{a}_{b}"* OR "{b}_{a}")' if prefix else f'("{a}_{b}" OR "{b}_{a}")')
    return " AND ".join(groups)


def _in_scope(connection: Connection, scope: Scope) -> tuple[str, dict[str, Any]]:
    if scope.communes is None:
        return "", {}
    communes = frames.keys_parameter(connection, scope.communes)
    return f" AND {frames.among(connection, 'h.commune_code', 'communes')}", {"communes": communes}


def _rows(connection: Connection, sql: str, values: dict[str, Any]) -> list[tuple[Any, ...]]:
    """The rows of a query as plain tuples.

    On SQLite through the driver: SQLAlchemy's work on each row was half the time of reading
    a hundred names (0.45 ms against 0.26 ms), and a search reads up to three hundred rows."""
    if connection.dialect.name == "sqlite":
        driver = connection.connection.dbapi_connection
        assert driver is not None
        return list(driver.execute(sql, values).fetchall())
    return [tuple(row) for row in connection.execute(text(sql), values)]


@dataclass(frozen=True)
class Gathered:
    """What the word indexes gave a search: up to COUNT_LIMIT + 1 people by id, whether a scan
    stopped at SCAN_LIMIT matches before gathering that many, and, when they were read in the
    same statement, those whose name holds the text as written (`_as_written`)."""

    hits: dict[int, Names]
    stopped: bool
    written: dict[int, Names] | None = None


def _by_words(
    connection: Connection,
    scope: Scope,
    found: list[str],
    where: SearchFilter = NO_FILTER,
    typed: str | None = None,
) -> Gathered:
    """Names (folded, as written) by id of up to COUNT_LIMIT + 1 people in scope with every
    word typed, and whether a scan stopped at SCAN_LIMIT matches before gathering that many;
    with `typed` on PostgreSQL, the first pass gathers those written as typed too.

    Cheapest first, stopping as soon as more than COUNT_LIMIT people are found (any of them
    are as good a sample of the matches as the others). Names are typed in their order: on
    SQLite, for a scope holding most of the registry, the names that begin with the words
    typed are a range of the index on folded names, which answers a common name at once;
    then the word indexes with the last word as a prefix, which find all. Otherwise the word
    index first with the last word taken whole (as a prefix it is the union of every word it
    begins: "van" is also "vang", "vanh"), then as a prefix if still too few."""
    narrow = _narrow(connection, scope)
    hits: dict[int, Names] = {}
    passes: tuple[bool, ...] = (False, True)
    if connection.dialect.name == "sqlite" and not narrow and where.empty:
        hits = _by_name_start(connection, scope, found)
        passes = (True,)  # the common names are found: the whole word would rarely help
    written = None
    for prefix in passes:
        if len(hits) > COUNT_LIMIT:
            break
        if not prefix and typed and connection.dialect.name == "postgresql":
            more, written = _scan_with_written(connection, scope, found, narrow, where, typed)
            stopped = _stopped(connection, scope, found, prefix, narrow, len(more))
        else:
            more, stopped = _scan(connection, scope, found, prefix, narrow, where)
        hits |= more
        if stopped:
            return Gathered(hits, True, written)
    return Gathered(hits, False, written)


def _by_name_start(connection: Connection, scope: Scope, found: list[str]) -> dict[int, Names]:
    """People in scope whose folded name begins with the words typed, in that order (the
    range of the index from 'nguyen van hung' to 'nguyen van hunh'). Only for a scope that
    holds most of the registry: for a narrow one the range could be long and mostly outside.
    Not on PostgreSQL, whose collation may not order text byte by byte.

    A shortcut, read no further than the people it may keep: the word index, read next when
    this finds too few in scope, finds everyone. So the viewer's units are checked on the rows
    read, not bound into the query as a list that SQLite would index anew for every search."""
    start = " ".join(found)
    # CROSS JOIN keeps person outside in SQLite: else it may walk the households.
    sql = (
        "SELECT p.id, p.name_folded, p.full_name, h.commune_code FROM person p "
        "CROSS JOIN household h ON h.id = p.household_id "
        "WHERE p.name_folded >= :start AND p.name_folded < :end LIMIT :read"
    )
    end = start[:-1] + chr(ord(start[-1]) + 1)  # words end in [a-z0-9]
    rows = _rows(connection, sql, {"start": start, "end": end, "read": COUNT_LIMIT + 1})
    return {int(i): (str(n), str(w)) for i, n, w, commune in rows if scope.has_commune(commune)}


# What a search reads of the people its words match: on PostgreSQL the row the word index
# found, whose heap tuple the index scan has just read (joined again by id, each cost a third
# of a cold search's reads at 5,000,000 households); on SQLite the person of each match of
# the word table.
_PERSON_COLUMNS = "id, name_folded, full_name, household_id, birth_date"


def _people_matching(
    connection: Connection, scope: Scope, found: list[str], prefix: bool, limit: str
) -> tuple[str, str]:
    """The FROM clause of the people (`p`) matching the words, `limit` (a LIMIT clause or
    nothing) of them, with their households (`h`); and the query text it takes."""
    household = "JOIN household h ON h.id = p.household_id"
    if connection.dialect.name == "postgresql":
        matches, words_query = _match_query(connection, scope, found, prefix, _PERSON_COLUMNS)
        return f"({matches}{limit}) p {household}", words_query
    matches, words_query = _match_query(connection, scope, found, prefix)
    return f"({matches}{limit}) m JOIN person p ON p.id = m.id {household}", words_query


def _scan(
    connection: Connection,
    scope: Scope,
    found: list[str],
    prefix: bool,
    narrow: bool,
    filtered: SearchFilter = NO_FILTER,
    *,
    keep: int = COUNT_LIMIT + 1,
) -> tuple[dict[int, Names], bool]:
    """People in scope found through the word index, and whether its scan stopped early."""
    people, words_query = _people_matching(
        connection, scope, found, prefix, " LIMIT :scan" if narrow else ""
    )
    where, params = _in_scope(connection, scope)
    narrower, values = filtered.where()
    sql = (
        f"SELECT p.id, p.name_folded, p.full_name FROM {people} "
        f"WHERE 1 = 1{where}{narrower} LIMIT :keep"
    )
    values |= {"words": words_query, "scan": SCAN_LIMIT, "keep": keep} | params
    hits = {int(i): (str(n), str(w)) for i, n, w in _rows(connection, sql, values)}
    return hits, _stopped(connection, scope, found, prefix, narrow, len(hits), keep)


def _stopped(
    connection: Connection,
    scope: Scope,
    found: list[str],
    prefix: bool,
    narrow: bool,
    gathered: int,
    keep: int = COUNT_LIMIT + 1,
) -> bool:
    """Whether a narrow scan that gathered fewer than `keep` stopped at SCAN_LIMIT matches."""
    if gathered >= keep or not narrow:
        return False
    matches, words_query = _match_query(connection, scope, found, prefix)
    scanned = connection.scalar(
        text(f"SELECT count(*) FROM ({matches} LIMIT :scan) m"),
        {"words": words_query, "scan": SCAN_LIMIT},
    )
    return int(scanned or 0) >= SCAN_LIMIT


def _scan_with_written(
    connection: Connection,
    scope: Scope,
    found: list[str],
    narrow: bool,
    filtered: SearchFilter,
    typed: str,
) -> tuple[dict[int, Names], dict[int, Names]]:
    """`_scan`'s first pass (the last word whole) and `_as_written`, in one statement on
    PostgreSQL: the people the words match are read once, as the two take them. Each read the
    index whole (the intersection of a common pair's posting list and a rarer one's), which
    was most of a search of a name at 5,000,000 households."""
    matches, words_query = _match_query(connection, scope, found, False, _PERSON_COLUMNS)
    where, params = _in_scope(connection, scope)
    narrower, values = filtered.where()
    first = "(SELECT * FROM m LIMIT :scan)" if narrow else "m"
    household = "JOIN household h ON h.id = p.household_id"
    sql = (
        f"WITH m AS MATERIALIZED ({matches}) "
        f"(SELECT 0, p.id, p.name_folded, p.full_name FROM {first} p {household} "
        f"WHERE 1 = 1{where}{narrower} LIMIT :keep) UNION ALL "
        f"(SELECT 1, p.id, p.name_folded, p.full_name FROM (SELECT * FROM m LIMIT :scan) p "
        f"{household} WHERE p.full_name LIKE :written{where}{narrower} LIMIT :keep)"
    )
    values |= {"words": words_query, "scan": SCAN_LIMIT, "keep": COUNT_LIMIT + 1} | params
    values["written"] = f"%{_capitalised(typed)}%"
    gathered: tuple[dict[int, Names], dict[int, Names]] = ({}, {})
    for branch, i, n, w in _rows(connection, sql, values):
        gathered[int(branch)][int(i)] = (str(n), str(w))
    return gathered


def _by_code(
    connection: Connection,
    scope: Scope,
    exact: str,
    by_citizen_id: bool,
    filtered: SearchFilter = NO_FILTER,
) -> list[tuple[int, Names]]:
    """People whose person code, household code or (if allowed) citizen ID is `exact`.

    Codes are unique, so these are one household's members at most: the viewer's units are
    checked here rather than bound into the query, whose list of a province's communes SQLite
    would index anew for every search (a fifth of a search's time)."""
    owners = ["p.code = :exact", "h.code = :exact"]
    if by_citizen_id and exact.isdigit():
        owners.append("p.citizen_id = :exact")
    narrower, values = filtered.where()
    sql = " UNION ".join(
        "SELECT p.id, p.name_folded, p.full_name, h.commune_code FROM person p "
        f"JOIN household h ON h.id = p.household_id WHERE {owner}{narrower}"
        for owner in owners
    )
    rows = _rows(connection, sql, {"exact": exact} | values)
    return [(int(i), (str(n), str(w))) for i, n, w, commune in rows if scope.has_commune(commune)]


def _as_written(
    connection: Connection, scope: Scope, found: list[str], typed: str, filtered: SearchFilter
) -> dict[int, Names]:
    """Up to COUNT_LIMIT + 1 people in scope whose name holds the text as typed, diacritics
    and all ('Nguyễn Văn' and not only 'Nguyễn Vân'), among the first SCAN_LIMIT matches of its
    words: so that those come first however many others fold alike. Names are written with
    capitals, so the typed words are compared so written. The words are taken whole (a
    prefix would read every word it begins): a word still being typed ranks as folded."""
    people, words_query = _people_matching(connection, scope, found, False, " LIMIT :scan")
    where, params = _in_scope(connection, scope)
    narrower, values = filtered.where()
    sql = (
        f"SELECT p.id, p.name_folded, p.full_name FROM {people} "
        f"WHERE p.full_name LIKE :written{where}{narrower} LIMIT :keep"
    )
    values |= {"words": words_query, "scan": SCAN_LIMIT, "keep": COUNT_LIMIT + 1} | params
    values["written"] = f"%{_capitalised(typed)}%"
    return {int(i): (str(n), str(w)) for i, n, w in _rows(connection, sql, values)}


def _capitalised(typed: str) -> str:
    """The words typed as names are written: each with a capital."""
    return " ".join(word[:1].upper() + word[1:].lower() for word in typed.split())


def _has_marks(typed: str) -> bool:
    """Whether the text is typed with Vietnamese letters or marks (not all ASCII)."""
    return not typed.isascii()


def _rank(full_name: str, typed: str) -> int:
    """0: the name begins with the text as typed (case aside); 1: holds each word typed as
    written; 2: holds them once diacritics are folded."""
    name = unicodedata.normalize("NFC", full_name).lower()
    said = unicodedata.normalize("NFC", " ".join(typed.split())).lower()
    if name.startswith(said):
        return 0
    return 1 if set(said.split()) <= set(name.split()) else 2


def _ranked(gathered: dict[int, Names], typed: str) -> list[tuple[int, Names]]:
    """The people gathered, by `_rank` of their name as written, then folded name and id."""
    return sorted(
        gathered.items(), key=lambda pair: (_rank(pair[1][1], typed), pair[1][0], pair[0])
    )


def search_people(
    connection: Connection,
    scope: Scope,
    typed: str,
    *,
    by_citizen_id: bool = False,
    limit: int = 50,
    offset: int = 0,
    filtered: SearchFilter = NO_FILTER,
) -> SearchResult:
    """People whose name holds every word typed ('nguyen van hung' finds 'Nguyễn Văn Hùng'),
    or whose household, person or citizen code is the text typed, within the scope and filter.

    At most COUNT_LIMIT + 1 people are gathered (for a narrow scope after at most SCAN_LIMIT
    matches of the words), and as many written as typed if it has diacritics; then ranked
    (as written first, then by folded name) and cut to the page asked for: every query is
    bounded, and the pages of one search are cut from the same ranking."""
    found = words(typed)
    if not found:
        return SearchResult([], 0)
    exact = typed.strip()
    marked = _has_marks(exact)
    words_gave = _by_words(connection, scope, found, filtered, exact if marked else None)
    hits, stopped = words_gave.hits, words_gave.stopped
    # Fewer than COUNT_LIMIT gathered and no scan stopped: every match of the words is among
    # them, those as written too (half of a search of a rare name's time at 5,000,000).
    if words_gave.written is not None:
        hits |= words_gave.written
    elif marked and (len(hits) > COUNT_LIMIT or stopped):
        hits |= _as_written(connection, scope, found, exact, filtered)
    gathered = dict(_by_code(connection, scope, exact, by_citizen_id, filtered)) | hits
    ranked = _ranked(gathered, exact)
    kept = ranked[:COUNT_LIMIT]
    page = [person_id for person_id, _ in kept[offset : offset + limit]]
    more = len(gathered) > COUNT_LIMIT or stopped
    total = len(gathered) + (1 if stopped and len(gathered) <= COUNT_LIMIT else 0)
    return SearchResult(_shown(connection, page), min(total, COUNT_LIMIT + 1), more)


# An export holds what a worksheet holds.
EXPORT_LIMIT = 1_048_575
SHOWN_BATCH = 10_000


def search_everyone(
    connection: Connection,
    scope: Scope,
    typed: str,
    *,
    by_citizen_id: bool = False,
    filtered: SearchFilter = NO_FILTER,
) -> list[Found]:
    """Every person `search_people` would find, unbounded (up to EXPORT_LIMIT), in its
    ranking: for an export, run as a background job (web/job_starts.py)."""
    found = words(typed)
    if not found:
        return []
    exact = typed.strip()
    hits, _ = _scan(connection, scope, found, True, False, filtered, keep=EXPORT_LIMIT)
    gathered = dict(_by_code(connection, scope, exact, by_citizen_id, filtered)) | hits
    ranked = _ranked(gathered, exact)
    ids = [person_id for person_id, _ in ranked[:EXPORT_LIMIT]]
    return [
        row
        for start in range(0, len(ids), SHOWN_BATCH)
        for row in _shown(connection, ids[start : start + SHOWN_BATCH])
    ]


# The people shown with their units' codes; their names come from `unit_names` (joining the
# unit table here cost two lookups for each person shown).
_SHOWN = (
    "SELECT p.id, p.full_name, p.birth_date, p.relation, p.citizen_id, h.id, h.code, "
    "h.commune_code, h.village_code FROM person p JOIN household h ON h.id = p.household_id "
    "WHERE "
)


def _shown(connection: Connection, ids: list[int]) -> list[Found]:
    """The rows shown for `ids`, in that order."""
    if not ids:
        return []
    sql = _SHOWN + frames.among(connection, "p.id", "ids")
    found = _rows(connection, sql, {"ids": frames.keys_parameter(connection, ids)})
    rows = {row[0]: row for row in found}
    names = unit_names(connection, {code for row in rows.values() for code in row[7:] if code})
    return [_found(rows[i], names) for i in ids if i in rows]


def _found(row: tuple[Any, ...], names: dict[str, str]) -> Found:
    person_id, full_name, birth_date, relation, citizen_id, household_id, code, commune, village = (
        row
    )
    village_name = names.get(village) if village else None
    return Found(
        person_id, full_name, birth_date, relation, citizen_id, household_id, code,
        names.get(commune, commune), village_name,
    )  # fmt: skip


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
        exists = connection.scalar(
            text("SELECT count(*) FROM sqlite_master WHERE name = 'person_name'")
        )
        if exists:
            return False
        for statement in _SQLITE_NAME_INDEX:
            connection.execute(text(statement))
    return True
