"""kamailio.cfg: listeners from the transports, then the security routes, then a small registrar.

Every request passes, in this order: the ban list (silence), the scanner User-Agents
(silence), the flood check (pike; a flooding source joins the ban list), unknown domains
(silence), the pinned manager certificates (High), SRTP (488), then digest authentication,
where each failure from a source counts towards its ban. Users live in a db_text table
next to the config (``db/subscriber``), empty until the installer adds them.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from pbxwizard.settings.catalog_sip import plain_allowed
from pbxwizard.settings.durations import parse_duration


class Site(NamedTuple):
    address: str  # the listen address, IPv6 without brackets
    tls_cfg: str  # absolute paths
    db_dir: str
    aliases: tuple[str, ...]  # the host names that count as "this server"
    pins: tuple[str, ...]  # SHA-256 of each pinned manager certificate's PEM text, at High


def _str(text: str) -> str:
    """A Kamailio double-quoted string."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _regex(words: tuple[str, ...]) -> str:
    """A POSIX extended regex matching any of ``words`` as plain text."""
    specials = set("\\.^$|?*+()[]{}")
    return "|".join("".join("\\" + c if c in specials else c for c in w) for w in words)


def _listen(proto: str, address: str, port: int) -> str:
    host = f"[{address}]" if ":" in address else address
    return f"listen={proto}:{host}:{port}"


#: Kamailio 5.6 on OpenSSL 3: its tls module gives OpenSSL the shared-memory allocator, and the
#: per-thread error queue OpenSSL sets up in the main process is inherited by every worker it
#: forks (kamailio#3695; later releases' tls_threads_mode addresses it). Two workers in
#: handshakes at once then free and reuse the same blocks: the allocator reports double frees,
#: and sooner or later a worker dies and takes the server with it (kamailio#3791). A core dump
#: from an sslyze scan stops in qm_free, called from ERR_pop_to_mark under tls_accept. With one
#: TCP worker no two handshakes run at once; it still serves every TCP and TLS connection,
#: multiplexed, which is plenty for a small PBX's phones.
TCP_WORKERS = (
    "# One TCP/TLS worker: on 5.6 with OpenSSL 3 concurrent handshakes in several workers",
    "# corrupt OpenSSL's shared error queue and crash the server (kamailio#3791).",
    "tcp_children=1",
)


def globals_block(config: Any, site: Site) -> list[str]:
    transports = config["sip.transports"]
    lines = [
        "####### Global parameters",
        "debug=2",
        "log_stderror=no",
        "children=4",
        *TCP_WORKERS,
        "auto_aliases=no",
        "server_signature=no",
        "sip_warning=0",
        "enable_tls=yes",
        "disable_sctp=yes",
        f"# sip.transports = {transports}: TLS on sip.tls_port"
        + (f", {'TCP and UDP' if transports == 'tls_tcp_udp' else 'TCP'} on sip.port" if plain_allowed(transports) else " only"),
        _listen("tls", site.address, config["sip.tls_port"]),
    ]
    if plain_allowed(transports):
        lines.append(_listen("tcp", site.address, config["sip.port"]))
    if transports == "tls_tcp_udp":
        lines.append(_listen("udp", site.address, config["sip.port"]))
    for name in site.aliases:
        lines.append(f"alias={_str(name)}")
    return lines


