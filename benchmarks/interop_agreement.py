#!/usr/bin/env python3
"""How many catalog fields mediadesk reads as exiftool does, over the real files in
../shared/interop (made by cameras, agency software, digiKam, Photoshop, FFmpeg, ...).

    python benchmarks/interop_agreement.py [--interop DIR] [--json] [--verbose]

Runs one ``exiftool -j -G1 -a -n`` over every media file of MANIFEST.tsv, turns exiftool's tags
into the value each catalog field should have (the Metadata Working Group's rule for photos,
XMP then QuickTime/Matroska/RIFF tags for videos: the same expectations as
tests/interop/test_interop.py, imported from there so the two never drift apart), and compares with
what ``mediadesk.media.probe`` gives. A field counts when either side has a value; a file
mediadesk refuses counts every value exiftool found in it as missed. Fields where mediadesk
differs from exiftool on purpose (``DELIBERATE`` in the test, each with its reason) are
listed apart and left out of the percentage.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import warnings
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))   # the checkout: the expectations live with the interop test

from mediadesk.domain.errors import MediaError  # noqa: E402
from mediadesk.media import probe  # noqa: E402

from tests.interop import test_interop as ti  # noqa: E402


def exiftool_read(root: Path, rels: list[str]) -> dict[str, dict]:
    out = subprocess.run(["exiftool", "-j", "-G1", "-a", "-n", "-q", "-q", *rels], cwd=root,
                         capture_output=True, check=False)
    found = json.loads(out.stdout.decode("utf-8", errors="replace") or "[]")
    return {item["SourceFile"]: item for item in found}


def compare(root: Path, verbose: bool) -> dict:
    rels = ti._manifest() if root == ti.INTEROP else []
    if not rels:
        import csv
        with open(root / "MANIFEST.tsv", newline="", encoding="utf-8") as fh:
            rels = [r["local_path"] for r in csv.DictReader(fh, delimiter="\t") if r["kind"] == "media"]
    theirs = exiftool_read(root, rels)
    agree = total = 0
    misses: list[str] = []
    deliberate: list[str] = []
    refused: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        for rel in rels:
            exp = theirs.get(rel)
            if exp is None:
                continue
            try:
                res = probe(str(root / rel), thumbnail_to=str(Path(tmp) / "t.jpg"))
                kind, fields, duration = str(res.kind), res.fields, res.duration
            except MediaError as exc:
                refused.append(f"{rel}: {exc}")
                kind, fields, duration = ("video" if str(exp.get("File:MIMEType", "")).startswith(
                    ("video", "audio")) else "photo"), {}, None
            video = kind in ("video", "audio")
            for field in ti.FIELDS_CHECKED:
                want = ti.video_expected(exp, field) if video else ti.mwg_expected(exp, field)
                got = fields.get(field)
                if ti._blank(want) and ti._blank(got):
                    continue
                if field == "date_created":
                    ok = ti._dates_equal(got if isinstance(got, str) else None, want if isinstance(want, str) else None)
                else:
                    ok = ti._norm_text(ti._ours(field, got)) == ti._norm_text(ti._theirs(field, want))
                line = f"{rel} {field}: mediadesk={got!r} exiftool={want!r}"
                if (rel, field) in ti.DELIBERATE:
                    deliberate.append(line + f"  [{ti.DELIBERATE[(rel, field)]}]")
                    continue
                total += 1
                agree += ok
                if not ok:
                    misses.append(line)
            if video and (rel, "duration") not in ti.DELIBERATE:
                want_d = next((exp[t] for t in ti.DURATION_TAGS
                               if isinstance(exp.get(t), (int, float))), None)
                if want_d is not None:
                    total += 1
                    ok = duration is not None and abs(duration - float(want_d)) <= 0.05
                    agree += ok
                    if not ok:
                        misses.append(f"{rel} duration: mediadesk={duration} exiftool={want_d}")
    return {"files": len(rels), "fields": total, "agree": agree,
            "percent": round(100.0 * agree / total, 1) if total else None,
            "misses": misses, "deliberate": deliberate, "refused": refused}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--interop", type=Path, default=ti.INTEROP)
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--verbose", action="store_true")
    args = ap.parse_args()
    if not (args.interop / "MANIFEST.tsv").is_file():
        print(f"no MANIFEST.tsv in {args.interop}", file=sys.stderr)
        return 2
    warnings.filterwarnings("ignore", category=UserWarning)  # Pillow on damaged Exif
    result = compare(args.interop, args.verbose)
    if args.json:
        print(json.dumps(result, indent=2, ensure_ascii=False))
        return 0
    print(f"{result['agree']} of {result['fields']} fields agree with exiftool "
          f"({result['percent']}%) over {result['files']} files")
    for line in result["misses"]:
        print("  MISS  " + line)
    for line in result["refused"]:
        print("  REFUSED  " + line)
    if args.verbose:
        for line in result["deliberate"]:
            print("  DELIBERATE  " + line)
    else:
        print(f"  ({len(result['deliberate'])} deliberate differences left out; --verbose lists them)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
