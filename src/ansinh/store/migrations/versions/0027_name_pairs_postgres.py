"""search: an index of every two words of each name on PostgreSQL, as SQLite has (0008)

Revision ID: 0027_name_pairs_postgres
Revises: 0026_benefit_person_index
Create Date: 2026-12-05 06:20:00
"""

from collections.abc import Sequence

from alembic import op

from ansinh.store.schema import LateIndex

revision: str = "0027_name_pairs_postgres"
down_revision: str | None = "0026_benefit_person_index"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The pair lexemes of a folded name, as ansinh.domain.names.word_pairs gives SQLite's index:
# every two of its first eight words in their order, 'nguyen van hung' -> 'nguyen_hung'
# 'nguyen_van' 'van_hung'. PL/pgSQL: 2 µs a name, where the same in one SQL statement took
# 7.5 µs (500,000 names, docs/benchmarks.md); immutable, so that an index may use it.
_FUNCTION = """
CREATE OR REPLACE FUNCTION name_pairs(name text) RETURNS tsvector
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
  words text[] := (array_remove(regexp_split_to_array(name, '[^a-z0-9]+'), ''))[1:8];
  pairs text[] := '{}';
BEGIN
  FOR i IN 1 .. coalesce(cardinality(words), 0) - 1 LOOP
    FOR j IN i + 1 .. cardinality(words) LOOP
      pairs := pairs || (words[i] || '_' || words[j]);
    END LOOP;
  END LOOP;
  RETURN array_to_tsvector(pairs);
END $$
"""

# Two common words ("nguyen van") intersect two lists of a million people in the word index;
# a pair of them is a list of thousands. A GIN index on a big table: built CONCURRENTLY after
# the migration (store/schema.py), and with the registry's other indexes after a first load.
late_indexes = [
    LateIndex(
        "ix_person_name_pairs",
        "person",
        ("name_pairs(name_folded)",),
        dialect="postgresql",
        using="gin",
    )
]


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(_FUNCTION)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_person_name_pairs")
        op.execute("DROP FUNCTION IF EXISTS name_pairs(text)")
