"""Static HTML: the docs site (`medallion docs`) and run reports (`medallion report`).

Pure Python and Jinja templates; the pages use only the JavaScript vendored in `vendor/` (see
its README), copied beside them, so they open offline from disk.
"""
