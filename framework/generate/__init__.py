"""Synthetic Synthea CSV deliveries for tests, demos and benchmarks (pure Python, stdlib only).

>>> from framework.generate import generate
>>> report = generate(Path("landing"), patients=1000, deliveries=3)  # doctest: +SKIP
"""

from framework.generate.api import generate
from framework.generate.chronic import CHRONIC_CONDITIONS
from framework.generate.report import FileReport, GenerateReport
from framework.generate.schema import HEADERS, SOURCES, VERSIONS, header

__all__ = [
    "CHRONIC_CONDITIONS",
    "HEADERS",
    "SOURCES",
    "VERSIONS",
    "FileReport",
    "GenerateReport",
    "generate",
    "header",
]
