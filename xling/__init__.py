"""xling: compare articles across languages, passage by passage.

    >>> import xling
    >>> docs = [xling.read_document("a.txt"), xling.read_document("b.txt")]
    >>> table = xling.compare(docs).to_dataframe()
"""
from __future__ import annotations

from .duplicates import NearDuplicate, near_duplicates
from .embed import available_models, get_embedder
from .errors import (
    EmptyDocument,
    InputError,
    ModelMismatch,
    OutputError,
    SettingsError,
    TooManyPairs,
    UnknownModel,
    UnreadableFile,
    UsageError,
    XlingError,
)  # fmt: skip
from .export import read_table, to_bytes, write_table
from .io import document_from_bytes, document_from_text, read_document
from .pipeline import Comparison, PairResult, Prepared, align_pair, compare, prepare, realign
from .types import Coverage, Document, Link, Segment, Settings
from .workspace.store import Workspace

__version__ = "0.1.0"
__all__ = [
    "Comparison", "Coverage", "Document", "EmptyDocument", "InputError", "Link", "ModelMismatch", "NearDuplicate", "OutputError", "PairResult",
    "Prepared", "Segment", "Settings", "SettingsError", "TooManyPairs", "UnknownModel", "UnreadableFile", "UsageError", "XlingError",
    "align_pair", "available_models", "compare", "document_from_bytes", "near_duplicates", "document_from_text", "get_embedder",
    "prepare", "read_document",
    "read_table", "realign", "to_bytes", "Workspace", "write_table",
]  # fmt: skip
