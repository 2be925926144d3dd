"""Jobs: the `medallion` command line and the generic task Databricks jobs call."""
