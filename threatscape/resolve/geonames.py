"""GeoNames country dumps: fetch them on request (``refresh_gazetteer``) and read them back.

``refresh_gazetteer(["PK", "AF"])`` downloads ``https://download.geonames.org/export/dump/PK.zip``
(and ``AF.zip``), checks the size cap, and writes ``PK.txt`` into the user data directory
(``$THREATSCAPE_GEONAMES_DIR``, else ``$XDG_DATA_HOME/threatscape/geonames``, else
``~/.local/share/threatscape/geonames``). The gazetteer reads every ``*.txt`` there on its next
build. This is the only code path that touches the network, and only when the user asks.
"""

from __future__ import annotations

import io
import os
import re
import zipfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from threatscape.errors import ConfigError, FetchError
from threatscape.resolve.gazetteer_sources import Entry

if TYPE_CHECKING:
    import httpx

__all__ = ["GEONAMES_URL", "MAX_DOWNLOAD_BYTES", "dump_entries", "geonames_dir", "refresh_gazetteer"]

GEONAMES_URL = "https://download.geonames.org/export/dump/{code}.zip"
MAX_DOWNLOAD_BYTES = 200 * 1024 * 1024  # the largest country zip (US) is ~ 100 MB
_CODE = re.compile(r"^[A-Z]{2}$")
# feature class -> gazetteer kind; ADM1/ADM2 and PCL* are refined in _kind
_CLASS_KIND = {"P": "point", "S": "point", "A": "region", "L": "region", "T": "region"}


def geonames_dir() -> Path:
    """Where refreshed GeoNames dumps live (nothing is created here)."""
    if env := os.environ.get("THREATSCAPE_GEONAMES_DIR"):
        return Path(env)
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "threatscape" / "geonames"


def refresh_gazetteer(
    country_codes: Sequence[str], dest: Path | None = None, *, timeout: float = 30, client: httpx.Client | None = None
) -> Path:
    """Download the GeoNames dumps of ``country_codes`` into ``dest``; returns the directory.

    ``client`` lets tests pass an ``httpx.Client`` with a mock transport; the gazetteer cache is
    keyed on the dump files, so the next ``load_gazetteer`` in a new process rebuilds with them."""
    import httpx

    codes = [c.strip().upper() for c in country_codes]
    if bad := [c for c in codes if not _CODE.match(c)]:
        raise ConfigError(f"not ISO 3166-1 alpha-2 country codes: {', '.join(bad)}")
    dest = dest or geonames_dir()
    dest.mkdir(parents=True, exist_ok=True)
    with client or httpx.Client(timeout=timeout, follow_redirects=True) as http:
        for code in codes:
            url = GEONAMES_URL.format(code=code)
            data = _download(http, url)
            try:
                with zipfile.ZipFile(io.BytesIO(data)) as zf:
                    text = zf.read(f"{code}.txt")
            except (zipfile.BadZipFile, KeyError) as exc:
                raise FetchError(f"not a GeoNames dump: {exc}", source=url) from exc
            tmp = dest / f"{code}.txt.part"
            tmp.write_bytes(text)
            tmp.replace(dest / f"{code}.txt")
    return dest


def _download(client: httpx.Client, url: str) -> bytes:
    import httpx

    chunks: list[bytes] = []
    size = 0
    try:
        with client.stream("GET", url) as resp:
            if resp.status_code != 200:
                raise FetchError(f"HTTP {resp.status_code}", source=url)
            for chunk in resp.iter_bytes():
                size += len(chunk)
                if size > MAX_DOWNLOAD_BYTES:
                    raise FetchError(f"larger than {MAX_DOWNLOAD_BYTES} bytes", source=url)
                chunks.append(chunk)
    except httpx.HTTPError as exc:
        raise FetchError(str(exc) or type(exc).__name__, source=url) from exc
    return b"".join(chunks)


def _kind(feature_class: str, feature_code: str) -> str | None:
    if feature_code.startswith("PCL"):
        return "country"
    if feature_code == "ADM1":
        return "admin1"
    if feature_code in ("ADM2", "ADM3"):
        return "admin2"
    if feature_class == "A" and not feature_code.startswith("ADM"):
        return None
    return _CLASS_KIND.get(feature_class)


def dump_entries(directory: Path, admin1_names: dict[str, str]) -> Iterator[Entry]:
    """Entries from every ``XX.txt`` GeoNames dump in ``directory`` (the standard 19-column rows)."""
    if not directory.is_dir():
        return
    for path in sorted(directory.glob("*.txt")):
        with path.open(encoding="utf-8") as fh:
            for line in fh:
                cols = line.rstrip("\n").split("\t")
                if len(cols) < 15:
                    continue
                kind = _kind(cols[6], cols[7])
                if kind is None or kind == "country":
                    continue
                alts = [a for a in cols[3].split(",") if a and not a.islower() and a.isascii()]
                yield Entry(
                    name=cols[1],
                    kind=kind,
                    country_code=cols[8] or None,
                    admin1=admin1_names.get(f"{cols[8]}.{cols[10]}"),
                    lat=float(cols[4]),
                    lon=float(cols[5]),
                    population=int(cols[14] or 0),
                    geonameid=int(cols[0]),
                    names=tuple(dict.fromkeys([cols[1], cols[2], *alts])),
                )
