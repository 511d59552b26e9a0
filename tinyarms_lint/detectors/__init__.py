"""Registry of deterministic detectors by the name a rule file gives in ``detector:``.

Detector modules are imported only when a rule that uses them runs.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .base import Detector

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


def get_detector(name: str) -> Detector:
    """Import and return the detector function registered as ``name``."""
    module_name, func = DETECTORS[name].split(":")
    module = importlib.import_module(f"{__name__}.{module_name}")
    detector: Detector = getattr(module, func)
    return detector
