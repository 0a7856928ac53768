"""search: the province inside PostgreSQL's name-pair index, so a province reads its own people

Revision ID: 0028_name_pairs_by_province
Revises: 0027_name_pairs_postgres
Create Date: 2026-12-05 10:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from ansinh.store.schema import LateIndex

revision: str = "0028_name_pairs_by_province"
down_revision: str | None = "0027_name_pairs_postgres"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# 0027's index is one for the country: at 17.3 million people a province's search of a common
# name read the country's posting lists (12-144 ms alone, against about 10 ms at 3.9 million;
# docs/national.md). Here each pair lexeme carries its person's province ('15_nguyen_van'), so a
# province's search reads its own lists whatever the country holds, and the country's search
# asks each province's. The province is the nearest unit of level 'province' above the
# household's commune (the country's code if none is), kept on person by triggers.
_FUNCTIONS = [
    """
CREATE OR REPLACE FUNCTION unit_province(code text) RETURNS text
LANGUAGE sql STABLE STRICT PARALLEL SAFE AS $$
  WITH RECURSIVE up(code, parent_code, level, depth) AS (
    SELECT u.code, u.parent_code, u.level, 0 FROM unit u WHERE u.code = $1
    UNION ALL
    SELECT u.code, u.parent_code, u.level, up.depth + 1 FROM unit u
    JOIN up ON u.code = up.parent_code WHERE up.depth < 10
  )
  SELECT coalesce((SELECT code FROM up WHERE level = 'province' ORDER BY depth LIMIT 1), 'VN')
$$
""",
    """
CREATE OR REPLACE FUNCTION name_pairs_in(province text, name text) RETURNS tsvector
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
  words text[] := (array_remove(regexp_split_to_array(name, '[^a-z0-9]+'), ''))[1:8];
  pairs text[] := '{}';
BEGIN
  FOR i IN 1 .. coalesce(cardinality(words), 0) - 1 LOOP
    FOR j IN i + 1 .. cardinality(words) LOOP
      pairs := pairs || (province || '_' || words[i] || '_' || words[j]);
    END LOOP;
  END LOOP;
  RETURN array_to_tsvector(pairs);
END $$
""",
    # A person written without a province (an officer's form), or moved to another household.
    """
CREATE OR REPLACE FUNCTION person_province() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.province_code := (
    SELECT unit_province(h.commune_code) FROM household h WHERE h.id = NEW.household_id);
  RETURN NEW;
END $$
""",
    # A household moved to a commune of another province takes its people with it.
    """
CREATE OR REPLACE FUNCTION household_people_province() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  province text := unit_province(NEW.commune_code);
BEGIN
  UPDATE person SET province_code = province
  WHERE household_id = NEW.id AND province_code IS DISTINCT FROM province;
  RETURN NULL;
END $$
""",
]
# The WHEN clauses are evaluated without calling the function: a bulk import that writes each
# person's province itself (store/people_import.py) pays nothing per row.
_TRIGGERS = [
    "CREATE TRIGGER person_province_new BEFORE INSERT ON person FOR EACH ROW "
    "WHEN (NEW.province_code IS NULL) EXECUTE FUNCTION person_province()",
    "CREATE TRIGGER person_province_moved BEFORE UPDATE OF household_id ON person FOR EACH ROW "
    "WHEN (OLD.household_id IS DISTINCT FROM NEW.household_id) EXECUTE FUNCTION person_province()",
    "CREATE TRIGGER household_province_moved AFTER UPDATE OF commune_code ON household "
    "FOR EACH ROW WHEN (OLD.commune_code IS DISTINCT FROM NEW.commune_code) "
    "EXECUTE FUNCTION household_people_province()",
]

# The people held before this revision, a batch at a time after the migrations' transaction
# (store/schema.py): a commune's province found by joins, not by unit_province for each row.
_FILL = """
UPDATE person p SET province_code = coalesce(
    CASE WHEN c.level = 'province' THEN c.code END,
    CASE WHEN u1.level = 'province' THEN u1.code END,
    CASE WHEN u2.level = 'province' THEN u2.code END,
    unit_province(h.commune_code))
FROM household h JOIN unit c ON c.code = h.commune_code
LEFT JOIN unit u1 ON u1.code = c.parent_code LEFT JOIN unit u2 ON u2.code = u1.parent_code
WHERE h.id = p.household_id AND p.id BETWEEN :first AND :last AND p.province_code IS NULL
"""

late_indexes = [
    LateIndex(
        "ix_person_province_name_pairs",
        "person",
        ("name_pairs_in(province_code, name_folded)",),
        dialect="postgresql",
        using="gin",
        fill=_FILL,
    )
]
# Dropped once the province's index is built: until then the country's serves the searches.
retired_indexes = ("ix_person_name_pairs",)


_DROPPED_FUNCTIONS = (
    "household_people_province()",
    "person_province()",
    "name_pairs_in(text, text)",
    "unit_province(text)",
)


def upgrade() -> None:
    # On both backends, so that the models are one; SQLite's name index (FTS5) has no use for
    # it and leaves it empty.
    op.add_column("person", sa.Column("province_code", sa.String(20), nullable=True))
    if op.get_bind().dialect.name == "postgresql":
        for statement in [*_FUNCTIONS, *_TRIGGERS]:
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_person_province_name_pairs")
        op.execute("DROP TRIGGER IF EXISTS household_province_moved ON household")
        op.execute("DROP TRIGGER IF EXISTS person_province_moved ON person")
        op.execute("DROP TRIGGER IF EXISTS person_province_new ON person")
        for function in _DROPPED_FUNCTIONS:
            op.execute(f"DROP FUNCTION IF EXISTS {function}")
        # 0027's index again, built in this transaction: a downgrade is a repair, not a
        # routine (0027's late index is built by an upgrade only).
        op.execute(
            "CREATE INDEX IF NOT EXISTS ix_person_name_pairs ON person "
            "USING gin (name_pairs(name_folded))"
        )
    op.drop_column("person", "province_code")
