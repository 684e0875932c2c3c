"""NodeId text from the station config: every form OPC UA tools print, and readable refusals."""

from __future__ import annotations

import uuid

import pytest
from asyncua import ua
from hypothesis import given
from hypothesis import strategies as st

from lineside.devices.opcua import NodeRef, parse_node_ref

NAMESPACES = ["http://opcfoundation.org/UA/", "urn:asyncua", "urn:extra", "urn:lineside:sim"]
GUID = "72962b91-fa75-4ae6-8d28-b404dc7daf63"
EXAMPLE = "use one like 'ns=2;s=Line1/Filler/Status/StateCurrent' or 'nsu=urn:plant:plc;s="


@pytest.mark.parametrize(
    ("text", "identifier", "index"),
    [
        ("ns=2;s=Line1/Filler/Status/StateCurrent", "Line1/Filler/Status/StateCurrent", 2),
        ("i=2258", 2258, 0),
        ("ns=3;i=17", 17, 3),
        ("ns=0;i=4294967295", 4294967295, 0),
        ("ns=65535;s=x", "x", 65535),
        ("s=Line1;Filler=a b", "Line1;Filler=a b", 0),  # a string identifier takes the rest
        ("s=Füller/Zustand", "Füller/Zustand", 0),
        (f"ns=4;g={GUID.upper()}", uuid.UUID(GUID), 4),
        ("ns=1;b=AQID", b"\x01\x02\x03", 1),
    ],
)  # fmt: skip
def test_node_ids_with_an_index_are_used_as_they_are(
    text: str, identifier: object, index: int
) -> None:
    ref = parse_node_ref(text)
    assert ref.namespace_uri is None
    assert ref.nodeid == ua.NodeId(identifier, index)  # type: ignore[arg-type]
    assert ref.resolve([]) == ref.nodeid
    assert parse_node_ref(str(ref)) == ref


def test_a_namespace_uri_is_resolved_with_the_index_the_server_has_now() -> None:
    ref = parse_node_ref("nsu=urn:lineside:sim;s=Line1/Filler/Status/StateCurrent")
    assert ref.namespace_uri == "urn:lineside:sim"
    assert str(ref) == "nsu=urn:lineside:sim;s=Line1/Filler/Status/StateCurrent"
    assert ref.resolve(NAMESPACES) == ua.NodeId("Line1/Filler/Status/StateCurrent", 3)
    renumbered = [
        "http://opcfoundation.org/UA/",
        "urn:asyncua",
        "urn:a",
        "urn:b",
        "urn:lineside:sim",
    ]
    assert ref.resolve(renumbered) == ua.NodeId("Line1/Filler/Status/StateCurrent", 4)
    assert ref.resolve(NAMESPACES[:3]) is None

    numeric = parse_node_ref("nsu=urn:extra;i=7")
    resolved = numeric.resolve(NAMESPACES)
    assert resolved == ua.NodeId(7, 2)
    assert resolved is not None
    assert resolved.to_binary() == ua.NodeId(7, 2).to_binary()  # encodable with its new index


def test_a_node_ref_is_a_value() -> None:
    assert parse_node_ref("ns=2;s=A") == NodeRef(ua.NodeId("A", 2))
    assert hash(parse_node_ref("nsu=urn:x;s=A")) == hash(NodeRef(ua.NodeId("A", 0), "urn:x"))
    with pytest.raises(AttributeError):
        parse_node_ref("i=1").namespace_uri = "urn:x"  # type: ignore[misc]


