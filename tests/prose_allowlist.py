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
    "06_scaling_out": [
        ("on 500,000 training tokens,", "benchmarks/spark_partitions.py's default corpus size, as recorded in "
         "docs/benchmarks.md (06 Spark MLlib section)"),
        ("(P = 4: 8.20 with one iteration, 13.28 with two, 103 with four)",
         "docs/benchmarks.md, 06 Spark MLlib section: held-out loss, MLlib 1.6 row P = 4"),
        ("(P = 2: 0.147, 0.214, 0.260 with one, two, four iterations)",
         "docs/benchmarks.md, 06 Spark MLlib section: WordSim353, MLlib 1.6 row P = 2"),
        ("(P = 4: 0.137 to 0.093)", "docs/benchmarks.md, 06 Spark MLlib section: WordSim353, MLlib 1.6 row P = 4"),
        ("(P = 8: 0.016 to 0.032)", "docs/benchmarks.md, 06 Spark MLlib section: WordSim353, MLlib 1.6 row P = 8"),
        ("(WordSim353 at P = 8: 0.030 with one iteration, 0.112 with four)",
         "docs/benchmarks.md, 06 Spark MLlib section: WordSim353, MLlib 3.0 row P = 8"),
        ("(3.0, four iterations, WordSim353: 0.312, 0.229, 0.210, 0.112 for P = 1, 2, 4, 8)",
         "docs/benchmarks.md, 06 Spark MLlib section: WordSim353, MLlib 3.0 column I = 4"),
    ],
    "03_huffman_hierarchical_softmax": [
        ("a bin of width 0.012, an error\nup to about $0.012",
         "word2vec.c: the table spans 2 * MAX_EXP = 12 with EXP_TABLE_SIZE = 1000 entries; 0.012 / 4 is the "
         "largest error (the sigmoid's slope is at most 1/4), measured in the next cell"),
        ("recomputed after every 10,000 or so words",
         "word2vec.c, TrainModelThread: `if (word_count - last_word_count > 10000)`; notebook 04 prints "
         "word2vec.ALPHA_UPDATE_WORDS"),
    ],
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
