"""The Spark job in local mode (``local[2]``) against ``fupan export`` over the same input: the
Parquet tables hold the same rows."""

import json
import math
import os
import subprocess
import sys
import time

import pytest

from conftest import REPO, corpus_records

pytest.importorskip("pyspark")
pq = pytest.importorskip("pyarrow.parquet")

JOB = REPO / "python" / "fupan_spark" / "job.py"
TABLES = ("articles", "mentions", "claims", "stock_daily", "concept_daily")


def _cell(v):
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return None
    if hasattr(v, "isoformat"):
        return v.isoformat()[:10]
    return v


def rows_of(path, columns):
    """The rows of a Parquet file or dataset, in ``columns`` order, as sorted tuples of plain
    values (dates as text; the partition folders give a dataset its ``date``)."""
    import pyarrow.dataset as ds

    dataset = ds.dataset(str(path), format="parquet", partitioning="hive")
    table = dataset.to_table()
    names = table.column_names
    out = []
    for row in table.to_pylist():
        values = []
        for c in columns:
            v = row.get(c) if c in names else None
            if c == "date" and v == "__HIVE_DEFAULT_PARTITION__":
                v = None
            values.append(_cell(v))
        out.append(tuple(values))
    return sorted(out, key=lambda r: json.dumps(r, ensure_ascii=False, default=str))


def test_spark_tables_equal_fupan_export_over_the_shared_corpus(shared_corpus, run_fupan, tmp_path):
    import fupan

    records = corpus_records(shared_corpus)
    source = tmp_path / "corpus.jsonl"
    with open(source, "w", encoding="utf-8") as f:
        for r in records:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    mb = source.stat().st_size / 1e6

    # fupan on its own: extract (timed), and the export tables through the index, which keeps
    # the texts (mentions.sentence)
    started = time.perf_counter()
    run_fupan("extract", "-q", "--id-field", "id", "--source-field", "source", "-o", tmp_path / "x.jsonl", source)
    extract_secs = time.perf_counter() - started
    index = tmp_path / "idx"
    run_fupan("index", "-q", "--index", index, "--id-field", "id", "--source-field", "source", source)
    reference = tmp_path / "ref"
    reference.mkdir()
    for table in TABLES:
        run_fupan("export", table, "-q", "--index", index, "-o", reference / f"{table}.parquet")

    out = tmp_path / "spark"
    env = dict(os.environ, PYSPARK_PYTHON=sys.executable)
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, str(JOB), "--input", str(source), "--format", "jsonl",
         "--output", str(out), "--master", "local[2]"],
        env=env, capture_output=True, text=True,
    )
    spark_secs = time.perf_counter() - started
    assert done.returncode == 0, done.stderr[-4000:]
    print(f"\nthroughput over {len(records)} articles, {mb:.1f} MB: fupan extract {extract_secs:.1f} s "
          f"({len(records) / extract_secs:.0f} articles/s, {mb / extract_secs:.2f} MB/s); "
          f"Spark local[2] job {spark_secs:.1f} s ({len(records) / spark_secs:.0f} articles/s, "
          f"{mb / spark_secs:.2f} MB/s)")
    print([l for l in done.stderr.splitlines() if l.startswith("fupan-spark:")])

    for table in TABLES:
        columns = [n for n, _ in fupan.table_columns(table)]
        assert (out / table).is_dir(), table
        assert any(p.name.startswith("date=") for p in (out / table).iterdir()), table
        want = rows_of(reference / f"{table}.parquet", columns)
        got = rows_of(out / table, columns)
        assert len(want) > 0, table
        assert len(got) == len(want), table
        assert got == want, table


def test_text_folders_read_by_spark_equal_fupan_export(shared_corpus, run_fupan, tmp_path):
    import fupan

    # Spark reads each file alone and consults no sidecar (SOURCES.tsv): compare on the articles
    folder = tmp_path / "news_compute_dev"
    folder.mkdir()
    for path in sorted((shared_corpus / "news_compute_dev").glob("*.txt")):
        (folder / path.name).write_bytes(path.read_bytes())
    index = tmp_path / "idx"
    run_fupan("index", "-q", "--index", index, folder)
    out = tmp_path / "spark"
    done = subprocess.run(
        [sys.executable, str(JOB), "--input", str(folder), "--format", "text",
         "--output", str(out), "--master", "local[2]"],
        env=dict(os.environ, PYSPARK_PYTHON=sys.executable), capture_output=True, text=True,
    )
    assert done.returncode == 0, done.stderr[-4000:]
    for table in ("articles", "claims", "mentions"):
        ref = tmp_path / f"{table}.parquet"
        run_fupan("export", table, "-q", "--index", index, "-o", ref)
        columns = [n for n, _ in fupan.table_columns(table)]
        assert rows_of(out / table, columns) == rows_of(ref, columns), table
