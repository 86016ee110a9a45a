"""Alembic migrations for the Staffroom schema (run by bot.store.database.upgrade_schema)."""
