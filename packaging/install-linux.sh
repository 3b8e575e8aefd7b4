#!/usr/bin/env bash
# Put mediadesk in the desktop's application menu (Linux, freedesktop.org desktops).
#
#   ./install-linux.sh              from an unpacked build (this script sits beside the `mediadesk`
#                                   binary): copy the folder to ~/.local/opt/mediadesk, link
#                                   ~/.local/bin/mediadesk, add the menu entry, icons and metainfo
#   ./install-linux.sh --menu-only  only the menu entry, icons and metainfo, for the `mediadesk`
#                                   already on PATH (e.g. installed from the wheel with pipx)
#   ./install-linux.sh --uninstall  remove what this script installed (never the catalog)
#
# PREFIX=/usr/local (as root) installs for everyone instead of into ~/.local.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
PREFIX=${PREFIX:-$HOME/.local}
APP_ID=org.mediadesk.MediaDesk
OPT="$PREFIX/opt/mediadesk"
BIN="$PREFIX/bin/mediadesk"
SHARE="$PREFIX/share"
MODE=${1:-app}

find_resources() {
  local exe=$1 dir
  for dir in "$HERE/_internal/mediadesk/resources" "$HERE/../resources"; do
    [ -f "$dir/linux/$APP_ID.desktop" ] && { echo "$dir"; return; }
  done
  "$(dirname "$(readlink -f "$exe")")/python" -c 'from mediadesk.resources import resource_root; print(resource_root())' 2>/dev/null
}

uninstall() {
  rm -f "$SHARE/applications/$APP_ID.desktop" "$SHARE/metainfo/$APP_ID.metainfo.xml" \
        "$SHARE/icons/hicolor/scalable/apps/mediadesk.svg"
  rm -f "$SHARE"/icons/hicolor/*x*/apps/mediadesk.png
  [ -L "$BIN" ] && rm -f "$BIN"
  rm -rf "$OPT"
  echo "removed mediadesk's program files and menu entry (your catalog and settings are kept)"
}

case "$MODE" in
  --uninstall) uninstall; exit 0 ;;
  --menu-only) EXE=$(command -v mediadesk) || { echo "mediadesk is not on PATH" >&2; exit 1; } ;;
  app)
    [ -x "$HERE/mediadesk" ] || { echo "run this from an unpacked mediadesk build" >&2; exit 1; }
    mkdir -p "$OPT" "$(dirname "$BIN")"
    if [ "$HERE" != "$OPT" ]; then
      rm -rf "$OPT"; cp -a "$HERE" "$OPT"
    fi
    ln -sfn "$OPT/mediadesk" "$BIN"
    EXE="$OPT/mediadesk"
    HERE=$OPT
    ;;
  -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
  *) echo "usage: install-linux.sh [--menu-only|--uninstall]" >&2; exit 2 ;;
esac

RES=$(find_resources "$EXE")
[ -n "$RES" ] || { echo "cannot find mediadesk's resources folder" >&2; exit 1; }
mkdir -p "$SHARE/applications" "$SHARE/metainfo" "$SHARE/icons/hicolor/scalable/apps"
sed -e "s|^Exec=.*|Exec=$EXE|" -e "s|^TryExec=.*|TryExec=$EXE|" \
    "$RES/linux/$APP_ID.desktop" > "$SHARE/applications/$APP_ID.desktop"
cp "$RES/linux/$APP_ID.metainfo.xml" "$SHARE/metainfo/"
cp "$RES/icons/mediadesk.svg" "$SHARE/icons/hicolor/scalable/apps/mediadesk.svg"
for png in "$RES"/icons/hicolor/*/apps/mediadesk.png; do
  size=$(basename "$(dirname "$(dirname "$png")")")
  mkdir -p "$SHARE/icons/hicolor/$size/apps"
  cp "$png" "$SHARE/icons/hicolor/$size/apps/mediadesk.png"
done
command -v update-desktop-database >/dev/null && update-desktop-database -q "$SHARE/applications" || true
command -v gtk-update-icon-cache >/dev/null && gtk-update-icon-cache -q -t "$SHARE/icons/hicolor" || true
echo "mediadesk is in the application menu (Exec=$EXE)"
case ":$PATH:" in *":$(dirname "$BIN"):"*) ;; *) [ "$MODE" = app ] && echo "note: add $(dirname "$BIN") to PATH to run \`mediadesk\` in a terminal" ;; esac
