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

    def __reduce__(self) -> tuple[type, tuple[str, str]]:
        # pickled by the dashboard's page cache (a fetch that failed is cached with its error)
        return type(self), (self.source, self.problem)


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


class OutputError(XlingError):
    """An output file cannot be written (a folder, no space, no permission...)."""

    def __init__(self, target: str, problem: str) -> None:
        self.target = target
        self.problem = problem
        super().__init__(f"{target}: {problem}")

    def __reduce__(self) -> tuple[type, tuple[str, str]]:
        return type(self), (self.target, self.problem)


class SettingsError(XlingError, ValueError):
    """A setting of the wrong type or out of range (``Settings(threshold="abc")``); also a ``ValueError``."""


class UsageError(XlingError, TypeError):
    """The library called with the wrong kind of argument (a path where a Document belongs); also a ``TypeError``."""


class TooManyPairs(XlingError):
    """More documents than ``Settings.max_pairs`` pairs allow, refused before any work."""


class ModelMismatch(XlingError, ValueError):
    """Documents whose vectors two different models made, given to be aligned together; also a ``ValueError``."""


class WorkspaceError(XlingError):
    """A workspace file that cannot be used, or an id it does not hold."""
