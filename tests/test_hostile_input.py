"""Hostile input: random and malformed values never raise anything but the project's own
errors, and every accepted value survives the TOML writer unchanged."""

import ipaddress
import string
import tomllib

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from pbxwizard.settings import catalog, tomlfile, durations, netlists, presets
from pbxwizard.settings.config import build
from pbxwizard.errors import ConfigError, InvalidValue

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
PER_SETTING = settings(SETTINGS, max_examples=40)  # x 2 inputs x every catalog setting
STORE = presets.load(include_user=False)
BASE = STORE.values("maximum")

toml_scalars = st.one_of(
    st.integers(), st.booleans(), st.floats(allow_nan=False), st.text(max_size=40),
    st.lists(st.one_of(st.text(max_size=20), st.integers()), max_size=5),
)


def survives_toml(setting, value):
    """Write the value into a whole config, read it back with tomllib, check it again."""
    config = build("maximum", BASE, {setting.key: value})
    text = tomlfile.render(config, BASE)
    raw = tomllib.loads(text)[setting.section][setting.name]
    assert setting.kind.from_toml(raw) == value
    assert setting.kind.from_text(setting.kind.to_text(value)) == value


@pytest.mark.parametrize("setting", catalog.SETTINGS, ids=lambda s: s.key)
@PER_SETTING
@given(text=st.text(max_size=60), raw=toml_scalars)
def test_any_input_gives_a_value_or_invalid_value(setting, text, raw):
    for parse, arg in ((setting.kind.from_text, text), (setting.kind.from_toml, raw)):
        try:
            value = parse(arg)
        except InvalidValue as exc:
            assert str(exc)  # a message a person can read
            continue
        if any(setting.key in rule.keys for rule in catalog.RULES):
            continue  # a lone value can contradict its partner (TLS min/max, key type/min key size); covered by the rule tests
        survives_toml(setting, value)


ip_text = st.one_of(st.ip_addresses(v=4), st.ip_addresses(v=6)).map(str)
networks = st.one_of(
    st.tuples(st.ip_addresses(v=4), st.integers(0, 32)).map(lambda t: ipaddress.ip_network(f"{t[0]}/{t[1]}", strict=False)),
    st.tuples(st.ip_addresses(v=6), st.integers(0, 128)).map(lambda t: ipaddress.ip_network(f"{t[0]}/{t[1]}", strict=False)),
).map(str)
label = st.text(string.ascii_lowercase + string.digits, min_size=1, max_size=12)
domains = st.lists(label, min_size=1, max_size=4).map(".".join)
users = st.text(string.ascii_letters + string.digits + "._-", min_size=1, max_size=12)
credentials = st.tuples(users, st.text(string.ascii_letters + string.digits + "!$%&*+-.", max_size=12)).map(":".join)
agents = st.text(string.ascii_letters + string.digits + " -_./", min_size=1, max_size=20).map(str.strip).filter(bool)


@SETTINGS
@given(st.lists(st.one_of(ip_text, networks, credentials, st.just("localhost")), max_size=8))
def test_valid_api_lists_are_accepted_and_round_trip(entries):
    setting = catalog.get("access.api_access_list")
    value = setting.kind.from_toml(entries)
    assert value == tuple(entries)
    survives_toml(setting, value)


@SETTINGS
@given(st.lists(st.tuples(users, domains, ip_text).map(lambda t: f"{t[0]}@{t[1]}:{t[2]}"), max_size=6))
def test_valid_csta_lists_are_accepted_and_round_trip(entries):
    setting = catalog.get("access.csta_access_list")
    survives_toml(setting, setting.kind.from_toml(entries))


@SETTINGS
@given(st.lists(agents, max_size=6))
def test_user_agent_lists_round_trip_through_the_pbx_notation(entries):
    setting = catalog.get("access.ignore_user_agents")
    value = setting.kind.from_toml(entries)
    assert netlists.split_quoted(netlists.join_quoted(value)) == list(value)
    survives_toml(setting, value)


@SETTINGS
@given(st.text(max_size=80))
def test_list_parsers_never_crash(text):
    for parse in (netlists.api_entry_kind, netlists.parse_csta_entry, netlists.split_quoted, durations.parse_duration):
        try:
            parse(text)
        except InvalidValue:
            pass


@SETTINGS
@given(st.integers(1, 10 * 365 * 86400))
def test_durations_round_trip(seconds):
    text = durations.format_duration(seconds)
    assert durations.parse_duration(text) == seconds
    assert durations.format_duration(durations.parse_duration(text)) == text


@SETTINGS
@given(st.binary(max_size=300))
def test_random_bytes_as_a_config_give_a_config_error(tmp_path_factory, data):
    path = tmp_path_factory.mktemp("cfg") / "security.toml"
    path.write_bytes(data)
    try:
        tomlfile.load(path)
    except ConfigError as exc:
        assert exc.problems and all(p.message for p in exc.problems)


@SETTINGS
@given(st.dictionaries(st.sampled_from([s.name for s in catalog.SECTIONS] + ["pbxwizard", "x"]),
                       st.dictionaries(st.sampled_from([s.name for s in catalog.SETTINGS] + ["zz"]), toml_scalars, max_size=4),
                       max_size=4))
def test_random_documents_give_values_or_problems(tmp_path_factory, doc):
    import tomlkit

    path = tmp_path_factory.mktemp("cfg") / "security.toml"
    path.write_text(tomlkit.dumps(doc))
    try:
        tomlfile.load_config(path, STORE.values)
    except ConfigError as exc:
        assert all(str(p).startswith(str(path)) for p in exc.problems)
