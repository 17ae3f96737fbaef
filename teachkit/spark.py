"""Spark MLlib's Word2Vec, driven through pyspark in local mode, returned as plain arrays.

Public API:

- ``ready(shows) -> bool``: for a notebook cell that needs Spark: True when pyspark and a Java
  runtime are installed; otherwise it prints one line saying what the cell skips (``shows``) and how
  to get it (``teachkit.extras.optional``), and returns False.
- ``check_java() -> version``: the Java runtime Spark will use ("17.0.15"); raises
  ``JavaNotFoundError`` (with how to install one) if there is none or it is too old.
- ``local_session(cores=2, driver_memory=None) -> SparkSession``: a quiet local Spark
  (``local[cores]``, no web UI, no console progress bars, log level ERROR, bound to 127.0.0.1). The
  JVM's own start-up messages go to ``SPARK_LOG`` (a file in the temp directory), not into the
  notebook. ``driver_memory`` (e.g. ``"4g"``; Spark's default is 1g) sizes the JVM's heap; it can
  only be chosen before this Python process first starts Spark. ``session.stop()`` ends it.
- ``driver_heap_bytes(spark=None) -> int``: the largest heap the driver JVM may use (its
  ``Runtime.maxMemory()``), or, with no JVM started yet, what ``local_session()`` would give.
- ``check_model_size(vocab_size, vector_size, heap_bytes, counts=None, min_count=None)``: the rule
  below; raises ``ModelTooLargeError`` (a ``ValueError``).
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
exp table. Each iteration broadcasts the current syn0 / syn1; every partition trains on its
sentences, single-threaded, then the rows each partition touched are averaged across partitions
(SPARK-24666) and copied back. On a cluster each executor reads its own copy of the broadcast, so
partitions on different executors train private copies, each seeing only 1/numPartitions of the
text between merges (``teachkit.mllib`` imitates that). In local mode a broadcast's value is the
driver's own array, so the partitions' threads write into one shared model at once (Hogwild): with
``num_partitions=1`` a run is reproducible, with 2 it is not (notebook 06 shows both).

Bad input raises before Spark starts: a corpus path that does not exist (``FileNotFoundError``),
``num_partitions`` or other sizes < 1 (``ValueError``), no Java (``JavaNotFoundError``), no pyspark
(``ImportError`` saying how to install it), and a model too large for Spark (``ModelTooLargeError``).

The size rule (``check_model_size``, run before any Spark job): MLlib keeps ``syn0`` and ``syn1`` as
Java float arrays of vocabulary size V times vector size d, so

1. ``V * d`` must stay below 2**31 - 1 = 2,147,483,647, the most elements a Java array holds
   (MLlib throws otherwise, after its vocabulary job: "Please increase minCount or decrease
   vectorSize ..."); and
2. the driver's heap must hold ``SPARK_RESERVED + DRIVER_COPIES * 4 * V * d`` bytes: Spark keeps
   300 MiB of the heap for itself, and while it trains and hands the vectors to Python the driver
   keeps several copies of each matrix (syn0 and syn1, their serialized broadcasts, the merged rows
   it collects, the model and the table of vectors). Measured here in local mode on an 8-word
   corpus: with the default 1 GiB heap d = 2,000,000 (64 MB a matrix) trained, 2,500,000 failed or
   passed from run to run and 3,000,000 failed with ``OutOfMemoryError``; with a 2 GiB heap
   4,000,000 trained. That is 10 to 12 matrices beyond the reserved 300 MiB; ``DRIVER_COPIES = 14``
   leaves a margin (the largest size it allows for 1 GiB, 1,677,721, trained with 1 and 2
   partitions and 2 iterations).

The error names V, d and V x d, the bytes needed against the session's heap, and what would make
the run fit: the largest ``vector_size`` for this vocabulary, the smallest ``min_count`` that
shrinks the vocabulary enough (when one does), or a larger ``driver_memory`` (when the machine has
that much memory; it needs a fresh Python process).
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
INSTALL_PYSPARK = ("pip install pyspark (Spark 4 also needs Java 17 or newer), or from the course's "
                   "folder: pip install -e '.[spark]'")
JAVA_ARRAY_LIMIT = 2 ** 31 - 1   # Int.MaxValue: the most elements a Java array can hold
DRIVER_COPIES = 14               # driver heap per matrix byte beyond Spark's reserve, measured (module docstring)
SPARK_RESERVED = 300 * 2 ** 20   # the heap Spark keeps for itself (its RESERVED_SYSTEM_MEMORY_BYTES)
MIN_DRIVER_MEMORY = 450 * 2 ** 20  # Spark refuses to start with less (1.5 x the reserve)
DEFAULT_DRIVER_MEMORY = "1g"     # Spark's default spark.driver.memory
LOOPBACK = "127.0.0.1"
SPARK_LOG = Path(tempfile.gettempdir()) / "teachkit-spark.log"


class JavaNotFoundError(RuntimeError):
    """Spark runs on the JVM and no suitable Java runtime was found."""


class ModelTooLargeError(ValueError):
    """vocabulary x vector size is past what a Java array or the driver's heap can hold."""


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


