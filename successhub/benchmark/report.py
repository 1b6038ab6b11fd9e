"""The benchmark's markdown table: small and large side by side, and the ratio large ÷ small."""

from __future__ import annotations

import statistics

from .pages import ROW_LABELS


def pool(rounds: list[dict]) -> dict:
    """One size measured in several rounds, as if in one: every page's timed runs pooled
    (median, min, max of all of them), its SQL time and render share the median of the
    rounds' medians. The first round's queries, size and wrk figures stand."""
    if len(rounds) == 1:
        return rounds[0]
    pooled = {**rounds[0], "pages": {}}
    pooled["meta"] = {
        **rounds[0]["meta"],
        "runs": sum(r["meta"]["runs"] for r in rounds),
        "rounds": len(rounds),
    }
    for label, first in rounds[0]["pages"].items():
        rows = [r["pages"][label] for r in rounds if label in r["pages"]]
        times = [t for row in rows for t in row["times_ms"]]
        shares = [row["render_share"] for row in rows if row["render_share"] is not None]
        pooled["pages"][label] = {
            **first,
            "times_ms": times,
            "median_ms": statistics.median(times),
            "min_ms": min(times),
            "max_ms": max(times),
            # Each turn's own median, in order: the paired ratio compares the sizes turn by turn.
            "turn_medians_ms": [statistics.median(row["times_ms"]) for row in rows],
            "sql_ms": statistics.median(row["sql_ms"] for row in rows),
            "render_share": statistics.median(shares) if shares else None,
        }
    return pooled


def _ms(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:,.0f}" if value >= 10 else f"{value:,.1f}"


def _ratio(small: dict | None, large: dict | None) -> str:
    if not small or not large or not small["median_ms"]:
        return "—"
    return f"{large['median_ms'] / small['median_ms']:,.2f}×"  # noqa: RUF001


def paired_ratio(small: dict | None, large: dict | None) -> float | None:
    """The median of the turns' ratios (each turn's large median over the same turn's small
    one): the two sizes of a turn ran one right after the other, so a machine that is slower
    for a few seconds weighs on both sides of each ratio. None without turns."""
    if not small or not large:
        return None
    small_turns, large_turns = small.get("turn_medians_ms", []), large.get("turn_medians_ms", [])
    if len(small_turns) != len(large_turns):
        return None
    ratios = [lg / s for s, lg in zip(small_turns, large_turns, strict=True) if s]
    return statistics.median(ratios) if len(ratios) > 1 else None


def _paired(small: dict | None, large: dict | None) -> str:
    ratio = paired_ratio(small, large)
    return "—" if ratio is None else f"{ratio:,.2f}×"  # noqa: RUF001


def _share(row: dict | None) -> str:
    if not row or row.get("render_share") is None:
        return "—"
    return f"{row['render_share']:.0%}"


def _get(row: dict | None, key: str, fmt) -> str:
    return "—" if not row else fmt(row[key])


def table(small: dict, large: dict) -> str:
    """``small`` and ``large``: ``{"meta": {...}, "pages": {row label: Result as dict}}``."""
    lines = [
        "| Page | Queries S | Queries L | Median ms S | Median ms L | L ÷ S | L ÷ S paired "
        "| SQL ms L | Render L | KB S | KB L |",
        "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for label in ROW_LABELS:
        s, lg = small.get("pages", {}).get(label), large.get("pages", {}).get(label)
        if s is None and lg is None:
            continue
        lines.append(
            "| "
            + " | ".join(
                [
                    label,
                    _get(s, "queries", str),
                    _get(lg, "queries", str),
                    _get(s, "median_ms", _ms),
                    _get(lg, "median_ms", _ms),
                    _ratio(s, lg),
                    _paired(s, lg),
                    _get(lg, "sql_ms", _ms),
                    _share(lg),
                    _get(s, "kb", lambda v: f"{v:,.0f}"),
                    _get(lg, "kb", lambda v: f"{v:,.0f}"),
                ]
            )
            + " |"
        )
    return "\n".join(lines)


def describe(name: str, meta: dict) -> str:
    """One line saying what a column measured: database, rows, runs."""
    if not meta:
        return f"- {name}: not measured"
    counts = ", ".join(f"{value:,} {key}" for key, value in meta.get("counts", {}).items())
    rounds = meta.get("rounds")
    runs = f"median of {meta.get('runs')} runs" + (
        f" in {rounds} turns, taking turns with the other size page by page" if rounds else ""
    )
    return f"- {name}: {meta.get('database', '?')}; {counts}; {runs}"


def wrk_table(small: dict, large: dict) -> str:
    """Requests per second under wrk, and each page's share of the bare view's rate."""
    rows = []
    labels = {
        "bare": "Bare Django view",
        "cases": "Success Cases",
        "case": "Case page",
        "cases_cached": "Success Cases, page cache on",
        "case_cached": "Case page, page cache on",
    }
    for key, label in labels.items():
        s, lg = small.get("wrk", {}).get(key), large.get("wrk", {}).get(key)
        if s is None and lg is None:
            continue
        cells = []
        for side in (small, large):
            found, bare = side.get("wrk", {}).get(key), side.get("wrk", {}).get("bare")
            cells.append("—" if found is None else f"{found:,.1f}")
            share = found / bare if found is not None and bare else None
            cells.append("—" if share is None else f"{share:.1%}")
        rows.append(f"| {label} | " + " | ".join(cells) + " |")
    if not rows:
        return ""
    head = "| wrk -t2 -c4 -d5s | req/s S | of bare S | req/s L | of bare L |\n|---|--:|--:|--:|--:|"
    return head + "\n" + "\n".join(rows)
