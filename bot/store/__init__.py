"""Storage: SQLAlchemy async engine, tables, Alembic migrations and the outbox."""

from bot.store.database import Database, open_database, resolve_database_url, upgrade_schema

__all__ = ["Database", "open_database", "resolve_database_url", "upgrade_schema"]
