"""The small pieces of structure: ids, dates, stamps, datelines, captions, furniture, errors."""

from __future__ import annotations

import pytest

from threatscape.errors import ParseError
from threatscape.model import RawDocument
from threatscape.structure import article_id, split_store_token, structure_document
from threatscape.structure.dateline import parse_dateline
from threatscape.structure.dates import parse_date, read_stamp, url_date
from threatscape.structure.lines import is_furniture, parse_byline, parse_caption
from threatscape.structure.rules import load_rules

RULES = load_rules()


def test_article_id_is_stable_across_quotes_dashes_space_and_case() -> None:
    a = article_id("Kabul’s “support” — for the TTP\n\n continues.")
    b = article_id('KABUL\'S "support" - for the ttp continues.')
    assert a == b
    assert len(a) == 16 and int(a, 16) >= 0
    assert a == article_id("Kabul’s “support” — for the TTP\n\n continues.")
    assert a != article_id("Kabul's support for the TTP ended.")


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("28 June 2024", "2024-06-28"),
        ("Tuesday, March 4th, 2025", "2025-03-04"),
        ("Oct. 6, 2024", "2024-10-06"),
        ("Thu Jan 9 2025", "2025-01-09"),
        ("2024-08-19T08:00:00Z", "2024-08-19"),
        ("07/03/2025", "2025-03-07"),
        ("05/13/2025", "2025-05-13"),
        ("31 February 2025", None),
        ("", None),
    ],
)
def test_parse_date(text: str, iso: str | None) -> None:
    assert parse_date(text, RULES) == iso


def test_stamps_read_labels_and_refuse_sentences() -> None:
    stamp = read_stamp("June 2, 2024 Updated: June 3, 2024", RULES)
    assert stamp is not None and (stamp.plain, stamp.updated) == ("2024-06-02", "2024-06-03")
    stamp = read_stamp("Published : Aug 14, 2024, 9:15 AM IST", RULES)
    assert stamp is not None and stamp.published == "2024-08-14"
    assert read_stamp("The vote was held on 12 May 2025 in the capital.", RULES) is None
    assert read_stamp("Updated 41 min 7 sec ago", RULES) is None


def test_url_dates() -> None:
    assert url_date("https://x.example/news/2024/11/03/slug.html") == "2024-11-03"
    assert url_date("https://x.example/en/202412254880") == "2024-12-25"
    assert url_date("https://x.example/news/2024/11/slug") is None
    assert url_date("https://x.example/node/1357911/world") is None
    assert url_date(None) is None


@pytest.mark.parametrize(
    ("para", "place", "rest"),
    [
        ("KARACHI: The Pakistani Taliban said on Monday they had attacked a post.", "KARACHI", "The"),
        ("PESHAWAR, Aug 12 (PTI) – Police said two men were arrested in the city.", "PESHAWAR", "Police"),
        ("(Reuters) - Gunmen killed five people in an attack on a market on Tuesday.", None, "Gunmen"),
        ("ISLAMABAD (AFP) - A bomb exploded near a police van in the city, police said.", "ISLAMABAD", "A"),
        ("Geneva [Switzerland], May 3 (ANI): A rights group criticised the detentions on Friday.", "Geneva", "A"),
        ("Tehran, IRNA – Iran's foreign minister will visit Muscat next week for talks.", "Tehran", "Iran's"),
    ],
)
def test_datelines(para: str, place: str | None, rest: str) -> None:
    found = parse_dateline(para, RULES)
    assert found is not None
    assert found.place == place
    assert found.text.split()[0] == rest


