"""`mediadesk verify` on hostile bundles: wall time and peak memory, one subprocess per bundle.

    python benchmarks/bench_verify.py [--runs 3] [--bomb-gib 1] [--only NAME,...] [--keep DIR]

Exports a genuine bundle (folder and zip) from a small real library, then builds every hostile
bundle of ``tests/attacks/hostile_bundles.py`` (the same builders the attack tests use: zip bombs,
fake Extended XMP, deep and wide manifests, wrong types, encrypted and damaged members, FIFOs,
devices, links, case twins, forged roles, escape sequences, ledger receipts) and runs
``mediadesk verify BUNDLE --json`` on each as a subprocess. Peak memory is the child's own peak
RSS (``wait4`` ru_maxrss through a bare launcher, see ``hostile_bundles.run_verify``; exact, not
sampled); the input size is what the bundle occupies on disk
(a FIFO or device counts as 0). The target (issue 10): every input under 1 MB verified in under
10 s and under 200 MB. Exit status 1 if a bundle misses the target, crashes, or lacks the
finding its builder expects.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))   # the checkout, for the tests' builders (tests.support)

from _measure import table  # noqa: E402

from tests.support import hostile_bundles as hb  # noqa: E402

TIME_LIMIT_S = 10.0
MEMORY_LIMIT_MB = 200.0
INPUT_LIMIT = 1 << 20


def on_disk(path: Path) -> int:
    """Bytes the bundle occupies (files' allocated blocks; special files count 0)."""
    def one(p: Path) -> int:
        st = p.lstat()
        return st.st_blocks * 512 if p.is_file() and not p.is_symlink() else 0
    return sum(one(p) for p in path.iterdir()) if path.is_dir() else one(path)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="runs per bundle (median reported)")
    parser.add_argument("--bomb-gib", type=float, default=1.0, help="what the bzip2 bomb inflates to")
    parser.add_argument("--only", default="", help="comma-separated bundle names")
    parser.add_argument("--keep", type=Path, help="build in this folder and keep it")
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="bench-verify-"))
    work.mkdir(parents=True, exist_ok=True)
    print(f"building a genuine bundle and the hostile ones in {work} ...", flush=True)
    genuine = hb.genuine(work / "genuine")
    bundles: list[tuple[str, Path, str]] = [("genuine folder", genuine.folder, ""),
                                            ("genuine zip", genuine.zip, "")]
    wanted = {w.strip() for w in args.only.split(",") if w.strip()}
    for name, (build, fragment) in hb.HOSTILE.items():
        if wanted and name not in wanted:
            continue
        out = work / "hostile" / name.replace(" ", "-")
        out.parent.mkdir(exist_ok=True)
        if name == "bzip2 bomb":
            path = hb.build_bzip2_bomb(genuine, out, size=int(args.bomb_gib * (1 << 30)))
        else:
            path = build(genuine, out)
        bundles.append((name, path, fragment))
    rows = []
    failures = []
    for name, path, fragment in bundles:
        size = on_disk(path)
        runs = [hb.run_verify(path) for _ in range(args.runs)]
        seconds = statistics.median(r.seconds for r in runs)
        peak = max(r.peak_mb for r in runs)
        rc, report, err = runs[-1].status, runs[-1].report, runs[-1].stderr
        hostile = not name.startswith("genuine")
        findings = len(report["problems"]) if report else None
        verdict = "ok"
        if report is None or "Traceback" in err:
            verdict = "CRASH"
        elif hostile and fragment and not any(fragment in p for p in report["problems"]):
            verdict = "MISSED"
        elif hostile and fragment and rc != 1:
            verdict = "EXIT"
        elif not hostile and rc != 0:
            verdict = "FAILED"
        elif size < INPUT_LIMIT and (seconds > TIME_LIMIT_S or peak > MEMORY_LIMIT_MB):
            verdict = "OVER"
        if verdict != "ok":
            failures.append((name, verdict, err[-500:]))
        rows.append((name, f"{size / 1024:,.0f} KB", rc, findings, f"{seconds:.2f}", f"{peak:.0f}", verdict))
    print(table(("bundle", "on disk", "exit", "findings", "wall s (median)", "peak RSS MB", "verdict"), rows,
                title=f"mediadesk verify, {args.runs} run(s) each; target < {TIME_LIMIT_S:.0f} s, "
                      f"< {MEMORY_LIMIT_MB:.0f} MB for inputs under 1 MB"))
    for name, verdict, err in failures:
        print(f"{verdict}: {name}\n{err}")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
