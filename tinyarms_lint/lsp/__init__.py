"""The language server: on-save diagnostics, code actions and hover for editors (``tinyarms-lint lsp``)."""
