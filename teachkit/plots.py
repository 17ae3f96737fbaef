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
    ax.set_title("noise distributions count**power / sum, one line per power", fontsize=10)
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
    ax.set_title("subsampling: keep-probability by the word's share of the corpus", fontsize=10)
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
    ax.set_title("linear decay of the learning rate", fontsize=10)
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig


def word_groups_2d(points, words, groups, title: str = "", axis_names: tuple[str, str] = ("PC 1", "PC 2")):
    """A 2-D projection of word vectors: ``points`` (n, 2), each word coloured by its group name.

    ``axis_names`` say what the axes are (e.g. the first two principal components). The labels are
    laid out by adjustText so that they do not overlap each other or the points.
    """
    from adjustText import adjust_text

    fig, ax = plt.subplots(figsize=(7.0, 5.6))
    names = list(dict.fromkeys(groups))
    texts = []
    for k, name in enumerate(names):
        rows = [i for i, g in enumerate(groups) if g == name]
        ax.scatter(points[rows, 0], points[rows, 1], s=22, color=f"C{k}", label=name)
        texts += [ax.text(points[i, 0], points[i, 1], words[i], fontsize=8, color=f"C{k}") for i in rows]
    ax.set_title(title, fontsize=10)
    ax.set_xlabel(axis_names[0])
    ax.set_ylabel(axis_names[1])
    ax.tick_params(labelsize=7)
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1), borderaxespad=0)  # outside the data
    fig.tight_layout()
    adjust_text(texts, x=points[:, 0], y=points[:, 1], ax=ax,
                arrowprops=dict(arrowstyle="-", color="0.6", lw=0.5))
    return fig


# --- 01 n-grams ---

def bigram_heatmap(counts, words, title: str = "bigram counts c(row word, column word)"):
    """Counts of the bigrams among ``words`` as a table (log colour scale, zero cells left white)."""
    counts = np.asarray(counts, dtype=float)
    fig, ax = plt.subplots(figsize=(6.4, 5.4))
    image = ax.imshow(np.ma.log10(np.ma.masked_equal(counts, 0)), cmap="viridis")
    ax.set_xticks(range(len(words)), words, rotation=90, fontsize=8)
    ax.set_yticks(range(len(words)), words, fontsize=8)
    ax.set_xlabel("next word")
    ax.set_ylabel("previous word")
    ax.set_title(title, fontsize=10)
    fig.colorbar(image, ax=ax, shrink=0.8, label="log10 count")
    fig.tight_layout()
    return fig


def add_k_perplexity(ks, perplexity_by_order: dict, mark: tuple | None = None, reference: float | None = None,
                     title: str = "add-k smoothing: held-out perplexity against k"):
    """Held-out perplexity against k (log axes), one line per order n; ``mark = (k, n)`` circles one
    point and writes its value in the title; ``reference`` draws a horizontal line (e.g. Kneser-Ney's).
    The legend sits outside the axes, so it covers no line."""
    fig, ax = plt.subplots(figsize=(7.6, 3.8))
    for (n, ppl), marker in zip(perplexity_by_order.items(), "osD^v<>"):
        ax.loglog(ks, ppl, marker + "-", ms=3.5, lw=1.5, label=f"n = {n}")
    if reference is not None:
        ax.axhline(reference, color="k", ls="--", lw=1, label=f"trigram Kneser-Ney\n({reference:.1f})")
    ax.set_title(title, fontsize=10)
    ax.set_xlabel("k (pseudo-count added to every n-gram)")
    ax.set_ylabel("held-out perplexity")
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1), borderaxespad=0)
    if mark is not None:
        _mark_add_k(ax, ks, perplexity_by_order, *mark)
    fig.tight_layout()
    return fig


def _mark_add_k(ax, ks, perplexity_by_order, k, n, circle=None):
    value = perplexity_by_order[n][list(ks).index(k)]
    if circle is None:
        circle, = ax.plot(k, value, "o", ms=12, mfc="none", mec="C3", mew=2)
    circle.set_data([k], [value])
    ax.set_title(f"add-k, k = {k:g}, n = {n}: held-out perplexity {value:,.1f}", fontsize=10)
    return circle


