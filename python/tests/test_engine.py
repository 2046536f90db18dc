"""The ``fupan`` wheel against the real ``fupan`` binary: the same records, tables and hits."""

import json
import pathlib
import threading

import pytest

import fupan
from conftest import REPO, corpus_records, jsonl_lines

BUNDLED = REPO / "corpus"


def test_files_read_from_bytes_give_the_records_of_fupan_extract(engine, run_fupan):
    cli = jsonl_lines(run_fupan("extract", "-q", "corpus/").stdout)
    python = []
    for path in sorted(BUNDLED.iterdir()):
        python.extend(engine.extract_file(f"corpus/{path.name}", path.read_bytes()))
    assert len(cli) >= 5
    assert python == cli


def test_records_match_the_command_line_stream_over_the_bundled_corpus(engine, run_fupan):
    records = [
        {"id": p.name, "source": f"corpus/{p.name}", "text": p.read_text(encoding="utf-8", errors="replace")}
        for p in sorted(BUNDLED.iterdir())
    ]
    stream = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records).encode()
    cli = jsonl_lines(
        run_fupan(
            "extract", "-q", "--stdin-format", "jsonl", "--id-field", "id",
            "--source-field", "source", "-", input=stream,
        ).stdout
    )
    python = list(engine.extract_many(records))
    assert [r["input_id"] for r in python] == [r["id"] for r in records]
    assert python == cli
    # one at a time, through extract(), the same again
    assert [engine.extract(**r) for r in records] == cli


def test_records_match_fupan_extract_over_the_shared_corpus(engine, run_fupan, shared_corpus, tmp_path):
    records = corpus_records(shared_corpus)
    stream = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records).encode()
    cli = jsonl_lines(
        run_fupan(
            "extract", "-q", "--stdin-format", "jsonl", "--id-field", "id",
            "--source-field", "source", "-", input=stream,
        ).stdout
    )
    python = list(engine.extract_many(records, threads=2))
    assert len(python) == len(records) > 10_000
    assert python == cli
    # folders read as files, copied without their sidecar indexes (index.tsv, SOURCES.tsv), which
    # date files only when a whole folder is read: the same records as `fupan extract DIR`
    for folder in ("news_compute_dev", "taoguba_2026q1"):
        copy = articles_only(shared_corpus / folder, tmp_path / folder)
        cli = jsonl_lines(run_fupan("extract", "-q", copy).stdout)
        python = []
        for path in sorted(copy.rglob("*")):
            if path.is_file():
                python.extend(engine.extract_file(str(path), path.read_bytes()))
        by_source = lambda r: r["source"]  # noqa: E731
        assert sorted(python, key=by_source) == sorted(cli, key=by_source), folder


def articles_only(folder, to):
    """A copy of the articles of `folder` (`.txt`, `.md`), without its sidecars and notes."""
    to.mkdir(parents=True)
    for path in sorted(folder.rglob("*")):
        if path.suffix in (".txt", ".md") and not path.name.startswith(("SOURCES", "README")):
            target = to / path.relative_to(folder)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(path.read_bytes())
    return to


def test_file_name_rules_apply_to_the_source():
    engine = fupan.Engine()
    r = engine.extract("利通电子涨停", source="recaps/2024-03-18_老股民_1.txt", id=7)
    assert r["date"] == "2024-03-18"
    assert r["date_source"] == "file_name"
    assert r["input_id"] == "7"
    assert r["stocks"][0]["code"] == "603629"
    import datetime

    r = engine.extract("润泽科技", title="周一复盘", date=datetime.date(2024, 3, 18))
    assert (r["date"], r["date_source"], r["title"]) == ("2024-03-18", "metadata", "周一复盘")


def test_errors_raise_python_exceptions_naming_the_record(engine):
    with pytest.raises(fupan.FupanError, match="input: record has no title or text"):
        engine.extract("   ")
    with pytest.raises(fupan.FupanError, match="bad/2024-01-02.txt"):
        engine.extract("", source="bad/2024-01-02.txt")
    items = ["利通电子", {"text": ""}, "润泽科技"]
    with pytest.raises(fupan.FupanError, match=r"input#2"):
        list(engine.extract_many(items))
    kept = list(engine.extract_many(items, on_error="skip"))
    assert [r["stocks"][0]["code"] for r in kept] == ["603629", "300442"]
    recorded = list(engine.extract_many([{"text": "", "id": "x"}, "利通电子"], on_error="record"))
    assert recorded[0]["input_id"] == "x" and "input#1" in recorded[0]["error"]
    with pytest.raises(TypeError, match="not int"):
        list(engine.extract_many([42]))
    with pytest.raises(ValueError, match="unknown table"):
        fupan.table_columns("nope")
    with pytest.raises(fupan.FupanError, match="record #1"):
        fupan.table_rows("claims", ['{"not": "a record"}'])
    # the interpreter is still there and the engine still works
    assert engine.extract("利通电子")["stocks"][0]["code"] == "603629"


