"""Errors that reach users as one line of text."""

from __future__ import annotations


class PropscopeError(Exception):
    """Base class: its message is shown to the user as is, without a traceback."""


class InputError(PropscopeError):
    """An input (file, folder, URL, record) that cannot be read as an article."""

    def __init__(self, source: str, reason: str):
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason


class ArtifactError(PropscopeError):
    """A model artifact that is missing, corrupt, edited or of another kind."""


class FormatError(PropscopeError):
    """A SemEval label or prediction file that breaks the official format."""


class OutputError(PropscopeError):
    """An output file that cannot be written (its message names the real target)."""