def add_k_frames(ks, perplexity_by_order: dict, reference: float | None = None, dpi: int = 72) -> dict:
    """PNG frames of ``add_k_perplexity`` with each (k, n) marked in turn, keyed by their indices
    ``(i, j)`` in ``ks`` and in the orders: the figure is drawn once and only the mark and the title
    move, which is many times faster than one figure per frame."""
    import io

    fig = add_k_perplexity(ks, perplexity_by_order, reference=reference, title="add-k, k = 0, n = 0: held-out perplexity 0")
    ax, circle, frames = fig.axes[0], None, {}
    for j, n in enumerate(perplexity_by_order):
        for i, k in enumerate(ks):
            circle = _mark_add_k(ax, ks, perplexity_by_order, k, n, circle)
            buffer = io.BytesIO()
            fig.savefig(buffer, format="png", dpi=dpi)
            frames[(i, j)] = buffer.getvalue()
    plt.close(fig)
    return frames


def perplexity_by_order(orders, perplexity_by_model: dict, reference: dict | None = None,
                        zoom: tuple = ("Kneser-Ney", "modified Kneser-Ney")):
    """Held-out perplexity against the order n, one line per smoothing method (left, log scale), and
    the methods named in ``zoom`` again on a linear scale (right), where lines a few points apart
    (Kneser-Ney and its modified form) separate. ``reference`` maps a label to (orders, values),
    drawn as crosses (e.g. KenLM's figures) in both panels."""
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(9.6, 3.6), gridspec_kw={"width_ratios": [1, 1]})
    styles = {name: (f"C{i}", marker, line) for i, (name, marker, line)
              in enumerate(zip(perplexity_by_model, "os^Dv", ["-", "--", "-.", ":", "-"]))}
    for name, ppl in perplexity_by_model.items():
        color, marker, line = styles[name]
        ax1.semilogy(orders, ppl, marker=marker, ls=line, color=color, lw=1.8, ms=5, label=name)
        if name in zoom:
            ax2.plot(orders, ppl, marker=marker, ls=line, color=color, lw=1.8, ms=6, label=name)
    for name, (ref_orders, values) in (reference or {}).items():
        for ax in (ax1, ax2):
            ax.plot(ref_orders, values, "x", color="k", ms=9, mew=2, label=name)
    ax1.set_title("every method (log scale)", fontsize=10)
    ax2.set_title(" vs ".join(zoom) + " (linear scale)", fontsize=10)
    for ax in (ax1, ax2):
        ax.set_xticks(list(orders))
        ax.set_xlabel("order n")
        ax.set_ylabel("held-out perplexity")
    handles, labels = ax1.get_legend_handles_labels()
    fig.legend(handles, labels, fontsize=8, loc="lower center", ncol=len(labels), frameon=False)
    fig.tight_layout(rect=(0, 0.08, 1, 1))   # the legend below both panels, outside the data
    return fig


# --- 06 scaling out ---

def scaling_comparison(labels, words_per_second, ws353, simlex):
    """Speed and quality of several runs side by side, one bar per run; runs named "system, detail" share a colour."""
    fig, axes = plt.subplots(1, 3, figsize=(9.6, 0.45 * len(labels) + 1.4), sharey=True)
    y = np.arange(len(labels))
    systems = list(dict.fromkeys(label.split(",")[0] for label in labels))  # "Spark P=2, 3 it." -> "Spark P=2"
    colors = [f"C{systems.index(label.split(',')[0])}" for label in labels]
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


# --- 03 Huffman / word2vec ---

