"""The command line: `medallion` (main.py, a module per command under commands/) and
`medallion-task`, the generic task every Databricks job calls."""
