"""The Databricks runtime the bundle deploys to, and the open-source versions that match it.

One record, `runtimes.json`, is the single place these versions are written down. It feeds
`databricks.yml` (the job clusters' `spark_version`, the serverless `environment_version`), the
compatibility tier's pins (the Makefile installs `python -m framework.runtimes requirements`
into `.venv-compat`) and the README's "tested on" line; tests/test_runtimes.py fails when any of
them drifts from it. Standard library only: the Makefile runs it before any venv exists.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path

RECORD = Path(__file__).resolve().parent / "runtimes.json"
#: What the compat venv installs beside the pins: the `local` extra of pyproject.toml minus
#: pyspark and delta-spark (a test keeps the two lists equal).
COMPANIONS = ("pandas>=2.2,<3", "pyarrow>=15")


@dataclass(frozen=True)
class Runtime:
    name: str  # as Databricks' release notes name it
    spark_version: str  # the job clusters' runtime key
    serverless_environment_version: str  # serverless environment of the same Spark generation
    python: str  # the runtime's Python (major.minor)
    spark: str  # Apache Spark inside the runtime, per its release notes
    delta: str  # the Delta Lake release built against that Spark

    def requirements(self) -> list[str]:
        """pip requirements of the compatibility venv."""
        return [f"pyspark[connect]=={self.spark}", f"delta-spark=={self.delta}", *COMPANIONS]

    def tested_on(self) -> str:
        """The README's "tested on" line."""
        return (f"Tested on: {self.name} (`{self.spark_version}`: Apache Spark {self.spark}, Python {self.python}) and "
                f"serverless environment version {self.serverless_environment_version}, by running the whole "
                f"pipeline on pyspark {self.spark} with delta-spark {self.delta}, classic and through Spark Connect.")


def deployed() -> Runtime:
    """The runtime the bundle deploys to."""
    return Runtime(**json.loads(RECORD.read_text()))


def main(argv: list[str]) -> int:
    """`python -m framework.runtimes requirements|tested-on`, for the Makefile and humans."""
    runtime = deployed()
    outputs = {"requirements": lambda: "\n".join(runtime.requirements()),
               "tested-on": runtime.tested_on}
    if len(argv) != 1 or argv[0] not in outputs:
        print(f"usage: python -m framework.runtimes {'|'.join(outputs)}", file=sys.stderr)
        return 2
    print(outputs[argv[0]]())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
