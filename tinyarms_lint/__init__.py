"""tinyarms-lint: a constitutional linter for git pre-commit, CI and editors."""

__version__ = "0.1.0"
