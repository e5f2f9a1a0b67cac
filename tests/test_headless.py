"""The headless path never imports Textual: `pbxwizard apply` must start fast on a slow box."""

from __future__ import annotations

import json
import subprocess
import sys


def test_apply_does_not_import_textual(tmp_path):
    code = (
        "import json, sys\n"
        "from pbxwizard.cli import main\n"
        f"rc = main(['apply', '--preset', 'maximum', '--output', {str(tmp_path)!r}])\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'screens'))\n"
        "print(json.dumps({'rc': rc, 'heavy': heavy}))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result == {"rc": 0, "heavy": []}
    assert (tmp_path / "security.toml").is_file()
