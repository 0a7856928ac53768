"""The review queue as pages show it: pairs of records side by side with their evidence in
words, filtered and paged, and the overlap findings with their conclusions."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import polars as pl
from sqlalchemy import Connection, select
from sqlalchemy.orm import aliased

from ansinh.linkage.evidence import ID_LENGTH, Evidence
from ansinh.linkage.overlap import load_rules
from ansinh.linkage.settings import load_config
from ansinh.store import inspection
from ansinh.store.inspection_conclusions import (
    candidate_pairs,
    decided_pairs,
    finding_decisions,
    findings_by_id,
)
from ansinh.store.models import Household, Person, Unit
from ansinh.store.scope import Scope

# Probability bands an inspector filters by: (lowest, highest) match probability.
BANDS = {"high": (0.99, 1.01), "likely": (0.95, 0.99), "possible": (0.0, 0.95)}
STATUSES = ("undecided", "decided")


@dataclass(frozen=True)
class PersonRef:
    """A person named on the queue, with the household to follow; None fields when unknown."""

    code: str
    name: str | None
    household_id: int | None
    household_code: str | None
    commune_code: str | None
    birth_date: str | None = None
    sex: str | None = None
    citizen_id: str | None = None
    ethnicity_code: str | None = None
    relation: str | None = None
    address: str | None = None
    village_name: str | None = None
    commune_name: str | None = None
    source: str | None = None


@dataclass(frozen=True)
class Pair:
    id: int
    left: PersonRef
    right: PersonRef
    match_probability: float
    evidence: list[Evidence]
    decision: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class Finding:
    id: int
    rule: str
    rule_name: str | None
    people: list[PersonRef]
    benefits: list[str]
    decision: str | None = None


@dataclass(frozen=True)
class QueueFilter:
    """What the inspector narrowed the queue to: a commune, a probability band, a status."""

    commune: str = ""
    band: str = ""
    status: str = "undecided"


@dataclass(frozen=True)
class ReviewQueue:
    run_id: int | None
    pairs: list[Pair]
    total: int
    findings: list[Finding]
    findings_total: int = 0
    communes: list[tuple[str, str]] = field(default_factory=list)


def people_by_code(connection: Connection, codes: set[str]) -> dict[str, PersonRef]:
    """Each person's record with the names of its village and commune (not their codes)."""
    village, commune = aliased(Unit), aliased(Unit)
    query = (
        select(
            Person.code,
            Person.full_name,
            Household.id,
            Household.code,
            Household.commune_code,
            Person.birth_date,
            Person.sex,
            Person.citizen_id,
            Person.ethnicity_code,
            Person.relation,
            Household.address,
            village.name,
            commune.name,
            Person.source,
        )
        .join(Household, Household.id == Person.household_id)
        .outerjoin(village, village.code == Household.village_code)
        .outerjoin(commune, commune.code == Household.commune_code)
        .where(Person.code.in_(sorted(codes)))
    )
    return {row[0]: PersonRef(*row) for row in connection.execute(query)}


def _ref(found: dict[str, PersonRef], code: str) -> PersonRef:
    return found.get(code) or PersonRef(code, None, None, None, None)


def _sees(scope: Scope, people: list[PersonRef]) -> bool:
    """A pair or finding is the viewer's when one of its people lives in the viewer's scope."""
    return scope.everything or any(
        p.commune_code is not None and scope.has_commune(p.commune_code) for p in people
    )


def _evidence(text: str) -> list[Evidence]:
    items: list[dict[str, Any]] = json.loads(text or "[]")
    return [
        Evidence(
            str(e.get("field")),
            str(e.get("level")),
            _text(e.get("left")),
            _text(e.get("right")),
            float(e.get("weight") or 0.0),
            bool(e.get("agreed")),
            str(e.get("text_vi") or ""),
            str(e.get("text_en") or ""),
        )
        for e in items
    ]


def _text(value: object) -> str | None:
    return None if value is None else str(value)


def reason(evidence: Evidence, lang: str) -> str:
    """The evidence in words: as stored, else the level's words from the comparisons file (for
    evidence stored before it had words), never the level's technical label."""
    stored = evidence.text_vi if lang == "vi" else evidence.text_en
    if stored:
        return stored
    config = load_config()
    if evidence.level == "missing":
        words = config.missing_words(lang).get(evidence.field, "")
    else:
        labels = config.level_labels().get(evidence.field, [])
        listed = config.level_words(lang).get(evidence.field, [])
        words = dict(zip(labels, listed, strict=False)).get(evidence.level, "")
    return _filled(words, evidence.left, evidence.right) or (
        "không rõ" if lang == "vi" else "unknown"
    )


def _filled(words: str, left: str | None, right: str | None) -> str:
    """The {digits}, {length} and {count} of a level's words, as linkage/evidence.py fills them."""
    digits = "?"
    if left is not None and right is not None and len(left) == len(right):
        differing = (a != b for a, b in zip(left[:ID_LENGTH], right[:ID_LENGTH], strict=True))
        digits = str(sum(differing))
    return (
        words.replace("{digits}", digits)
        .replace("{length}", "?" if left is None else str(len(left)))
        .replace("{count}", left or "?")
    )


