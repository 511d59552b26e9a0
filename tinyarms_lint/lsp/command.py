"""``tinyarms-lint lsp``: the language server over stdio (needs the ``lsp`` extra: pygls, lsprotocol)."""

from __future__ import annotations

import click

from ..errors import UsageError

INSTALL_HINT = "pip install 'tinyarms-lint[lsp]'"


@click.command("lsp")
@click.option("--stdio", is_flag=True, help="Talk over stdin/stdout (the default and only transport).")
def command(stdio: bool) -> None:
    """Run the language server over stdio: diagnostics on open and save, code actions, hover.

    Settings come from the client's initializationOptions: "run" ("onSave" or "onType"), "debounceMs",
    "scope" ("changed": lines that differ from the git index, or "file"), "model" (true or false).
    """
    try:
        import lsprotocol  # noqa: F401
        import pygls  # noqa: F401
    except ImportError as exc:
        raise UsageError(f"the language server needs pygls and lsprotocol, which are not installed: {INSTALL_HINT}") from exc
    from .server import serve

    serve()