def test_extract_many_streams_lazily_in_order_from_several_threads(engine):
    texts = [f"{i}、利通电子涨停，润泽科技跟涨" if i % 2 else "今日无事" for i in range(600)]
    pulled = []

    def source():
        for i, t in enumerate(texts):
            pulled.append(i)
            yield {"text": t, "id": str(i)}

    stream = engine.extract_many(source(), threads=2)
    first = next(stream)
    assert first["input_id"] == "0"
    assert len(pulled) < len(texts), "the input is read a batch at a time"
    rest = list(stream)
    assert [r["input_id"] for r in [first, *rest]] == [str(i) for i in range(600)]
    results = {}

    def worker(name):
        results[name] = [r["id"] for r in engine.extract_many(texts)]

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results[0] == results[1] == results[2] == [r["id"] for r in [first, *rest]]


def test_frames_have_the_export_columns_and_dtypes(engine, run_fupan, tmp_path):
    import pandas as pd
    import pyarrow.parquet as pq

    records = [engine.extract(p.read_text(encoding="utf-8", errors="replace"), source=f"corpus/{p.name}")
               for p in sorted(BUNDLED.iterdir()) if p.suffix == ".txt"]
    claims = engine.claims_frame(records)
    mentions = engine.mentions_frame(records)
    assert list(claims.columns) == [n for n, _ in fupan.table_columns("claims")]
    assert list(mentions.columns) == [n for n, _ in fupan.table_columns("mentions")]
    assert len(claims) > 10 and len(mentions) > 10
    assert claims["subject_code"].dtype == "string"
    assert mentions["code"].dtype == "string"
    assert mentions["code"].str.fullmatch(r"\d{6}").all()
    assert claims["date"].dtype == "datetime64[ns]" and mentions["date"].dtype == "datetime64[ns]"
    assert claims["value"].dtype == "float64"
    assert claims["start"].dtype == "Int64" and mentions["count"].dtype == "Int64"
    assert mentions["sentence"].isna().all()
    # the same rows as `fupan export claims --from-jsonl` of the same records
    jsonl = tmp_path / "records.jsonl"
    jsonl.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    out = tmp_path / "claims.parquet"
    run_fupan("export", "claims", "--from-jsonl", jsonl, "-o", out, "-q")
    exported = pq.read_table(out).to_pandas()
    assert len(exported) == len(claims)
    assert exported["subject_code"].fillna("").tolist() == claims["subject_code"].fillna("").tolist()
    assert exported["text"].tolist() == claims["text"].tolist()
    assert pd.to_datetime(exported["date"]).tolist() == claims["date"].tolist()
    # with the texts, mentions carry their sentence as the index's export does
    texts = [p.read_text(encoding="utf-8", errors="replace") for p in sorted(BUNDLED.iterdir()) if p.suffix == ".txt"]
    with_text = engine.mentions_frame(records, texts)
    assert with_text["sentence"].notna().all()


def test_index_search_returns_the_hits_of_fupan_search_json(run_fupan, tmp_path, engine):
    index = tmp_path / "idx"
    run_fupan("index", "-q", "--index", index, "corpus/")
    for query, flags, kwargs in [
        ("涨停", [], {}),
        ("", ["--stock", "利通电子"], {"stock": "利通电子"}),
        ("算力", ["--claims", "--limit", "5"], {"claims": True, "limit": 5}),
        ("", ["--from", "2026-03-01", "--to", "2026-03-31", "--limit", "50"],
         {"date_from": "2026-03-01", "date_to": "2026-03-31", "limit": 50}),
    ]:
        cli = jsonl_lines(run_fupan("search", "--json", "-q", "--index", index, *flags, "--", query, check=False).stdout)
        hits = fupan.Index(index, engine).search(query, **kwargs)
        assert hits == cli, (query, flags)
        assert hits, (query, flags)
    with pytest.raises(fupan.FupanError, match="no index here"):
        fupan.Index(tmp_path / "missing")
    with pytest.raises(fupan.FupanError, match="kind"):
        fupan.Index(index, engine).search("", kind="no_such_kind")


def test_the_arrow_schema_holds_real_records(engine):
    import pyarrow as pa

    def arrow_type(node):
        t = node["type"]["name"]
        if t == "utf8":
            return pa.string()
        if t == "int":
            return pa.int64()
        if t == "floatingpoint":
            return pa.float64()
        if t == "list":
            return pa.list_(arrow_field(node["children"][0]))
        return pa.struct([arrow_field(c) for c in node["children"]])

    def arrow_field(node):
        return pa.field(node["name"], arrow_type(node), nullable=node["nullable"])

    schema = pa.schema([arrow_field(f) for f in json.loads(fupan.schema("arrow"))["fields"]])
    records = [engine.extract_file(f"corpus/{p.name}", p.read_bytes())[0] for p in sorted(BUNDLED.iterdir())
               if p.suffix != ".jsonl"]
    table = pa.Table.from_pylist(records, schema=schema)
    assert table.num_rows == len(records)
    assert table.column("claims").to_pylist()[0] is not None
