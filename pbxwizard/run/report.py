"""A plan (and what executing it did) in words or as one JSON object.

``pbxwizard apply --check`` prints ``check_text``; ``--json`` prints ``as_json``; the
Ansible module returns the same object's fields. Nothing here holds a secret: new password
hashes stand as ``plan.NEW_HASH`` in the diff, and passwords never reach a plan.
"""

from __future__ import annotations

from typing import Any, Iterable

from pbxwizard.run.plan import KEEP, Plan
from pbxwizard.settings.config import Config

FORMAT_VERSION = "1"  # a new minor field is additive; a reader rejects another major


def audited(plan: Plan) -> Config:
    """The config as the audit should see it: accounts getting a new password count as set."""
    if not plan.new_passwords:
        return plan.config
    present = {**plan.config.accounts, **{name: "(new password)" for name in plan.new_passwords}}
    return plan.config.with_accounts(present, plan.config.account_history)


def findings(plan: Plan, presets: Any) -> Any:
    """The audit report of the planned config; ``presets`` is a ``PresetSet``."""
    from pbxwizard.settings import audit

    config = audited(plan)
    facts = audit.planned_facts(plan.output, config, plan.extras.certificates)
    return audit.audit(config, {n: presets.values(n) for n in presets.names()}, facts)


def settings_diff(plan: Plan) -> str:
    """The unified diff of ``security.toml`` ("" when it stays as it is)."""
    return plan.files[0].diff or ""


def counts(plan: Plan) -> str:
    """"2 to create, 1 to update, 3 kept" over the listed entries."""
    order = ("create", "update", "replace", KEEP)
    tally = {a: sum(1 for f in plan.listed if f.action == a) for a in order}
    return ", ".join(f"{n} {'kept' if a == KEEP else 'to ' + a}" for a, n in tally.items() if n)


def check_text(plan: Plan, report: Any) -> str:
    """What ``apply --check`` prints: every file with its action, the diff, the findings."""
    lines = [f"plan for {plan.output}: {'changes' if plan.changed else 'no changes'} ({counts(plan)})"]
    if plan.loose_folder:
        lines.append(f"  tighten  {plan.output} (readable by others) to 0700")
    for change in plan.listed:
        lines.append(f"  {change.action:<8} {change.path}: {change.what}")
    if plan.kept_passwords:
        lines.append(f"passwords matching the stored hashes (kept): {', '.join(plan.kept_passwords)}")
    if plan.new_passwords:
        lines.append(f"new passwords to hash: {', '.join(plan.new_passwords)}")
    diff = settings_diff(plan)
    lines.append(diff.rstrip("\n") if diff else f"{plan.files[0].path.name}: no change")
    high = sum(1 for f in report.findings if f.severity == "high")
    lines.append(f"findings: {len(report.findings)} ({high} high); `pbxwizard check` explains them")
    lines.append("nothing was written (--check)")
    return "\n".join(lines)


def as_json(plan: Plan, report: Any, *, check: bool, notes: Iterable[str] = ()) -> dict[str, Any]:
    """One object: changed, the files with their action and diff, the findings and notes."""
    return {
        "format_version": FORMAT_VERSION,
        "check": check,
        "changed": plan.changed,
        "output": str(plan.output),
        "files": [{"path": str(f.path), "role": f.role, "action": f.action, "what": f.what,
                   **({"diff": f.diff} if f.diff else {})} for f in plan.files],
        "diff": settings_diff(plan),
        "passwords": {"new": list(plan.new_passwords), "kept": list(plan.kept_passwords)},
        "findings": [f.as_dict() for f in report.findings],
        "warnings": [str(w) for w in plan.warnings],
        "notes": list(notes),
    }


def failed_json(problems: Iterable[Any], *, check: bool, warnings: Iterable[Any] = ()) -> dict[str, Any]:
    """The object ``--json`` prints when the inputs are refused and nothing was written."""
    return {"format_version": FORMAT_VERSION, "check": check, "changed": False, "failed": True,
            "problems": [p._asdict() for p in problems], "warnings": [str(w) for w in warnings]}
