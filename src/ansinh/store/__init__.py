"""The registry database: SQLAlchemy models, queries and Alembic migrations."""
