"""A Spark Connect server holding one lakehouse's local session, as a process of its own:

    python -m tests.serve LAKEHOUSE

starts the session a `medallion` command would (framework/engine/session.py: the lakehouse's
Derby catalog, Delta, the settings in PYSPARK_SUBMIT_ARGS), serving Spark Connect on a free port;
prints the port once clients can connect, and lives until its stdin closes. Commands run as
`medallion --remote sc://localhost:PORT` then start no JVM of their own (tests/cli/test_crash.py).
"""

from __future__ import annotations

import sys
from pathlib import Path

from framework.engine.session import local_session
from tests.helpers import serve_connect


def main(lakehouse: Path) -> None:
    port = serve_connect()
    local_session(lakehouse)
    print(port, flush=True)
    sys.stdin.read()


if __name__ == "__main__":
    main(Path(sys.argv[1]))
