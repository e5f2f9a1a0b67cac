"""The catalog's sections, apart from its entries: the wizard's first screen lists their titles,
and importing the whole catalog for that would slow its start-up."""


from typing import NamedTuple


class Section(NamedTuple):
    name: str
    title: str
    blurb: str


SECTIONS = (
    Section("web", "Web and login", "How long administrator sessions, TLS sessions and login tokens live."),
    Section("passwords", "Passwords and PINs", "What a password or PIN must look like and what happens around it."),
    Section("tls", "TLS and DTLS", "Which protocol versions and ciphers encrypted connections may use."),
    Section("access", "Access control", "Who may reach the PBX without logging in, and whose traffic it ignores."),
    Section("pairing", "App pairing", "How long the QR codes that pair the phone apps stay valid."),
    Section("services", "Service security", "How the management services and their certificates are secured."),
    Section("certificates", "Certificates", "How the PBX's own certificates are made: by a local CA or a third-party one, with which keys and names."),
    Section("unsecured", "Unsecured interfaces", "Legacy interfaces that carry configuration or data without encryption."),
    Section("sip", "SIP signalling", "How phones reach the SIP server, and when a source that guesses passwords or floods it is banned."),
    Section("media", "Media", "Whether the voice of a call must be encrypted."),
)
