"""Allow ``python -m pbxwizard``."""

from pbxwizard.cli import main

raise SystemExit(main())
