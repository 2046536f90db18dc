"""fupan (复盘) for Python: stocks, concepts, organisations and claims out of Chinese A-share
market recaps, with the same engine and the same records as the ``fupan`` command line.

    >>> import fupan
    >>> engine = fupan.Engine()
    >>> record = engine.extract("8、利通电子——平台回复在手3000P。", date="2026-03-18")
    >>> record["stocks"][0]["code"]
    '603629'

Records are the JSON objects ``fupan extract`` writes (``docs/OUTPUT.md``), as dicts.
"""

from __future__ import annotations

import datetime as _dt
import itertools
import json
import os
from typing import Any, Dict, Iterable, Iterator, List, Mapping, Optional, Tuple, Union

from . import _native
from ._native import FupanError

__all__ = [
    "Engine",
    "Index",
    "FupanError",
    "TABLES",
    "table_columns",
    "table_rows",
    "table_frame",
    "schema",
]
__version__: str = _native.__version__

#: The export tables, as ``fupan export`` names them.
TABLES: Tuple[str, ...] = (
    "articles",
    "mentions",
    "claims",
    "stock_daily",
    "concept_daily",
    "cooccurrence",
)

DateLike = Union[str, _dt.date, None]
#: An input record: a text, or a mapping with ``text`` (and optionally ``title``, ``date``,
#: ``source``, ``author``, ``id``).
RecordLike = Union[str, Mapping[str, Any]]

_BATCH = 256


def _date_text(date: DateLike) -> Optional[str]:
    if date is None:
        return None
    if isinstance(date, (_dt.date, _dt.datetime)):
        return date.isoformat()[:10]
    return str(date)


def _text(value: Any) -> Optional[str]:
    return None if value is None else str(value)


def _record_tuple(item: RecordLike) -> tuple:
    if isinstance(item, str):
        return (item, None, None, None, None, None)
    if not isinstance(item, Mapping):
        raise TypeError(
            f"a record is a text or a mapping with 'text', not {type(item).__name__}"
        )
    return (
        _text(item.get("text")),
        _text(item.get("title")),
        _date_text(item.get("date")),
        _text(item.get("source")),
        _text(item.get("author")),
        _text(item.get("id")),
    )


class Engine:
    """The fupan engine: dictionaries, segmenter and recognisers, loaded once (about half a
    second) and shared by every call; safe to use from several threads.

    ``user_dict`` is a dictionary directory laid out as the built-in one (``dict/`` in the
    repository), as ``fupan --dict DIR`` takes it; ``None`` uses the built-in dictionaries.
    """

    def __init__(self, user_dict: Union[str, os.PathLike, None] = None) -> None:
        self._native = _native.NativeEngine(
            None if user_dict is None else os.fspath(user_dict)
        )

    def extract(
        self,
        text: str,
        title: Optional[str] = None,
        date: DateLike = None,
        source: Optional[str] = None,
        author: Optional[str] = None,
        id: Optional[str] = None,
    ) -> Dict[str, Any]:
        """The record of one article, as ``fupan extract`` writes it for a record with these
        fields: the text is the title, a line break and the text; ``source`` (a path) is read for
        a date and an author as a file name is; ``id`` comes back as ``input_id``.

        Raises ``FupanError`` naming the record when it has neither text nor title.
        """
        record = (_text(text), _text(title), _date_text(date), _text(source), _text(author), _text(id))
        return json.loads(self._native.extract(record, source or "input"))

    def extract_many(
        self,
        records: Iterable[RecordLike],
        threads: Optional[int] = None,
        on_error: str = "raise",
    ) -> Iterator[Dict[str, Any]]:
        """Records of many articles, streamed in input order. Each item is a text or a mapping
        with ``text`` (and ``title``, ``date``, ``source``, ``author``, ``id`` as ``extract``
        takes them). Batches are analysed on ``threads`` threads (default: all cores) with the
        GIL released, while the caller's iterable is read lazily, a batch at a time.

        ``on_error``: ``"raise"`` raises ``FupanError`` naming the record (``source``, else
        ``input#N``); ``"skip"`` leaves it out; ``"record"`` yields
        ``{"input_id": ..., "error": ...}`` in its place, as ``fupan extract --on-error record``.
        """
        if on_error not in ("raise", "skip", "record"):
            raise ValueError("on_error is 'raise', 'skip' or 'record'")
        items = iter(records)
        first = 1
        while True:
            batch = [_record_tuple(r) for r in itertools.islice(items, _BATCH)]
            if not batch:
                return
            outcomes = self._native.extract_batch(batch, first, threads)
            first += len(batch)
            yield from _outcomes(outcomes, on_error)

    def extract_file(
        self, name: str, data: bytes, on_error: str = "raise"
    ) -> List[Dict[str, Any]]:
        """The records of one file's bytes, read as ``fupan extract`` reads a file of that name
        (text, Markdown, HTML, JSON Lines, JSON, CSV, TSV; any encoding), dated by its name; no
        sidecar index is consulted."""
        return list(_outcomes(self._native.extract_file(name, data), on_error))

    def claims_frame(self, records: Iterable[Mapping[str, Any]]) -> "pandas.DataFrame":  # noqa: F821
        """The ``claims`` table of ``fupan export`` for these records, as a DataFrame."""
        return table_frame("claims", records)

    def mentions_frame(
        self,
        records: Iterable[Mapping[str, Any]],
        texts: Optional[Iterable[Optional[str]]] = None,
    ) -> "pandas.DataFrame":  # noqa: F821
        """The ``mentions`` table of ``fupan export`` for these records, as a DataFrame;
        ``sentence`` is filled where the article texts are given (in the records' order)."""
        return table_frame("mentions", records, texts)


