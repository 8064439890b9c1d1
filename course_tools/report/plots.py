"""The report's two plots, drawn with matplotlib and returned as PNG bytes."""
import io

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402 (after choosing the non-interactive backend)


BLUE, ORANGE = "#0072B2", "#E69F00"  # readable for colour-blind readers


def _png(fig):
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=110, facecolor="white", metadata={"Software": None})
    plt.close(fig)
    return buffer.getvalue()


def pass_rate_chart(pass_rates):
    """Horizontal bars: the share of graded learners with full points on each exercise."""
    fig, ax = plt.subplots(figsize=(7, 3.6), facecolor="white")
    names = list(reversed(pass_rates))  # the first exercise on top
    rates = [100 * pass_rates[n][0] / pass_rates[n][1] if pass_rates[n][1] else 0 for n in names]
    bars = ax.barh(names, rates, color=BLUE)
    for bar, rate in zip(bars, rates):
        ax.text(min(rate + 1, 92), bar.get_y() + bar.get_height() / 2, f"{rate:.0f}%", va="center", fontsize=9)
    ax.set_xlim(0, 100)
    ax.set_xlabel("learners with full points (%)")
    ax.set_title("Pass rate per exercise")
    ax.grid(True, axis="x", alpha=0.3)
    fig.tight_layout()
    return _png(fig)


def score_histogram(totals, max_total):
    """Histogram of total scores, in bins of 5 points."""
    fig, ax = plt.subplots(figsize=(7, 3.2), facecolor="white")
    top = max(max_total, 1)
    bins = [x for x in range(0, int(top) + 6, 5)]
    ax.hist(totals, bins=bins, color=ORANGE, edgecolor="white")
    ax.set_xlim(0, bins[-1])
    ax.set_xlabel(f"total score (out of {max_total:g})")
    ax.set_ylabel("learners")
    ax.set_title("Total scores")
    ax.grid(True, axis="y", alpha=0.3)
    fig.tight_layout()
    return _png(fig)
