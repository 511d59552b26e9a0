"""CLI sub-command groups that live outside cli.py, one module per group."""
