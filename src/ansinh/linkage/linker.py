"""The people linker: one interface, one Splink implementation per backend (DuckDB, Spark)."""

from __future__ import annotations

import logging
import tempfile
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl
from splink import Linker, block_on
from splink.internals.database_api import DatabaseAPI
from splink.internals.exceptions import SplinkException
from splink.internals.splink_dataframe import SplinkDataFrame

from ansinh.linkage.blocking import add_capped_keys
from ansinh.linkage.namesakes import add_namesake_counts
from ansinh.linkage.prepare import prepare_people
from ansinh.linkage.settings import LinkageConfig, load_config

ENGINES = ("duckdb", "spark")
DEFAULT_THRESHOLD = 0.9
# Levels whose m is below this are held at their value when an EM session must be re-run.
RARE_M = 0.01
LOCAL_PARTITIONS = "8"
TRAINING_BUCKET = "training_bucket"
Stage = Callable[[str], None]
_log = logging.getLogger(__name__)


@dataclass(frozen=True)
class LinkageResult:
    """Scored candidate pairs at or above the threshold, and a cluster for every person.

    `pairs` has person_id_l, person_id_r, match_probability, match_weight and, per comparison,
    the values compared (`<column>_l/_r`), the level (`gamma_<name>`) and its Bayes factors.
    """

    pairs: pl.DataFrame
    clusters: pl.DataFrame
    prepared: pl.DataFrame  # the linkage columns of every record (empty when evidence=False)


class PeopleLinker(ABC):
    """Finds the records of one person within and across lists (Splink, Fellegi-Sunter)."""

    def __init__(self, config: LinkageConfig | None = None, stage: Stage | None = None) -> None:
        self.config = config or load_config()
        self._stage = stage or (lambda _name: None)

    @abstractmethod
    def _database(self) -> DatabaseAPI[Any]:
        """A Splink database API for this backend."""

    @abstractmethod
    def _to_polars(self, table: SplinkDataFrame) -> pl.DataFrame:
        """A Splink result table as a Polars frame."""

    def _register(self, api: DatabaseAPI[Any], frame: pl.DataFrame) -> SplinkDataFrame:
        return api.register(frame.to_arrow(), table_name="ansinh_people")

    def run(
        self,
        people: pl.DataFrame,
        threshold: float = DEFAULT_THRESHOLD,
        legacy_communes: dict[str, str] | None = None,
        evidence: bool = True,
    ) -> LinkageResult:
        """Prepare, train, score and cluster `people` (the people contract of DESIGN.md).

        `evidence=False` keeps only ids and probabilities in `pairs` (what `ansinh dedupe`
        writes): the compared values and per-comparison weights cost memory at scale.
        """
        self._stage("prepare")
        prepared = add_namesake_counts(prepare_people(people, legacy_communes))
        if prepared.height < 2:
            return LinkageResult(_no_pairs(), _singletons(prepared), prepared)
        api = self._database()
        records = prepared.height
        people_table = self._register(
            api,
            add_capped_keys(prepared, self.config.raw["blocking_rules"]).with_columns(
                _training_bucket(records, self.config.training.em_records)
            ),
        )
        if not evidence:
            prepared = prepared.clear()  # held by the database now; dedupe needs no copy
        linker = Linker(
            people_table,
            self.config.settings(records, retain_evidence=evidence),
            log_level=logging.ERROR,
        )
        if records >= self.config.training.min_records:
            self._train(linker)
        self._stage("predict")
        predictions = linker.inference.predict(
            threshold_match_probability=threshold, warning_mode="never"
        )
        self._stage("cluster")
        clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(
            predictions, threshold_match_probability=threshold
        )
        pairs = self._to_polars(predictions).rename(
            {"unique_id_l": "person_id_l", "unique_id_r": "person_id_r"}
        )
        cluster_frame = self._to_polars(clusters).select(
            pl.col("unique_id").alias("person_id"), pl.col("cluster_id").cast(pl.String)
        )
        return LinkageResult(
            pairs.sort("match_probability", descending=True), cluster_frame, prepared
        )

    def _train(self, linker: Linker) -> None:
        training = self.config.training
        self._stage("train: prior")
        try:
            linker.training.estimate_probability_two_random_records_match(
                [block_on(*rule) for rule in training.deterministic_rules],
                recall=training.deterministic_recall,
            )
        except SplinkException as error:  # no deterministic pair at all in a tiny file
            _log.info("prior kept from settings: %s", error)
        self._stage("train: u")
        linker.training.estimate_u_using_random_sampling(
            max_pairs=training.random_pairs, seed=training.seed
        )
        for rule in training.em_blocking_rules:
            self._stage(f"train: EM on {'+'.join(rule)}")
            if not self._em(linker, rule, hold_rare=False):
                # A level no match reaches went below what a float holds (Splink 5 refuses
                # m < 1e-300; seen at 1,000,000 records): again, holding the rare levels.
                self._em(linker, rule, hold_rare=True)

    def _em(self, linker: Linker, rule: list[str], *, hold_rare: bool) -> bool:
        """One EM session; False (the model as before) if it failed on a vanishing m."""
        settings = linker._settings_obj
        # Splink's EM session edits the model in place; keep a copy to restore on failure.
        kept = settings.core_model_settings.copy()  # type: ignore[no-untyped-call]
        held = [
            level
            for comparison in settings.comparisons
            for level in comparison.comparison_levels
            if hold_rare
            and not level.is_null_level
            and not level._fix_m_probability
            and (level.m_probability or 0.0) < RARE_M
        ]
        for level in held:
            level._fix_m_probability = True
        try:
            linker.training.estimate_parameters_using_expectation_maximisation(
                block_on(*rule, TRAINING_BUCKET), estimate_without_term_frequencies=True
            )
        except SplinkException as error:  # too few pairs: the priors of the YAML stand
            _log.info("EM on %s skipped: %s", rule, error)
            settings.core_model_settings = kept
        except ValueError as error:
            _log.info("EM on %s (rare levels held: %s) failed: %s", rule, hold_rare, error)
            settings.core_model_settings = kept
            return False
        finally:
            for level in held:
                level._fix_m_probability = False
        return True


