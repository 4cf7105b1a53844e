"""PNG charts for the trends that read better as pictures (matplotlib, no display needed).

* ``conversations_per_day.png``  stacked bars per language;
* ``not_understood_per_day.png`` share of typed messages not understood, per day;
* ``interview_stops.png``        where abandoned interviews stopped;
* ``feedback_per_answer.png``    helpful / not helpful per answer.

A chart without data is not drawn. Returns the files written.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

# Colour-blind safe (Okabe-Ito), one per language; text labels carry the meaning too.
COLOURS = {"fi": "#0072B2", "sv": "#E69F00", "en": "#009E73", "yes": "#009E73", "no": "#D55E00", "other": "#999999"}


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _save(fig, path: Path, written: list[Path]) -> None:
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    written.append(path)


def write_plots(report: dict[str, Any], out_dir: Path) -> list[Path]:
    plt = _pyplot()
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    days = [r["day"][5:] for r in report["conversations"]["per_day"]]  # MM-DD

    per_day = report["conversations"]["per_day"]
    if report["conversations"]["total"]:
        fig, ax = plt.subplots(figsize=(max(6, len(days) * 0.45), 3.6))
        bottom = [0] * len(per_day)
        languages = [k for k in report["conversations"]["by_language"]]
        for lang in languages:
            values = [r.get(lang, 0) for r in per_day]
            ax.bar(days, values, bottom=bottom, label=lang, color=COLOURS.get(lang, COLOURS["other"]))
            bottom = [b + v for b, v in zip(bottom, values)]
        ax.set_title("Conversations per day and language")
        ax.set_ylabel("conversations")
        ax.legend(title="language", frameon=False)
        ax.tick_params(axis="x", rotation=60)
        ax.yaxis.get_major_locator().set_params(integer=True)
        _save(fig, out_dir / "conversations_per_day.png", written)
        plt.close(fig)

    nu = report["not_understood"]
    if nu["typed_messages"]:
        fig, ax = plt.subplots(figsize=(max(6, len(days) * 0.45), 3.6))
        # Numeric positions so that days without typed messages (no share) keep their place.
        positions = list(range(len(days)))
        shares = [float("nan") if r["share"] is None else r["share"] * 100 for r in nu["per_day"]]
        ax.plot(positions, shares, marker="o", color=COLOURS["no"], label="per day")
        ax.set_xticks(positions)
        ax.set_xticklabels(days)
        ax.set_xlim(-0.5, len(days) - 0.5)
        if nu["share"] is not None:
            ax.axhline(nu["share"] * 100, linestyle="--", color=COLOURS["other"],
                       label=f"period: {nu['share'] * 100:.1f} %")
            ax.legend(frameon=False)
        ax.set_title("Typed messages not understood, per day")
        ax.set_ylabel("% of typed messages")
        ax.set_ylim(0, max([s for s in shares if s == s] + [5.0]) * 1.15)
        ax.tick_params(axis="x", rotation=60)
        _save(fig, out_dir / "not_understood_per_day.png", written)
        plt.close(fig)

    stops = report["interview"]["stopped_at"]
    if stops:
        fig, ax = plt.subplots(figsize=(6.5, 1.8 + 0.45 * len(stops)))
        ax.barh(list(stops)[::-1], list(stops.values())[::-1], color=COLOURS["fi"])
        ax.set_title("Abandoned interviews: the last question asked")
        ax.set_xlabel("interviews")
        ax.xaxis.get_major_locator().set_params(integer=True)
        _save(fig, out_dir / "interview_stops.png", written)
        plt.close(fig)

    rows = [r for r in report["feedback"]["per_answer"] if r["yes"] or r["no"]]
    if rows:
        fig, ax = plt.subplots(figsize=(8, 1.8 + 0.45 * len(rows)))
        names = [r["answer"] for r in rows][::-1]
        yes = [r["yes"] for r in rows][::-1]
        no = [r["no"] for r in rows][::-1]
        ax.barh(names, yes, color=COLOURS["yes"], label="helpful")
        ax.barh(names, no, left=yes, color=COLOURS["no"], label="not helpful")
        ax.set_title("Feedback per answer")
        ax.set_xlabel("ratings")
        ax.legend(frameon=False, loc="upper left", bbox_to_anchor=(1.01, 1.0))
        ax.xaxis.get_major_locator().set_params(integer=True)
        _save(fig, out_dir / "feedback_per_answer.png", written)
        plt.close(fig)
    return written
