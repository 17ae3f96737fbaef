"""Numbers in the notebooks' prose that no nearby output shows, and where each comes from.

One entry per passage: ``(text of the passage, as written in the Markdown cell; its source or why it
needs no check)``. Every numeral inside a listed passage is accepted; the reason is what a reader
would check it against (a paper and its table, a seed's setting, the C code's default). Keep the
passages short, so that a new number written next to them is still linted.
"""
ALLOWED: dict[str, list[tuple[str, str]]] = {
    "01_ngram": [
        ("The 500 Brown files sorted by id; file $i$ goes to *train* if $i \\bmod 10 < 8$, *valid* if 8, *test* if 9.",
         "the doc80 protocol (docs/references.md, 'n-gram models: Brown \"doc80\"'): a setting, not a measurement"),
    ],
    "02_neural_lm": [
        ("(file $i$ of the 500 sorted files goes to *train* if $i \\bmod 10 < 8$, *valid*\nif 8, *test* if 9)",
         "the doc80 protocol (docs/references.md, 'n-gram models: Brown \"doc80\"'): a setting, not a measurement"),
        ("a test perplexity of 252 for their best mixture against 312\nfor the best n-gram ($-24\\%$), with a "
         "different preprocessing (about 16,000 words, rare words merged\ninto one symbol, 800,000 training words)",
         "Bengio et al. (2003, JMLR), the results on the Brown corpus; quoted in docs/references.md"),
    ],
}
