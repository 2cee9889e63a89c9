"""iter_documents over files, folders, globs, stdin and URLs; every bad input becomes a failure."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from ingest_loopback import FIXTURES, Loopback, Reply

from threatscape.ingest import iter_documents
from threatscape.model import IngestFailure, RawDocument
from threatscape.settings import Settings

QUOTE = "The commander said \u201cthe caf\u00e9 in Goma was hit\u201d \u2014 it\u2019s the third attack."


def run(inputs: list[str], settings: Settings | None = None, **kw: object) -> list[RawDocument | IngestFailure]:
    return list(iter_documents(inputs, settings or Settings(), **kw))  # type: ignore[arg-type]


def only(items: list[RawDocument | IngestFailure]) -> RawDocument | IngestFailure:
    assert len(items) == 1, items
    return items[0]


def test_text_dump_is_read_as_text() -> None:
    doc = only(run([str(FIXTURES / "dump.txt")]))
    assert isinstance(doc, RawDocument) and doc.kind == "text"
    assert doc.content.startswith("Kabul continues to support Pakistani Taliban")
    assert doc.origin.endswith("dump.txt")


def test_html_page_gives_main_text_and_metadata_without_furniture() -> None:
    doc = only(run([str(FIXTURES / "article.html")]))
    assert isinstance(doc, RawDocument) and doc.kind == "record"
    assert doc.title == "Eleven killed as militants storm Bannu cantonment"
    assert doc.published == "2025-03-05"
    assert doc.byline == "Amina Khan"
    assert doc.source == "Frontier Daily"
    assert doc.url == "https://frontier-daily.example/news/bannu-cantonment-attack"
    paragraphs = doc.content.split("\n")
    assert any(p.startswith("LAKKI MARWAT: Eleven people") for p in paragraphs)
    assert any(p.startswith("A faction allied with the Pakistani Taliban") for p in paragraphs)
    for furniture in ("Cricket board", "Copyright 2025", "document.cookie", "Home"):
        assert furniture not in doc.content


def test_truncated_html_still_gives_the_text_it_holds() -> None:
    doc = only(run([str(FIXTURES / "truncated.html")]))
    assert isinstance(doc, RawDocument)
    assert "LAKKI MARWAT: Eleven people" in doc.content
    assert "mosque partially colla" in doc.content


def test_html_cut_before_any_text_is_a_clear_failure(tmp_path: Path) -> None:
    page = tmp_path / "cut.html"
    page.write_bytes((FIXTURES / "article.html").read_bytes()[:300])
    failure = only(run([str(page)]))
    assert failure == IngestFailure(str(page), "no readable text in HTML")


def test_sniffed_html_without_extension(tmp_path: Path) -> None:
    page = tmp_path / "page"
    shutil.copy(FIXTURES / "article.html", page)
    doc = only(run([str(page)]))
    assert isinstance(doc, RawDocument) and doc.title == "Eleven killed as militants storm Bannu cantonment"


def test_empty_file(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blank.html").write_bytes(b"  \n\n ")
    assert run([str(tmp_path)]) == [
        IngestFailure(str(tmp_path / "blank.html"), "empty file"),
        IngestFailure(str(tmp_path / "empty.txt"), "empty file"),
    ]


def test_binary_file(tmp_path: Path) -> None:
    image = tmp_path / "photo.txt"
    image.write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01" + bytes(range(256)) * 8)
    assert only(run([str(image)])) == IngestFailure(str(image), "binary file")


@pytest.mark.parametrize(
    ("encoding", "text"),
    [("cp1252", QUOTE), ("utf-16", QUOTE), ("utf-8", QUOTE.encode("utf-8").decode("latin-1"))],
    ids=["cp1252", "utf-16-bom", "mojibake"],
)
def test_encoded_text_files_come_out_right(tmp_path: Path, encoding: str, text: str) -> None:
    path = tmp_path / "note.txt"
    path.write_bytes(text.encode(encoding))
    doc = only(run([str(path)]))
    assert isinstance(doc, RawDocument) and doc.content == QUOTE


def test_large_file_is_refused_naming_size_and_cap(tmp_path: Path) -> None:
    big = tmp_path / "big.html"
    big.write_bytes(b"<html><body>" + b"<p>word</p>" * 1000)
    failure = only(run([str(big)], Settings(max_bytes=2000)))
    assert failure == IngestFailure(str(big), f"file is {big.stat().st_size} bytes, over the cap of 2000 bytes")


class CountingStream(io.RawIOBase):
    """An endless stdin that counts what is read from it."""

    def __init__(self, line: bytes) -> None:
        self.line = line
        self.read_bytes = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        size = min(len(buffer), 4096)
        chunk = (self.line * (size // len(self.line) + 1))[:size]
        buffer[:size] = chunk
        self.read_bytes += size
        return size


def test_oversized_stdin_is_refused_after_reading_only_the_cap() -> None:
    stream = CountingStream(b"Plain text from a pipe that never ends.\n")
    failure = only(run(["-"], Settings(max_bytes=50_000), stdin=stream))  # type: ignore[arg-type]
    assert failure == IngestFailure("-", "input is larger than the cap of 50000 bytes")
    assert stream.read_bytes <= 50_000 + 8192 + 4096


def test_jsonl_is_streamed_past_the_cap_with_each_line_capped(tmp_path: Path) -> None:
    corpus = tmp_path / "big.jsonl"
    line = b'{"id": 1, "text": "' + b"a" * 150 + b'"}\n'
    corpus.write_bytes(line * 40 + b'{"id": 2, "text": "' + b"b" * 500 + b'"}\n' + line)
    items = run([str(corpus)], Settings(max_bytes=300))
    assert len(items) == 42
    assert all(isinstance(d, RawDocument) for d in items[:40] + items[41:])
    assert items[40] == IngestFailure(f"{corpus}:41", "line is longer than the cap of 300 bytes")
    assert items[41].origin == f"{corpus}:42"


def test_malformed_jsonl_lines_fail_one_by_one() -> None:
    path = str(FIXTURES / "corpus.jsonl")
    items = run([path])
    by_origin = {item.origin: item for item in items}
    first = by_origin[f"{path}:1"]
    assert isinstance(first, RawDocument)
    assert (first.source_id, first.title, first.published, first.source) == (
        "101",
        "Two policemen killed in Lakki Marwat",
        "2025-03-03",
        "Wire",
    )
    second = by_origin[f"{path}:2"]
    assert isinstance(second, RawDocument) and second.published == "2025-03-04"
    assert "\nThe sit-in" in second.content
    assert by_origin[f"{path}:3"].reason.startswith("bad JSON (Invalid control character")  # type: ignore[union-attr]
    assert by_origin[f"{path}:4"] == IngestFailure(f"{path}:4", "record is a JSON list, not an object")
    assert by_origin[f"{path}:5"] == IngestFailure(f"{path}:5", "record has no text")
    assert by_origin[f"{path}:6"] == IngestFailure(f"{path}:6", "record has empty text")
    assert f"{path}:7" not in by_origin  # blank line
    last = by_origin[f"{path}:8"]
    assert isinstance(last, RawDocument) and last.source_id == "108"


def test_json_list_of_records() -> None:
    path = str(FIXTURES / "records.json")
    items = run([path])
    assert [type(i).__name__ for i in items] == ["RawDocument", "IngestFailure", "RawDocument"]
    assert items[1] == IngestFailure(f"{path}[1]", "record has no text")
    assert items[2].origin == f"{path}[2]"


def test_stdin_jsonl_and_text() -> None:
    jsonl = io.BytesIO(b'{"id": "s1", "text": "From a pipe."}\n{"id": "s2", "text": ""}\n')
    items = run(["-"], stdin=jsonl)
    assert items[0] == RawDocument(origin="-:1", kind="record", content="From a pipe.", source_id="s1")
    assert items[1] == IngestFailure("-:2", "record has empty text")
    doc = only(run(["-"], stdin=io.BytesIO(QUOTE.encode("cp1252"))))
    assert doc == RawDocument(origin="-", kind="text", content=QUOTE)


def test_folder_is_recursive_sorted_and_skips_hidden(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / ".git").mkdir()
    (tmp_path / "b" / "two.txt").write_text("second file")
    (tmp_path / "a.txt").write_text("first file")
    (tmp_path / ".hidden.txt").write_text("hidden")
    (tmp_path / ".git" / "config.txt").write_text("hidden too")
    (tmp_path / "README.md").write_text("# About this corpus")
    docs = run([str(tmp_path)])
    assert [d.content for d in docs if isinstance(d, RawDocument)] == ["first file", "second file"]
    assert len(docs) == 2
    assert [d.content for d in run([str(tmp_path / "README.md")])] == ["# About this corpus"]  # type: ignore[union-attr]


def test_glob_and_glob_matching_nothing(tmp_path: Path) -> None:
    (tmp_path / "x1.txt").write_text("one")
    (tmp_path / "x2.txt").write_text("two")
    (tmp_path / "y.txt").write_text("other")
    pattern = str(tmp_path / "x*.txt")
    nothing = str(tmp_path / "*.pdf")
    items = run([pattern, nothing])
    assert [getattr(i, "content", None) for i in items] == ["one", "two", None]
    assert items[2] == IngestFailure(nothing, "glob matched no files")


def test_nonexistent_path_then_the_iteration_goes_on(tmp_path: Path) -> None:
    missing = str(tmp_path / "nope.txt")
    items = run([missing, str(FIXTURES / "dump.txt")])
    assert items[0] == IngestFailure(missing, "no such file or directory")
    assert isinstance(items[1], RawDocument)


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.org/feed.xml"])
def test_non_http_scheme_input_is_a_failure(url: str) -> None:
    failure = only(run([url]))
    assert isinstance(failure, IngestFailure) and failure.origin == url
    assert "is not allowed (http and https only)" in failure.reason


def test_private_url_refused_without_allow_private(loopback: Loopback) -> None:
    loopback.routes["/"] = Reply(200, b"internal")
    items = run([loopback.url("/"), "http://10.0.0.1/"])
    assert [type(i) for i in items] == [IngestFailure, IngestFailure]
    assert "non-public address 127.0.0.1" in items[0].reason
    assert "non-public address 10.0.0.1" in items[1].reason
    assert loopback.hits == []


def test_url_page_is_fetched_and_read(loopback: Loopback, local: Settings) -> None:
    loopback.routes["/story"] = Reply(200, (FIXTURES / "article.html").read_bytes())
    loopback.routes["/notes"] = Reply(200, QUOTE.encode("cp1252"), "text/plain")
    page, notes = run([loopback.url("/story"), loopback.url("/notes")], local)
    assert isinstance(page, RawDocument) and page.origin == loopback.url("/story")
    assert page.published == "2025-03-05" and "LAKKI MARWAT" in page.content
    assert notes == RawDocument(origin=loopback.url("/notes"), kind="text", content=QUOTE, url=loopback.url("/notes"))


def test_url_http_error_is_a_failure(loopback: Loopback, local: Settings) -> None:
    loopback.routes["/gone"] = Reply(404, b"")
    assert run([loopback.url("/gone")], local) == [IngestFailure(loopback.url("/gone"), "HTTP 404")]


def test_url_page_in_a_declared_legacy_charset(loopback: Loopback, local: Settings) -> None:
    # Short Polish text that charset guessing alone reads as cp1252 ("¯o³nierze"): the header decides.
    text = "Żołnierze zginęli w ataku na posterunek, poinformowało wojsko. Sprawcy uciekli."
    page = f"<html><head><title>Atak</title></head><body><article><p>{text}</p></article></body></html>"
    loopback.routes["/pl"] = Reply(200, page.encode("cp1250"), "text/html; charset=windows-1250")
    loopback.routes["/pl-meta"] = Reply(200, page.replace("<head>", '<head><meta charset="cp1250">').encode("cp1250"))
    for path in ("/pl", "/pl-meta"):
        doc = only(run([loopback.url(path)], local))
        assert isinstance(doc, RawDocument) and doc.content.endswith(text)
