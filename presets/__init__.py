"""Built-in presets; installed as ``pbxwizard.presets`` so they ship inside the wheel."""
