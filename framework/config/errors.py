class ConfigError(Exception):
    """An environment config is missing, malformed or overridden with an unknown key."""
