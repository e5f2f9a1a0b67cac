# Copyright: pbxwizard developers; MIT licence (see the project's pyproject.toml)
"""The attribute wording the collection's modules share (private: leading underscore)."""

from __future__ import annotations


class ModuleDocFragment:
    CHECK_MODE = r"""
attributes:
  check_mode:
    support: full
    description: Plans and reports what would change without writing anything.
  diff_mode:
    support: none
"""
