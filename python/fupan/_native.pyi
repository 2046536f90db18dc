"""Type hints of the compiled module (``fupan._native``); use the API of ``fupan`` instead."""

from typing import Any, Dict, List, Optional, Tuple

__version__: str

class FupanError(Exception):
    """An input fupan could not use, or a failure of the index; the message names the record
    or path."""

_RecordTuple = Tuple[
    Optional[str], Optional[str], Optional[str], Optional[str], Optional[str], Optional[str]
]
_Outcome = Tuple[bool, str, Optional[str], Optional[str]]

class NativeEngine:
    def __init__(self, dict_dir: Optional[str] = None) -> None: ...
    def extract(self, record: _RecordTuple, name: str) -> str: ...
    def extract_batch(
        self,
        records: List[_RecordTuple],
        first: int,
        threads: Optional[int] = None,
        with_text: bool = False,
    ) -> List[_Outcome]: ...
    def extract_file(self, name: str, data: bytes, with_text: bool = False) -> List[_Outcome]: ...

def table_columns(table: str) -> List[Tuple[str, str]]: ...
def export_rows(
    table: str, records: List[str], texts: Optional[List[Optional[str]]] = None
) -> List[tuple]: ...
def schema(format: str) -> str: ...
def search(engine: NativeEngine, dir: str, args: Dict[str, Any]) -> Tuple[List[str], int]: ...
