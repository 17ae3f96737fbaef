"""Numbers in the notebooks' prose that no nearby output shows, and where each comes from.

One entry per passage: ``(text of the passage, as written in the Markdown cell; its source or why it
needs no check)``. Every numeral inside a listed passage is accepted; the reason is what a reader
would check it against (a paper and its table, a seed's setting, the C code's default). Keep the
passages short, so that a new number written next to them is still linted.
"""
ALLOWED: dict[str, list[tuple[str, str]]] = {
    "03_huffman_hierarchical_softmax": [
        ("a bin of width 0.012, an error\nup to about $0.012",
         "word2vec.c: the table spans 2 * MAX_EXP = 12 with EXP_TABLE_SIZE = 1000 entries; 0.012 / 4 is the "
         "largest error (the sigmoid's slope is at most 1/4), measured in the next cell"),
        ("recomputed after every 10,000 or so words",
         "word2vec.c, TrainModelThread: `if (word_count - last_word_count > 10000)`; notebook 04 prints "
         "word2vec.ALPHA_UPDATE_WORDS"),
    ],
    "04_negative_sampling": [
        ("Its run of 2026-12-07\n(`docs/benchmarks.md`), mean over seeds 1, 2 and 3",
         "the date and seeds of the benchmark run recorded in docs/benchmarks.md"),
        ('| skip-gram | teachkit | 0.66 | 0.601 vs 0.437 | 0.221 vs 0.229 | 0.113 vs 0.094 |',
         'docs/benchmarks.md, word2vec section: `python benchmarks/word2vec.py --configs SG+HS SGNS CBOW+HS CBOW+NS --seeds 1 2 3`, run of 2026-12-07 (means over the three seeds)'),
        ('| skip-gram | gensim | 0.83 | 0.604 vs 0.452 | 0.222 vs 0.233 | 0.108 vs 0.097 |',
         'docs/benchmarks.md, word2vec section: `python benchmarks/word2vec.py --configs SG+HS SGNS CBOW+HS CBOW+NS --seeds 1 2 3`, run of 2026-12-07 (means over the three seeds)'),
        ('| CBOW | teachkit | 0.81 | 0.510 vs 0.464 | 0.188 vs 0.173 | 0.087 vs 0.105 |',
         'docs/benchmarks.md, word2vec section: `python benchmarks/word2vec.py --configs SG+HS SGNS CBOW+HS CBOW+NS --seeds 1 2 3`, run of 2026-12-07 (means over the three seeds)'),
        ('| CBOW | gensim | 1.08 | 0.510 vs 0.470 | 0.180 vs 0.169 | 0.089 vs 0.107 |',
         'docs/benchmarks.md, word2vec section: `python benchmarks/word2vec.py --configs SG+HS SGNS CBOW+HS CBOW+NS --seeds 1 2 3`, run of 2026-12-07 (means over the three seeds)'),
    ],
}