@pytest.mark.parametrize(
    ("text", "what"),
    [
        ("", "it is empty"),
        ("ns=;s=", "the namespace index after ns= is '', not a whole number from 0 to 65535"),
        ("foo", "'foo' does not begin with i=, s=, g= or b="),
        ("Line1/Filler/Starved", "does not begin with i=, s=, g= or b="),
        ("ns=2;q=1", "'q=1' does not begin with i=, s=, g= or b="),
        ("ns=2", "an identifier such as s=... must follow ns= and a ';'"),
        ("nsu=urn:x", "an identifier such as s=... must follow nsu= and a ';'"),
        ("ns=2;", "'' does not begin with i=, s=, g= or b="),
        ("ns=x;s=Line1", "the namespace index after ns= is 'x'"),
        ("ns=-1;i=1", "the namespace index after ns= is '-1'"),
        ("ns=65536;i=1", "the namespace index after ns= is '65536'"),
        ("ns=\u0663;i=1", "the namespace index after ns= is '\u0663'"),  # an Arabic-Indic 3
        ("ns= 2;i=1", "the namespace index after ns= is ' 2'"),
        ("i=", "the numeric identifier after i= is '', not a whole number from 0 to 4294967295"),
        ("i=4294967296", "the numeric identifier after i= is '4294967296'"),
        ("i=1.5", "the numeric identifier after i= is '1.5'"),
        ("i=" + "9" * 5000, "the numeric identifier after i= is '99999999999999999999'"),
        ("s=", "the string identifier after s= is empty"),
        ("ns=2;s=  ", "the string identifier after s= is empty"),
        ("s=Line1\nFiller", "the string identifier after s= contains the character U+000A"),
        ("s=\x00", "contains the character U+0000"),
        ("s=\ud800", "contains the character U+D800"),
        ("s=" + "x" * 4097, "the string identifier after s= is longer than 4096 characters"),
        ("nsu=;s=x", "the namespace URI after nsu= is empty"),
        ("nsu=urn:my plc;s=x", "the namespace URI after nsu= contains the character U+0020"),
        ("nsu=urn:x;ns=2;s=y", "'ns=2;s=y' does not begin with i=, s=, g= or b="),
        ("g=xyz", "'xyz' after g= is not a GUID like 72962b91-fa75-4ae6-8d28-b404dc7daf63"),
        ("g={72962b91-fa75-4ae6-8d28-b404dc7daf63}", "after g= is not a GUID"),
        ("b=***", "'***' after b= is not base64"),
        ("b=Zü==", "after b= is not base64"),
        ("b=", "the byte string after b= is empty"),
        (" ns=2;s=x", "' ns=2;s=x' does not begin with i=, s=, g= or b="),
        ("NS=2;S=x", "does not begin with i=, s=, g= or b="),
    ],
)
def test_malformed_text_says_what_is_wrong_and_shows_a_right_one(text: str, what: str) -> None:
    with pytest.raises(ValueError, match="is not a NodeId") as raised:
        parse_node_ref(text)
    message = str(raised.value)
    if len(text) <= 80:
        assert message.startswith(f"node {text!r} is not a NodeId: ")
    assert what in message
    assert EXAMPLE in message
    assert raised.value.__cause__ is None
    assert raised.value.__suppress_context__
    assert len(message) < 400


def test_a_long_text_is_shortened_in_the_message() -> None:
    with pytest.raises(ValueError, match=r"^node 'x{77}\.\.\.' is not a NodeId") as raised:
        parse_node_ref("x" * 1000)
    assert len(str(raised.value)) < 400


def check_any(text: str) -> None:
    """Any text parses to a ref that round-trips, or fails with our ValueError and nothing else."""
    try:
        ref = parse_node_ref(text)
    except ValueError as exc:
        message = str(exc)
    else:
        assert parse_node_ref(str(ref)) == ref
        return
    assert message.startswith("node ")
    assert " is not a NodeId: " in message
    assert EXAMPLE in message


@given(st.text())
def test_any_text_is_a_node_ref_or_a_value_error(text: str) -> None:
    check_any(text)


PREFIXES = st.sampled_from(
    ["", "ns=", "nsu=", "ns=2;", "nsu=urn:x;", "ns=2;s=", "i=", "s=", "g=", "b="]
)
NEAR_MISS = st.text(alphabet=st.characters(codec="utf-8") | st.sampled_from(";= 0123456789abf-"))


@given(PREFIXES, NEAR_MISS)
def test_near_misses_are_a_node_ref_or_a_value_error(prefix: str, rest: str) -> None:
    check_any(prefix + rest)


IDENTIFIERS = st.one_of(
    st.integers(0, 2**32 - 1).map(lambda n: f"i={n}"),
    st.text(st.characters(blacklist_categories=("Cc", "Cs")), min_size=1, max_size=50)
    .filter(str.strip)
    .map(lambda s: f"s={s}"),
    st.uuids().map(lambda g: f"g={g}"),
)


@given(
    st.one_of(
        st.just(""),
        st.integers(0, 65535).map(lambda n: f"ns={n};"),
        st.sampled_from(["urn:plant:plc", "http://example.com/UA/", "urn:a=b"]).map(
            lambda u: f"nsu={u};"
        ),
    ),
    IDENTIFIERS,
)
def test_well_formed_text_parses_and_round_trips(namespace: str, identifier: str) -> None:
    ref = parse_node_ref(namespace + identifier)
    assert parse_node_ref(str(ref)) == ref
    assert (ref.namespace_uri is not None) == namespace.startswith("nsu=")
    resolved = ref.resolve(["http://opcfoundation.org/UA/", "urn:plant:plc"])
    if ref.namespace_uri in (None, "urn:plant:plc"):
        assert resolved is not None
        assert resolved.to_binary()
