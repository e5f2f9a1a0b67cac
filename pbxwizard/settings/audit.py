"""Audit a valid Config: findings by severity and the preset it is closest to.

Rules come from the catalog's ``checks``; this module only runs them and sums up.
"""

from __future__ import annotations

from typing import Any, Mapping, NamedTuple

from pbxwizard.settings import catalog
from pbxwizard.settings.config import Config


class Finding(NamedTuple):
    severity: str
    key: str
    value: Any
    why: str
    safer: Any
    guidance: bool  # True: current guidance (NIST, RFCs) rather than the vendor's scenarios

    def as_dict(self) -> dict[str, Any]:
        data = self._asdict()
        setting = catalog.BY_KEY.get(self.key)
        if setting is not None:  # typed as in TOML, secrets masked; account findings have no catalog setting
            data["value"] = setting.kind.to_json(self.value)
            data["safer"] = setting.kind.to_json(self.safer)
        return data

    def value_text(self) -> str:
        setting = catalog.BY_KEY.get(self.key)
        return setting.kind.display(self.value) if setting else str(self.value)

    def safer_text(self) -> str:
        setting = catalog.BY_KEY.get(self.key)
        return setting.kind.display(self.safer) if setting else str(self.safer)


class Posture(NamedTuple):
    closest: str
    differences: dict[str, int]  # preset name -> number of keys that differ


class Report(NamedTuple):
    findings: tuple[Finding, ...]
    posture: Posture | None

    def count(self, severity: str) -> int:
        return sum(1 for f in self.findings if f.severity == severity)

    @property
    def has_high(self) -> bool:
        return self.count(catalog.HIGH) > 0


def findings(config: Config, facts: catalog.Facts | None = None,
             base: Mapping[str, Any] | None = None) -> list[Finding]:
    """The catalog's findings; with ``base`` (the config's preset's values) also a low one for
    each setting weaker than that preset where the catalog's checks found nothing."""
    order = {s: i for i, s in enumerate(catalog.SEVERITIES)}
    out = []
    for setting in catalog.SETTINGS:
        value = config[setting.key]
        worst = None
        for check in sorted(setting.checks, key=lambda c: order[c.severity]):
            # every problem of the worst severity found, but no milder echo of the same value
            if (worst is None or check.severity == worst) and check.weak(value):
                worst = check.severity
                out.append(Finding(check.severity, setting.key, value, check.why, check.safer, check.guidance))
        if worst is None and base is not None and setting.key in base:
            out += weaker_than_preset(setting, value, base[setting.key], config.preset)
    out += cross_findings(config, facts or catalog.Facts())
    out += account_findings(config)
    return sorted(out, key=lambda f: order[f.severity])


def weaker_than_preset(setting: catalog.Setting, value: Any, preset_value: Any, preset: str) -> list[Finding]:
    """A low finding when ``value`` is weaker than the preset's, by the same test that marks a
    change WEAKER in the wizard and in ``pbxwizard diff`` (``Setting.weakens``)."""
    if not setting.weakens(preset_value, value):
        return []
    shown = setting.kind.display(preset_value)
    why = f"Weaker than the {preset} preset chosen for this config, which sets {shown}."
    return [Finding(catalog.LOW, setting.key, value, why, preset_value, False)]


def cross_findings(config: Config, facts: catalog.Facts) -> list[Finding]:
    """The catalog's rules across settings and what the output folder holds."""
    out = []
    for rule in catalog.CHECK_RULES:
        if rule.weak(config, facts):
            value = "none, for " + " and ".join(rule.applies_to(config))
            out.append(Finding(rule.severity, rule.name, value, rule.why, rule.safer, False))
    return out


def folder_facts(output: Any) -> catalog.Facts:
    """What the output folder holds that the audit needs: the certificate store's manager certificate."""
    from pathlib import Path

    from pbxwizard.certs.layout import Layout

    layout = Layout.for_output(Path(output))
    return catalog.Facts(manager_certificate=layout.has_manager_certificate(), has_store=layout.exists())


def planned_facts(output: Any, config: Config, makes_store: bool) -> catalog.Facts:
    """The folder's facts once a run that ``makes_store`` has written: a new local-CA store
    issues the manager certificate whenever the settings need one (an existing store is kept)."""
    facts = folder_facts(output)
    if makes_store and config["certificates.mode"] == "local_ca" and not facts.has_store:
        facts = facts._replace(manager_certificate=True)
    return facts


def account_findings(config: Config) -> list[Finding]:
    """Accounts still on their factory password while the config says they must change."""
    from pbxwizard.passwords import accounts

    if not config["services.require_new_passwords"]:
        return []  # that setting's own check already reports it
    missing = accounts.missing(config)
    if not missing:
        return []
    return [Finding(
        catalog.HIGH, accounts.TABLE, ", ".join(missing),
        "services.require_new_passwords is on, but no new password is stored for these accounts, "
        "so they keep the factory passwords printed in the vendor's manuals.",
        "set them in the wizard or with: pbxwizard apply --passwords FILE", False,
    )]


def posture(config: Config, presets: Mapping[str, Mapping[str, Any]]) -> Posture | None:
    if not presets:
        return None
    diffs = {name: len(config.changed_from(values)) for name, values in presets.items()}
    return Posture(min(diffs, key=lambda n: diffs[n]), diffs)


def audit(config: Config, presets: Mapping[str, Mapping[str, Any]] | None = None,
          facts: catalog.Facts | None = None) -> Report:
    """``facts`` about the output folder; checks that need one it does not give stay silent.
    A setting weaker than the config's own preset (in ``presets``) is a low finding."""
    base = (presets or {}).get(config.preset) if config.preset else None
    return Report(tuple(findings(config, facts, base)), posture(config, presets or {}))
