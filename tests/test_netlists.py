import pytest
from hypothesis import given, settings, strategies as st

from pbxwizard.settings import catalog, netlists
from pbxwizard.errors import InvalidValue
from pbxwizard.settings.netlists import api_entry_kind, join_quoted, parse_csta_entry, split_quoted


@pytest.mark.parametrize("entry,kind", [
    ("1.2.3.4", "address"), ("2001:db8::1", "address"), ("192.168.0.0/16", "network"),
    ("2001:db8::/32", "network"), ("localhost", "localhost"), ("admin:s3cret", "credential"),
    ("dead:beef", "credential"),
])
def test_api_entries(entry, kind):
    assert api_entry_kind(entry) == kind


@pytest.mark.parametrize("entry", [
    "192.168.1.0/16", "10.0.0.0/33", "1.2.3.999", "300.1.1.1", "2001:db8:::1", "locahost", "", "a b",
    "1.2.3.4/abc",
])
def test_api_entries_rejected(entry):
    with pytest.raises(InvalidValue):
        api_entry_kind(entry)


def test_csta_entries():
    assert parse_csta_entry("alice@pbx.example.com:192.0.2.10") == ("alice", "pbx.example.com", "192.0.2.10")
    assert parse_csta_entry("bob@example.org:2001:db8::5")[2] == "2001:db8::5"
    assert parse_csta_entry("bob@example.org:[2001:db8::5]")[2] == "2001:db8::5"
    for bad in ("alice@pbx.example.com", "@d.com:1.2.3.4", "alice@:1.2.3.4", "alice@d.com:999.1.1.1",
                "alice@-bad-.com:1.2.3.4", "alicepbx:1.2.3.4"):
        with pytest.raises(InvalidValue):
            parse_csta_entry(bad)


def test_user_agent_quoting_round_trips():
    kind = catalog.get("access.ignore_user_agents").kind
    value = kind.from_text('friendly-scanner "SIP Call" sipcli')
    assert value == ("friendly-scanner", "SIP Call", "sipcli")
    assert kind.from_text(kind.to_text(value)) == value
    assert join_quoted(value) == 'friendly-scanner "SIP Call" sipcli'
    with pytest.raises(InvalidValue, match="closing"):
        split_quoted('scanner "SIP Call')
    with pytest.raises(InvalidValue):
        kind.from_text('ok ""')


@settings(max_examples=2000, deadline=None)
@given(st.one_of(st.text(alphabet="0123456789abcdefABCDEFxyz:.%/-_ ", max_size=20), st.ip_addresses().map(str),
                 st.ip_addresses(v=6).map(lambda a: f"{a}%eth0")))
def test_an_entry_is_an_address_exactly_when_ipaddress_says_so(text):
    """The shortcut that parses an entry only as the kind of address it can be agrees with
    ``ipaddress.ip_address`` trying both."""
    import ipaddress

    try:
        ipaddress.ip_address(text)
        expected = True
    except ValueError:
        expected = False
    assert netlists._is_address(text) == expected
