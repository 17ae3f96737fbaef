"""CPU time and wall time of a block, measured together (the machines are shared: report both)."""
import time


class Timer:
    """``with Timer() as t: ...`` then ``t.cpu`` (time.process_time) and ``t.wall`` (perf_counter) in seconds."""

    def __enter__(self):
        self.cpu, self.wall = time.process_time(), time.perf_counter()
        return self

    def __exit__(self, *exc):
        self.cpu, self.wall = time.process_time() - self.cpu, time.perf_counter() - self.wall
