#!/usr/bin/env bash
# The README's Datasette screenshot (docs/screenshots/datasette.png), from a real headless browser:
# the shipped base exported with `yb export --format sqlite`, served by Datasette from a throwaway
# venv, searched for 人参. Needs chromium (apt-get install chromium) and CJK fonts (fonts-noto-cjk).
#
#   scripts/datasette_screenshot.sh [YB]      # YB: the yb to export with (default: yb on PATH)
#
# Datasette lists the column descriptions of metadata.json above the table; the picture is taken
# 2600 px tall and cut to 1280x900 from the search box down (CROP_TOP), where the table starts.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
YB="${1:-yb}"
CROP_TOP="${CROP_TOP:-1035}"
WORK="$(mktemp -d)"
trap 'kill "${SERVER:-0}" 2>/dev/null || true; rm -rf "$WORK"' EXIT

python3 -m venv "$WORK/venv"
"$WORK/venv/bin/pip" install -q datasette pillow
(cd "$WORK" && "$YB" export --format sqlite -o facts.db)
"$WORK/venv/bin/datasette" "$WORK/facts.db" -m "$WORK/facts.metadata.json" -p 8001 >"$WORK/datasette.log" 2>&1 &
SERVER=$!
for _ in $(seq 50); do curl -sf http://127.0.0.1:8001/ >/dev/null && break; sleep 0.2; done
BROWSER="$(command -v chromium || command -v chromium-browser)"
"$BROWSER" --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1280,2600 \
    --screenshot="$WORK/tall.png" "http://127.0.0.1:8001/facts/facts?_search=人参" 2>/dev/null
"$WORK/venv/bin/python" -c "import sys; from PIL import Image; top = int(sys.argv[1]); \
Image.open(sys.argv[2]).crop((0, top, 1280, top + 900)).save(sys.argv[3])" \
    "$CROP_TOP" "$WORK/tall.png" "$ROOT/docs/screenshots/datasette.png"
echo "wrote $ROOT/docs/screenshots/datasette.png"
