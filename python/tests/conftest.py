"""Shared fixtures: the repository, the real ``fupan`` binary and one engine for the session."""

import os
import pathlib
import subprocess

import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]
SHARED_CORPUS = REPO.parent / "shared" / "corpus"


def fupan_binary() -> pathlib.Path:
    """``$FUPAN_BIN``, else the release build under ``$CARGO_TARGET_DIR`` or ``target/``."""
    if os.environ.get("FUPAN_BIN"):
        return pathlib.Path(os.environ["FUPAN_BIN"])
    target = pathlib.Path(os.environ.get("CARGO_TARGET_DIR", REPO / "target"))
    return target / "release" / "fupan"


@pytest.fixture(scope="session")
def fupan_bin() -> pathlib.Path:
    path = fupan_binary()
    assert path.is_file(), f"{path}: build the binary first (cargo build --release) or set FUPAN_BIN"
    return path


@pytest.fixture(scope="session")
def run_fupan(fupan_bin):
    def run(*args, input=None, cwd=REPO, check=True):
        done = subprocess.run(
            [str(fupan_bin), *map(str, args)],
            input=input,
            cwd=cwd,
            capture_output=True,
        )
        if check and done.returncode != 0:
            raise AssertionError(f"fupan {' '.join(map(str, args))}: {done.stderr.decode()}")
        return done

    return run


@pytest.fixture(scope="session")
def engine():
    import fupan

    return fupan.Engine()


@pytest.fixture(scope="session")
def shared_corpus() -> pathlib.Path:
    if not SHARED_CORPUS.is_dir():
        print(f"SKIPPED: {SHARED_CORPUS} is absent")
        pytest.skip(f"SKIPPED: {SHARED_CORPUS} is absent (the shared corpus)")
    return SHARED_CORPUS


def corpus_records(corpus: pathlib.Path):
    """The shared corpus as input records: each text or Markdown file one record (its text as
    it is, its path below the corpus as id and source, so file-name dates apply), then each
    news item of ``news_bbt/items.jsonl``."""
    import json

    records = []
    for path in sorted(corpus.rglob("*")):
        if path.suffix not in (".txt", ".md") or path.name.startswith(("PROVENANCE", "README")):
            continue
        rel = path.relative_to(corpus).as_posix()
        records.append({"id": rel, "source": rel, "text": path.read_text(encoding="utf-8", errors="replace")})
    with open(corpus / "news_bbt" / "items.jsonl", encoding="utf-8") as f:
        for line in f:
            item = json.loads(line)
            records.append(
                {
                    "id": item["file"],
                    "source": "news_bbt/" + item["file"],
                    "title": item.get("headline"),
                    "text": item.get("text"),
                }
            )
    return records


def jsonl_lines(data: bytes):
    import json

    return [json.loads(line) for line in data.decode().splitlines() if line.strip()]
