"""Numbers in the notebooks' prose that no nearby output shows, and where each comes from.

One entry per passage: ``(text of the passage, as written in the Markdown cell; its source or why it
needs no check)``. Every numeral inside a listed passage is accepted; the reason is what a reader
would check it against (a paper and its table, a seed's setting, the C code's default). Keep the
passages short, so that a new number written next to them is still linted.
"""
ALLOWED: dict[str, list[tuple[str, str]]] = {
    "05_poincare": [
        ("2-D, 1000 epochs, learning rate 0.1 applied\nper example, $\\varepsilon = 10^{-5}$, initialisation uniform in $(-0.001, 0.001)$",
         "the seed post's settings (its training loop: 1000 epochs, lr 0.1, eps 1e-5, uniform init in +-0.001)"),
        ("The post's settings: 2-D, 1000 epochs, learning rate 0.1 per example",
         "the seed post's settings (its training loop)"),
        ("| Nickel & Kiela 2017 | 1.26 | 0.927 |",
         "Nickel & Kiela (2017), Table 1, mammals d=5 reconstruction (docs/references.md)"),
        ("| gensim, 200 epochs | 2.04 | 0.838 |",
         "docs/references.md: gensim PoincareModel with its defaults, 200 epochs, mammals d=5"),
    ],
}
