"""The pairing step: which extensions get a pairing code, and the codes' expiry as a countdown."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from pbxwizard.errors import InvalidValue
from pbxwizard.settings import catalog
from pbxwizard.wizard.settings import SettingsStep
from pbxwizard.wizard.shared import Shared
from pbxwizard.wizard.views import PairingPlan


@dataclass
class PairingStep:
    shared: Shared = field(repr=False)
    settings: SettingsStep = field(repr=False)  # domain, server and code lifetime come from its values

    @property
    def extensions(self) -> tuple[str, ...]:
        return self.shared.extras.pair

    def plan(self) -> PairingPlan:
        from pbxwizard.settings.durations import describe_seconds

        values = self.settings.current()
        duration = values["pairing.barcode_duration"]
        seconds = catalog.get("pairing.barcode_duration").kind.seconds(duration)
        missing = tuple(k for k in ("pairing.domain", "pairing.server") if not values.get(k))
        return PairingPlan(values["pairing.domain"], values["pairing.server"], missing, seconds is None,
                           describe_seconds(seconds) if seconds else "without expiry", self.shared.extras.pair)

    def parse_extensions(self, text: str) -> tuple[tuple[str, ...], str | None]:
        """Extensions typed into the pairing list (spaces or commas between them), each checked."""
        from pbxwizard.pairing.tokens import check_extension

        found = tuple(part for part in text.replace(",", " ").split() if part)
        try:
            for ext in found:
                check_extension(ext)
        except InvalidValue as exc:
            return (), str(exc)
        twice = [e for e in found if e in self.shared.extras.pair or found.count(e) > 1]
        if twice:
            return (), f"{twice[0]} is listed already"
        return found, None

    def set_pair(self, extensions: list[str]) -> None:
        if tuple(extensions) != self.shared.extras.pair:
            self.shared.dirty = True
        self.shared.extras = self.shared.extras._replace(pair=tuple(extensions))

    def waiting(self) -> str | None:
        plan = self.plan()
        if not plan.extensions:
            return None
        if plan.no_expiry:
            return ("Codes without expiry are made one by one with `pbxwizard pair EXT`; "
                    "remove the extensions here, or give the codes a lifetime in App pairing settings.")
        if plan.missing:
            titles = " and ".join(catalog.get(k).title for k in plan.missing)
            return f"Pairing codes need {titles}: set {'them' if len(plan.missing) > 1 else 'it'} in App pairing settings."
        return None

    def expiry_text(self, token) -> str:
        """A code's expiry as a countdown from the shared clock."""
        from pbxwizard.pairing.tokens import format_time

        if token.expires is None:
            return "no expiry: works until the user's password changes"
        left = int(token.expires - self.shared.clock())
        if left <= 0:
            return f"expired at {format_time(token.expires)}"
        days, rest = divmod(left, 86400)
        hours, rest = divmod(rest, 3600)
        clock = f"{hours:02d}:{rest // 60:02d}:{rest % 60:02d}"
        return f"expires in {f'{days}d ' if days else ''}{clock} (at {format_time(token.expires)})"

    def save_sheet(self, codes) -> Path:
        """The printable sheet of ``codes`` (the (token, code) pairs a write made)."""
        from pbxwizard.pairing import tokens, codefiles

        store = tokens.Store(self.shared.output, now=self.shared.clock)
        return codefiles.write_sheet(store, [(token, "") for token, _ in codes], domain=self.plan().domain)
