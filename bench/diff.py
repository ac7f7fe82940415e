"""The word diff the chair reads and a stale-base save shows: its cost, whatever the text.

Times (medians of several runs, in this process) `word_diff` on
  - a typical edit: one paragraph rewritten in a 30,000-character body (the body's limit)
  - the probe's adversarial pair scaled to the limit: "a " × 15,000 against "a. " × 10,000
  - two unrelated 30,000-character bodies
and prints each beside the ceiling it is held to: 250 ms, i.e. a quarter of a second of
one worker, which issue 14 asks to be bounded "whatever the input". For scale, difflib
(the former diff) runs on the probe's 800 → 1,200-character pair in a child process,
stopped after 20 s.

Run: .venv/bin/python bench/diff.py [--runs 5]
"""
from __future__ import annotations

import argparse
import difflib
import multiprocessing
import os
import random
import statistics
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

from ima_portal.statements.diff import tokens, word_diff  # noqa: E402

CEILING_MS = 250.0
LIMIT = 30_000
WORDS = ("migrants", "workers", "unite", "for", "rights", "justice", "wages", "families",
         "borders", "dignity", "la", "lucha", "kami", "pekerja", "droits", "tous")


def body(seed: int) -> str:
    rng = random.Random(seed)
    paragraphs, size = [], 0
    while size < LIMIT - 400:
        text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(40, 70))) + "."
        paragraphs.append(text)
        size += len(text) + 2
    return "\n\n".join(paragraphs)


def median_ms(old: str, new: str, runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        word_diff(old, new)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def _difflib(old: str, new: str) -> None:
    difflib.SequenceMatcher(a=tokens(old), b=tokens(new), autojunk=False).get_opcodes()


def difflib_seconds(old: str, new: str, limit: float = 20.0) -> str:
    process = multiprocessing.Process(target=_difflib, args=(old, new))
    started = time.perf_counter()
    process.start()
    process.join(limit)
    if process.is_alive():
        process.terminate()
        return f"> {limit:.0f} s (stopped)"
    return f"{time.perf_counter() - started:.1f} s"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    original = body(1)
    paragraphs = original.split("\n\n")
    paragraphs[len(paragraphs) // 2] = body(2).split("\n\n")[0]
    cases = [
        ("typical edit (one paragraph of 30,000 chars)", original, "\n\n".join(paragraphs)),
        ("adversarial 'a ' vs 'a. ' at 30,000 chars", "a " * 15_000, "a. " * 10_000),
        ("two unrelated 30,000-char bodies", original, body(3)),
    ]
    print(f"{'case':<48} {'median ms':>10} {'ceiling ms':>11} {'ratio':>6}")
    for name, old, new in cases:
        ms = median_ms(old, new, args.runs)
        print(f"{name:<48} {ms:>10.1f} {CEILING_MS:>11.0f} {ms / CEILING_MS:>6.2f}")
    print("difflib (before) on the probe's 800 → 1,200-char pair:",
          difflib_seconds("a " * 400, "a. " * 400))


if __name__ == "__main__":
    main()
