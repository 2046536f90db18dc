#!/usr/bin/env bash
# Export benchmark: one million claim rows, exported to each format with time and peak memory.
#
# Generates a JSON Lines file in the shape `fupan extract` writes (ARTICLES articles of PER claims
# each, every claim kind, negative and fractional figures, ranges), then runs
# `/usr/bin/time -v fupan export claims --from-jsonl … -o claims.FORMAT` and checks the row count.
#
#   benches/export_1m.sh                       # csv and parquet, 10,000 × 100 claims
#   FORMATS="csv parquet xlsx jsonl" benches/export_1m.sh
#   FUPAN=target/debug/fupan ARTICLES=100 benches/export_1m.sh
#   WORK=/tmp/bench benches/export_1m.sh       # keep the input and outputs (else removed)
set -euo pipefail
cd "$(dirname "$0")/.."

FUPAN=${FUPAN:-target/release/fupan}
ARTICLES=${ARTICLES:-10000}
PER=${PER:-100}
FORMATS=${FORMATS:-csv parquet}
if [[ -z ${WORK:-} ]]; then
    WORK=$(mktemp -d)
    trap 'rm -rf "$WORK"' EXIT
fi
mkdir -p "$WORK"

if [[ $FUPAN == target/release/fupan ]]; then
    cargo build --release --quiet
fi

input=$WORK/input.jsonl
awk -v articles="$ARTICLES" -v per="$PER" '
BEGIN {
    split("compute_capacity earnings_growth limit_up_streak limit_up limit_down turnover capital_flow market_breadth price_change", kinds, " ")
    split("P % 板 null null 亿元 亿元 只 %", units, " ")
    for (a = 0; a < articles; a++) {
        date = sprintf("2024-%02d-%02d", 1 + a % 12, 1 + a % 28)
        printf "{\"id\":\"%016x\",\"source\":\"bench/%d.txt\",\"title\":\"复盘 %d\",\"date\":\"%s\",\"author\":null,\"chars\":%d,", a, a, a, date, per * 20
        printf "\"stocks\":[{\"code\":\"603629\",\"exchange\":\"SH\",\"name\":\"利通电子\",\"count\":1,\"mentions\":[{\"start\":0,\"end\":12,\"text\":\"利通电子\"}]}],"
        printf "\"concepts\":[{\"name\":\"算力租赁\",\"count\":1,\"mentions\":[{\"start\":12,\"end\":24,\"text\":\"算力租赁\"}]}],\"organizations\":[],\"claims\":["
        for (c = 0; c < per; c++) {
            k = 1 + (a + c) % 9
            unit = units[k] == "null" ? "null" : "\"" units[k] "\""
            if (k == 2) { value = "null"; low = c % 50; high = low + 8.5 }
            else { value = sprintf("%.2f", (c % 2 ? -1 : 1) * (a % 1000 + c * 0.01)); low = "null"; high = "null" }
            if (k == 4 || k == 5) { value = "null" }
            code = (k <= 5) ? "\"603629\"" : "null"
            printf "%s{\"kind\":\"%s\",\"subject\":{\"code\":%s,\"name\":\"北向资金\"},\"value\":%s,\"low\":%s,\"high\":%s,\"unit\":%s,\"qualifier\":\"净卖出\",\"text\":\"北向资金净卖出31.38亿元，较上日\\\"放量\\\"\",\"start\":%d,\"end\":%d}", (c ? "," : ""), kinds[k], code, value, low, high, unit, c * 40, c * 40 + 33
        }
        printf "],\"warnings\":[]}\n"
    }
}' > "$input"
echo "input: $(wc -l < "$input") articles, $((ARTICLES * PER)) claims, $(du -h "$input" | cut -f1) ($input)"

for format in $FORMATS; do
    out=$WORK/claims.$format
    /usr/bin/time -v "$FUPAN" -q export claims --from-jsonl "$input" -o "$out" 2> "$WORK/time.$format"
    elapsed=$(grep -F 'Elapsed (wall clock)' "$WORK/time.$format" | awk '{print $NF}')
    rss=$(grep -F 'Maximum resident set size' "$WORK/time.$format" | awk '{print $NF}')
    case $format in
        csv | tsv) rows=$(($(wc -l < "$out") - 1)) ;;
        jsonl) rows=$(wc -l < "$out") ;;
        *) rows="(not counted)" ;;
    esac
    printf '%-8s %10s wall  %7d MB peak RSS  %s rows  %s\n' \
        "$format" "$elapsed" $((rss / 1024)) "$rows" "$(du -h "$out" | cut -f1)"
done
