#!/usr/bin/env bash
# Latency of `fupan serve` with 8 concurrent clients (benches/serve_latency.rs): p50, p90 and p99
# of the search page and the stock page over an index of the SERVE_MB-megabyte benchmark archive
# (benches/make_archive.py, as benches/e2e.sh builds it). Loopback only; bounded in requests
# (SERVE_REQUESTS per client, 200 unless set) and time (120 s of requests).
#
#   benches/serve_latency.sh                    # 100 MB archive
#   WORK=/tmp/e2e benches/serve_latency.sh      # keep archive and index there (reused)
#   SERVE_MB=20 benches/serve_latency.sh        # quicker
set -euo pipefail
cd "$(dirname "$0")/.."

SERVE_MB=${SERVE_MB:-100}
SHARED=${SHARED:-../shared/corpus}
CLEAN_WORK=
if [[ -z ${WORK:-} ]]; then
    WORK=$(mktemp -d)
    CLEAN_WORK=1
fi
SERVER=
cleanup() {
    if [[ -n $SERVER ]]; then kill "$SERVER" 2>/dev/null || true; fi
    if [[ -n $CLEAN_WORK ]]; then rm -rf "$WORK"; fi
}
trap cleanup EXIT
mkdir -p "$WORK"
ARCHIVE=$WORK/archive-${SERVE_MB}mb
INDEX=$WORK/index-${SERVE_MB}mb

if [[ ! -d $SHARED ]]; then
    echo "serve_latency: $SHARED is absent: nothing to build the archive from" >&2
    exit 2
fi
if [[ ! -f $ARCHIVE/.complete ]]; then
    rm -rf "$ARCHIVE"
    python3 benches/make_archive.py "$SHARED" "$ARCHIVE" "$SERVE_MB"
    touch "$ARCHIVE/.complete"
fi
cargo build --release --quiet
FUPAN=target/release/fupan
if [[ -n ${CARGO_TARGET_DIR:-} ]]; then FUPAN=$CARGO_TARGET_DIR/release/fupan; fi
if [[ ! -f $INDEX/.complete ]]; then
    rm -rf "$INDEX"
    echo "indexing $ARCHIVE" >&2
    "$FUPAN" -q index "$ARCHIVE" --index "$INDEX"
    touch "$INDEX/.complete"
fi
"$FUPAN" -q stats --index "$INDEX" | head -3

LOG=$WORK/serve.log
"$FUPAN" serve --index "$INDEX" --port 0 >"$LOG" 2>&1 &
SERVER=$!
for _ in $(seq 100); do
    grep -q 'http://' "$LOG" && break
    sleep 0.1
done
URL=$(grep -o 'http://[0-9.:]*' "$LOG" | head -1)
echo "serving at $URL" >&2
cargo bench --quiet --bench serve_latency -- "$URL"