def test_a_dateline_gives_the_day_it_was_filed_with_or_without_a_dash() -> None:
    pti = parse_dateline("Peshawar, Aug 12 (PTI) Police said two men were arrested at a checkpoint.", RULES)
    assert pti is not None and pti.place == "Peshawar" and pti.text.startswith("Police")
    assert pti.day == (8, 12, None)  # no year: it dates nothing by itself
    wire = parse_dateline("QUETTA, 11 March 2025 (Reuters) - Gunmen fired on a bus near the city.", RULES)
    assert wire is not None and wire.day == (3, 11, 2025)
    assert parse_dateline("KARACHI: The port reopened on Monday after the strike ended.", RULES).day is None  # type: ignore[union-attr]


def test_no_dateline_in_plain_sentences_or_lead_ins() -> None:
    assert parse_dateline("The army said on Monday that five soldiers were killed in the raid.", RULES) is None
    assert (
        parse_dateline(
            "Context: The report says dozens were hurt in the fighting near the town.", RULES, upper_only=True
        )
        is None
    )


def test_captions_bylines_and_furniture() -> None:
    cap = parse_caption("A vendor in Multan on March 3, 2025. (AFP/ File)", RULES)
    assert cap is not None and cap.credit == "AFP/File" and cap.text.endswith("2025.")
    assert parse_caption("The Pakistani Taliban (TTP)", RULES) is None
    assert parse_byline("By Jane Roe | Published 3 May 2025", RULES) == "Jane Roe"
    assert parse_byline("By the end of the week, the talks had collapsed entirely", RULES) is None
    for line in (
        "Short Url",
        "Follow",
        "ADVERTISEMENT",
        "https://news.example/k3x9q",
        "A− 18 px A+",
        "+ ↺ −",
        "[Back to top]",
        "* * *",
        "4521**8830",
        "author img",
        "Type above and press Enter to search. Press Esc to cancel.",
        "Facebook Twitter WhatsApp Email",
        "Home / World / Asia",
        "Contact us: desk@example.com, phone 0300 1234567",
        "Updated 41 min 7 sec ago",
    ):
        assert is_furniture(line, RULES), line
    assert not is_furniture("Several bridges damaged", RULES)
    assert not is_furniture("07/03/2025", RULES)  # a date line is a stamp, read as such
    assert not is_furniture("Follow the money, the prosecutor said.", RULES)


def test_store_token() -> None:
    assert split_store_token(" date 2025-03-02 Home page") == ("2025-03-02", "Home page")
    assert split_store_token("No token here") == (None, "No token here")


@pytest.mark.parametrize("content", ["", "   \n\n", "Short Url\nFollow\nADVERTISEMENT\n"])
def test_no_article_text_raises_parse_error_naming_origin(content: str) -> None:
    with pytest.raises(ParseError, match="page.txt: no article text found"):
        structure_document(RawDocument(origin="page.txt", kind="text", content=content))


def test_unknown_kind_is_refused() -> None:
    with pytest.raises(ParseError, match="x.html"):
        structure_document(RawDocument(origin="x.html", kind="html", content="<p>Hi</p>"))


def test_record_without_metadata_guesses_and_empty_metadata_does_not_win() -> None:
    raw = RawDocument(
        origin="r.jsonl:1",
        kind="record",
        title="  ",
        published="",
        content="Heavy rain floods low-lying districts of the port city\nPublished: 3 March 2025\n"
        "KARACHI: Heavy rain flooded low-lying districts of the port city on Monday, officials said, "
        "and several roads were closed to traffic.",
    )
    [a] = structure_document(raw)
    assert a.title == "Heavy rain floods low-lying districts of the port city"
    assert (a.published, a.dateline) == ("2025-03-03", "KARACHI")
    assert a.body.startswith("Heavy rain flooded")


def test_a_long_line_is_never_furniture() -> None:
    """A one-line text (a scrape without line breaks) that mentions a footer phrase is still text."""
    text = " ".join(["Police reopened the main road after the flood waters receded."] * 12) + " All rights reserved."
    assert not is_furniture(text, RULES)
    [a] = structure_document(RawDocument(origin="one-line.txt", kind="text", content=text))
    assert a.body == text
