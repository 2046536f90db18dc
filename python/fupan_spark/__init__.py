"""fupan on Apache Spark: any DataFrame of articles in, the tables of ``fupan export`` out.

The work runs in the executors through the ``fupan`` package (``mapInPandas``), one
``fupan.Engine`` per Python worker process, loaded on first use and kept at module level. The
per-article tables (``articles``, ``mentions``, ``claims``) are made batch by batch; the daily
tables (``stock_daily``, ``concept_daily``) one date at a time (``groupBy("date")``): each of
their rows belongs to one date, so a date's articles alone give its rows exactly as
``fupan export`` gives them over the whole input.

    from fupan_spark import extract_records, export_tables, write_tables
    records = extract_records(spark.read.json("news/*.jsonl"), text="content")
    write_tables(export_tables(records), "out/")
"""

from __future__ import annotations

import datetime as _dt
import json
import os
from typing import Dict, Iterator, Optional

__all__ = [
    "RECORDS_SCHEMA",
    "TABLES",
    "extract_records",
    "extract_files",
    "export_tables",
    "write_tables",
    "table_schema",
]

#: The tables written, as ``fupan export`` names them.
TABLES = ("articles", "mentions", "claims", "stock_daily", "concept_daily")

#: One row per article: input order, content id, date, the extract record (JSON, as ``fupan
#: extract`` writes it) and the article's text (for ``mentions.sentence``).
RECORDS_SCHEMA = "seq BIGINT, id STRING, date STRING, record STRING, text STRING"

#: Errors of ``on_error="record"``: which input, and why.
ERRORS_SCHEMA = "seq BIGINT, input_id STRING, error STRING"

# Files a folder of articles holds beside them, skipped as ``fupan extract`` skips them.
_SKIPPED = ("readme", "provenance", "license", "changelog", "sources.")
_SIDECARS = ("index.tsv", "index.csv", "sources.tsv", "sources.csv")

_ENGINE = None


def _engine():
    """The worker process's engine, loaded once (about half a second) and reused by every task
    the process runs."""
    global _ENGINE
    if _ENGINE is None:
        import fupan

        _ENGINE = fupan.Engine(os.environ.get("FUPAN_DICT") or None)
    return _ENGINE


def _col_or_null(df, name: Optional[str]):
    from pyspark.sql import functions as F

    if name and name in df.columns:
        return F.col(name).cast("string")
    return F.lit(None).cast("string")


def _outcome_rows(outcomes, seqs, on_error: str, errors: list):
    rows = []
    for seq, (ok, payload, input_id, text) in zip(seqs, outcomes):
        if ok:
            record = json.loads(payload)
            rows.append((seq, record["id"], record.get("date"), payload, text))
        elif on_error == "fail":
            from fupan import FupanError

            raise FupanError(payload)
        elif on_error == "record":
            errors.append((seq, input_id, payload))
    return rows


def extract_records(
    df,
    text: str = "text",
    title: Optional[str] = "title",
    date: Optional[str] = "date",
    id: Optional[str] = "id",
    source: Optional[str] = "source",
    author: Optional[str] = "author",
    on_error: str = "fail",
):
    """The extract records of a DataFrame of articles, one row per article (``RECORDS_SCHEMA``).
    Column names are configurable; a column that is absent counts as empty. The records are the
    ones ``fupan extract`` writes for the same fields (``source``, a path, is read for dates and
    authors as a file name is; ``id`` comes back as ``input_id``).

    ``on_error``: ``"fail"`` fails the task with the record's error, ``"skip"`` drops the record.
    """
    from pyspark.sql import functions as F

    if on_error not in ("fail", "skip"):
        raise ValueError("on_error is 'fail' or 'skip' here")
    fields = [text, title, date, source, author, id]
    selected = df.select(
        F.monotonically_increasing_id().alias("seq"),
        *[_col_or_null(df, name).alias(f"f{i}") for i, name in enumerate(fields)],
    )

    def run(batches: Iterator["pandas.DataFrame"]) -> Iterator["pandas.DataFrame"]:  # noqa: F821
        import pandas as pd

        engine = _engine()
        for batch in batches:
            columns = [batch[f"f{i}"].tolist() for i in range(len(fields))]
            tuples = [
                tuple(None if v is None or v != v else v for v in values)
                for values in zip(*columns)
            ]
            seqs = batch["seq"].tolist()
            first = int(seqs[0]) + 1 if seqs else 1
            outcomes = engine._native.extract_batch(tuples, first, None, True)
            rows = _outcome_rows(outcomes, seqs, on_error, [])
            yield pd.DataFrame(rows, columns=["seq", "id", "date", "record", "text"])

    return selected.mapInPandas(run, RECORDS_SCHEMA)


