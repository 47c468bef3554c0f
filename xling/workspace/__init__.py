"""The workspace: human corrections kept in one SQLite file, and how they apply to a comparison.

    store.py        the SQLite store, its schema and frozen migrations
    corrections.py  the ``Correction`` record, its file formats, and applying corrections
"""
from .store import Workspace, WorkspaceError

__all__ = ["Workspace", "WorkspaceError"]
