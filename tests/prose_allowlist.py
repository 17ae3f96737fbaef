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
}