def _outcomes(outcomes: list, on_error: str) -> Iterator[Dict[str, Any]]:
    for ok, payload, input_id, _text in outcomes:
        if ok:
            yield json.loads(payload)
        elif on_error == "raise":
            raise FupanError(payload)
        elif on_error == "record":
            yield {"input_id": input_id, "error": payload}


def table_columns(table: str) -> List[Tuple[str, str]]:
    """The columns of an export table: ``(name, type)``, type ``text``, ``int``, ``float`` or
    ``date``."""
    return list(_native.table_columns(table))


def table_rows(
    table: str,
    records: Iterable[Mapping[str, Any]],
    texts: Optional[Iterable[Optional[str]]] = None,
) -> List[tuple]:
    """The rows of an export table for these records, exactly as ``fupan export`` makes them
    (dates as ``YYYY-MM-DD`` strings). The daily tables aggregate all the records given."""
    encoded = [r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in records]
    return _native.export_rows(table, encoded, None if texts is None else list(texts))


def table_frame(
    table: str,
    records: Iterable[Mapping[str, Any]],
    texts: Optional[Iterable[Optional[str]]] = None,
) -> "pandas.DataFrame":  # noqa: F821
    """An export table as a pandas DataFrame with the export's columns: text as pandas'
    ``string`` dtype (codes keep their leading zeros), counts as nullable ``Int64``, figures as
    ``float64``, dates as ``datetime64[ns]``."""
    import pandas as pd

    columns = table_columns(table)
    rows = table_rows(table, records, texts)
    frame = pd.DataFrame.from_records(rows, columns=[name for name, _ in columns])
    for name, ty in columns:
        if ty == "text":
            frame[name] = frame[name].astype("string")
        elif ty == "int":
            frame[name] = frame[name].astype("Int64")
        elif ty == "float":
            frame[name] = frame[name].astype("float64")
        else:
            frame[name] = pd.to_datetime(frame[name], format="%Y-%m-%d")
    return frame


def schema(format: str = "json-schema") -> str:
    """The schema of extract records, as ``fupan schema --format`` prints it."""
    return _native.schema(format)


class Index:
    """A fupan index on disk (made by ``fupan index``), searched as ``fupan search`` does."""

    def __init__(self, path: Union[str, os.PathLike], engine: Optional[Engine] = None) -> None:
        self.path = os.fspath(path)
        if not os.path.isdir(self.path):
            raise FupanError(f"{self.path}: no index here (make one with `fupan index`)")
        self._engine = engine or Engine()

    def search(
        self,
        query: str = "",
        limit: int = 10,
        offset: int = 0,
        claims: bool = False,
        stock: Union[str, Iterable[str], None] = None,
        concept: Union[str, Iterable[str], None] = None,
        kind: Union[str, Iterable[str], None] = None,
        date_from: DateLike = None,
        date_to: DateLike = None,
        min: Optional[float] = None,
        max: Optional[float] = None,
        metric: Optional[str] = None,
        period: Optional[str] = None,
        basis: Optional[str] = None,
    ) -> List[Dict[str, Any]]:
        """Hits as ``fupan search --json`` prints them (articles, or claims with
        ``claims=True``), best first. Filters are those of ``fupan search``'s flags
        (``date_from``/``date_to`` are ``--from``/``--to``)."""

        def many(v: Union[str, Iterable[str], None]) -> List[str]:
            if v is None:
                return []
            return [v] if isinstance(v, str) else list(v)

        args = {
            "query": query,
            "claims": claims,
            "stock": many(stock),
            "concept": many(concept),
            "kind": many(kind),
            "date_from": _date_text(date_from),
            "date_to": _date_text(date_to),
            "min": min,
            "max": max,
            "metric": metric,
            "period": period,
            "basis": basis,
            "limit": limit,
            "offset": offset,
        }
        hits, self.total = _native.search(self._engine._native, self.path, args)
        return [json.loads(h) for h in hits]
