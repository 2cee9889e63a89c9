"""The report as Markdown: the same sections and numbers, citations as ``[n]`` links to Sources.

Figures are not drawn in Markdown; each is listed with its caption and sources, and the article
ids behind every table row and figure are kept in HTML comments (``<!-- articles: ... -->``).
Text from articles (titles, names, places, quoted words) is escaped (``safe_text.escape_markdown``):
no tag or link from an article renders live; a source's address is a link only when it is http(s).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from threatscape.report.model import CountRow, ProfileItem, Report
from threatscape.report.summary import METHOD, change_text, fmt_int, key_points, title
from threatscape.safe_text import escape_markdown as _t
from threatscape.safe_text import safe_url

__all__ = ["render_md"]

_PIPE = re.compile(r"(?<!\\)\|")


def _cell(text: object) -> str:
    # a pipe escape_markdown already escaped is left alone (escaping it again would end the cell)
    return _PIPE.sub(r"\\|", str(text if text is not None else "")).replace("\n", " ")


class _Writer:
    def __init__(self, report: Report) -> None:
        self.index = {s.article_id: s.number for s in report.sources}
        self.lines: list[str] = []

    def cite(self, ids: Iterable[str], total: int = 0) -> str:
        ids = tuple(ids)
        nums = sorted({self.index[a] for a in ids if a in self.index})
        more = f" (+{total - len(ids)} more)" if total > len(ids) else ""
        return ("[" + ", ".join(f"[{n}](#src-{n})" for n in nums) + "]" + more) if nums else ""

    def add(self, *lines: str) -> None:
        self.lines.extend(lines)

    def table(self, head: list[str], rows: list[list[object]]) -> None:
        self.add("| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in head) + "|")
        self.add(*("| " + " | ".join(_cell(c) for c in row) + " |" for row in rows))
        self.add("")


def _counts(w: _Writer, caption: str, first: str, rows: tuple[CountRow, ...]) -> None:
    w.add(f"**{caption}**", "")
    w.table(
        [first, "Events", "Previous", "Change", "Fatalities", "Sources"],
        [
            [
                _t(r.label),
                fmt_int(r.value),
                fmt_int(r.previous),
                change_text(r.value, r.previous),
                fmt_int(r.fatalities),
                w.cite(r.article_ids, r.n_articles) + f" <!-- articles: {' '.join(r.article_ids)} -->",
            ]
            for r in rows
        ]
        or [["No events", "", "", "", "", ""]],
    )


def _items(w: _Writer, label: str, items: tuple[ProfileItem, ...], empty: str) -> None:
    if not items:
        w.add(f"- *{label}:* {empty}")
        return
    w.add(f"- *{label}:*")
    for it in items:
        who = f" — per {_t(it.attributed_to)}" if it.attributed_to else ""
        flag = " **(contested)**" if it.contested else ""
        w.add(f"  - {_t(it.text)}{who}{flag} {w.cite(it.article_ids)}".rstrip())


def _profiles(w: _Writer, report: Report) -> None:
    w.add("## Actor profiles", "")
    for p in report.profiles:
        w.add(
            f"### {_t(p.name)}",
            "",
            f"{p.type.replace('_', ' ')}{' · ' + p.country if p.country else ''}"
            f"{' · also: ' + ', '.join(_t(a) for a in p.aliases[:5]) if p.aliases else ''}",
            "",
        )
        w.add(f"- *Activity:* {fmt_int(p.events)} events, {fmt_int(p.fatalities)} fatalities {w.cite(p.article_ids)}")
        _items(w, "Reported strength", p.strength, "no strength figure reported")
        _items(w, "Leadership", p.leadership, "no leader named in the reports")
        _items(w, "Relations", p.relations, "no support, funding, sheltering or collaboration reported")
        _items(w, "Sanctions", p.sanctions, "")
        w.add("")
    if not report.profiles:
        w.add("No actor was active in the period.", "")


def _facts(w: _Writer, report: Report) -> None:
    w.add("## Financing and money flows", "")
    w.table(
        ["Payer → payee", "Amount", "Per", "≈ USD a year", "Purpose", "Reported by", "Date", "Source"],
        [
            [
                f"{_t(m.payer or 'unnamed')} → {_t(m.payee or 'unnamed')}"
                + (" (contested)" if m.contested else "")
                + (" (sanctions list)" if m.sanctioned else ""),
                f"{fmt_int(m.amount)} {_t(m.currency)}" + (f" ({_t(m.evidence)})" if m.evidence else ""),
                m.period,
                fmt_int(m.usd_per_year),
                _t(m.purpose or m.direction or ""),
                _t(m.source or ""),
                m.date,
                w.cite(m.article_ids),
            ]
            for m in report.money
        ]
        or [["No money flows reported", "", "", "", "", "", "", ""]],
    )
    w.add("## Contested claims", "")
    w.table(
        ["Accusation", "Denial"],
        [
            [
                f"**{_t(c.accuser)}** accuses{' ' + _t(c.target) if c.target else ''}: “{_t(c.accusation)}” "
                + w.cite(c.accusation_articles),
                f"**{_t(c.denier)}** denies: “{_t(c.denial)}” {w.cite(c.denial_articles)}",
            ]
            for c in report.contested
        ]
        or [["No accusation met a denial in another report.", ""]],
    )
    w.add("## Notable events", "")
    w.table(
        ["Date", "Event", "Place", "Actors", "Killed (range)", "Reports", "Why", "Sources"],
        [
            [
                n.date,
                n.sub_type or n.type,
                _t(n.place),
                _t(n.actors),
                f"{fmt_int(n.fatalities_best)} ({fmt_int(n.fatalities_low)}–{fmt_int(n.fatalities_high)})",
                n.reports,
                _t(n.why),
                w.cite(n.article_ids),
            ]
            for n in report.notable
        ]
        or [["", "No notable event", "", "", "", "", "", ""]],
    )


def render_md(report: Report) -> str:
    """The whole report as a Markdown document."""
    w, h, f = _Writer(report), report.headline, report.filters
    w.add(
        f"# {title(report)}",
        "",
        f"*Monitoring brief · {f.period.label()} ({f.period.days} days) · compared with "
        f"{f.period.previous().label()} · generated {report.generated}*",
        "",
    )
    w.add(
        f"**Events:** {fmt_int(h.events)} (previous {fmt_int(h.events_previous)}) · **Fatalities:** "
        f"{fmt_int(h.fatalities_best)} (range {fmt_int(h.fatalities_low)}–{fmt_int(h.fatalities_high)}; previous "
        f"{fmt_int(h.fatalities_previous)}) · **Reports:** {fmt_int(h.articles)}",
        "",
    )
    w.add(*(f"- {_t(s)} {w.cite(ids)}".rstrip() for s, ids in key_points(report)), "")
    w.add("## Headline figures", "")
    _counts(w, "Table 1. Events by type", "Event type", h.by_type)
    _counts(w, "Table 2. Most active actors", "Actor", h.by_actor)
    _counts(w, "Table 3. Events by province", "Province (admin-1)", h.by_admin1)
    w.add("## Figures", "")
    for i, fig in enumerate(report.figures, 1):
        shown = "" if fig.svg else f" *{fig.note}*"
        w.add(
            f"- **Figure {i}. {_t(fig.title)}.** {_t(fig.caption)}{shown} "
            f"Sources: {w.cite(fig.article_ids, fig.n_articles)}"
            f" <!-- articles: {' '.join(fig.article_ids)} -->"
        )
    w.add("", "*(Charts and the map are drawn in the HTML and PDF editions.)*", "")
    _profiles(w, report)
    _facts(w, report)
    w.add("## Sources", "")
    for s in report.sources:
        link = safe_url(s.url)
        url = f" <{link}>" if link else (f" ({_t(s.url)})" if s.url else "")
        w.add(
            f'{s.number}. <a id="src-{s.number}"></a>**{_t(s.outlet or "Unknown outlet")}**, {s.date or "undated"}: '
            f"{_t(s.title)}{url} `{s.article_id}`"
        )
    w.add("", "## Method", "", *(f"- {line}" for line in [*METHOD, *report.notes]), "")
    return "\n".join(w.lines)
