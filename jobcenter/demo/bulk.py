"""Bulk row writer for generated data: ids allocated in Python, rows sent in chunks.

PostgreSQL gets `COPY … FROM STDIN` through psycopg; other databases get one
Core `insert()` per table and chunk (executemany). Everything goes through the
session's connection, so it is part of the caller's transaction: nothing is
committed here, and an error leaves nothing half-written.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from enum import Enum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from jobcenter.core import clock
from jobcenter.core.db import Base


class BulkWriter:
    def __init__(
        self, session: Session, chunk_rows: int = 20_000, fast_foreign_keys: bool = True
    ) -> None:
        self.session = session
        self.connection = session.connection()
        self.use_copy = self.connection.dialect.name == "postgresql"
        self.chunk_rows = chunk_rows
        self.tables = {table.name: table for table in Base.metadata.sorted_tables}
        # Parents before children, so foreign keys hold after every chunk.
        self.order = [table.name for table in Base.metadata.sorted_tables]
        self.written: Counter[str] = Counter()
        self._buffers: dict[str, list[dict[str, Any]]] = defaultdict(list)
        self._buffered = 0
        self._next_ids: dict[str, int] = {}
        # PostgreSQL checks each foreign key row by row with a trigger, which dominates
        # the load time at the Helsinki scale. Like `pg_restore --disable-triggers`, a
        # superuser may switch those triggers off for this transaction; every foreign
        # key of the written tables is then checked at `close()` with one anti-join
        # each, and a single orphan aborts the whole load.
        self.deferred_fk_check = False
        if self.use_copy and fast_foreign_keys:
            superuser = self.connection.execute(sa.text("SHOW is_superuser")).scalar()
            if superuser == "on":
                self.connection.execute(sa.text("SET LOCAL session_replication_role = replica"))
                self.deferred_fk_check = True

    # ---------------------------------------------------------------- ids
    def next_id(self, table: str) -> int:
        if table not in self._next_ids:
            current = self.connection.execute(
                sa.select(sa.func.max(self.tables[table].c.id))
            ).scalar()
            self._next_ids[table] = (current or 0) + 1
        value = self._next_ids[table]
        self._next_ids[table] = value + 1
        return value

    # --------------------------------------------------------------- rows
    def add(self, table: str, row: dict[str, Any]) -> dict[str, Any]:
        """Queue a row; gives it the next id when the table has an `id` column."""
        if "id" not in row and "id" in self.tables[table].c:
            row["id"] = self.next_id(table)
        self._buffers[table].append(row)
        self._buffered += 1
        if self._buffered >= self.chunk_rows:
            self.flush()
        return row

    def flush(self) -> None:
        for name in self.order:
            rows = self._buffers.pop(name, None)
            if rows:
                self._write(self.tables[name], rows)
                self.written[name] += len(rows)
        self._buffered = 0

    def close(self) -> None:
        """Flush what is left and move PostgreSQL's id sequences past the ids we chose."""
        self.flush()
        if self.deferred_fk_check:
            self.connection.execute(sa.text("SET LOCAL session_replication_role = DEFAULT"))
            self.check_foreign_keys()
        if self.use_copy:
            for name in self._next_ids:
                table = self.tables[name]
                sequence = self.connection.execute(
                    sa.select(sa.func.pg_get_serial_sequence(name, "id"))
                ).scalar()
                top = self.connection.execute(sa.select(sa.func.max(table.c.id))).scalar()
                if sequence and top:
                    self.connection.execute(sa.select(sa.func.setval(sequence, top)))

    def check_foreign_keys(self) -> None:
        """Raise if any written row points at a row that does not exist."""
        for name in self.order:
            if not self.written[name]:
                continue
            table = self.tables[name]
            for fk in table.foreign_keys:
                column = fk.parent
                parent = fk.column.table.alias("parent")
                orphans = self.connection.execute(
                    sa.select(sa.func.count())
                    .select_from(table)
                    .where(
                        column.is_not(None),
                        ~sa.exists().where(parent.c[fk.column.name] == column),
                    )
                ).scalar()
                if orphans:
                    raise ValueError(
                        f"{orphans} rows of {name}.{column.name} point at no {fk.column.table.name}"
                    )

    # ------------------------------------------------------------ private
    def _complete(self, table: sa.Table, rows: list[dict[str, Any]]) -> list[list[Any]]:
        """Every column of every row, in table order, with Python-side defaults filled."""
        defaults: list[Any] = []
        now = clock.now()
        for column in table.columns:
            default = column.default
            if default is not None and getattr(default, "is_scalar", False):
                defaults.append(default.arg)
            elif default is not None and getattr(default, "is_callable", False):
                defaults.append(now if column.name.endswith("_at") else default.arg(None))
            else:
                defaults.append(None)
        names = [column.name for column in table.columns]
        enums = [i for i, column in enumerate(table.columns) if isinstance(column.type, sa.Enum)]
        pairs = list(zip(names, defaults, strict=True))
        out = []
        for row in rows:
            values = [row.get(name, default) for name, default in pairs]
            for i in enums:
                if isinstance(values[i], Enum):
                    values[i] = values[i].value
            out.append(values)
        return out

    def _write(self, table: sa.Table, rows: list[dict[str, Any]]) -> None:
        names = [column.name for column in table.columns]
        values = self._complete(table, rows)
        if self.use_copy:
            from psycopg import sql

            statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
                sql.Identifier(table.name), sql.SQL(", ").join(map(sql.Identifier, names))
            )
            raw = self.connection.connection.driver_connection
            with raw.cursor() as cursor, cursor.copy(statement) as copy:
                for row in values:
                    copy.write_row(row)
        else:
            self.connection.execute(
                table.insert(), [dict(zip(names, row, strict=True)) for row in values]
            )