def review_queue(
    connection: Connection,
    scope: Scope,
    where: QueueFilter,
    page: int,
    page_size: int,
    finding_page: int = 1,
) -> ReviewQueue:
    """One page of the pairs in scope that match `where` (undecided from the latest run, or
    every decided pair), and one page of the latest run's findings in scope."""
    run_id = inspection.latest_run(connection)
    if run_id is None:
        return ReviewQueue(None, [], 0, [])
    if where.status == "decided":
        pairs = decided_pairs(connection)
    else:
        pairs = inspection.queue(connection, run_id).with_columns(
            pl.lit(None, pl.String).alias("decision"), pl.lit(None, pl.String).alias("note")
        )
    found = inspection.findings_with_ids(connection, run_id)
    listed = [json.loads(p or "[]") for p in found["people"]]
    codes = set(pairs["person_l"]) | set(pairs["person_r"]) | {c for p in listed for c in p}
    people = people_by_code(connection, codes)
    seen = [c for c, p in people.items() if _sees(scope, [p])]
    if not scope.everything:
        pairs = pairs.filter(pl.col("person_l").is_in(seen) | pl.col("person_r").is_in(seen))
    communes = sorted(
        {
            (p.commune_code, p.commune_name or p.commune_code)
            for p in people.values()
            if p.commune_code and (scope.everything or scope.has_commune(p.commune_code))
        },
        key=lambda c: c[1],
    )
    pairs = _filtered(pairs, people, where)
    start = (page - 1) * page_size
    shown = [
        Pair(
            row["id"],
            _ref(people, row["person_l"]),
            _ref(people, row["person_r"]),
            row["match_probability"],
            _evidence(row["evidence"]),
            row["decision"],
            row["note"],
        )
        for row in pairs.slice(start, page_size).iter_rows(named=True)
    ]
    findings = _findings(connection, found, listed, people, scope, where)
    fstart = (finding_page - 1) * page_size
    return ReviewQueue(
        run_id,
        shown,
        pairs.height,
        findings[fstart : fstart + page_size],
        len(findings),
        communes,
    )


def _filtered(
    pairs: pl.DataFrame, people: dict[str, PersonRef], where: QueueFilter
) -> pl.DataFrame:
    if where.commune:
        here = [c for c, p in people.items() if p.commune_code == where.commune]
        pairs = pairs.filter(pl.col("person_l").is_in(here) | pl.col("person_r").is_in(here))
    if where.band in BANDS:
        low, high = BANDS[where.band]
        pairs = pairs.filter(pl.col("match_probability").is_between(low, high, closed="left"))
    return pairs


def _findings(
    connection: Connection,
    found: pl.DataFrame,
    listed: list[list[str]],
    people: dict[str, PersonRef],
    scope: Scope,
    where: QueueFilter,
) -> list[Finding]:
    concluded = finding_decisions(connection)
    findings = [
        Finding(
            row["id"],
            row["rule"],
            row["rule_name"],
            [_ref(people, c) for c in codes],
            _benefits(row["detail"]),
            (concluded.get((row["rule"], row["people"])) or (None,))[0],
        )
        for row, codes in zip(found.iter_rows(named=True), listed, strict=True)
    ]
    findings = [f for f in findings if _sees(scope, f.people)]
    if where.commune:
        findings = [f for f in findings if any(p.commune_code == where.commune for p in f.people)]
    return [f for f in findings if (f.decision is not None) == (where.status == "decided")]


def rule_name(code: str, lang: str) -> str:
    """An overlap rule by its name in `lang` (data/linkage/overlap_rules.yaml)."""
    for rule in load_rules():
        if rule.code == code:
            return rule.name_vi if lang == "vi" else rule.name_en
    return code


def _benefits(detail: str | None) -> list[str]:
    loaded = json.loads(detail or "{}")
    benefits = loaded.get("benefits", []) if isinstance(loaded, dict) else []
    return [str(b) for b in benefits or []]


def pairs_in_scope(connection: Connection, scope: Scope, candidate_ids: list[int]) -> list[int]:
    """Those of `candidate_ids` that are pairs (of any run) with a person in the viewer's scope."""
    found = candidate_pairs(connection, candidate_ids)
    people = people_by_code(connection, {c for pair in found.values() for c in pair})
    return [i for i, pair in found.items() if _sees(scope, [_ref(people, c) for c in pair])]


def pending_in_scope(connection: Connection, scope: Scope, candidate_id: int) -> bool:
    """Whether the candidate is pending in the latest run and one of its people is in scope."""
    run_id = inspection.latest_run(connection)
    if run_id is None:
        return False
    pending = inspection.queue(connection, run_id).filter(pl.col("id") == candidate_id)
    if pending.is_empty():
        return False
    codes = {pending["person_l"][0], pending["person_r"][0]}
    people = people_by_code(connection, codes)
    return _sees(scope, [_ref(people, c) for c in codes])


def findings_in_scope(connection: Connection, scope: Scope, finding_ids: list[int]) -> list[int]:
    """Those of `finding_ids` with a person in the viewer's scope."""
    found = findings_by_id(connection, finding_ids)
    listed = {i: json.loads(people or "[]") for i, (_, people) in found.items()}
    people = people_by_code(connection, {c for codes in listed.values() for c in codes})
    return [i for i, codes in listed.items() if _sees(scope, [_ref(people, c) for c in codes])]
