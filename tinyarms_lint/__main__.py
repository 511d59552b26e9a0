"""``python -m tinyarms_lint``."""

import sys

from .launcher import run

sys.exit(run())
