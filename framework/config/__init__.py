"""Environment configuration: where landing and lakehouse live, which catalog and schema."""

from framework.config.environment import Environment, load_environment, project_root

__all__ = ["Environment", "load_environment", "project_root"]
