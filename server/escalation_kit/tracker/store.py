"""Where the log lives: embedded SQLite by default, PostgreSQL when ESCALATION_KIT_DB_URL says so.

Both run the same SQL (``?`` placeholders, rewritten to ``%s`` for psycopg) and the same migrations.
A write is one transaction: SQLite takes the write lock at BEGIN IMMEDIATE, PostgreSQL locks the
escalation's row (SELECT ... FOR UPDATE), so two processes never interleave half an operation.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from escalation_kit.errors import InputError
from escalation_kit.tracker.migrations import MIGRATIONS

BUSY_TIMEOUT_MS = 30_000
ENV_URL = "ESCALATION_KIT_DB_URL"
ENV_HOME = "ESCALATION_KIT_HOME"


class IntegrityConflict(Exception):
    """A unique key was taken by a concurrent writer; the operation is retried from the start."""


def default_db_path() -> Path:
    """$ESCALATION_KIT_HOME/escalations.db, else $XDG_DATA_HOME/escalation-kit/, else ~/.local/share/."""
    home = os.environ.get(ENV_HOME)
    if home:
        return Path(home).expanduser() / "escalations.db"
    xdg = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(xdg) / "escalation-kit" / "escalations.db"


class Store:
    """A database connection that runs the tracker's SQL inside explicit transactions."""

    dialect = "sqlite"
    for_update = ""

    def __init__(self) -> None:
        self._depth = 0

    # --- to be provided by each backend -------------------------------------------------------
    def _begin(self) -> None: ...
    def _commit(self) -> None: ...
    def _rollback(self) -> None: ...
    def _run(self, sql: str, params: Sequence[Any]) -> Any: ...
    def close(self) -> None: ...

    # --- shared ----------------------------------------------------------------------------------
    @contextmanager
    def transaction(self) -> Iterator[Store]:
        """One atomic unit; nested calls join the outer transaction (used for batch loads)."""
        if self._depth:
            self._depth += 1
            try:
                yield self
            finally:
                self._depth -= 1
            return
        self._begin()
        self._depth = 1
        try:
            yield self
        except BaseException:
            self._depth = 0
            self._rollback()
            raise
        self._depth = 0
        self._commit()

    @property
    def in_transaction(self) -> bool:
        return self._depth > 0

    def execute(self, sql: str, params: Sequence[Any] = ()) -> int:
        cur = self._run(sql, params)
        return cur.rowcount

    def one(self, sql: str, params: Sequence[Any] = ()) -> tuple | None:
        return self._run(sql, params).fetchone()

    def all(self, sql: str, params: Sequence[Any] = ()) -> list[tuple]:
        return list(self._run(sql, params).fetchall())

    def migrate(self) -> int:
        """Apply every migration not yet recorded; returns the schema version now in place."""
        with self.transaction():
            self._run("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
                      "description TEXT NOT NULL, applied_at TEXT NOT NULL)", ())
            self._lock_migrations()
            done = {row[0] for row in self.all("SELECT version FROM schema_migrations")}
            for version, description, statements in MIGRATIONS:
                if version in done:
                    continue
                for sql in statements:
                    self._run(sql, ())
                self._run("INSERT INTO schema_migrations (version, description, applied_at) VALUES (?, ?, ?)",
                          (version, description, datetime.now(UTC).isoformat()))
        row = self.one("SELECT MAX(version) FROM schema_migrations")
        return int(row[0]) if row and row[0] is not None else 0

    def _lock_migrations(self) -> None:
        """Keep two processes from migrating at once (SQLite's write lock already does)."""

    def lock_key(self, key: str) -> None:
        """Serialise writers that carry the same idempotency key (SQLite's write lock already does)."""


class SqliteStore(Store):
    """The default: one file, WAL journal, foreign keys on, a busy timeout instead of 'database is locked'."""

    def __init__(self, path: Path | str) -> None:
        super().__init__()
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.conn = sqlite3.connect(str(self.path), timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None,
                                    check_same_thread=False)
        self.conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        self.conn.execute("PRAGMA journal_mode = WAL")
        self.conn.execute("PRAGMA synchronous = FULL")
        self.conn.execute("PRAGMA foreign_keys = ON")
        # reads of a large log: keep hot pages in memory instead of re-reading them through syscalls
        self.conn.execute("PRAGMA cache_size = -65536")
        self.conn.execute("PRAGMA mmap_size = 268435456")

    def _begin(self) -> None:
        self.conn.execute("BEGIN IMMEDIATE")

    def _commit(self) -> None:
        self.conn.execute("COMMIT")

    def _rollback(self) -> None:
        if self.conn.in_transaction:
            self.conn.execute("ROLLBACK")

    def _run(self, sql: str, params: Sequence[Any]) -> Any:
        try:
            return self.conn.execute(sql, tuple(params))
        except sqlite3.IntegrityError as exc:
            if "UNIQUE" in str(exc) or "PRIMARY KEY" in str(exc):
                raise IntegrityConflict(str(exc)) from exc
            raise

    def close(self) -> None:
        self.conn.close()


class PostgresStore(Store):
    """A team's shared store: psycopg 3, autocommit off, READ COMMITTED with row locks."""

    dialect = "postgresql"
    for_update = " FOR UPDATE"

    def __init__(self, url: str) -> None:
        super().__init__()
        try:
            import psycopg
        except ImportError as exc:
            raise InputError(ENV_URL, "PostgreSQL needs psycopg 3: pip install 'escalation-kit[postgres]'") from exc
        self._psycopg = psycopg
        self.conn = psycopg.connect(url, autocommit=True)

    def _begin(self) -> None:
        self.conn.execute("BEGIN")

    def _commit(self) -> None:
        self.conn.execute("COMMIT")

    def _rollback(self) -> None:
        self.conn.execute("ROLLBACK")

    def _run(self, sql: str, params: Sequence[Any]) -> Any:
        try:
            return self.conn.execute(sql.replace("?", "%s"), tuple(params))
        except self._psycopg.errors.UniqueViolation as exc:
            raise IntegrityConflict(str(exc)) from exc

    def _lock_migrations(self) -> None:
        self._run("SELECT pg_advisory_xact_lock(7310514)", ())

    def lock_key(self, key: str) -> None:
        self._run("SELECT pg_advisory_xact_lock(hashtext(?))", (key,))

    def close(self) -> None:
        self.conn.close()


def open_store(url: str | None = None) -> Store:
    """The store named by ``url`` or $ESCALATION_KIT_DB_URL (postgresql://, sqlite:///path), else the default file."""
    url = url if url is not None else os.environ.get(ENV_URL)
    if url and url.startswith(("postgresql://", "postgres://")):
        store: Store = PostgresStore(url)
    elif url and url.startswith("sqlite:///"):
        store = SqliteStore(url.removeprefix("sqlite:///"))
    elif url:
        raise InputError(ENV_URL, "unsupported database URL", allowed=["postgresql://…", "sqlite:///path"])
    else:
        store = SqliteStore(default_db_path())
    store.migrate()
    return store