def extract_files(files, on_error: str = "fail"):
    """The extract records of a ``binaryFile`` DataFrame (``path``, ``content``): each file read
    as ``fupan extract`` reads a file of its name (text, Markdown, HTML, JSON Lines, CSV …, any
    encoding), dated and given its author by its name. Sidecar indexes (``index.tsv``, ``SOURCES.tsv``) and the
    files ``fupan extract`` skips by default (README, PROVENANCE …) are left out; sidecars are not
    consulted for dates."""
    from pyspark.sql import functions as F

    name = F.regexp_replace(F.col("path"), "^file:(//)?", "")
    base = F.lower(F.regexp_extract(name, "([^/]*)$", 1))
    keep = ~base.isin(*_SIDECARS)
    for prefix in _SKIPPED:
        keep = keep & ~base.startswith(prefix)
    selected = (
        files.select(name.alias("name"), F.col("content"), base.alias("base"))
        .where(keep & ~base.startswith("."))
        .orderBy("name")
        .select(F.monotonically_increasing_id().alias("seq"), "name", "content")
    )

    def run(batches):
        import pandas as pd

        engine = _engine()
        for batch in batches:
            rows = []
            for seq, path, content in zip(batch["seq"], batch["name"], batch["content"]):
                outcomes = engine._native.extract_file(path, bytes(content), True)
                # a file of several records keeps their order within its place in the input
                seqs = [int(seq) * 4096 + i for i in range(len(outcomes))]
                rows.extend(_outcome_rows(outcomes, seqs, on_error, []))
            yield pd.DataFrame(rows, columns=["seq", "id", "date", "record", "text"])

    return selected.mapInPandas(run, RECORDS_SCHEMA)


_SPARK_TYPES = {"text": "STRING", "int": "BIGINT", "float": "DOUBLE", "date": "DATE"}


def table_schema(table: str) -> str:
    """The Spark DDL of an export table's columns."""
    import fupan

    return ", ".join(f"{name} {_SPARK_TYPES[ty]}" for name, ty in fupan.table_columns(table))


def _typed_frame(table: str, rows):
    """Rows of ``fupan.table_rows`` as a pandas frame Spark's Arrow conversion takes: dates as
    ``datetime.date``, nulls as None."""
    import fupan
    import pandas as pd

    columns = fupan.table_columns(table)
    frame = pd.DataFrame.from_records(rows, columns=[n for n, _ in columns])
    for name, ty in columns:
        if ty == "date":
            # object dtype: a column of nothing but nulls must not turn into float NaN
            frame[name] = pd.Series(
                [None if v is None else _dt.date.fromisoformat(v) for v in frame[name]],
                index=frame.index,
                dtype="object",
            )
        elif ty == "int":
            frame[name] = frame[name].astype("Int64")
        elif ty == "float":
            frame[name] = frame[name].astype("float64")
    return frame


def _per_article(table: str):
    """The mapInPandas function giving one per-article table's rows of each batch."""
    import fupan

    def run(batches):
        for batch in batches:
            rows = fupan.table_rows(table, batch["record"].tolist(), batch["text"].tolist())
            if rows:
                yield _typed_frame(table, rows)

    return run


def _per_date(table: str):
    """The applyInPandas function giving one daily table's rows of one date's articles, taken
    in input order (the first name seen of a code is the one its row shows, as in ``fupan
    export``)."""
    import fupan

    def run(group):
        group = group.sort_values("seq")
        return _typed_frame(table, fupan.table_rows(table, group["record"].tolist()))

    return run


def export_tables(records) -> Dict[str, object]:
    """The tables of ``fupan export`` (``TABLES``) over records from :func:`extract_records` or
    :func:`extract_files`, as Spark DataFrames with the export's columns and types."""
    tables = {}
    for table in ("articles", "mentions", "claims"):
        tables[table] = records.mapInPandas(_per_article(table), table_schema(table))
    for table in ("stock_daily", "concept_daily"):
        tables[table] = (
            records.select("seq", "date", "record")
            .groupBy("date")
            .applyInPandas(_per_date(table), table_schema(table))
        )
    return tables


def write_tables(tables: Dict[str, object], output: str, mode: str = "overwrite") -> None:
    """Writes each table as a Parquet dataset ``OUTPUT/NAME``, partitioned by date
    (``date=YYYY-MM-DD`` folders; undated rows under Spark's default partition)."""
    for name, frame in tables.items():
        frame.write.mode(mode).partitionBy("date").parquet(os.path.join(output, name))
