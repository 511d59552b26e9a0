"""Registry of deterministic detectors by the name a rule file gives in ``detector:``.

Detector modules are imported only when a rule that uses them runs.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .base import Detector, Preparer

# detector name -> "module:function"
DETECTORS: dict[str, str] = {
    "hardcoded-colors": "colors:detect",
    "magic-numbers": "magic_numbers:detect",
    "import-aliases": "import_aliases:detect",
    "design-tokens": "design_tokens:detect",
    "dry": "dry:detect",
    "comment-language": "comment_language:detect",
    "i18n-hardcoded-strings": "i18n_strings:detect",
    "i18n-locale-consistency": "locale_consistency:detect",
}

# detector name -> "module:function" run once before the files are checked (a repository-wide index built
# before the engine forks its workers, so they share it instead of each building its own)
PREPARERS: dict[str, str] = {"dry": "dry:prepare"}


def get_detector(name: str) -> Detector:
    """Import and return the detector function registered as ``name``."""
    module_name, func = DETECTORS[name].split(":")
    module = importlib.import_module(f"{__name__}.{module_name}")
    detector: Detector = getattr(module, func)
    return detector


def get_preparer(name: str) -> Preparer | None:
    """The function a detector registered to run before the files are checked, if any."""
    if name not in PREPARERS:
        return None
    module_name, func = PREPARERS[name].split(":")
    module = importlib.import_module(f"{__name__}.{module_name}")
    preparer: Preparer = getattr(module, func)
    return preparer