def ready(shows: str) -> bool:
    """Can this cell use Spark? Print one line and return False when pyspark or Java is missing.

    ``shows`` says what the cell would show, e.g. "Spark's vectors next to teachkit's".
    """
    from teachkit.extras import optional
    if optional("pyspark", shows) is None:
        return False
    try:
        check_java()
    except JavaNotFoundError as error:
        print(f"Spark cannot start, so this cell skips {shows}. {error}")
        return False
    return True


def _import_pyspark():
    try:
        import pyspark  # noqa: F401
    except ImportError:
        raise ImportError(f"pyspark is not installed; {INSTALL_PYSPARK}.") from None


def local_session(cores: int = 2, driver_memory: str | None = None):
    """A local SparkSession on ``cores`` threads: quiet, without web UI, bound to the loopback address.

    ``driver_memory`` (e.g. ``"4g"``) sets ``spark.driver.memory``, the JVM's heap. The JVM starts
    once per Python process, so asking for a different size after Spark has started raises
    ``ValueError`` (restart the kernel, then call ``local_session(driver_memory=...)`` first).
    """
    if not isinstance(cores, Integral) or cores < 1:
        raise ValueError(f"cores must be an int >= 1, got {cores!r}.")
    if driver_memory is not None and _parse_memory(driver_memory) < MIN_DRIVER_MEMORY:
        raise ValueError(f"driver_memory={driver_memory!r} is below the 450m Spark needs to start; use '1g' or more.")
    check_java()
    from pyspark import SparkContext
    from pyspark.sql import SparkSession
    if driver_memory is not None and SparkContext._gateway is not None:
        heap = driver_heap_bytes()
        if abs(heap - _parse_memory(driver_memory)) > 0.1 * _parse_memory(driver_memory):
            raise ValueError(f"Spark already runs in this Python process with a {_gb(heap)} heap; the heap "
                             f"is fixed when the JVM starts, so driver_memory={driver_memory!r} cannot apply. "
                             "Restart the kernel (or Python) and call "
                             f"local_session(driver_memory={driver_memory!r}) before anything else starts Spark.")
    os.environ.setdefault("SPARK_LOCAL_IP", LOOPBACK)
    builder = (SparkSession.builder.master(f"local[{cores}]").appName("teachkit")
               .config("spark.ui.enabled", "false")
               .config("spark.ui.showConsoleProgress", "false")
               .config("spark.driver.host", LOOPBACK)
               .config("spark.driver.bindAddress", LOOPBACK)
               .config("spark.sql.shuffle.partitions", str(cores)))
    if driver_memory is not None:
        builder = builder.config("spark.driver.memory", driver_memory)
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


_MEMORY = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([kmgt]?)b?\s*$", re.I)


def _parse_memory(text: str) -> int:
    """Spark's memory strings ("512m", "1g", "2048k") -> bytes (binary units, as the JVM reads them)."""
    match = _MEMORY.match(str(text))
    if not match:
        raise ValueError(f"driver memory must look like '1g', '4g' or '512m' (Spark's spark.driver.memory), "
                         f"got {text!r}.")
    scale = {"": 1, "k": 2 ** 10, "m": 2 ** 20, "g": 2 ** 30, "t": 2 ** 40}[match.group(2).lower()]
    return int(float(match.group(1)) * scale)


