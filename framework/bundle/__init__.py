"""`databricks.yml` from the same specs the local pipeline runs (pure Python, no Spark).

`jobs` plans the Databricks jobs from the spec catalog; `render` writes them into the bundle
template shipped in `templates/`. `medallion bundle` writes the result at the project root.
"""

from framework.bundle.jobs import Job, Task, plan_jobs
from framework.bundle.render import BUNDLE_FILE, render_bundle

__all__ = ["BUNDLE_FILE", "Job", "Task", "plan_jobs", "render_bundle"]
