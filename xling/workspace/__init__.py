"""The workspace: human corrections kept in one SQLite file, and how they apply to a comparison.

    store.py        the SQLite store, its schema and frozen migrations
    corrections.py  the ``Correction`` record, its content hashing and its file formats
    apply.py        how corrections apply to an alignment's records (stale ones reported), and the table they project
"""
from .store import Workspace, WorkspaceError

__all__ = ["Workspace", "WorkspaceError"]
