"""Type hints of fupan's Python API."""

import datetime
import os
from typing import Any, Dict, Iterable, Iterator, List, Mapping, Optional, Tuple, Union

import pandas

from ._native import FupanError as FupanError

__version__: str
TABLES: Tuple[str, ...]

DateLike = Union[str, datetime.date, None]
RecordLike = Union[str, Mapping[str, Any]]

class Engine:
    def __init__(self, user_dict: Union[str, os.PathLike, None] = None) -> None: ...
    def extract(
        self,
        text: str,
        title: Optional[str] = None,
        date: DateLike = None,
        source: Optional[str] = None,
        author: Optional[str] = None,
        id: Optional[str] = None,
    ) -> Dict[str, Any]: ...
    def extract_many(
        self,
        records: Iterable[RecordLike],
        threads: Optional[int] = None,
        on_error: str = "raise",
    ) -> Iterator[Dict[str, Any]]: ...
    def extract_file(
        self, name: str, data: bytes, on_error: str = "raise"
    ) -> List[Dict[str, Any]]: ...
    def claims_frame(self, records: Iterable[Mapping[str, Any]]) -> pandas.DataFrame: ...
    def mentions_frame(
        self,
        records: Iterable[Mapping[str, Any]],
        texts: Optional[Iterable[Optional[str]]] = None,
    ) -> pandas.DataFrame: ...

def table_columns(table: str) -> List[Tuple[str, str]]: ...
def table_rows(
    table: str,
    records: Iterable[Mapping[str, Any]],
    texts: Optional[Iterable[Optional[str]]] = None,
) -> List[tuple]: ...
def table_frame(
    table: str,
    records: Iterable[Mapping[str, Any]],
    texts: Optional[Iterable[Optional[str]]] = None,
) -> pandas.DataFrame: ...
def schema(format: str = "json-schema") -> str: ...

class Index:
    path: str
    total: int
    def __init__(self, path: Union[str, os.PathLike], engine: Optional[Engine] = None) -> None: ...
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
    ) -> List[Dict[str, Any]]: ...
