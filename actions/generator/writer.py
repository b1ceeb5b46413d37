"""Writing many rows fast: PostgreSQL COPY, or executemany elsewhere (SQLite in tests).

Rows are written with the ids the generator gave them (the next free ids, read
once at the start), so rows can point at each other before any is written. The
tables' sequences are moved past them at the end. Rows go in raw, not through
Model.save() or bulk_create(), so that created_at and updated_at keep the dates
the generator chose (auto_now would stamp them with today).
"""

import itertools
from collections import Counter

from django.core.management.color import no_style
from django.db import models

# Rows kept in memory before they are written (all tables together).
FLUSH_EVERY = 200_000


class Table:
    """The rows waiting to be written to one model's table, with its next free id."""

    def __init__(self, model: type[models.Model], next_id: int):
        self.model = model
        self.fields = model._meta.concrete_fields
        self.attnames = tuple(field.attname for field in self.fields)
        self.rows: list[tuple] = []
        self._ids = itertools.count(next_id)

    def new_id(self) -> int:
        return next(self._ids)

    def add(self, **values) -> None:
        """Queue one row; every concrete field must be given (a KeyError names the one missing)."""
        self.rows.append(tuple(values[name] for name in self.attnames))


class Writer:
    """Tables in the order they must be written (a row's targets before it)."""

    def __init__(self, connection, models_in_order):
        self.connection = connection
        self.tables = {model: Table(model, _next_id(model)) for model in models_in_order}
        self.written: Counter = Counter()

    def __getitem__(self, model) -> Table:
        return self.tables[model]

    def pending(self) -> int:
        return sum(len(table.rows) for table in self.tables.values())

    def flush_if_full(self) -> None:
        if self.pending() >= FLUSH_EVERY:
            self.flush()

    def flush(self) -> None:
        for table in self.tables.values():
            if table.rows:
                self._write(table)
                self.written[table.model] += len(table.rows)
                table.rows = []

    def finish(self) -> None:
        """Write what is left and move each table's id sequence past the ids used."""
        self.flush()
        statements = self.connection.ops.sequence_reset_sql(no_style(), list(self.tables))
        with self.connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)

    def _write(self, table: Table) -> None:
        quote = self.connection.ops.quote_name
        name = quote(table.model._meta.db_table)
        columns = ", ".join(quote(field.column) for field in table.fields)
        with self.connection.cursor() as cursor:
            if self.connection.vendor == "postgresql":
                # Names come from the models' own metadata, never from input.
                with cursor.copy(f"COPY {name} ({columns}) FROM STDIN") as copy:
                    for row in table.rows:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(table.fields))
                sql = f"INSERT INTO {name} ({columns}) VALUES ({marks})"  # noqa: S608 # nosec B608
                cursor.executemany(sql, [self._prepared(table, row) for row in table.rows])

    def _prepared(self, table: Table, row: tuple) -> list:
        return [
            field.get_db_prep_value(value, self.connection, prepared=False)
            for field, value in zip(table.fields, row, strict=True)
        ]


def _next_id(model) -> int:
    pk = model._meta.pk.attname
    latest = model._base_manager.aggregate(latest=models.Max(pk))["latest"]
    return (latest or 0) + 1
