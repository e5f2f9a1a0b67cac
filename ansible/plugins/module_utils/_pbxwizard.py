# Copyright: pbxwizard developers; MIT licence (see the project's pyproject.toml)
"""What the collection's modules share: the pbxwizard import guard and refusals as failures.

Private (the leading underscore): only this collection's modules use it.
"""

from __future__ import annotations

from ansible.module_utils.basic import missing_required_lib


def require_pbxwizard(module):
    """Fail the task with Ansible's usual message when the host's Python lacks pbxwizard."""
    try:
        import pbxwizard  # noqa: F401
    except ImportError as exc:
        module.fail_json(msg=missing_required_lib("pbxwizard"), exception=str(exc))


def secret_bytes(text):
    """A passphrase option as the bytes pbxwizard takes; None when it is not given."""
    return text.encode("utf-8") if text else None


def fail_refused(module, error, lead="pbxwizard refused the inputs; nothing was written"):
    """End the task failed with every problem of a pbxwizard ``ConfigError`` (or a message)."""
    problems = list(getattr(error, "problems", []))
    detail = "; ".join(str(p) for p in problems) if problems else str(error)
    module.fail_json(msg=f"{lead}: {detail}", problems=[p._asdict() for p in problems], changed=False)
