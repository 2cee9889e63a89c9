"""Articles for the store tests: one wire story as two sites ran it, and an unrelated report."""

from __future__ import annotations

import hashlib

import pytest

from threatscape.model import Article

WIRE = (
    "Militants stormed a police checkpoint in the Lakki Marwat district of Khyber Pakhtunkhwa "
    "before dawn on Sunday, killing four policemen and wounding six others, officials said. "
    "The attackers, armed with rifles and hand grenades, opened fire from three sides and fought "
    "the police for nearly two hours before fleeing into the nearby hills, district police "
    "officer Ashfaq Khan told reporters. Reinforcements arrived from the city and the area was "
    "cordoned off while a search operation continued into the afternoon. The banned "
    "Tehreek-e-Taliban Pakistan claimed responsibility for the assault in a statement sent to "
    "journalists, saying its fighters had seized weapons and ammunition from the post. "
    "Attacks on police in the province have risen sharply since the group ended a ceasefire with "
    "the government in November 2022. The provincial chief minister condemned the attack and "
    "ordered compensation for the families of the dead policemen."
)

# The same wire copy on another site: its own lede, light edits, furniture left in the text.
REPUBLISHED = (
    "Four policemen were martyred in a terrorist attack in Lakki Marwat early on Sunday. "
    "The attackers, armed with rifles and hand grenades, opened fire from three sides and fought "
    "the police for nearly two hours before fleeing into the nearby mountains, district police "
    "officer Ashfaq Khan told reporters. Reinforcements arrived from the city and the area was "
    "cordoned off while a search operation continued into the afternoon. Follow us on Twitter. "
    "The banned Tehreek-e-Taliban Pakistan claimed responsibility for the assault in a statement "
    "sent to journalists, saying its fighters had seized weapons and ammunition from the post. "
    "Attacks on police in the province have risen sharply since the group ended its ceasefire "
    "with the government in November 2022. The provincial chief minister condemned the attack "
    "and ordered compensation for the families of the dead policemen. Read more: Two soldiers "
    "killed in North Waziristan."
)

# Another incident in the same province, told in the same vocabulary.
UNRELATED = (
    "Security forces killed six militants in an intelligence-based operation in the North "
    "Waziristan district of Khyber Pakhtunkhwa on Tuesday, the military's media wing said. "
    "Two soldiers were killed in the exchange of fire, the statement said, adding that weapons "
    "and ammunition were recovered from the militants' hideout. The area was cordoned off and a "
    "clearance operation was under way to eliminate any other militants found there. Pakistan "
    "has seen a surge in attacks on security forces in the province, most of them claimed by "
    "the Tehreek-e-Taliban Pakistan, since talks with the group broke down. The prime minister "
    "praised the troops and said the nation stood with its armed forces against terrorism."
)


def make_article(body: str, title: str, published: str | None = None, **kw: str) -> Article:
    digest = hashlib.sha256(" ".join(body.split()).encode()).hexdigest()[:16]
    return Article(id=digest, title=title, body=body, published=published, **kw)


@pytest.fixture
def wire() -> Article:
    return make_article(WIRE, "Four policemen killed in Lakki Marwat checkpoint attack", "2024-03-10")


@pytest.fixture
def republished() -> Article:
    return make_article(REPUBLISHED, "4 cops martyred as terrorists storm Lakki Marwat post", "2024-03-11")


@pytest.fixture
def unrelated() -> Article:
    return make_article(UNRELATED, "Six militants killed in North Waziristan operation", "2024-03-12")