class DuckDBLinker(PeopleLinker):
    """Embedded default: an in-memory DuckDB, spilling to disk when memory runs short."""

    def __init__(
        self,
        config: LinkageConfig | None = None,
        stage: Stage | None = None,
        memory_limit: str = "1500MB",
        threads: int | None = None,
    ) -> None:
        super().__init__(config, stage)
        self.memory_limit = memory_limit
        self.threads = threads

    def _database(self) -> DatabaseAPI[Any]:
        import duckdb
        from splink import DuckDBAPI

        connection = duckdb.connect(":memory:")
        # DuckDB's own buffers; Splink's pairs spill to a temporary folder beyond it (the
        # process's peak also holds the Polars frames: about 1 GiB more at 1,000,000 records).
        connection.execute(f"SET memory_limit = '{self.memory_limit}'")
        spill = Path(tempfile.gettempdir()) / "ansinh-duckdb"
        connection.execute(f"SET temp_directory = '{spill}'")
        connection.execute("SET preserve_insertion_order = false")
        if self.threads:
            connection.execute(f"SET threads = {int(self.threads)}")
        return DuckDBAPI(connection=connection)

    def _to_polars(self, table: SplinkDataFrame) -> pl.DataFrame:
        return pl.DataFrame(table.as_duckdbpyrelation().arrow())

    def _register(self, api: DatabaseAPI[Any], frame: pl.DataFrame) -> SplinkDataFrame:
        """Copied into a DuckDB table, which stays within the memory limit (spilling beyond
        it), so that no Arrow copy of the records is held beside it for the whole run."""
        connection = api._con  # type: ignore[attr-defined]
        connection.register("ansinh_people_arrow", frame.to_arrow())
        connection.execute("CREATE TABLE ansinh_people_table AS FROM ansinh_people_arrow")
        connection.unregister("ansinh_people_arrow")
        return api.register("ansinh_people_table", table_name="ansinh_people")


class SparkLinker(PeopleLinker):
    """National runs: Splink on Spark (pyspark from the `spark` extra; local mode if no master)."""

    def _database(self) -> DatabaseAPI[Any]:
        from pyspark.sql import SparkSession
        from splink import SparkAPI
        from splink.backends.spark import similarity_jar_location

        session = (
            SparkSession.builder.appName("ansinh-linkage")
            .config("spark.jars", similarity_jar_location())
            .getOrCreate()
        )
        # Local mode: a few partitions, not Spark's 200; on a cluster spark-submit's
        # --conf spark.sql.shuffle.partitions stands (docs/spark.md).
        if (session.sparkContext.master or "").startswith("local"):
            session.conf.set("spark.sql.shuffle.partitions", LOCAL_PARTITIONS)
        # Splink checkpoints intermediate tables to break Spark's long lineages.
        session.sparkContext.setCheckpointDir(tempfile.mkdtemp(prefix="ansinh-spark-"))
        return SparkAPI(spark_session=session)  # type: ignore[no-untyped-call]

    def _register(self, api: DatabaseAPI[Any], frame: pl.DataFrame) -> SplinkDataFrame:
        spark = api.spark  # type: ignore[attr-defined]
        return api.register(spark.createDataFrame(frame.to_arrow()), table_name="ansinh_people")

    def _to_polars(self, table: SplinkDataFrame) -> pl.DataFrame:
        return pl.DataFrame(pl.from_arrow(table.as_spark_dataframe().toArrow()))


def make_linker(engine: str = "duckdb", stage: Stage | None = None) -> PeopleLinker:
    """The linker for `engine`; Spark needs `pip install 'ansinh[spark]'` and Java 17."""
    if engine == "duckdb":
        return DuckDBLinker(stage=stage)
    if engine == "spark":
        try:
            import pyspark  # noqa: F401
        except ImportError as error:
            raise RuntimeError(
                "Cần cài pyspark: pip install 'ansinh[spark]' / "
                "pyspark is needed: pip install 'ansinh[spark]'"
            ) from error
        return SparkLinker(stage=stage)
    raise ValueError(f"engine must be one of {ENGINES}: {engine!r}")


def _training_bucket(records: int, em_records: int) -> pl.Expr:
    """Records dealt round-robin into buckets of about `em_records`: EM learns m from the
    pairs within a bucket only, a uniform sample of its rules' pairs (1 in k for k buckets).
    m is a share among matches, which a uniform sample keeps; u comes from random pairs."""
    buckets = max(1, records // em_records) if em_records else 1
    return (pl.int_range(pl.len(), dtype=pl.Int32) % buckets).alias(TRAINING_BUCKET)


def _no_pairs() -> pl.DataFrame:
    return pl.DataFrame(
        schema={
            "person_id_l": pl.String,
            "person_id_r": pl.String,
            "match_probability": pl.Float64,
            "match_weight": pl.Float64,
        }
    )


def _singletons(prepared: pl.DataFrame) -> pl.DataFrame:
    return prepared.select(
        pl.col("unique_id").alias("person_id"), pl.col("unique_id").alias("cluster_id")
    )
