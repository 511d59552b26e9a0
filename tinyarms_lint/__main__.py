"""``python -m tinyarms_lint``."""

import sys

from .cli import run

sys.exit(run())
