"""An entity declaration is refused whatever the feed's encoding: a UTF-16 or UTF-32 feed spells
``<!ENTITY`` with NULs between the letters, which a check on the raw bytes misses."""

from __future__ import annotations

import pytest

from threatscape.ingest.feeds import iter_feed
from threatscape.model import IngestFailure
from threatscape.settings import Settings

FEED = """<?xml version="1.0" encoding="{enc}"?>
<!DOCTYPE rss [<!ENTITY boom "boom boom boom boom boom boom boom boom">]>
<rss version="2.0"><channel><title>Wire</title>
<item><title>Market blast</title><description>A bomb exploded in a market in Kano on Monday,
police said, killing three traders. &boom;</description></item>
</channel></rss>"""


@pytest.mark.parametrize("codec", ["utf-8", "utf-16", "utf-16-le", "utf-16-be", "utf-32"])
def test_an_entity_declaration_is_refused_in_every_encoding(codec: str) -> None:
    data = FEED.format(enc=codec.upper()).encode(codec)
    (only,) = list(iter_feed(data, "wire.xml", Settings()))
    assert isinstance(only, IngestFailure) and only.reason == "feed declares XML entities (refused)"


def test_a_utf16_feed_without_entities_is_read() -> None:
    data = FEED.replace('<!DOCTYPE rss [<!ENTITY boom "boom boom boom boom boom boom boom boom">]>\n', "")
    data = data.replace(" &boom;", "").format(enc="UTF-16").encode("utf-16")
    items = list(iter_feed(data, "wire.xml", Settings()))
    assert items and not any(isinstance(i, IngestFailure) for i in items)
