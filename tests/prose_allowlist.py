"""Numbers in the notebooks' prose that no nearby output shows, and where each comes from.

One entry per passage: ``(text of the passage, as written in the Markdown cell; its source or why it
needs no check)``. Every numeral inside a listed passage is accepted; the reason is what a reader
would check it against (a paper and its table, a seed's setting, the C code's default). Keep the
passages short, so that a new number written next to them is still linted.
"""
ALLOWED: dict[str, list[tuple[str, str]]] = {
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
}