def word2vec_architectures():
    """CBOW (context -> mean -> centre word) and skip-gram (centre word -> each context word), side by side."""
    fig, axes = plt.subplots(1, 2, figsize=(8, 3.2))
    context = ["w(t-2)", "w(t-1)", "w(t+1)", "w(t+2)"]
    ys = np.linspace(0.85, 0.15, 4)
    box = dict(boxstyle="round,pad=0.3", fc="#eef3fb", ec="C0")
    for ax, title, cbow in ((axes[0], "CBOW: context predicts the word", True),
                            (axes[1], "skip-gram: the word predicts each context word", False)):
        ax.set_axis_off()
        ax.set_xlim(0, 1)
        ax.set_ylim(0, 1)
        ax.set_title(title, fontsize=10)
        for y, word in zip(ys, context):
            ax.text(0.1 if cbow else 0.9, y, word, ha="center", va="center", bbox=box, fontsize=9)
        ax.text(0.5, 0.5, "mean of\nsyn0 rows\n(neu1)" if cbow else "syn0 row", ha="center", va="center",
                fontsize=8, bbox=dict(boxstyle="round", fc="#fdf3e1", ec="C1"))
        ax.text(0.9 if cbow else 0.1, 0.5, "w(t)", ha="center", va="center", bbox=box, fontsize=9)
        for y in ys:
            start, end = ((0.18, y), (0.4, 0.5)) if cbow else ((0.6, 0.5), (0.82, y))
            ax.annotate("", end, start, arrowprops=dict(arrowstyle="->", color="0.4"))
        start, end = ((0.6, 0.5), (0.83, 0.5)) if cbow else ((0.17, 0.5), (0.42, 0.5))
        ax.annotate("", end, start, arrowprops=dict(arrowstyle="->", color="0.4"))
        ax.text(0.71 if cbow else 0.29, 0.56, "HS or NS\n(syn1 / syn1neg)" if cbow else "lookup", ha="center",
                fontsize=7, color="0.3")
        if not cbow:
            ax.text(0.66, 0.9, "HS or NS (syn1 / syn1neg),\nonce per context word", fontsize=7, color="0.3")
    fig.tight_layout()
    return fig


def softmax_cost(vocab_sizes, full_seconds, hs_seconds):
    """Measured time per prediction: full softmax (grows like V) vs a Huffman path (like log2 V)."""
    fig, ax = plt.subplots(figsize=(5.6, 3.4))
    ax.loglog(vocab_sizes, np.asarray(full_seconds) * 1e6, "o-", label="full softmax over V words")
    ax.loglog(vocab_sizes, np.asarray(hs_seconds) * 1e6, "s-", label="hierarchical softmax (one path)")
    ax.set_xlabel("vocabulary size V")
    ax.set_ylabel("microseconds per prediction")
    ax.set_title("time per prediction: full softmax against one Huffman path", fontsize=10)
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig


def _tree_layout(parent, binary, n_words):
    """x, y of every node: leaves left to right in tree order, an inner node above its children's middle."""
    root = 2 * n_words - 2
    children = {node: [None, None] for node in range(n_words, root + 1)}
    for node, (p, bit) in enumerate(zip(parent, binary)):
        children[int(p)][int(bit)] = node
    x, y = {}, {}
    next_leaf = [0]

    def place(node, depth):
        y[node] = -depth
        if node < n_words:
            x[node] = next_leaf[0]
            next_leaf[0] += 1
        else:
            for child in children[node]:
                place(child, depth + 1)
            x[node] = (x[children[node][0]] + x[children[node][1]]) / 2
    place(root, 0)
    return x, y, children


def huffman_tree(tree, words, highlight: int | None = None, ax=None, node_values=None):
    """Draw a (small) Huffman tree: leaves labelled word (count), edges 0/1, inner nodes as syn1 rows.

    ``highlight`` (a word index) draws that word's path in red; ``node_values`` (one per inner
    node on the path, e.g. the sigmoid taken at each) are written next to the path's nodes.
    """
    V = len(words)
    x, y, children = _tree_layout(tree.parent, tree.binary, V)
    if ax is None:
        fig, ax = plt.subplots(figsize=(min(0.9 * V + 1, 11), 0.6 * (1 - min(y.values())) + 0.8))
        ax.set_title("Huffman tree: leaves are words (count), circles are inner nodes (syn1 rows)", fontsize=10)
    fig = ax.figure
    on_path = set()
    if highlight is not None:
        node = highlight
        while node != 2 * V - 2:
            on_path.add(node)
            node = int(tree.parent[node])
    for node, (left, right) in children.items():
        for bit, child in enumerate((left, right)):
            red = child in on_path
            ax.plot([x[node], x[child]], [y[node], y[child]], color="C3" if red else "0.6", lw=2.2 if red else 1,
                    zorder=1)
            ax.text((x[node] + x[child]) / 2, (y[node] + y[child]) / 2, str(bit), fontsize=7,
                    color="C3" if red else "0.4", ha="center", va="center",
                    bbox=dict(boxstyle="circle,pad=0.1", fc="white", ec="none"))
        ax.scatter(x[node], y[node], s=260, color="#fdf3e1", edgecolor="C1", zorder=2)
        ax.text(x[node], y[node], str(node - V), fontsize=7, ha="center", va="center", zorder=3)
    for w in range(V):
        red = w == highlight
        ax.text(x[w], y[w] - 0.05, f"{words[w]}\n({tree.counts[w]})", ha="center", va="top", fontsize=8,
                color="C3" if red else "black", fontweight="bold" if red else "normal",
                bbox=dict(boxstyle="round,pad=0.2", fc="#eef3fb", ec="C3" if red else "C0"))
    if highlight is not None and node_values is not None:
        for row, value in zip(tree.point(highlight), node_values):
            ax.text(x[row + V] + 0.18, y[row + V] + 0.1, f"{value:.2f}", color="C3", fontsize=8)
    ax.set_ylim(min(y.values()) - 0.9, 0.4)
    ax.set_axis_off()
    return fig


