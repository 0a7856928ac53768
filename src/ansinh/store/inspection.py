"""The inspection's review queue: candidate pairs and findings stored, decisions audited."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import polars as pl
from sqlalchemy import Connection, Engine, and_, delete, func, insert, or_, select

from ansinh.domain.people import PEOPLE_COLUMNS
from ansinh.errors import Problem
from ansinh.io.people_values import lenient
from ansinh.linkage.clusters import connected_components
from ansinh.linkage.evidence import evidence_json
from ansinh.linkage.linker import PeopleLinker
from ansinh.linkage.overlap import find_overlaps, load_rules
from ansinh.linkage.prepare import fingerprints
from ansinh.problems import ROW
from ansinh.store import frames
from ansinh.store.audit import now, record_change
from ansinh.store.inspection_models import (
    InspectionCandidate,
    InspectionDecision,
    InspectionFinding,
    InspectionRun,
)
from ansinh.store.models import Benefit, Household, Person, UnitSuccessor

DECISIONS = ("confirm", "reject")


@dataclass(frozen=True)
class InspectedYear:
    """What one run stored: its id, the people read, candidates proposed, overlap findings."""

    run_id: int
    people: int
    candidates: int
    findings: int
    warnings: tuple[Problem, ...] = ()


def registry_people(connection: Connection) -> pl.DataFrame:
    """Every person of the registry in the people contract (person_id = person code)."""
    query = select(
        Person.code.label("person_id"),
        Household.code.label("household_id"),
        Person.full_name,
        Person.birth_date,
        Person.sex,
        Person.citizen_id,
        Household.commune_code,
        Household.address,
        Person.source,
    ).join(Household, Household.id == Person.household_id)
    return _frame(
        connection,
        query,
        list(PEOPLE_COLUMNS),
    )


def registry_benefits(connection: Connection) -> pl.DataFrame:
    """person_id, household_id, programme, category of every benefit on a person."""
    query = (
        select(
            Person.code.label("person_id"),
            Household.code.label("household_id"),
            Benefit.programme,
            Benefit.category,
        )
        .join(Person, Person.id == Benefit.person_id)
        .join(Household, Household.id == Person.household_id)
        # An ended benefit is history, not a payment that could overlap.
        .where(or_(Benefit.end_month.is_(None), Benefit.end_month >= date.today().replace(day=1)))
    )
    return _frame(connection, query, ["person_id", "household_id", "programme", "category"])


def _frame(connection: Connection, query: Any, columns: list[str]) -> pl.DataFrame:
    rows = connection.execute(query).all()
    return pl.DataFrame(rows, schema={c: pl.String for c in columns}, orient="row")


def legacy_communes(connection: Connection) -> dict[str, str]:
    """Old unit code -> today's, for units of the 2025 reorganisation with one successor."""
    query = select(UnitSuccessor.legacy_code, UnitSuccessor.successor_code)
    pairs = _frame(connection, query, ["legacy", "successor"])
    single = pairs.filter(pl.len().over("legacy") == 1)
    return dict(single.iter_rows())


def decisions(connection: Connection) -> pl.DataFrame:
    """person_l, person_r, fingerprint_l, fingerprint_r, decision of every decided pair."""
    query = select(
        InspectionDecision.person_l,
        InspectionDecision.person_r,
        InspectionDecision.fingerprint_l,
        InspectionDecision.fingerprint_r,
        InspectionDecision.decision,
    )
    return _frame(
        connection, query, ["person_l", "person_r", "fingerprint_l", "fingerprint_r", "decision"]
    )


def inspect_registry(
    engine: Engine,
    linker: PeopleLinker,
    *,
    year: int,
    threshold: float,
    actor: str,
    engine_name: str,
) -> InspectedYear:
    """Link the registry's people, queue the undecided pairs, and record overlap findings."""
    with engine.connect() as connection:
        people, warnings = _tolerated(registry_people(connection))
        benefits = registry_benefits(connection)
        decided = decisions(connection)
        legacy = legacy_communes(connection)
    result = linker.run(people, threshold=threshold, legacy_communes=legacy)
    candidates = _candidates(result.pairs, people, linker)
    still = _still_valid(decided, candidates)
    queue = candidates.join(still, on=["person_l", "person_r"], how="anti")
    accepted = pl.concat(
        [
            candidates.join(
                still.filter(pl.col("decision") == "reject"),
                on=["person_l", "person_r"],
                how="anti",
            ),
            still.filter(pl.col("decision") == "confirm").select(candidates.columns[:2]),
        ],
        how="diagonal",
    )
    clusters = connected_components(
        people["person_id"],
        accepted.select(
            pl.col("person_l").alias("person_id_l"), pl.col("person_r").alias("person_id_r")
        ),
    )
    findings = find_overlaps(benefits, clusters)
    queue = queue.join(clusters.rename({"person_id": "person_l"}), on="person_l", how="left")
    with engine.begin() as connection:
        run_id = _start_run(connection, year, engine_name, threshold, actor)
        _store(connection, run_id, queue, findings, people.height)
    return InspectedYear(run_id, people.height, queue.height, findings.height, warnings)


