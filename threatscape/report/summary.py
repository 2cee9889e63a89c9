"""Plain sentences shared by the renderers: key points, change labels, titles, the method text."""

from __future__ import annotations

from threatscape.report.model import CountRow, Report

__all__ = ["METHOD", "change_text", "fmt_int", "key_points", "title"]

METHOD = [
    "Articles are ingested from files, feeds and pages, split into single reports and stripped of page "
    "furniture; near-duplicates (syndicated copies) are grouped into stories.",
    "Actors, claims (who said what, with stance), events (ACLED event types, PLOVER codes), relations, money "
    "and other quantities are extracted by rule-based extractors; every fact keeps the span of text it "
    "rests on, and the article it came from.",
    "Events are counted once per event record. When fused events are available, reports of the same incident "
    "are merged first; otherwise each report's event counts, so an incident covered by two outlets can count "
    "twice (notable events group reports of the same day, place and type). Tallies over a period "
    '("over 600 attacks since July") are never counted as incidents.',
    "Fatalities: the best estimate where the sources agree, with the range from the lowest to the highest "
    "reported figure; no figure is verified independently. Sums of best estimates can differ from the range.",
    "Changes compare the reporting period with the period of the same length immediately before it.",
    "Places: admin-1 names as reported or from the coordinates of the place named (point in polygon on "
    "Natural Earth admin-1 boundaries; Pakistan's former FATA is counted within Khyber Pakhtunkhwa).",
    'Confidence: extraction is automatic; attributions ("per Pakistani officials") are shown as the texts '
    "give them. Claims by parties to a conflict are reported as claims, beside any denial found.",
    "Not covered: events in reports not ingested, non-English sources, events without a date or place "
    "precise enough to count, and anything the extractors miss. Country and province filters apply to "
    "events; profiles, money and claims are drawn from all articles of the period.",
]


def fmt_int(n: int | float | None) -> str:
    return "–" if n is None else f"{n:,.0f}"


def change_text(now: int, before: int | None) -> str:
    if before is None:
        return ""
    diff = now - before
    if before == 0:
        return "new" if now else "no change"
    pct = 100 * diff / before
    return f"{diff:+,} ({pct:+.0f}%)" if diff else "no change"


def _change_clause(now: int, before: int) -> str:
    return f", a change of {change_text(now, before)}" if before else ""


def title(report: Report) -> str:
    f = report.filters
    scope = ", ".join(x for x in (f.actor_name, f.admin1, f.country) if x) or "All areas"
    return f"Threat landscape: {scope}"


def _top(rows: tuple[CountRow, ...]) -> CountRow | None:
    return rows[0] if rows else None


def key_points(report: Report) -> list[tuple[str, tuple[str, ...]]]:
    """(sentence, article ids) for the summary box."""
    h, f = report.headline, report.filters
    prev = f.period.previous()
    out = [
        (
            f"{fmt_int(h.events)} events were recorded in {f.period.label()}, against {fmt_int(h.events_previous)} "
            f"in the previous {f.period.days} days ({prev.label()}){_change_clause(h.events, h.events_previous)}.",
            h.article_ids,
        ),
        (
            f"Reported fatalities: {fmt_int(h.fatalities_best)} (best estimate; reported range "
            f"{fmt_int(h.fatalities_low)}–{fmt_int(h.fatalities_high)}), against {fmt_int(h.fatalities_previous)} "
            "in the previous period.",
            h.article_ids,
        ),
    ]
    if (t := _top(h.by_type)) is not None:
        out.append(
            (
                f"Most frequent event type: {t.label} ({fmt_int(t.value)} events, {fmt_int(t.fatalities)} fatalities).",
                t.article_ids,
            )
        )
    if (a := _top(h.by_actor)) is not None:
        out.append((f"Most active actor: {a.label} ({fmt_int(a.value)} events).", a.article_ids))
    if (p := _top(h.by_admin1)) is not None:
        out.append(
            (
                f"Most affected province: {p.label} ({fmt_int(p.value)} events, {fmt_int(p.fatalities)} fatalities).",
                p.article_ids,
            )
        )
    deadliest = next((n for n in report.notable if "deadliest" in n.why), None)
    if deadliest is not None:
        out.append(
            (
                f"Deadliest event: {deadliest.sub_type or deadliest.type} at {deadliest.place} on "
                f"{deadliest.date} ({fmt_int(deadliest.fatalities_best)} killed, {deadliest.actors}).",
                deadliest.article_ids,
            )
        )
    if report.contested:
        out.append(
            (
                f"{len(report.contested)} accusation(s) met a denial in the period (see Contested claims).",
                report.contested[0].accusation_articles + report.contested[0].denial_articles,
            )
        )
    return out