def path_sigmoids(code, sigmoids, word: str):
    """Bar chart of the sigmoid taken at each node of a word's path; the title gives their product."""
    fig, ax = plt.subplots(figsize=(3.2, 2.4))
    ax.bar(range(len(code)), sigmoids, color=["C0" if c == 0 else "C2" for c in code])
    ax.set_xticks(range(len(code)), [f"node {d}\ncode {c}" for d, c in enumerate(code)], fontsize=7)
    ax.set_ylim(0, 1)
    ax.set_ylabel("probability of the branch", fontsize=8)
    ax.set_title(f"p({word} | h) = {np.prod(sigmoids):.4f}", fontsize=9)
    fig.tight_layout()
    return fig


def sigmoid_table_error(x, exact, table_values):
    """The C exp table against the exact sigmoid: both curves and the error of the lookup."""
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(8, 2.8))
    ax1.plot(x, exact, label="exact sigmoid")
    ax1.step(x, table_values, where="post", lw=0.8, label="exp table")
    ax1.axvspan(x.min(), -6, color="0.9")
    ax1.axvspan(6, x.max(), color="0.9")
    ax1.text(-7.5, 0.5, "HS: skipped\nNS: clipped", fontsize=7)
    ax1.legend(fontsize=7)
    ax1.set_xlabel("x = h . syn1[point]")
    ax1.set_ylabel("sigmoid(x)")
    ax1.set_title("the C code's exp table and the exact sigmoid", fontsize=9)
    inside = np.abs(x) < 6
    ax2.plot(x[inside], (table_values - exact)[inside], lw=0.6)
    ax2.set_xlabel("x")
    ax2.set_ylabel("table - exact")
    ax2.set_title("lookup error inside +-MAX_EXP", fontsize=9)
    fig.tight_layout()
    return fig


# --- 02 neural LM ---

def nplm_architecture(order: int = 5, direct: bool = True):
    """Bengio et al.'s network drawn bottom to top: context words -> rows of C -> x -> tanh -> softmax."""
    n_ctx = order - 1
    fig, ax = plt.subplots(figsize=(7.2, 4.2))
    ax.set_title(f"Bengio et al.'s neural language model: {n_ctx} words of context in, one distribution out",
                 fontsize=9)
    ax.set_xlim(0, 10)
    ax.set_ylim(0, 10)
    ax.axis("off")

    def box(x, y, w, h, text, color):
        ax.add_patch(plt.Rectangle((x - w / 2, y - h / 2), w, h, fc=color, ec="0.3", lw=1))
        ax.text(x, y, text, ha="center", va="center", fontsize=8)

    def arrow(x0, y0, x1, y1, **style):
        ax.annotate("", (x1, y1), (x0, y0), arrowprops=dict(arrowstyle="->", color="0.3", **style))

    xs = np.linspace(2.0, 8.0, n_ctx)
    for k, x in enumerate(xs):
        box(x, 0.8, 1.3, 0.8, f"$w_{{t-{n_ctx - k}}}$" if n_ctx - k > 0 else "", "white")
        box(x, 3.0, 1.3, 0.9, f"C[$w_{{t-{n_ctx - k}}}$]\n(m)", "#dbe9f6")
        arrow(x, 1.2, x, 2.55)
    ax.text(0.2, 2.0, "table lookup:\nshared C (V+1, m)", fontsize=7, color="0.3")
    box(5, 5.0, 7.6, 0.8, f"x = concatenation ({n_ctx} m)", "#e8f3e2")
    for x in xs:
        arrow(x, 3.45, x, 4.6)
    box(5, 6.8, 4.0, 0.8, "a = tanh(d + x H)   (h)", "#fdebd0")
    arrow(5, 5.4, 5, 6.4)
    box(5, 8.7, 6.0, 0.9, "y = b + a U (+ x W);  P(w_t | context) = softmax(y)   (V)", "#f6d5d5")
    arrow(5, 7.2, 5, 8.25)
    if direct:
        arrow(8.6, 5.4, 7.6, 8.25, linestyle="--")
        ax.text(8.9, 6.9, "direct\nconnections W\n(optional)", fontsize=7, color="0.3")
    ax.text(0.1, 8.6, "V scores per word:\nthe costly part", fontsize=7, color="C3")
    fig.tight_layout()
    return fig


