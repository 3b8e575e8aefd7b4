#!/usr/bin/env bash
# Build the one-folder application with PyInstaller: dist/mediadesk/mediadesk (+ its libraries).
#
#   packaging/build.sh [--fresh-venv] [--check] [--tar] [--dist DIR] [--work DIR]
#     (default)      use the current environment: $PYTHON, $VIRTUAL_ENV, else .venv (scripts/dev.sh)
#     --fresh-venv   build in a new environment at build/pyinstaller-venv
#     --check        then run the built app: --version and the window self-test (with a screenshot)
#     --tar          then pack dist/mediadesk-VERSION-linux-ARCH.tar.gz
#     --dist DIR     output folder (default dist/); --work DIR: PyInstaller's work folder
#
# Name and version come from pyproject.toml (read by packaging/mediadesk.spec).
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$(pwd)
FRESH=0 CHECK=0 TAR=0
DIST="$REPO/dist" WORK="$REPO/build/pyinstaller"
while [ $# -gt 0 ]; do
  case "$1" in
    --fresh-venv) FRESH=1 ;;
    --check) CHECK=1 ;;
    --tar) TAR=1 ;;
    --dist) DIST=$(realpath -m "$2"); shift ;;
    --work) WORK=$(realpath -m "$2"); shift ;;
    -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
    *) echo "usage: packaging/build.sh [--fresh-venv] [--check] [--tar] [--dist DIR] [--work DIR]" >&2; exit 2 ;;
  esac
  shift
done

if [ "$FRESH" = 1 ]; then
  VENV="$REPO/build/pyinstaller-venv"
  [ -x "$VENV/bin/python" ] || "${PYTHON:-python3}" -m venv "$VENV"
  PY="$VENV/bin/python"
  "$PY" -m pip install -q --disable-pip-version-check -e "$REPO"
elif [ -n "${PYTHON:-}" ]; then
  PY=$PYTHON
elif [ -n "${VIRTUAL_ENV:-}" ]; then
  PY="$VIRTUAL_ENV/bin/python"
elif [ -x "${MEDIADESK_VENV:-$REPO/.venv}/bin/python" ]; then
  PY="${MEDIADESK_VENV:-$REPO/.venv}/bin/python"   # the one scripts/dev.sh makes
else
  echo "packaging/build.sh: no environment with mediadesk's dependencies: activate one, set PYTHON=," >&2
  echo "run scripts/dev.sh setup first, or use --fresh-venv" >&2
  exit 2
fi
if ! "$PY" -c 'import PySide6, PIL, av, pyexiv2' 2>/dev/null; then
  echo "packaging/build.sh: $PY lacks mediadesk's dependencies (PySide6, Pillow, PyAV, pyexiv2)" >&2
  exit 2
fi

VERSION=$("$PY" -c 'import tomllib; print(tomllib.load(open("pyproject.toml", "rb"))["project"]["version"])')
INSTALLED=$("$PY" -c 'from importlib.metadata import version; print(version("mediadesk"))' 2>/dev/null || true)
if [ "$INSTALLED" != "$VERSION" ]; then
  echo ">> installing mediadesk $VERSION into $("$PY" -c 'import sys; print(sys.prefix)') (found: ${INSTALLED:-none})"
  "$PY" -m pip install -q --disable-pip-version-check --no-deps -e "$REPO"
fi
"$PY" -c 'import PyInstaller' 2>/dev/null || "$PY" -m pip install -q --disable-pip-version-check "pyinstaller>=6.10,<7"

echo ">> building mediadesk $VERSION with PyInstaller $("$PY" -m PyInstaller --version) into $DIST/mediadesk"
START=$(date +%s)
"$PY" -m PyInstaller --noconfirm --clean --log-level WARN \
  --distpath "$DIST" --workpath "$WORK" packaging/mediadesk.spec
cp packaging/install-linux.sh "$DIST/mediadesk/"
END=$(date +%s)
APP="$DIST/mediadesk/mediadesk"
echo ">> built $APP in $((END - START)) s; folder size $(du -sh "$DIST/mediadesk" | cut -f1)"

if [ "$CHECK" = 1 ]; then
  "$APP" --version
  SHOT="$DIST/selftest.png"
  if [ -z "${DISPLAY:-}" ] && command -v xvfb-run >/dev/null; then
    xvfb-run -a -s "-screen 0 1400x900x24" env QT_QPA_PLATFORM=xcb "$APP" --self-test-window --screenshot "$SHOT"
  else
    "$APP" --self-test-window --screenshot "$SHOT"
  fi
fi
if [ "$TAR" = 1 ]; then
  ARCHIVE="$DIST/mediadesk-$VERSION-linux-$(uname -m).tar.gz"
  tar -C "$DIST" -czf "$ARCHIVE" mediadesk
  echo ">> $ARCHIVE ($(du -sh "$ARCHIVE" | cut -f1))"
fi
