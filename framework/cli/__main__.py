"""`python -m framework.cli`: the `medallion` command line without its console script."""

import sys

from framework.cli.main import main

sys.exit(main())
