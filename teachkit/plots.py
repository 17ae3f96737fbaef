"""Matplotlib figures shared by the notebooks (curves, trees, the Poincare disk).

Each notebook's figures sit in their own section below; functions take plain arrays and return
the matplotlib Figure so the notebook decides when to show it.
"""
from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np


# --- 04 negative sampling ---

def noise_distribution(counts, probabilities, power: float, words=None, mark=()):
    """P_noise(w) against frequency rank (log-log) next to the unigram distribution.

    ``counts`` (most frequent first) give the unigram line; ``probabilities`` the noise
    distribution at ``power``; ``mark`` names words (from ``words``) to point at.
    """
    counts = np.asarray(counts, dtype=float)
    unigram = counts / counts.sum()
    rank = np.arange(1, len(counts) + 1)
    fig, ax = plt.subplots(figsize=(6.4, 3.6))
    ax.loglog(rank, unigram, color="0.65", lw=1.5, label="unigram (power 1)")
    ax.loglog(rank, probabilities, color="C0", lw=2, label=f"noise, power {power:g}")
    for word in mark:
        i = words.index(word)
        ax.plot(rank[i], probabilities[i], "o", color="C3", ms=4)
        ax.annotate(f"{word}: {probabilities[i]:.1e}", (rank[i], probabilities[i]), fontsize=8,
                    xytext=(4, 4), textcoords="offset points")
    top10 = probabilities[:10].sum()
    rare = probabilities[len(counts) // 2:].sum()
    ax.set_title(f"power {power:g}: top-10 words get {top10:.0%} of negatives, "
                 f"rarer half {rare:.0%}", fontsize=10)
    ax.set_xlabel("frequency rank")
    ax.set_ylabel("probability")
    ax.set_ylim(min(unigram.min(), probabilities[probabilities > 0].min()) / 3, 1)
    ax.legend(loc="lower left", fontsize=8)
    fig.tight_layout()
    return fig


def noise_powers(counts, distributions: dict):
    """Several noise distributions (``{power: probabilities}``) on one log-log plot: a static view."""
    rank = np.arange(1, len(counts) + 1)
    fig, ax = plt.subplots(figsize=(6.4, 3.6))
    for (power, p), color in zip(distributions.items(), plt.cm.viridis(np.linspace(0, 0.9, len(distributions)))):
        ax.loglog(rank, p, color=color, lw=1.8, label=f"power {power:g}")
    ax.set_xlabel("frequency rank")
    ax.set_ylabel("noise probability")
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig


def subsampling_curve(samples, frequencies, keep_by_sample: dict, marked=()):
    """Keep-probability against relative word frequency f/T for several ``-sample`` values.

    ``marked`` is a list of (word, relative frequency, keep probability) shown as points.
    """
    fig, ax = plt.subplots(figsize=(6.4, 3.6))
    for s in samples:
        ax.semilogx(frequencies, keep_by_sample[s], lw=2, label=f"sample = {s:g}")
    for word, f, keep in marked:
        ax.plot(f, keep, "o", color="k", ms=4)
        ax.annotate(word, (f, keep), fontsize=8, xytext=(4, 4), textcoords="offset points")
    ax.set_xlabel("relative frequency f / T of the word")
    ax.set_ylabel("probability an occurrence is kept")
    ax.set_ylim(0, 1.05)
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig


def learning_rate_schedule(progress, rates: dict, floor: float | None = None):
    """Learning rate against training progress, one line per schedule in ``rates``."""
    fig, ax = plt.subplots(figsize=(6.4, 3.2))
    for (name, rate), style in zip(rates.items(), ["-", "--", ":"]):
        ax.plot(progress, rate, style, lw=2, label=name)
    if floor is not None:
        ax.axhline(floor, color="0.6", lw=1)
        ax.annotate(f"floor {floor:.1e}", (0.02, floor), fontsize=8, xytext=(0, 4), textcoords="offset points")
    ax.set_xlabel("fraction of training done")
    ax.set_ylabel("learning rate alpha")
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig


def word_groups_2d(points, words, groups, title: str = ""):
    """A 2-D projection of word vectors: ``points`` (n, 2), each word coloured by its group name."""
    fig, ax = plt.subplots(figsize=(6.4, 5.0))
    names = list(dict.fromkeys(groups))
    for k, name in enumerate(names):
        rows = [i for i, g in enumerate(groups) if g == name]
        ax.scatter(points[rows, 0], points[rows, 1], s=22, color=f"C{k}", label=name)
        for i in rows:
            ax.annotate(words[i], points[i], fontsize=8, xytext=(3, 2), textcoords="offset points")
    ax.set_title(title, fontsize=10)
    ax.set_xticks([])
    ax.set_yticks([])
    ax.legend(fontsize=8, loc="best")
    fig.tight_layout()
    return fig


# --- 01 n-grams ---

def bigram_heatmap(counts, words, title: str = "bigram counts c(row word, column word)"):
    """Counts of the bigrams among ``words`` as a table (log colour scale, zero cells left white)."""
    counts = np.asarray(counts, dtype=float)
    fig, ax = plt.subplots(figsize=(6.4, 5.4))
    shown = np.ma.masked_equal(counts, 0)
    image = ax.imshow(np.log10(shown), cmap="viridis")
    ax.set_xticks(range(len(words)), words, rotation=90, fontsize=8)
    ax.set_yticks(range(len(words)), words, fontsize=8)
    ax.set_xlabel("next word")
    ax.set_ylabel("previous word")
    ax.set_title(title, fontsize=10)
    fig.colorbar(image, ax=ax, shrink=0.8, label="log10 count")
    fig.tight_layout()
    return fig


def add_k_perplexity(ks, perplexity_by_order: dict, mark: tuple | None = None, reference: float | None = None):
    """Held-out perplexity against k (log axes), one line per order n; ``mark = (k, n)`` circles one
    point and writes its value; ``reference`` draws a horizontal line (e.g. Kneser-Ney's)."""
    fig, ax = plt.subplots(figsize=(6.4, 3.8))
    for n, ppl in perplexity_by_order.items():
        ax.loglog(ks, ppl, "o-", ms=3, lw=1.5, label=f"n = {n}")
    if reference is not None:
        ax.axhline(reference, color="k", ls="--", lw=1, label=f"trigram Kneser-Ney {reference:.0f}")
    if mark is not None:
        k, n = mark
        value = perplexity_by_order[n][list(ks).index(k)]
        ax.plot(k, value, "o", ms=12, mfc="none", mec="C3", mew=2)
        ax.set_title(f"add-k, k = {k:g}, n = {n}: held-out perplexity {value:,.1f}", fontsize=10)
    ax.set_xlabel("k (pseudo-count added to every n-gram)")
    ax.set_ylabel("held-out perplexity")
    ax.legend(fontsize=8, ncol=2)
    fig.tight_layout()
    return fig


def perplexity_by_order(orders, perplexity_by_model: dict, reference: dict | None = None):
    """Held-out perplexity against the order n, one line per smoothing method; ``reference`` maps
    a label to (orders, values) drawn as crosses (e.g. KenLM's figures)."""
    fig, ax = plt.subplots(figsize=(6.4, 3.6))
    for name, ppl in perplexity_by_model.items():
        ax.semilogy(orders, ppl, "o-", lw=1.8, label=name)
    for name, (ref_orders, values) in (reference or {}).items():
        ax.semilogy(ref_orders, values, "x", color="k", ms=9, mew=2, label=name)
    ax.set_xticks(list(orders))
    ax.set_xlabel("order n")
    ax.set_ylabel("held-out perplexity")
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig


# --- 06 scaling out ---

def scaling_comparison(labels, words_per_second, ws353, simlex):
    """Speed and quality of several training runs side by side: one bar per run in three panels."""
    fig, axes = plt.subplots(1, 3, figsize=(9.6, 0.45 * len(labels) + 1.4), sharey=True)
    y = np.arange(len(labels))
    colors = [f"C{i}" for i in range(len(labels))]
    for ax, values, title, fmt in [(axes[0], np.asarray(words_per_second) / 1e3, "thousand words / s", "{:.0f}"),
                                   (axes[1], ws353, "WordSim353 Spearman", "{:.2f}"),
                                   (axes[2], simlex, "SimLex-999 Spearman", "{:.2f}")]:
        ax.barh(y, values, color=colors)
        for yi, v in zip(y, values):
            ax.annotate(fmt.format(v), (v, yi), fontsize=8, xytext=(3, -3), textcoords="offset points")
        ax.set_title(title, fontsize=10)
        ax.margins(x=0.25)
    axes[0].set_yticks(y)
    axes[0].set_yticklabels(labels, fontsize=8)
    axes[0].invert_yaxis()
    fig.tight_layout()
    return fig
