"""ctld: Counter-Terrorism Linked Data.

The public entry points are small, typed functions; the `ctld` command line only
parses arguments and reports what they return.
"""

from ctld.errors import CtldError
from ctld.settings import Settings
from ctld.validation import ValidationReport, Violation, validate

__version__ = "0.1.0"

__all__ = ["CtldError", "Settings", "ValidationReport", "Violation", "__version__", "validate"]
