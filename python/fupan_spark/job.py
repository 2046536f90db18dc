"""The fupan Spark job: articles in, the Parquet tables of ``fupan export`` out.

    spark-submit python/fupan_spark/job.py --input PATH --format jsonl|text|parquet --output DIR
    python python/fupan_spark/job.py ...        # starts a local session (local[*]) by itself

``text`` reads one article per file under PATH, as ``fupan extract`` reads a folder; ``jsonl``
and ``parquet`` read records whose columns are named by ``--text-col``, ``--title-col``,
``--date-col``, ``--id-col``, ``--source-col`` and ``--author-col``. Each of ``DIR/articles``,
``DIR/mentions``, ``DIR/claims``, ``DIR/stock_daily``, ``DIR/concept_daily`` is a Parquet dataset
partitioned by date. The ``fupan`` wheel (which carries this module) must be installed where the
executors run.
"""

from __future__ import annotations

import argparse
import os
import sys
import time


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--input", required=True, help="file, folder or glob")
    p.add_argument("--format", required=True, choices=["jsonl", "text", "parquet"])
    p.add_argument("--output", required=True, help="folder of the Parquet datasets")
    p.add_argument("--master", help="Spark master when none is set (default local[*])")
    p.add_argument("--text-col", default="text")
    p.add_argument("--title-col", default="title")
    p.add_argument("--date-col", default="date")
    p.add_argument("--id-col", default="id")
    p.add_argument("--source-col", default="source")
    p.add_argument("--author-col", default="author")
    p.add_argument(
        "--on-error",
        choices=["fail", "skip"],
        default="fail",
        help="a bad record fails the job (default) or is dropped",
    )
    return p.parse_args(argv)


def session(master=None):
    """The active session, or one started here: spark-submit gives the master; a plain
    ``python job.py`` runs locally, with this interpreter as the workers' Python."""
    from pyspark import SparkConf
    from pyspark.sql import SparkSession

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    builder = SparkSession.builder.appName("fupan")
    if master or not SparkConf().contains("spark.master"):
        builder = builder.master(master or "local[*]")
    return builder.getOrCreate()


def read_input(spark, args):
    if args.format == "text":
        return None, (
            spark.read.format("binaryFile")
            .option("recursiveFileLookup", "true")
            .load(args.input)
        )
    if args.format == "jsonl":
        return spark.read.json(args.input), None
    return spark.read.parquet(args.input), None


def main(argv=None) -> int:
    args = parse_args(argv)
    try:
        import fupan_spark  # noqa: F401  (installed with the wheel)
    except ImportError:
        # run from a checkout without the wheel's copy: the package beside this file, found
        # after the installed ones so `fupan` stays the compiled package
        sys.path.append(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    from fupan_spark import export_tables, extract_files, extract_records, write_tables

    spark = session(args.master)
    started = time.perf_counter()
    rows, files = read_input(spark, args)
    if files is not None:
        records = extract_files(files, on_error=args.on_error)
    else:
        records = extract_records(
            rows,
            text=args.text_col,
            title=args.title_col,
            date=args.date_col,
            id=args.id_col,
            source=args.source_col,
            author=args.author_col,
            on_error=args.on_error,
        )
    records = records.persist()
    from pyspark.sql import functions as F

    summary = records.agg(F.count("*").alias("n"), F.sum(F.length("text")).alias("chars")).first()
    text_bytes = records.select(F.sum(F.octet_length("text"))).first()[0] or 0
    write_tables(export_tables(records), args.output)
    secs = time.perf_counter() - started
    print(
        f"fupan-spark: {summary['n']} articles, {text_bytes / 1e6:.1f} MB of text in {secs:.1f} s "
        f"({summary['n'] / secs:.1f} articles/s, {text_bytes / 1e6 / secs:.2f} MB/s) "
        f"on {spark.sparkContext.master}",
        file=sys.stderr,
    )
    records.unpersist()
    return 0


if __name__ == "__main__":
    sys.exit(main())
