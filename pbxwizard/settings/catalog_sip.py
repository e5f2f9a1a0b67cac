"""The catalog's entries for the SIP server: sections sip and media.

How phones reach the PBX (which transports, which ports), how sources that guess passwords
or flood the server are banned, and whether calls must encrypt their media. The vendor's
documents say nothing of these, so every source is current practice: RFC 3261 and RFC 5630
for SIP over TLS, RFC 3711 and RFC 4568 for SRTP, and Kamailio's own module documentation
for the bans (pike, htable), which is what ``pbxwizard export kamailio`` turns them into.
"""

from __future__ import annotations

from pbxwizard.settings.kinds import Choice, ChoiceKind, DurationKind, IntKind
from pbxwizard.settings.durations import parse_duration
from pbxwizard.settings.schema import ASSUMED, HIGH, LOW, MEDIUM, Check, Setting

TRANSPORTS = (
    Choice("tls_tcp_udp", "TLS, TCP and UDP"),
    Choice("tls_tcp", "TLS and TCP"),
    Choice("tls", "TLS only"),
)
SRTP = (Choice("off", "Off"), Choice("optional", "Optional"), Choice("required", "Required"))


def plain_allowed(transports: str) -> bool:
    """True when SIP may also arrive unencrypted (TCP or UDP) on ``sip.port``."""
    return transports != "tls"


SIP: tuple[Setting, ...] = (
    Setting(
        "sip", "transports", "SIP transports",
        ChoiceKind(TRANSPORTS), "tls_tcp_udp",
        "Which transports phones and trunks may use for SIP signalling. TLS only keeps "
        "password digests, the numbers dialled and the call keys off the wire; allow TCP or UDP only "
        "for devices that cannot do TLS, and only where the network is trusted.",
        risk="Plain TCP or UDP signalling shows who calls whom, carries the SRTP keys in clear and lets "
             "scanners reach the server without a TLS handshake.",
        default_note=ASSUMED, system="sip",
        source="RFC 3261 section 26 and RFC 5630: SIP over TLS (sips); current practice",
        checks=(
            Check(MEDIUM, lambda v: v == "tls_tcp_udp",
                  "UDP and TCP signalling travel in clear, and UDP's spoofable sources make bans and floods "
                  "easy to abuse; allow TLS only.", "tls", guidance=True),
            Check(LOW, lambda v: v == "tls_tcp",
                  "TCP signalling travels in clear; allow TLS only once every device can use it.", "tls", guidance=True),
        ),
    ),
    Setting(
        "sip", "tls_port", "SIP TLS port",
        IntKind(1, 65535), 5061,
        "Port the server listens on for SIP over TLS. 5061 is the registered port; change it "
        "only when another service holds it or phones are configured otherwise.",
        source="RFC 3261 section 19.1.2: sips default port 5061", system="sip",
    ),
    Setting(
        "sip", "port", "SIP port (TCP and UDP)",
        IntKind(1, 65535), 5060,
        "Port for unencrypted SIP over TCP and UDP, used only when the transports allow them. "
        "Moving it away from 5060 hides nothing from a scanner; TLS only is the real fix.",
        source="RFC 3261 section 19.1.2: sip default port 5060", system="sip",
    ),
    Setting(
        "sip", "failed_auth_limit", "Failed registrations before a ban",
        IntKind(0, 1000, "failures", zero_means="never ban", safer="lower"), 0,
        "How many failed registrations or authentications one source address may make within "
        "the window below before it is banned. Phones rarely fail more than twice in a row; "
        "password guessers fail thousands of times.",
        risk="Without a limit a scanner can guess SIP passwords as fast as the server answers.",
        default_note=ASSUMED, system="sip",
        source="current practice (fail2ban-style banning); Kamailio htable module documentation",
        checks=(Check(HIGH, lambda v: v == 0,
                      "Nothing stops a source guessing SIP passwords as fast as the server answers.", 5, guidance=True),),
    ),
    Setting(
        "sip", "failed_auth_window", "Failed registration window",
        DurationKind(10, 86400, allow_off=False), "10m",
        "How long a source's failed registrations are remembered: once this much time passes "
        "without another failure, its count starts again from zero.",
        default_note=ASSUMED, system="sip",
        source="current practice (fail2ban findtime); Kamailio htable module documentation",
    ),
    Setting(
        "sip", "ban_time", "Ban time",
        DurationKind(10, 30 * 86400, allow_off=False), "1h",
        "How long a banned source gets no answer at all, for failed registrations and floods "
        "alike. Long enough to make guessing pointless, short enough that a phone with a stale "
        "password comes back by itself once it is fixed.",
        risk="A short ban lets a guesser carry on after a pause.",
        default_note=ASSUMED, system="sip",
        source="current practice (fail2ban bantime); Kamailio htable module documentation",
        checks=(Check(LOW, lambda v: parse_duration(v) < 300,
                      "A ban under five minutes barely slows a password guesser.", "1h", guidance=True),),
    ),
    Setting(
        "sip", "flood_limit", "Requests per second before a ban",
        IntKind(0, 10000, "requests per second", zero_means="no flood ban", safer="lower"), 0,
        "How many SIP requests one source may send in a second before it is banned for the ban "
        "time. A phone sends a few; a trunk or a proxy in front of many phones sends more, so "
        "leave room for those.",
        risk="Without a flood limit one source can keep the server busy enough to drop real calls.",
        default_note=ASSUMED, system="sip",
        source="current practice; Kamailio pike module documentation",
        checks=(Check(MEDIUM, lambda v: v == 0,
                      "Nothing bans a source that floods the server with requests.", 30, guidance=True),),
    ),
)

MEDIA: tuple[Setting, ...] = (
    Setting(
        "media", "srtp", "SRTP (encrypted media)",
        ChoiceKind(SRTP), "off",
        "Whether calls must encrypt their voice with SRTP. Required refuses a call whose offer has "
        "no SRTP (488 Not Acceptable Here); optional lets it through. SRTP keys travel in the SIP "
        "messages, so it protects only together with TLS signalling.",
        risk="Unencrypted RTP can be recorded and played back by anyone on the media path.",
        default_note=ASSUMED, system="sip",
        source="RFC 3711 (SRTP), RFC 4568 (SDES keys in SDP); current practice",
        checks=(
            Check(HIGH, lambda v: v == "off", "Calls travel unencrypted; anyone on the path can listen.", "required",
                  guidance=True),
            Check(LOW, lambda v: v == "optional", "A phone that offers no SRTP still gets an unencrypted call.",
                  "required", guidance=True),
        ),
    ),
)