def _tolerated(people: pl.DataFrame) -> tuple[pl.DataFrame, tuple[Problem, ...]]:
    """The registry's people with values linkage cannot trust made empty, and the findings.

    Records imported before today's checks, or written by other systems, may hold them; as in
    `ansinh dedupe`, such a value is a finding (named by the person's code) and left out of the
    comparison, never a reason to stop the inspection.
    """
    frame = people.with_columns(pl.col(c).fill_null("") for c in people.columns).with_row_index(ROW)
    cleaned, found = lenient(frame.with_columns(pl.col(ROW).cast(pl.Int64)))
    codes = frame["person_id"].to_list()
    listed = tuple(
        Problem(f"registry {codes[row]}", vi, en, None, column)
        for row, column, vi, en in found.select(ROW, "column", "reason_vi", "reason_en").iter_rows()
    )
    return cleaned.drop(ROW), listed


def _candidates(pairs: pl.DataFrame, people: pl.DataFrame, linker: PeopleLinker) -> pl.DataFrame:
    """Pairs ordered person_l < person_r, with evidence JSON and both records' fingerprints."""
    evidence = evidence_json(pairs, linker.config)
    prints = fingerprints(
        people.filter(
            pl.col("person_id").is_in(
                pl.concat([pairs["person_id_l"], pairs["person_id_r"]]).implode()
            )
        )
    )
    low = pl.min_horizontal("person_id_l", "person_id_r")
    high = pl.max_horizontal("person_id_l", "person_id_r")
    return (
        pairs.select("person_id_l", "person_id_r", "match_probability", "match_weight")
        .join(evidence, on=["person_id_l", "person_id_r"])
        .with_columns(low.alias("person_l"), high.alias("person_r"))
        .join(
            prints.rename({"person_id": "person_l", "fingerprint": "fingerprint_l"}), on="person_l"
        )
        .join(
            prints.rename({"person_id": "person_r", "fingerprint": "fingerprint_r"}), on="person_r"
        )
        .drop("person_id_l", "person_id_r")
        .select("person_l", "person_r", pl.exclude("person_l", "person_r"))
    )


def _still_valid(decided: pl.DataFrame, candidates: pl.DataFrame) -> pl.DataFrame:
    """Decisions whose two records are unchanged since (same fingerprints as now)."""
    return decided.join(
        candidates.select("person_l", "person_r", "fingerprint_l", "fingerprint_r"),
        on=["person_l", "person_r", "fingerprint_l", "fingerprint_r"],
        how="semi",
    ).select("person_l", "person_r", "decision")


def _start_run(connection: Connection, year: int, engine: str, threshold: float, actor: str) -> int:
    result = connection.execute(
        insert(InspectionRun).returning(InspectionRun.id),
        {
            "year": year,
            "engine": engine,
            "threshold": threshold,
            "actor": actor,
            "started_at": now(),
            "people": 0,
            "candidates": 0,
            "findings": 0,
        },
    )
    return int(result.scalar_one())


def _store(
    connection: Connection, run_id: int, queue: pl.DataFrame, findings: pl.DataFrame, people: int
) -> None:
    if queue.height:
        rows = queue.select(
            pl.lit(run_id).alias("run_id"),
            "person_l",
            "person_r",
            pl.col("cluster_id").fill_null(pl.col("person_l")),
            "match_probability",
            "match_weight",
            "evidence",
            "fingerprint_l",
            "fingerprint_r",
        )
        frames.insert_frame(connection, InspectionCandidate.__table__, rows)  # type: ignore[arg-type]
    if findings.height:
        rows = findings.select(
            pl.lit(run_id).alias("run_id"),
            "rule",
            "cluster_id",
            pl.struct("people").struct.json_encode().str.extract(r'^\{"people":(.*)\}$'),
            pl.struct("benefits").struct.json_encode().alias("detail"),
        )
        frames.insert_frame(connection, InspectionFinding.__table__, rows)  # type: ignore[arg-type]
    connection.execute(
        InspectionRun.__table__.update()  # type: ignore[attr-defined]
        .where(InspectionRun.id == run_id)
        .values(people=people, candidates=queue.height, findings=findings.height)
    )


