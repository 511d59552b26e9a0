"""Exceptions the user can cause; the CLI turns each into one line on stderr and exit 2."""

from __future__ import annotations


class TinyarmsError(Exception):
    """Base class: an error that is reported to the user as one line, exit code 2."""


class UsageError(TinyarmsError):
    """Bad command-line usage or an impossible combination of options."""


class ConfigError(TinyarmsError):
    """A configuration file that cannot be read or has unknown or invalid keys."""


class RuleFileError(TinyarmsError):
    """A rule markdown file that is malformed."""


class GitError(TinyarmsError):
    """A git command failed (for example: not a git repository)."""


class ModelError(TinyarmsError):
    """A model that is missing or cannot be loaded."""


class ModelUnavailable(ModelError):
    """A model that cannot answer for the rest of the run: it cannot be loaded, or its process crashed."""


class ServerError(TinyarmsError):
    """The warm model server cannot start (another one runs) or cannot be reached or stopped."""