def modules_block(config: Any, site: Site) -> list[str]:
    window = parse_duration(config["sip.failed_auth_window"])
    ban = parse_duration(config["sip.ban_time"])
    flood = config["sip.flood_limit"]
    lines = ["", "####### Modules (tls first: it must initialise OpenSSL before any other module)"]
    modules = ["tls", "db_text", "kex", "corex", "tm", "tmx", "sl", "rr", "pv", "maxfwd", "usrloc", "registrar",
               "textops", "siputils", "xlog", "sanity", "auth", "auth_db", "htable", "sdpops"]
    if flood:
        modules.append("pike")
    lines += [f'loadmodule "{m}.so"' for m in modules]
    lines += [
        f'modparam("tls", "config", {_str(site.tls_cfg)})',
        'modparam("usrloc", "db_mode", 0)',
        f'modparam("auth_db", "db_url", {_str("text://" + site.db_dir)})',
        'modparam("auth_db", "calculate_ha1", yes)',
        'modparam("auth_db", "password_column", "password")',
        'modparam("auth_db", "load_credentials", "")',
        f"# sip.failed_auth_window = {config['sip.failed_auth_window']}, sip.ban_time = {config['sip.ban_time']}",
        f'modparam("htable", "htable", "authfail=>size=10;autoexpire={window};")',
        f'modparam("htable", "htable", "ipban=>size=10;autoexpire={ban};")',
        'modparam("htable", "timer_interval", 10)',
    ]
    if flood:
        lines += [
            f"# sip.flood_limit = {flood} requests per second from one source",
            'modparam("pike", "sampling_time_unit", 1)',
            f'modparam("pike", "reqs_density_per_unit", {flood})',
            'modparam("pike", "remove_latency", 2)',
        ]
    return lines


def request_route(config: Any, site: Site) -> list[str]:
    checks = ["BANNED"]
    if config["access.ignore_user_agents"]:
        checks.append("SCANNERS")
    if config["sip.flood_limit"]:
        checks.append("FLOOD")
    if config["access.ignore_unknown_domains"]:
        checks.append("DOMAINS")
    if site.pins:
        checks.append("MANAGERS")
    body = [f"\troute({name});" for name in checks]
    body += [
        '\tif (!mf_process_maxfwd_header("10")) {', '\t\tsl_send_reply("483", "Too Many Hops");', "\t\texit;", "\t}",
        "\tif (!sanity_check()) {", "\t\texit;", "\t}",
        '\tif (is_method("OPTIONS") && uri==myself && $rU == $null) {',
        '\t\tsl_send_reply("200", "OK");', "\t\texit;", "\t}",
    ]
    if config["media.srtp"] == "required":
        body.append("\troute(SRTP);")
    body += [
        '\tif (is_method("CANCEL")) {', "\t\tif (t_check_trans()) {", "\t\t\troute(RELAY);", "\t\t}", "\t\texit;", "\t}",
        '\tif (!is_method("ACK")) {', "\t\tif (t_precheck_trans()) {", "\t\t\tt_check_trans();", "\t\t\texit;", "\t\t}",
        "\t\tt_check_trans();", "\t}",
        "\tif (has_totag()) {", "\t\tif (loose_route()) {", "\t\t\troute(RELAY);", "\t\t}",
        '\t\tif (is_method("ACK") && t_check_trans()) {', "\t\t\troute(RELAY);", "\t\t}", "\t\texit;", "\t}",
        '\tremove_hf("Route");',
        '\tif (is_method("INVITE|SUBSCRIBE")) {', "\t\trecord_route();", "\t}",
        "\troute(AUTH);",
        '\tif (is_method("REGISTER")) {', '\t\tif (!save("location")) {', "\t\t\tsl_reply_error();", "\t\t}",
        "\t\texit;", "\t}",
        "\tif ($rU == $null) {", '\t\tsl_send_reply("484", "Address Incomplete");', "\t\texit;", "\t}",
        '\tif (!lookup("location")) {', '\t\tsl_send_reply("404", "Not Found");', "\t\texit;", "\t}",
        "\troute(RELAY);",
    ]
    return ["", "####### Routing", "request_route {", *body, "}"]