def _gb(n_bytes: float) -> str:
    return f"{n_bytes / 1e9:,.2f} GB"


def driver_heap_bytes(spark=None) -> int:
    """The most heap the driver JVM may use: its ``Runtime.maxMemory()`` if Spark runs in this process
    (no job is started), else what ``local_session()`` would give (Spark's default, 1 GiB)."""
    try:
        from pyspark import SparkContext
    except ImportError:
        return _parse_memory(DEFAULT_DRIVER_MEMORY)
    jvm = spark.sparkContext._jvm if spark is not None else SparkContext._jvm
    if jvm is None:
        return _parse_memory(DEFAULT_DRIVER_MEMORY)
    return int(jvm.java.lang.Runtime.getRuntime().maxMemory())


def _physical_memory() -> int | None:
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (AttributeError, ValueError, OSError):  # not on POSIX (Windows): unknown
        return None


def check_model_size(vocab_size: int, vector_size: int, heap_bytes: int, counts=None,
                     min_count: int | None = None) -> None:
    """Raise ``ModelTooLargeError`` if Spark cannot hold V x d (see the module docstring for the rule).

    ``counts`` (every word's count in the corpus) and ``min_count`` (the one in use) let the message
    name the smallest ``min_count`` that would make the model fit.
    """
    V, d = int(vocab_size), int(vector_size)
    elements = V * d
    needed = SPARK_RESERVED + DRIVER_COPIES * 4 * elements
    over_limit = elements >= JAVA_ARRAY_LIMIT
    if not over_limit and needed <= heap_bytes:
        return

    def fits(v: int, dim: int) -> bool:  # both rules, with this heap
        return v * dim < JAVA_ARRAY_LIMIT and SPARK_RESERVED + DRIVER_COPIES * 4 * v * dim <= heap_bytes
    largest_d = min((JAVA_ARRAY_LIMIT - 1) // V, max(heap_bytes - SPARK_RESERVED, 0) // (DRIVER_COPIES * 4 * V))
    advice = []
    if largest_d >= 1:
        advice.append(f"vector_size={largest_d} or less (for these {V:,} words)")
    if counts is not None and min_count is not None:
        counts = np.asarray(counts)
        for m in np.unique(counts):  # ascending: the smallest min_count that fits wins
            kept = int(np.sum(counts >= m))
            if m > min_count and kept >= 2 and fits(kept, d):
                advice.append(f"min_count={int(m)} (keeps the {kept:,} words seen at least {int(m)} times)")
                break
    ram = _physical_memory()
    if not over_limit:
        wanted = int(np.ceil(needed / 2 ** 30))
        if ram is None or wanted * 2 ** 30 < 0.8 * ram:
            advice.append(f"a larger driver heap: restart the kernel and run "
                          f"teachkit.spark.local_session(driver_memory='{wanted}g') before anything else "
                          f"starts Spark")
    head = (f"Spark cannot train this model: vocabulary x vector size = {V:,} x {d:,} = {elements:,} "
            f"numbers per matrix ({_gb(4 * elements)} as float32, and MLlib keeps two such matrices, "
            "syn0 and syn1). ")
    if over_limit:
        why = (f"That is past {JAVA_ARRAY_LIMIT:,} (2**31 - 1), the most elements a Java array can hold, "
               "so MLlib refuses it whatever the memory. ")
    else:
        why = (f"Training needs Spark's own 300 MiB plus about {DRIVER_COPIES} times one matrix in driver memory "
               f"({_gb(needed)} in all; measured, see the teachkit.spark docstring), and this session's "
               f"driver has a {_gb(heap_bytes)} heap (spark.driver.memory). ")
    fix = ("To make it fit, use " + "; or ".join(advice) + "." if advice else
           "No setting on this machine makes it fit: use a smaller vector_size.")
    raise ModelTooLargeError(head + why + fix)


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
    # Before any Spark job: can a Java array and the driver's heap hold V x d? (module docstring)
    heap = driver_heap_bytes(spark)
    try:
        check_model_size(len(vocab), vector_size, heap)
    except ModelTooLargeError:  # again, with every word's count, to say which min_count would fit
        check_model_size(len(vocab), vector_size, heap, counts=Vocab.build(sentences).counts,
                         min_count=min_count)

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
