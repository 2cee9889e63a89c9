"""Loading lists: the UN XML (safely), FollowTheMoney JSON lines, CSV; diffs between versions."""

from __future__ import annotations

import json

import pytest

from threatscape.errors import ParseError
from threatscape.resolve.sanctions.diff import diff_entries
from threatscape.resolve.sanctions.lists import (
    SanctionsList,
    entry_from_dict,
    entry_to_dict,
    read_list,
)

XXE = b"""<?xml version="1.0"?>
<!DOCTYPE CONSOLIDATED_LIST [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<CONSOLIDATED_LIST><INDIVIDUALS><INDIVIDUAL><REFERENCE_NUMBER>QDi.001</REFERENCE_NUMBER>
<FIRST_NAME>&xxe;</FIRST_NAME></INDIVIDUAL></INDIVIDUALS></CONSOLIDATED_LIST>"""

BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<CONSOLIDATED_LIST><ENTITIES><ENTITY><FIRST_NAME>&lol3;</FIRST_NAME></ENTITY></ENTITIES></CONSOLIDATED_LIST>"""


@pytest.mark.parametrize("payload", [XXE, BOMB], ids=["external-entity", "entity-expansion"])
def test_xml_declaring_entities_is_refused(payload: bytes) -> None:
    with pytest.raises(ParseError, match="refused unsafe XML.*entities") as info:
        read_list(payload, "evil.xml")
    assert "evil.xml" in str(info.value)


def test_malformed_and_foreign_xml_are_parse_errors() -> None:
    with pytest.raises(ParseError, match="malformed XML"):
        read_list(b"<CONSOLIDATED_LIST><INDIVIDUALS>", "cut.xml")
    with pytest.raises(ParseError, match="not a UN consolidated list"):
        read_list(b"<rss><channel/></rss>", "feed.xml")


def test_un_fixture_quirks(fixture_list: SanctionsList) -> None:
    entries = {e.ref: e for e in fixture_list.entries}
    assert fixture_list.name == "un-sc" and fixture_list.version == "2026-11-01"
    noor = entries["QDi.427"]
    assert noor.name == "NOOR WALI MEHSUD"  # the "WALI " slot's stray space is gone
    assert noor.titles == ("Mufti",) and noor.birth_dates == ("1978-06-26",)
    assert noor.links == ("QDe.132", "QDi.352")
    assert entries["QDi.352"].listed_on == "2015-04-07"  # was 2015-04-07-04:00
    assert entries["TAi.144"].birth_dates == ("1977-1978",)
    ttp = entries["QDe.132"]
    assert ttp.name == "TEHRIK-E TALIBAN PAKISTAN"
    assert ttp.aliases[0].name == "TTP" and ttp.aliases[0].quality == "acronym"
    assert entries["QDe.008"].name == "HARAKAT UL-MUJAHIDIN"  # "/ HUM" is an acronym too
    assert {a.quality for a in entries["QDe.152"].aliases} == {"acronym", "aka", "fka"}
    assert {a.quality for a in entries["TAi.144"].aliases} == {"good", "low"}
    assert "QDe.132" not in entries["QDe.132"].links
    assert not any("BALOCHISTAN" in e.name for e in entries.values())


def test_entries_round_trip_through_dicts(fixture_list: SanctionsList) -> None:
    for entry in fixture_list.entries:
        data = json.loads(json.dumps(entry_to_dict(entry)))
        assert entry_from_dict(data) == entry


CSV = b"""ref,type,name,aliases,countries,birth_dates,titles,listed_on,comments
XXi.001,person,Jane Roe,J. Roe|Jane Doe,PK,1970-01-02,Mufti,2020-01-01,Leader of XXe.002
XXe.002,organization,Example Front (EF),,AF,,,2019-05-05,
"""


def test_csv_list() -> None:
    sl = read_list(CSV, "/tmp/mylist.csv")
    assert sl.name == "mylist" and sl.version.startswith("sha256:")
    jane, front = sl.entries
    assert [a.name for a in jane.aliases] == ["J. Roe", "Jane Doe"]
    assert jane.countries == ("PK",) and jane.titles == ("Mufti",) and jane.links == ("XXe.002",)
    assert front.type == "organization"


def test_csv_errors_name_the_row_or_columns() -> None:
    with pytest.raises(ParseError, match="lacks column"):
        read_list(b"id,label\n1,x\n", "bad.csv")
    with pytest.raises(ParseError, match=r"bad\.csv:2.*type must be"):
        read_list(b"ref,type,name\nA1,vessel,Boat\n", "bad.csv")


FTM = [
    {
        "id": "os-1",
        "schema": "Person",
        "properties": {
            "name": ["Noor Wali Mehsud"],
            "alias": ["Abu Mansoor Asim"],
            "nationality": ["pk"],
            "birthDate": ["1978-06-26"],
        },
    },
    {
        "id": "os-2",
        "schema": "Organization",
        "properties": {"name": ["Tehrik-e Taliban Pakistan"], "weakAlias": ["TTP"]},
    },
    {"id": "os-3", "schema": "Address", "properties": {"full": ["Somewhere"]}},
]


def test_followthemoney_json_lines() -> None:
    data = "\n".join(json.dumps(o) for o in FTM).encode()
    sl = read_list(data, "entities.ftm.json", name="opensanctions")
    assert [(e.ref, e.type) for e in sl.entries] == [("os-1", "person"), ("os-2", "organization")]
    assert sl.entries[1].aliases[0].quality == "weak"
    with pytest.raises(ParseError, match="entities.ftm.json:2"):
        read_list(b'{"id": "a", "schema": "Person"}\n{broken\n', "entities.ftm.json")


def test_diff_reports_added_removed_changed(fixture_list: SanctionsList) -> None:
    old = list(fixture_list.entries)
    changed = entry_from_dict(entry_to_dict(old[0]) | {"comments": "updated"})
    new = [changed, *old[2:]] + [entry_from_dict(entry_to_dict(old[1]) | {"ref": "QDi.999"})]
    result = diff_entries(old, new)
    assert [e.ref for e in result.added] == ["QDi.999"]
    assert [e.ref for e in result.removed] == [old[1].ref]
    assert [(c.ref, c.fields) for c in result.changed] == [(old[0].ref, ("comments",))]