def perplexity_curves(curves: dict, references: dict | None = None, xlabel: str = "epoch", title: str = ""):
    """Perplexity against training progress: ``curves`` maps a label to (x, perplexities);
    ``references`` maps a label to a fixed perplexity drawn as a horizontal line (e.g. Kneser-Ney)."""
    fig, ax = plt.subplots(figsize=(6.4, 3.6))
    for (label, (x, ppl)), style in zip(curves.items(), ["o-", "s--", "^-", "v--"]):
        ax.plot(x, ppl, style, ms=3, lw=1.6, label=label)
    for (label, value), color in zip((references or {}).items(), ["k", "0.5", "C3"]):
        ax.axhline(value, color=color, ls=":", lw=1.2, label=f"{label}: {value:.1f}")
    ax.set_yscale("log")
    ax.set_xlabel(xlabel)
    ax.set_ylabel("perplexity")
    ax.set_title(title, fontsize=10)
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig


def where_time_goes(parts: dict, vocab_sizes, milliseconds, output=None):
    """Left: time of each stage of one training step (``parts``: name -> ms), the stages named in
    ``output`` (the output layer's side) in red, with their share of the time in the title; right: the
    time of a step against the vocabulary size V (log-log), with a guide for cost proportional to V."""
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(9.6, 3.4), gridspec_kw={"width_ratios": [1.3, 1]})
    names, ms = list(parts), np.asarray(list(parts.values()))
    output = set(output if output is not None else [n for n in names if "output" in n or "softmax" in n])
    on_output = np.array([n in output for n in names])
    ax1.barh(range(len(names)), ms, color=np.where(on_output, "C3", "C0"))
    ax1.set_yticks(range(len(names)), names, fontsize=8)
    ax1.invert_yaxis()
    ax1.set_xlabel("milliseconds per minibatch of 256 (fastest of 7 runs)")
    ax1.set_title(f"one training step: output side (red) {ms[on_output].sum() / ms.sum():.0%} of the time",
                  fontsize=9)
    sizes, ms_v = np.asarray(vocab_sizes, dtype=float), np.asarray(milliseconds)
    ax2.loglog(sizes, ms_v, "o-", label="measured step")
    ax2.loglog(sizes, ms_v[-1] * sizes / sizes[-1], "k:", lw=1, label="proportional to V")
    ax2.set_xticks(sizes, [f"{int(v):,}" for v in sizes], fontsize=7)
    ax2.minorticks_off()
    ax2.set_xlabel("vocabulary size V")
    ax2.set_ylabel("ms per minibatch of 256")
    ax2.set_title("a training step against V", fontsize=9)
    ax2.legend(fontsize=8)
    fig.tight_layout()
    return fig


# --- 05 Poincare ---