def security_routes(config: Any, site: Site) -> list[str]:
    limit = config["sip.failed_auth_limit"]
    ban = parse_duration(config["sip.ban_time"])
    out = [
        "",
        "# A banned source gets no answer at all until its ban time has passed.",
        "route[BANNED] {",
        "\tif ($sht(ipban=>$si) != $null) {",
        "\t\tif ($sht(ipban=>$si) > $Ts) {", "\t\t\texit;", "\t\t}",
        "\t\t$sht(ipban=>$si) = $null;",
        "\t}",
        "}",
        "",
        "route[BAN] {",
        f"\t$sht(ipban=>$si) = $Ts + {ban};",
        f'\txlog("L_WARN", "pbxwizard: banned $si for {config["sip.ban_time"]} ($var(why))\\n");',
        "}",
    ]
    if config["access.ignore_user_agents"]:
        out += ["", "# access.ignore_user_agents: known scanners get no answer.", "route[SCANNERS] {",
                f"\tif ($ua =~ {_str(_regex(config['access.ignore_user_agents']))}) {{", "\t\texit;", "\t}", "}"]
    if config["sip.flood_limit"]:
        out += ["", "# sip.flood_limit: a source over the limit is banned like a password guesser.",
                "route[FLOOD] {", "\tif (!pike_check_req()) {", '\t\t$var(why) = "flood";', "\t\troute(BAN);",
                "\t\texit;", "\t}", "}"]
    if config["access.ignore_unknown_domains"]:
        out += ["", "# access.ignore_unknown_domains: requests for a domain not served here get no answer;",
                "# localhost stays reachable for tools on this machine.",
                "route[DOMAINS] {", '\tif (!has_totag() && !(uri==myself) && $rd != "localhost") {', "\t\texit;",
                "\t}", "}"]
    if site.pins:
        tests = " && ".join(f"$var(pin) != {_str(p)}" for p in site.pins)
        out += ["", "# services.client_certificate_checks = high: the CA's signature is not enough; only the",
                "# manager identities' own certificates (SHA-256 of their PEM text) are accepted.",
                "route[MANAGERS] {", '\tif ($proto == "tls") {', "\t\t$var(pin) = $(tls_peer_raw_cert{s.sha256});",
                f"\t\tif ({tests}) {{", '\t\t\txlog("L_WARN", "pbxwizard: refused client certificate $tls_peer_subject from $si\\n");',
                "\t\t\texit;", "\t\t}", "\t}", "}"]
    if config["media.srtp"] == "required":
        out += ["", "# media.srtp = required: an offer without SRTP is refused.", "route[SRTP] {",
                '\tif (is_method("INVITE") && has_body("application/sdp")) {',
                '\t\tif (!sdp_with_transport_like("SAVP")) {', '\t\t\tsl_send_reply("488", "Not Acceptable Here (SRTP required)");',
                "\t\t\texit;", "\t\t}", "\t}", "}"]
    count = ""
    if limit:
        count = ("\t\t\tif ($var(rc) == -2 || $var(rc) == -3) {"
                 "\n\t\t\t\t$var(n) = $sht(authfail=>$si);"  # a $var holding $null reads 0
                 "\n\t\t\t\t$var(n) = $var(n) + 1;\n\t\t\t\t$sht(authfail=>$si) = $var(n);"
                 "\n\t\t\t\tif ($var(n) > " + str(limit) + ") {"
                 '\n\t\t\t\t\t$sht(authfail=>$si) = $null;\n\t\t\t\t\t$var(why) = "failed authentications";'
                 "\n\t\t\t\t\troute(BAN);\n\t\t\t\t\texit;\n\t\t\t\t}\n\t\t\t}")
    out += ["", f"# sip.failed_auth_limit = {limit}: wrong passwords and unknown users count towards a ban.",
            "route[AUTH] {", '\tif (is_method("REGISTER") || from_uri==myself) {',
            '\t\tauth_check("$fd", "subscriber", "1");', "\t\t$var(rc) = $rc;", "\t\tif ($var(rc) < 0) {"]
    if count:
        out.append(count)
    out += ['\t\t\tauth_challenge("$fd", "1");', "\t\t\texit;", "\t\t}",
            '\t\tif (!is_method("REGISTER|PUBLISH")) {', "\t\t\tconsume_credentials();", "\t\t}", "\t}", "}",
            "", "route[RELAY] {", "\tif (!t_relay()) {", "\t\tsl_reply_error();", "\t}", "\texit;", "}"]
    return out


def render(config: Any, site: Site) -> str:
    lines = ["#!KAMAILIO", *globals_block(config, site), *modules_block(config, site),
             *request_route(config, site), *security_routes(config, site)]
    return "\n".join(lines) + "\n"
