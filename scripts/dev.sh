#!/usr/bin/env bash
# One-stop set-up for developers on Debian 12 (or newer) with Python >= 3.11.
#   scripts/dev.sh start [ARGS...]  install what is missing, then start mediadesk (the window)
#   scripts/dev.sh test  [PYTEST ARGS...]  install what is missing, run ruff and mypy, then the whole test suite
#                                   (the team-catalog tests start a throwaway PostgreSQL of their own)
#   scripts/dev.sh setup            only install
# Debian packages are installed with apt-get (as root, or through sudo); Python packages go into
# .venv in the repository. Running it again is quick: it installs only what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$(pwd)
VENV=${MEDIADESK_VENV:-$REPO/.venv}
PY=${PYTHON:-python3}

# Qt's xcb/offscreen platform plugins, OpenGL/EGL, fonts, D-Bus; exiftool and ffmpeg as second
# opinions in the tests; Xvfb for screenshots; chromium, its chromedriver and npm for the browser
# tests of published web pages (axe-core comes from npm into .cache/axe, see setup_axe).
DEB_RUNTIME="libgl1 libegl1 libopengl0 libglib2.0-0 libfontconfig1 libfreetype6 libdbus-1-3 libxkbcommon0
 libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 libxcb-xinerama0
 libxcb-randr0 libxcb-render-util0 libxcb-image0 libxcb-xkb1 libx11-xcb1 libxrender1 libxi6
 libnss3 libasound2 libpulse0 fonts-dejavu-core python3-venv"
DEB_TEST="libimage-exiftool-perl ffmpeg xvfb xauth desktop-file-utils appstream chromium chromium-driver"
# A real PostgreSQL for the team catalog's tests: tests/pg_cluster.py makes a throwaway cluster
# (initdb/pg_ctl as the postgres user, a private socket directory, a free port on 127.0.0.1).
DEB_PG="postgresql postgresql-contrib"

need_debs() {
  local missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  echo "${missing[@]:-}"
}

install_debs() {
  command -v dpkg-query >/dev/null || { echo "not a Debian system: install Qt's runtime libraries yourself" >&2; return 0; }
  local missing
  missing=$(need_debs "$@")
  [ -z "$missing" ] && return 0
  local SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  echo ">> installing Debian packages: $missing"
  $SUDO apt-get update -qq
  # shellcheck disable=SC2086
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
}

setup_venv() {
  if [ ! -x "$VENV/bin/python" ]; then
    echo ">> creating $VENV"
    "$PY" -m venv "$VENV"
  fi
  local stamp="$VENV/.mediadesk-installed"
  if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
    echo ">> installing mediadesk and its dependencies into $VENV"
    "$VENV/bin/python" -m pip install -q --disable-pip-version-check -e ".[test,package]"
    touch "$stamp"
  fi
}

# axe-core (accessibility checks run inside the published pages by tests/test_publish_browser.py)
AXE_DIR="$REPO/.cache/axe"
setup_axe() {
  [ -f "$AXE_DIR/node_modules/axe-core/axe.min.js" ] && return 0
  if ! command -v npm >/dev/null; then
    install_debs npm
  fi
  echo ">> installing axe-core into $AXE_DIR"
  npm install --silent --no-audit --no-fund --prefix "$AXE_DIR" axe-core@4 >/dev/null
}

cmd=${1:-start}
shift || true
case "$cmd" in
  setup)
    install_debs $DEB_RUNTIME $DEB_TEST $DEB_PG
    setup_venv
    ;;
  start)
    install_debs $DEB_RUNTIME
    setup_venv
    exec "$VENV/bin/mediadesk" "$@"
    ;;
  test)
    install_debs $DEB_RUNTIME $DEB_TEST $DEB_PG
    setup_venv
    setup_axe
    export QT_QPA_PLATFORM=${QT_QPA_PLATFORM:-offscreen}
    # the house rules first (pyproject.toml's [tool.ruff] and [tool.mypy]); a few seconds
    echo ">> ruff check"
    "$VENV/bin/ruff" check --no-cache .
    echo ">> mypy"
    "$VENV/bin/mypy"
    exec "$VENV/bin/python" -m pytest "$@"
    ;;
  *)
    echo "usage: scripts/dev.sh start|test|setup [ARGS...]" >&2
    exit 2
    ;;
esac