def geodesic_paths(points, edges, n_points: int = 24) -> np.ndarray:
    """Each edge (i, j) of ``edges`` as ``n_points`` points along the hyperbolic geodesic from
    ``points[i]`` to ``points[j]`` in the Poincare disk: an arc of the circle through both that meets
    the unit circle at right angles, or a straight segment when the two points lie on a diameter.

    The circle's centre c satisfies |c - p|^2 = |c|^2 - 1 (orthogonal to the unit circle) for both
    ends p, i.e. 2 <c, p> = |p|^2 + 1: two linear equations. The arc inside the disk is the shorter one.
    Returns an array (n_edges, n_points, 2); edges with a non-finite end are NaN.
    """
    points = np.asarray(points, dtype=np.float64)
    edges = np.asarray(edges, dtype=np.int64).reshape(-1, 2)
    p, q = points[edges[:, 0]], points[edges[:, 1]]
    t = np.linspace(0, 1, n_points)[None, :, None]
    straight_path = p[:, None, :] + t * (q - p)[:, None, :]
    det = p[:, 0] * q[:, 1] - p[:, 1] * q[:, 0]
    bp, bq = (np.sum(p * p, axis=1) + 1) / 2, (np.sum(q * q, axis=1) + 1) / 2
    scale = np.linalg.norm(p, axis=1) * np.linalg.norm(q - p, axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        straight = ~(np.abs(det) > 1e-9 * np.maximum(scale, 1e-300))
        safe = np.where(straight, 1.0, det)
        centre = np.stack([(bp * q[:, 1] - bq * p[:, 1]) / safe, (p[:, 0] * bq - q[:, 0] * bp) / safe], axis=1)
        radius = np.linalg.norm(p - centre, axis=1)
        start = np.arctan2(p[:, 1] - centre[:, 1], p[:, 0] - centre[:, 0])
        sweep = np.angle(np.exp(1j * (np.arctan2(q[:, 1] - centre[:, 1], q[:, 0] - centre[:, 0]) - start)))
        angle = start[:, None] + t[..., 0] * sweep[:, None]
        arc = centre[:, None, :] + radius[:, None, None] * np.stack([np.cos(angle), np.sin(angle)], axis=2)
    return np.where(straight[:, None, None], straight_path, arc)


def depth_colours(max_depth: int) -> np.ndarray:
    """One RGBA colour per depth 0..max_depth, dark (the root) to light (the deepest leaves)."""
    return plt.get_cmap("plasma")(np.linspace(0.0, 0.85, max_depth + 1))


def poincare_disk(points, names, edges=(), labels=(), depths=None, title: str = "", ax=None,
                  limit: float | None = None, legend: bool = True, label_size: float = 8,
                  point_size: float | None = None, edge_width: float = 0.5, zoom: bool = True,
                  label_layout: str = "adjust", straight_edges: bool = False):
    """2-D embedding in the unit disk: ``edges`` (index pairs, e.g. the transitive reduction) drawn as
    hyperbolic geodesics, points coloured by ``depths`` (with a legend), and the nodes named in
    ``labels`` written next to their points (short names, laid out so that they do not overlap).

    With ``zoom`` (the default) a layout still close to the centre (every point within 0.6, as in the
    first epochs) is shown magnified, and the title says by how much; ``limit`` fixes the view instead.
    Points with a NaN coordinate cannot be drawn: the title counts them. ``point_size`` defaults to
    larger dots for smaller hierarchies. ``label_layout="adjust"``
    lays the labels out with adjustText; ``"radial"`` (cheaper, and steady from frame to frame of an
    animation) writes each label just outside its point, away from the centre. ``straight_edges``
    draws straight chords instead of geodesics (as the seed post does), for comparison.
    """
    if label_layout not in ("adjust", "radial"):
        raise ValueError(f"label_layout must be 'adjust' or 'radial', got {label_layout!r}.")
    from matplotlib.collections import LineCollection
    from matplotlib.lines import Line2D
    import matplotlib.patheffects as effects

    points = np.asarray(points, dtype=np.float64)
    if points.ndim != 2 or points.shape[1] != 2:
        raise ValueError(f"poincare_disk draws 2-D points, got shape {points.shape}; train with dim=2.")
    fig, ax = (ax.figure, ax) if ax is not None else plt.subplots(figsize=(6.4, 6.4))
    finite = np.all(np.isfinite(points), axis=1)
    radius = float(np.max(np.linalg.norm(points[finite], axis=1), initial=0.0))
    if limit is None:
        limit = 1.12  # room for the labels of points on the rim
        if zoom and 0 < radius < 0.6:
            limit = 1.15 * radius
    ax.add_patch(plt.Circle((0, 0), 1, fill=False, color="black", linewidth=1.2, zorder=0))
    if len(edges):
        paths = points[np.asarray(edges)] if straight_edges else geodesic_paths(points, edges)
        paths = paths[np.all(np.isfinite(paths), axis=(1, 2))]
        ax.add_collection(LineCollection(paths, colors="0.55", linewidths=edge_width, alpha=0.6, zorder=1))
    depths_known = depths is not None
    if depths_known:
        depths = np.asarray(depths, dtype=int)
        palette = depth_colours(int(depths.max()))
        colour = palette[depths[finite]]
    else:
        colour = "tab:blue"
    if point_size is None:
        point_size = float(np.clip(1200 / len(points), 9, 30))
    dots = ax.scatter(points[finite, 0], points[finite, 1], c=colour, s=point_size, zorder=2, linewidths=0)
    position = {name: i for i, name in enumerate(names)}
    texts = []
    outline = [effects.withStroke(linewidth=2.5, foreground="white")]
    shown = [position[name] for name in labels if finite[position[name]]]
    spots = _radial_label_spots(points[shown], limit) if label_layout == "radial" else points[shown]
    for i, (tx, ty, *align) in zip(shown, spots):
        x, y = points[i]
        ax.plot([x], [y], "o", ms=4, mfc="none", mec="black", mew=0.8, zorder=3)
        if align:
            ax.plot([x, tx], [y, ty], color="0.3", lw=0.5, zorder=3)
        texts.append(ax.text(tx, ty, names[i].split(".")[0].replace("_", " "), fontsize=label_size, zorder=4,
                             path_effects=outline, **(dict(ha=align[0], va=align[1]) if align else {})))
    if depths_known and legend:
        handles = [Line2D([], [], ls="", marker="o", ms=5, color=palette[d], label=str(d))
                   for d in range(len(palette))]
        ax.legend(handles=handles, title="depth below the root", fontsize=7, title_fontsize=8, loc="upper center",
                  bbox_to_anchor=(0.5, 0.0), ncol=len(handles), borderaxespad=0.2, frameon=False,
                  handletextpad=0.1, columnspacing=0.8)
    ax.set_xlim(-limit, limit)
    ax.set_ylim(-limit, limit)
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_visible(limit < 1)  # a frame marks a magnified view; the full disk needs none
    notes = []
    if limit < 1:
        notes.append(f"zoomed x{1 / limit:.0f}")
    if not finite.all():
        notes.append(f"{np.sum(~finite):,} of {len(points):,} points NaN")
    ax.set_title(title + (f" ({'; '.join(notes)})" if notes else ""), fontsize=9)
    if not finite.any():
        ax.text(0, 0, "every coordinate is NaN", ha="center", va="center", fontsize=10, color="tab:red")
    if label_layout == "adjust" and len(texts) > 1:
        from adjustText import adjust_text
        adjust_text(texts, ax=ax, expand=(1.1, 1.3), arrowprops=dict(arrowstyle="-", color="0.3", lw=0.5),
                    ensure_inside_axes=True)
    return fig, dots


def _radial_label_spots(points, limit: float) -> list[tuple[float, float, str, str]]:
    """Where to write labels without a layout search: each just outside its point, away from the
    centre (points near the centre get theirs up and to the right), then nudged apart vertically
    where two would overlap. Returns (x, y, ha, va) per point."""
    spots = []
    for x, y in points:
        r = np.hypot(x, y)
        direction = np.array([x, y]) / r if r > 0.25 * limit else np.array([0.6, 0.8])
        tx, ty = np.array([x, y]) + 0.07 * limit * direction
        spots.append([tx, ty, "left" if direction[0] >= 0 else "right", "bottom" if direction[1] >= 0 else "top"])
    height = 0.065 * limit  # about one line of 8-point text in a 6-inch disk
    placed = []
    for k in sorted(range(len(spots)), key=lambda k: -spots[k][1]):  # top to bottom
        moved = True
        while moved:
            moved = False
            for j in placed:
                if spots[j][2] == spots[k][2] and abs(spots[j][0] - spots[k][0]) < 0.35 * limit \
                        and abs(spots[j][1] - spots[k][1]) < 0.999 * height:
                    spots[k][1] = spots[j][1] - height
                    moved = True
        placed.append(k)
    return [tuple(s) for s in spots]


def disk_animation(snapshots, names, edges, labels=(), depths=None, titles=None, dpi: int = 60,
                   interval_ms: int = 300, figsize: float = 5.6, **disk_options):
    """A matplotlib FuncAnimation over 2-D snapshots (the static fallback of the widget player:
    ``anim.to_jshtml()`` works where ipywidgets do not, e.g. on GitHub and nbviewer)."""
    from matplotlib.animation import FuncAnimation

    titles = titles or [f"frame {i}" for i in range(len(snapshots))]
    fig, ax = plt.subplots(figsize=(figsize * 1.25, figsize * 1.06), dpi=dpi)
    fig.subplots_adjust(left=0.1, right=0.9, bottom=0.08, top=0.95)  # room for labels beside the rim

    def draw(i):
        ax.clear()
        poincare_disk(snapshots[i], names, edges, labels, depths, titles[i], ax=ax, **disk_options)
        return []

    animation = FuncAnimation(fig, draw, frames=len(snapshots), interval=interval_ms, blit=False)
    plt.close(fig)
    return animation


def disk_panels(panels: dict, names, edges, labels=(), depths=None, size: float = 3.9, **disk_options):
    """Several 2-D embeddings side by side (``{title: points}``), one depth legend for all."""
    fig, axes = plt.subplots(1, len(panels), figsize=(size * len(panels) + 0.8, size + 0.3))
    axes = np.atleast_1d(axes)
    for k, (ax, (title, points)) in enumerate(zip(axes, panels.items())):
        poincare_disk(points, names, edges, labels, depths, title, ax=ax, legend=k == len(panels) - 1,
                      **disk_options)
    fig.tight_layout()
    return fig


def jpeg(fig, dpi: int = 80, quality: int = 80) -> bytes:
    """Render a figure to JPEG bytes and close it: a disk with a thousand antialiased arcs takes about
    a quarter of the bytes of its PNG (show it with ``IPython.display.Image(data, format="jpeg")``)."""
    import io

    buffer = io.BytesIO()
    fig.savefig(buffer, format="jpeg", dpi=dpi, bbox_inches="tight", pil_kwargs={"quality": quality})
    plt.close(fig)
    return buffer.getvalue()


def animation_html(animation, frame_format: str = "jpeg", default_mode: str = "once") -> str:
    """``animation.to_jshtml`` with JPEG frames by default (see ``jpeg``), for notebooks that must stay small."""
    with plt.rc_context({"animation.frame_format": frame_format}):
        return animation.to_jshtml(default_mode=default_mode)


def norm_vs_depth(values_by_model: dict, depths, ylabel: str = "norm |x| in the ball"):
    """Median (and the quartiles, as bars) of a per-node value, e.g. its norm, at each depth of the
    hierarchy, one line per model (``{label: values}``)."""
    depths = np.asarray(depths)
    levels = np.unique(depths)
    fig, ax = plt.subplots(figsize=(5, 3.2))
    for label, values in values_by_model.items():
        values = np.asarray(values)
        low, mid, high = np.array([np.percentile(values[depths == d], [25, 50, 75]) for d in levels]).T
        ax.errorbar(levels, mid, yerr=[mid - low, high - mid], marker="o", capsize=3, label=label)
    ax.set_xlabel("depth in the hierarchy (links below the root)")
    ax.set_ylabel(ylabel)
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig


def distance_blowup(norms, distance_to_origin, neighbour_distance, gap: float):
    """How distance grows near the boundary: d(0, x) and d(x, x + gap) as |x| -> 1, against Euclidean."""
    fig, ax = plt.subplots(figsize=(5, 3.2))
    ax.plot(norms, distance_to_origin, label="d(0, x)")
    ax.plot(norms, neighbour_distance, label=f"d(x, x') with |x - x'| = {gap:g}")
    ax.plot(norms, norms, "--", color="0.5", label="Euclidean |x|")
    ax.set_yscale("log")
    ax.set_xlabel("|x|")
    ax.set_ylabel("Poincare distance")
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig


def loss_curves(curves: dict, burn_in: int | None = None):
    """Training loss per epoch for several runs (``{label: losses}``), burn-in shaded."""
    fig, ax = plt.subplots(figsize=(5, 3.2))
    for label, losses in curves.items():
        ax.plot(np.arange(1, len(losses) + 1), losses, label=label)
    if burn_in:
        ax.axvspan(0.5, burn_in + 0.5, color="0.9", label="burn-in")
    ax.set_xlabel("epoch")
    ax.set_ylabel("mean loss per closure row")
    ax.set_yscale("log")
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig
