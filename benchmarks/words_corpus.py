"""Text for the words benchmarks: press-release prose with the word frequencies of real prose.

Words follow Zipf's law (the r-th most frequent word has frequency ~ 1/r): the head is the seed
press releases' own vocabulary in the order of its frequency ("the", "of", "NATO", "defence"...),
the tail 40,000 made-up words and names, so that a rare word is rare and "defence" is common, as
in a real archive (a uniform draw would put every word in every document). Sentences have 8-30
words; planted phrases with a known frequency let the benchmark ask for hits it can predict.

    python benchmarks/words_corpus.py --pdfs 1000 --out /tmp/pdfs    # 1,000 PDFs of 2-4 pages
"""

from __future__ import annotations

import argparse
import bisect
import itertools
import os
import random
import re
import sys
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from functools import lru_cache

HERE = os.path.dirname(os.path.abspath(__file__))
SEEDS = os.path.join(HERE, "..", "resources", "demo", "nato-press-releases-2025-03.txt")
TAIL = 40_000
_SYLLABLES = ("ka", "lo", "mi", "re", "su", "to", "vu", "ze", "na", "pol", "dar", "vik", "sko",
              "lin", "dor", "mak", "tel", "pos", "ber", "čić", "ński", "ová", "ęb", "ør")
# (phrase, share of documents it is planted in)
PLANTED = (("kill the red tape", 0.002), ("transatlantic bond", 0.02), ("zephyrine observers", 0.0001))


@lru_cache(maxsize=1)
def vocabulary() -> tuple[list[str], list[float]]:
    """(words, cumulative weights) of the Zipf distribution."""
    with open(SEEDS, encoding="utf-8") as fh:
        text = fh.read()
    counts = Counter(re.findall(r"[^\W_]+", text))
    head = [w for w, _ in counts.most_common()]
    rng = random.Random(3)
    tail: list[str] = []
    seen = {w.lower() for w in head}
    while len(tail) < TAIL:
        word = "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 4)))
        if word not in seen:
            seen.add(word)
            tail.append(word.capitalize() if rng.random() < 0.2 else word)
    words = head + tail
    weights = list(itertools.accumulate(1.0 / (rank + 1) ** 1.05 for rank in range(len(words))))
    return words, weights


def sentence(rng: random.Random) -> str:
    words, cum = vocabulary()
    total = cum[-1]
    n = rng.randint(8, 30)
    picked = [words[bisect.bisect_left(cum, rng.random() * total)] for _ in range(n)]
    picked[0] = picked[0][:1].upper() + picked[0][1:]
    return " ".join(picked) + rng.choice((".", ".", ".", ",", ";")) if n else ""


def paragraph(rng: random.Random, words: int) -> str:
    out: list[str] = []
    count = 0
    while count < words:
        s = sentence(rng)
        out.append(s)
        count += len(s.split())
    return " ".join(out)


def release_text(rng: random.Random, pages: int) -> tuple[str, list[str]]:
    """(title, paragraphs) of a press release that fills about ``pages`` A4 pages."""
    title = sentence(rng).rstrip(".,;")[:90]
    paragraphs = [paragraph(rng, rng.randint(50, 110)) for _ in range(pages * 4)]
    for phrase, share in PLANTED:
        if rng.random() < share:
            i = rng.randrange(len(paragraphs))
            paragraphs[i] = paragraphs[i] + f" We must {phrase} now."
    return title, paragraphs


def _pdf_task(args: tuple[str, int, int]) -> int:
    from mediadesk.demo.documents import press_release_pdf

    out, start, count = args
    made = 0
    for i in range(start, start + count):
        rng = random.Random(1000 + i)
        pages = rng.randint(2, 4)
        title, paragraphs = release_text(rng, pages)
        date = f"2025-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        data, _ = press_release_pdf(title, paragraphs, date=date)
        path = os.path.join(out, f"release-{i:05d}.pdf")
        with open(path + ".part", "wb") as fh:
            fh.write(data)
        os.replace(path + ".part", path)
        made += 1
    return made


def make_pdfs(out: str, count: int, workers: int | None = None) -> float:
    """Write ``count`` press-release PDFs of 2-4 pages into ``out`` (kept when already there);
    returns the seconds it took."""
    os.makedirs(out, exist_ok=True)
    have = {n for n in os.listdir(out) if n.endswith(".pdf")}
    if len(have) >= count:
        return 0.0
    started = time.perf_counter()
    chunk = 50
    jobs = [(out, s, min(chunk, count - s)) for s in range(0, count, chunk)]
    with ProcessPoolExecutor(workers or os.cpu_count() or 2) as pool:
        sum(pool.map(_pdf_task, jobs))
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pdfs", type=int, default=1000)
    parser.add_argument("--out", required=True)
    args = parser.parse_args(argv)
    seconds = make_pdfs(args.out, args.pdfs)
    print(f"{args.pdfs} PDFs in {args.out} ({seconds:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
