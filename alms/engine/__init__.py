"""Books that live in a customer's engine (DuckDB file, PostgreSQL, Spark), read
through ibis: the same rules as a file, run where the rows are (README, "When the book
outgrows one machine")."""

from alms.engine.connection import Engine, EngineError, connect
from alms.engine.load import Tables, breakpoints, load_from, settings_days

__all__ = [
    "Engine",
    "EngineError",
    "Tables",
    "breakpoints",
    "connect",
    "load_from",
    "settings_days",
]
