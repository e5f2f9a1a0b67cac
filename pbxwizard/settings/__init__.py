"""The settings: the catalog, value kinds, the Config value, security.toml, presets and the audit."""
