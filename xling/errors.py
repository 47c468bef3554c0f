"""Domain errors. The library raises these; the CLI and the dashboard turn them into one clear line."""
from __future__ import annotations


class XlingError(Exception):
    """Base class of every error xling reports to a user."""


class InputError(XlingError):
    """A document cannot be used (missing, unreadable, empty, binary...)."""

    def __init__(self, source: str, problem: str) -> None:
        self.source = source
        self.problem = problem
        super().__init__(f"{source}: {problem}")


class EmptyDocument(InputError):
    """The document holds no text (empty or whitespace only)."""


class UnreadableFile(InputError):
    """The file does not exist, cannot be opened, or is not text."""


class TooManySegments(InputError):
    """A document splits into more segments than the limit (``Settings.max_segments``)."""


class UnknownModel(XlingError):
    """An embedding model name or path that cannot be loaded."""


class ManifestError(XlingError):
    """A batch manifest is malformed."""
