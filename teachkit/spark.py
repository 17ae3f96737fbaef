"""Spark MLlib's Word2Vec, driven through pyspark in local mode, returned as plain arrays.

Public API:

- ``check_java() -> version``: the Java runtime Spark will use ("17.0.15"); raises
  ``JavaNotFoundError`` (with how to install one) if there is none or it is too old.
- ``local_session(cores=2) -> SparkSession``: a quiet local Spark (``local[cores]``, no web UI, no
  console progress bars, log level ERROR, bound to 127.0.0.1). The JVM's own start-up messages go
  to ``SPARK_LOG`` (a file in the temp directory), not into the notebook. ``session.stop()`` ends it.
- ``write_sentences(sentences, path) -> Path``: one sentence per line, tokens separated by spaces:
  the text file format ``train_word2vec`` reads.
- ``train_word2vec(corpus_path, *, vector_size=100, window=5, min_count=5, num_partitions=1,
  num_iterations=1, step_size=0.025, seed=1, max_sentence_length=1000, spark=None) -> SparkWord2Vec``:
  fits ``pyspark.ml.feature.Word2Vec`` (``maxIter`` is MLlib's ``numIterations``) and returns
  ``words`` (most frequent first, ties in text order, as ``corpus.Vocab`` sorts them), ``vectors``
  (float32, one row per word), ``seconds`` (wall time of the fit) and ``words_per_second``.

What MLlib trains (mllib/feature/Word2Vec.scala): skip-gram with hierarchical softmax only (no
negative sampling, no frequent-word subsampling). The driver counts the vocabulary, builds the
Huffman tree and broadcasts the vocabulary (with codes and points), the word -> index hash and the
exp table. Each iteration broadcasts the current syn0 / syn1; every partition trains its own copy
on its sentences, single-threaded, then the rows each partition touched are averaged across
partitions (SPARK-24666) and copied back. More partitions: more parallel work, but each copy sees
only 1/numPartitions of the text between merges, which costs quality per iteration.

Bad input raises before Spark starts: a corpus path that does not exist (``FileNotFoundError``),
``num_partitions`` or other sizes < 1 (``ValueError``), no Java (``JavaNotFoundError``), no pyspark
(``ImportError`` saying ``pip install 'teachkit[spark]'``).
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterable, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from numbers import Integral
from pathlib import Path

import numpy as np

from teachkit.corpus import Vocab

INSTALL_JAVA = ("install a Java runtime, e.g. `sudo apt-get install -y openjdk-17-jre-headless` on "
                "Debian/Ubuntu (or from https://adoptium.net), or point JAVA_HOME at an installed one")
LOOPBACK = "127.0.0.1"
SPARK_LOG = Path(tempfile.gettempdir()) / "teachkit-spark.log"


class JavaNotFoundError(RuntimeError):
    """Spark runs on the JVM and no suitable Java runtime was found."""


def _required_java_major() -> int:
    import pyspark
    return 17 if int(pyspark.__version__.split(".")[0]) >= 4 else 8


def _java_executable() -> str | None:
    java_home = os.environ.get("JAVA_HOME")
    if java_home:
        candidate = Path(java_home) / "bin" / "java"
        return str(candidate) if candidate.exists() else None
    return shutil.which("java")


def check_java() -> str:
    """The version of the Java runtime Spark will start, e.g. "17.0.15"; raise if none or too old."""
    _import_pyspark()
    java = _java_executable()
    where = f"JAVA_HOME={os.environ['JAVA_HOME']}" if os.environ.get("JAVA_HOME") else "PATH"
    if java is None:
        raise JavaNotFoundError(f"Spark needs Java and none was found on {where}; {INSTALL_JAVA}.")
    try:
        result = subprocess.run([java, "-version"], capture_output=True, text=True, timeout=30)
    except OSError as e:
        raise JavaNotFoundError(f"Could not run {java} ({e}); {INSTALL_JAVA}.") from None
    match = re.search(r'version "(\d+)(?:\.(\d+))?[^"]*"', result.stderr + result.stdout)
    if result.returncode != 0 or match is None:
        raise JavaNotFoundError(f"{java} -version failed or printed no version "
                                f"({(result.stderr or result.stdout).strip()[:200]!r}); {INSTALL_JAVA}.")
    # Java 8 calls itself "1.8.0_x"; from 9 on the first number is the major version.
    major = int(match.group(2)) if match.group(1) == "1" else int(match.group(1))
    needed = _required_java_major()
    if major < needed:
        raise JavaNotFoundError(f"{java} is Java {major}, but this pyspark needs Java {needed} or newer; "
                                f"{INSTALL_JAVA}.")
    return match.group(0).split('"')[1]


def _import_pyspark():
    try:
        import pyspark  # noqa: F401
    except ImportError:
        raise ImportError("pyspark is not installed; install the Spark extra with "
                          "`pip install 'teachkit[spark]'` (or `pip install pyspark`).") from None


def local_session(cores: int = 2):
    """A local SparkSession on ``cores`` threads: quiet, without web UI, bound to the loopback address."""
    if not isinstance(cores, Integral) or cores < 1:
        raise ValueError(f"cores must be an int >= 1, got {cores!r}.")
    check_java()
    from pyspark.sql import SparkSession
    os.environ.setdefault("SPARK_LOCAL_IP", LOOPBACK)
    builder = (SparkSession.builder.master(f"local[{cores}]").appName("teachkit")
               .config("spark.ui.enabled", "false")
               .config("spark.ui.showConsoleProgress", "false")
               .config("spark.driver.host", LOOPBACK)
               .config("spark.driver.bindAddress", LOOPBACK)
               .config("spark.sql.shuffle.partitions", str(cores)))
    # The JVM inherits this process's stdout/stderr; Jupyter would show its start-up chatter
    # (log4j profile, native-hadoop and BLAS warnings) in the cell, so point them at a log file.
    with open(SPARK_LOG, "ab") as log, _file_descriptors_to(log):
        spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    return spark


@contextmanager
def _file_descriptors_to(log):
    saved = [os.dup(1), os.dup(2)]
    try:
        for fd in (1, 2):
            os.dup2(log.fileno(), fd)
        yield
    finally:
        for fd, copy in zip((1, 2), saved):
            os.dup2(copy, fd)
            os.close(copy)


def write_sentences(sentences: Iterable[Sequence[str]], path: str | Path) -> Path:
    """Write token lists as a text corpus: one sentence per line, tokens separated by single spaces."""
    path = Path(path)
    with open(path, "w", encoding="utf-8") as f:
        for sentence in sentences:
            if isinstance(sentence, str):
                raise TypeError("write_sentences expects sentences as lists of tokens, got a str; "
                                "split it first, e.g. [s.split() for s in lines].")
            f.write(" ".join(sentence) + "\n")
    return path


@dataclass
class SparkWord2Vec:
    """Vectors trained by Spark MLlib, as plain arrays, and what the run cost."""
    words: list[str]
    vectors: np.ndarray
    seconds: float
    train_words: int
    num_partitions: int
    num_iterations: int

    @property
    def words_per_second(self) -> float:
        """Training tokens processed per wall-clock second (all iterations, vocabulary pass included)."""
        return self.train_words * self.num_iterations / self.seconds


def _check_positive_int(name: str, value, hint: str) -> None:
    if not isinstance(value, Integral) or isinstance(value, bool) or value < 1:
        raise ValueError(f"{name} must be an int >= 1, got {value!r}; {hint}")


def train_word2vec(corpus_path: str | Path, *, vector_size: int = 100, window: int = 5,
                   min_count: int = 5, num_partitions: int = 1, num_iterations: int = 1,
                   step_size: float = 0.025, seed: int = 1, max_sentence_length: int = 1000,
                   spark=None) -> SparkWord2Vec:
    """Train MLlib's skip-gram / hierarchical-softmax Word2Vec on a text file (one sentence a line).

    ``num_partitions`` is how many copies of the model train in parallel between merges;
    ``num_iterations`` how many passes (each ends with a merge). ``spark`` defaults to
    ``local_session()``.
    """
    corpus_path = Path(corpus_path)
    if not corpus_path.is_file():
        raise FileNotFoundError(f"Corpus file {corpus_path} does not exist (or is not a file); write one "
                                "with teachkit.spark.write_sentences(sentences, path).")
    _check_positive_int("num_partitions", num_partitions, "1 trains one copy of the model; use at most "
                        "the number of cores for speed.")
    _check_positive_int("num_iterations", num_iterations, "MLlib's default is 1.")
    _check_positive_int("vector_size", vector_size, "the C code uses 100.")
    _check_positive_int("window", window, "the C code uses 5.")
    _check_positive_int("min_count", min_count, "the C code uses 5.")
    _check_positive_int("max_sentence_length", max_sentence_length, "MLlib's default is 1000.")
    if not step_size > 0:
        raise ValueError(f"step_size must be > 0, got {step_size!r}; MLlib and the C code use 0.025.")

    # The vocabulary as Vocab sorts it: the row order of the result (and a check on Spark's count).
    with open(corpus_path, encoding="utf-8") as f:
        sentences = [line.split() for line in f]
    vocab = Vocab.build(sentences, min_count=min_count)

    if spark is None:
        spark = local_session()
    from pyspark.ml.feature import Word2Vec
    from pyspark.sql import functions as F

    tokens = (spark.read.text(str(corpus_path))
              .where(F.length(F.trim("value")) > 0)
              .select(F.split(F.trim("value"), r"\s+").alias("tokens")))
    estimator = Word2Vec(vectorSize=vector_size, windowSize=window, minCount=min_count,
                         numPartitions=num_partitions, maxIter=num_iterations, stepSize=step_size,
                         seed=seed, maxSentenceLength=max_sentence_length, inputCol="tokens")
    start = time.perf_counter()
    model = estimator.fit(tokens)
    seconds = time.perf_counter() - start

    rows = {row["word"]: row["vector"].toArray() for row in model.getVectors().collect()}
    if set(rows) != set(vocab.words):
        raise RuntimeError(f"Spark kept {len(rows)} words but the corpus has {len(vocab)} with count >= "
                           f"{min_count}; the file's tokenisation differs (tabs or odd whitespace?).")
    vectors = np.array([rows[w] for w in vocab.words], dtype=np.float32)
    return SparkWord2Vec(words=vocab.words, vectors=vectors, seconds=seconds,
                         train_words=int(vocab.counts.sum()), num_partitions=num_partitions,
                         num_iterations=num_iterations)