def decide(
    connection: Connection,
    candidate_id: int,
    decision: str,
    *,
    actor: str,
    note: str | None = None,
) -> None:
    """Record an inspector's decision on a queued pair (replacing an earlier one), audited."""
    if decision not in DECISIONS:
        raise ValueError(f"decision must be one of {DECISIONS}: {decision!r}")
    candidate = connection.execute(
        select(InspectionCandidate).where(InspectionCandidate.id == candidate_id)
    ).one()
    pair = and_(
        InspectionDecision.person_l == candidate.person_l,
        InspectionDecision.person_r == candidate.person_r,
    )
    before = connection.execute(select(InspectionDecision).where(pair)).one_or_none()
    after = {
        "person_l": candidate.person_l,
        "person_r": candidate.person_r,
        "fingerprint_l": candidate.fingerprint_l,
        "fingerprint_r": candidate.fingerprint_r,
        "decision": decision,
        "note": note,
        "actor": actor,
        "decided_at": now(),
    }
    connection.execute(delete(InspectionDecision).where(pair))
    connection.execute(insert(InspectionDecision), after)
    record_change(
        connection,
        actor=actor,
        action="update" if before else "insert",
        entity="inspection_decision",
        key=f"{candidate.person_l}|{candidate.person_r}",
        before=None if before is None else dict(before._mapping),
        after=after,
        unit_code=_commune_of(connection, candidate.person_l),
    )


def _commune_of(connection: Connection, person: str) -> str | None:
    """The commune of a person's household: where a decision on the person is audited."""
    return connection.scalar(
        select(Household.commune_code)
        .join(Person, Person.household_id == Household.id)
        .where(Person.code == person)
    )


def person_names(connection: Connection, codes: list[str]) -> dict[str, str]:
    """Full names by person code, for showing queued pairs to an inspector."""
    rows = connection.execute(select(Person.code, Person.full_name).where(Person.code.in_(codes)))
    return {code: name for code, name in rows}


def latest_run(connection: Connection) -> int | None:
    """The id of the newest inspection run, if any."""
    found = connection.execute(select(func.max(InspectionRun.id))).scalar()
    return None if found is None else int(found)


def queue(connection: Connection, run_id: int) -> pl.DataFrame:
    """The run's candidate pairs not yet decided, most probable first, with their evidence."""
    decided = select(InspectionDecision.id).where(
        InspectionDecision.person_l == InspectionCandidate.person_l,
        InspectionDecision.person_r == InspectionCandidate.person_r,
        InspectionDecision.fingerprint_l == InspectionCandidate.fingerprint_l,
        InspectionDecision.fingerprint_r == InspectionCandidate.fingerprint_r,
    )
    query = (
        select(
            InspectionCandidate.id,
            InspectionCandidate.person_l,
            InspectionCandidate.person_r,
            InspectionCandidate.match_probability,
            InspectionCandidate.evidence,
        )
        .where(InspectionCandidate.run_id == run_id, ~decided.exists())
        .order_by(InspectionCandidate.match_probability.desc())
    )
    rows = connection.execute(query).all()
    return pl.DataFrame(
        rows,
        schema={
            "id": pl.Int64,
            "person_l": pl.String,
            "person_r": pl.String,
            "match_probability": pl.Float64,
            "evidence": pl.String,
        },
        orient="row",
    )


def findings(connection: Connection, run_id: int) -> pl.DataFrame:
    """The run's overlap findings: rule, cluster, people (JSON list), detail (JSON)."""
    query = select(
        InspectionFinding.rule,
        InspectionFinding.cluster_id,
        InspectionFinding.people,
        InspectionFinding.detail,
    ).where(InspectionFinding.run_id == run_id)
    frame = _frame(connection, query, ["rule", "cluster_id", "people", "detail"])
    names = {r.code: r.name_en for r in load_rules()}
    return frame.with_columns(pl.col("rule").replace_strict(names, default=None).alias("rule_name"))


def findings_with_ids(connection: Connection, run_id: int) -> pl.DataFrame:
    """The run's findings as `findings` gives them, with each one's id first (to decide on)."""
    query = (
        select(
            InspectionFinding.id,
            InspectionFinding.rule,
            InspectionFinding.cluster_id,
            InspectionFinding.people,
            InspectionFinding.detail,
        )
        .where(InspectionFinding.run_id == run_id)
        .order_by(InspectionFinding.id)
    )
    frame = _frame(connection, query, ["id", "rule", "cluster_id", "people", "detail"])
    names = {r.code: r.name_en for r in load_rules()}
    return frame.with_columns(
        pl.col("id").cast(pl.Int64),
        pl.col("rule").replace_strict(names, default=None).alias("rule_name"),
    )
