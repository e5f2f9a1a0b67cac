"""Built-in presets; installed as ``pbxwizard.preset_files`` so they ship inside the wheel."""
