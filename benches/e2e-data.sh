#!/usr/bin/env bash
# End-to-end conversion benchmark: `m1tom2 data` on the benchmark store that
# `m1tom2-gen` writes (by default Magento's published DMT benchmark store:
# 177k products, 355k orders, 214k customers), plain and gzip, against the
# I/O floor (`cat`), a fixed single-core byte-processing reference
# (`gzip -1`), and sql-splitter's `convert --to postgres` when it is installed.
# The references write to /dev/null; `data` runs twice, writing OUT to a file
# (the wall time a user sees) and to standard output (/dev/null, the same sink
# as the references, for the throughput ratios and the thread speed-up).
# Then: peak RSS at 1x and 4x of a reduced scale, the 1x store written one row
# per INSERT (converted to the same file, also with 4 KiB output statements),
# and the time MariaDB takes to load
# OUT against a plain mysqldump of the same resulting database.
#
# Usage: benches/e2e-data.sh
# Environment:
#   BENCH_PRODUCTS, BENCH_ORDERS, BENCH_CUSTOMERS   scale (defaults: the generator's)
#   BENCH_SEED    generator seed (default 42)
#   BENCH_RUNS    runs per command, best kept (default 2)
#   BENCH_SMALL   reduced-scale divisor for the RSS and load comparisons (default 20)
#   BENCH_BASELINE  the Magento 2 baseline (default ../shared/corpus/dumps/m2-2.4.8-mariadb.sql)
#   MYSQL         client command for the load comparison (default: mariadb -h127.0.0.1 -uroot)
#
# Dumps are generated once and cached under target/bench-data/ (regenerated when
# the generator's sources or the scale change). Each timed run's input is read
# once, untimed, just before it (the page cache warm for every run).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
PATH=$PATH:$HOME/.cargo/bin

SEED=${BENCH_SEED:-42}
RUNS=${BENCH_RUNS:-2}
SMALL=${BENCH_SMALL:-20}
BASELINE=${BENCH_BASELINE:-../shared/corpus/dumps/m2-2.4.8-mariadb.sql}
MYSQL=${MYSQL:-mariadb -h127.0.0.1 -uroot}
DATA=target/bench-data
BIN=target/release/m1tom2
GEN=target/release/m1tom2-gen

echo "== building the release binaries"
cargo build --release --quiet --bins
[[ -f $BASELINE ]] || { echo "error: no baseline at $BASELINE (set BENCH_BASELINE)" >&2; exit 2; }

mkdir -p "$DATA"
gen_hash=$(cat src/bin/m1tom2-gen/*.rs | sha256sum | cut -c1-12)

# store NAME ARGS...: generates (once) $DATA/NAME-<hash>.sql and prints its path.
store() {
    local name=$1
    shift
    local key
    key=$(echo "$gen_hash $* $SEED" | sha256sum | cut -c1-12)
    local f=$DATA/$name-$key.sql
    if [[ ! -f $f ]]; then
        rm -f "$DATA/$name"-*.sql "$DATA/$name"-*.sql.gz
        echo "== generating $f ($*)" >&2
        /usr/bin/time -f '   generated in %e s' "$GEN" "$@" --seed "$SEED" --out "$f.tmp" >&2
        mv "$f.tmp" "$f"
    fi
    echo "$f"
}

scale=()
[[ -n ${BENCH_PRODUCTS:-} ]] && scale+=(--products "$BENCH_PRODUCTS")
[[ -n ${BENCH_ORDERS:-} ]] && scale+=(--orders "$BENCH_ORDERS")
[[ -n ${BENCH_CUSTOMERS:-} ]] && scale+=(--customers "$BENCH_CUSTOMERS")
FILE=$(store bench "${scale[@]}")
GZ=$FILE.gz
[[ -f $GZ ]] || { echo "== compressing $GZ" >&2; gzip -1 -c "$FILE" > "$GZ"; }
BYTES=$(stat -c %s "$FILE")

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

# The files the next timed runs read (set before each group of runs). Each
# run reads them once, untimed, just before it starts: on some guests the
# page cache is reclaimed within a minute or two even with most of the
# memory free, so a file warmed once at the start is partly read from disk
# again by later runs (seen on a KVM guest: 3.9 GB cached fell to 0.2 GB in
# two idle minutes, and a one-thread conversion's first pass took 5.4 s
# instead of 0.9 s).
WARM=("$FILE" "$BASELINE")

# one LABEL RUN CMD...: runs CMD once (stdout to /dev/null) and appends
# "LABEL WALL CPU KB" (user+sys CPU, peak RSS) to $TMP/runs.
one() {
    local label=$1 i=$2
    shift 2
    # The output files earlier runs wrote (GBs) are flushed first, so that
    # their writeback does not take CPU from this run.
    sync
    cat "${WARM[@]}" > /dev/null
    local t0=$EPOCHREALTIME
    if ! /usr/bin/time -f '%U %S %M' -o "$TMP/time" "$@" > /dev/null 2> "$TMP/stderr"; then
        cat "$TMP/stderr" >&2
        echo "error: $label failed" >&2
        exit 1
    fi
    local t1=$EPOCHREALTIME
    local s cpu kb
    s=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')
    read -r u sy kb < <(tail -n 1 "$TMP/time")
    cpu=$(awk -v a="$u" -v b="$sy" 'BEGIN { printf "%.2f", a + b }')
    echo "   $label run $i: ${s}s wall, ${cpu}s CPU, ${kb} KB max RSS"
    echo "$label $s $cpu $kb" >> "$TMP/runs"
}

# keep LABEL: appends to $TMP/results the fastest wall time of LABEL's runs
# with its CPU time, and the highest peak RSS of the runs (memory is judged on
# the worst run).
keep() {
    awk -v l="$1" '$1 == l {
        if (best == "" || $2 < best) { best = $2; cpu = $3 }
        if ($4 > kb) kb = $4
    } END { print l, best, cpu, kb }' "$TMP/runs" >> "$TMP/results"
}

# best LABEL CMD...: runs CMD $RUNS times and keeps it.
best() {
    local label=$1
    shift
    for ((i = 1; i <= RUNS; i++)); do one "$label" "$i" "$@"; done
    keep "$label"
}

# conv SRC OUT [GLOBAL OPTIONS]: the `m1tom2 data` command line.
conv() {
    local src=$1 out=$2
    shift 2
    echo "$BIN" "$@" data --source "$src" --target "$BASELINE" --out "$out" --report "$TMP/report.json"
}

echo "== timing (best of $RUNS) on $FILE ($BYTES bytes), $(nproc) cores"
best cat cat "$FILE"
best gzip1 gzip -1 -c "$FILE"
best data $(conv "$FILE" "$TMP/out.sql")
ROWS=$(python3 -c 'import json,sys; print(sum(t["source_rows"] for t in json.load(open(sys.argv[1]))["tables"]))' "$TMP/report.json")
# The same conversion written to standard output (/dev/null), the sink of the
# references above and below: the throughput ratios compare these runs.
# Two threads and one alternate, so a drift of the VM's speed between runs
# weighs on both; the speed-up is also taken run by run (see the results).
for ((i = 1; i <= RUNS; i++)); do
    one data_pipe "$i" $(conv "$FILE" -)
    one data_t1 "$i" $(conv "$FILE" - --threads 1)
done
keep data_pipe
keep data_t1
$(conv "$FILE" - --threads 1) 2> /dev/null | cmp -s - "$TMP/out.sql" || { echo "error: --threads 1 wrote a different file" >&2; exit 1; }
WARM=("$GZ" "$BASELINE")
best data_gz $(conv "$GZ" "$TMP/out-gz.sql")
WARM=("$FILE")
cmp -s "$TMP/out.sql" "$TMP/out-gz.sql" || { echo "error: gzip input gave a different file" >&2; exit 1; }
rm -f "$TMP/out-gz.sql"
if command -v sql-splitter > /dev/null; then
    best splitter sql-splitter convert "$FILE" --to postgres -o /dev/null
else
    echo "   sql-splitter is not on PATH (cargo install sql-splitter); its comparison is skipped"
fi

echo "== peak RSS at 1x and 4x of a reduced scale (1/$SMALL)"
P=${BENCH_PRODUCTS:-177000} O=${BENCH_ORDERS:-355000} C=${BENCH_CUSTOMERS:-214000}
S1=$(store small1 --products $((P / SMALL)) --orders $((O / SMALL)) --customers $((C / SMALL)))
S4=$(store small4 --products $((4 * P / SMALL)) --orders $((4 * O / SMALL)) --customers $((4 * C / SMALL)))
WARM=("$S1" "$BASELINE")
best small_1x $(conv "$S1" "$TMP/s1.sql")
WARM=("$S4" "$BASELINE")
best small_4x $(conv "$S4" "$TMP/s4.sql")
rm -f "$TMP/s4.sql"

echo "== one row per INSERT (mysqldump --skip-extended-insert), 1/$SMALL scale"
S1S=$(store single1 --products $((P / SMALL)) --orders $((O / SMALL)) --customers $((C / SMALL)) --skip-extended-insert)
WARM=("$S1S" "$BASELINE")
best small_single $(conv "$S1S" "$TMP/s1s.sql")
cmp -s "$TMP/s1.sql" "$TMP/s1s.sql" || { echo "error: one row per INSERT gave a different file" >&2; exit 1; }
rm -f "$TMP/s1s.sql"
# With 4 KiB statements, the statements of tables one source table fills
# (product images and their links) alternate often: their order must not
# follow how the dump groups its rows either.
$(conv "$S1" "$TMP/s1-4k.sql") --max-statement-bytes 4096 2> /dev/null
$(conv "$S1S" "$TMP/s1s-4k.sql") --max-statement-bytes 4096 2> /dev/null
cmp -s "$TMP/s1-4k.sql" "$TMP/s1s-4k.sql" || { echo "error: with 4 KiB statements, one row per INSERT gave a different file" >&2; exit 1; }
rm -f "$TMP/s1-4k.sql" "$TMP/s1s-4k.sql"

echo "== MariaDB load time: OUT against a mysqldump of the same database (1/$SMALL scale)"
if $MYSQL -e 'SELECT 1' > /dev/null 2>&1; then
    db=m1tom2_bench_load
    load="$MYSQL -e 'DROP DATABASE IF EXISTS $db; CREATE DATABASE $db' && $MYSQL $db < \"\$0\""
    WARM=("$TMP/s1.sql")
    best load_out bash -c "$load" "$TMP/s1.sql"
    mariadb-dump -h127.0.0.1 -uroot --single-transaction --routines --triggers "$db" > "$TMP/s1-dump.sql"
    WARM=("$TMP/s1-dump.sql")
    best load_dump bash -c "$load" "$TMP/s1-dump.sql"
    $MYSQL -e "DROP DATABASE IF EXISTS $db"
else
    echo "   MariaDB is not reachable; the load comparison is skipped"
fi

echo "== results"
python3 - "$TMP/results" "$BYTES" "$ROWS" "$FILE" "$(git rev-parse --short HEAD)" "$TMP/runs" << 'EOF'
import sys, datetime

res = {l.split()[0]: [float(x) for x in l.split()[1:]] for l in open(sys.argv[1])}
size, rows = int(sys.argv[2]), int(sys.argv[3])
print("file: %s, %.1f MB, %d source rows; commit %s, %s" % (
    sys.argv[4], size / 1e6, rows, sys.argv[5], datetime.date.today()))
print("| run | wall s | CPU s | max RSS MB | input MB/s |")
print("|---|---:|---:|---:|---:|")
for k, (s, cpu, kb) in res.items():
    # Only the runs over the benchmark file (or its gzip) have its byte count.
    rate = "%.0f" % (size / 1e6 / s) if not k.startswith(("small", "load")) else "-"
    print("| %s | %.2f | %.2f | %.0f | %s |" % (k, s, cpu, kb / 1024, rate))
d = res["data"][0]
p = res["data_pipe"][0]
print("data to a file: %.0f MB/s, %.0f rows/s; to a pipe: %.0f MB/s, %.0f rows/s" % (
    size / 1e6 / d, rows / d, size / 1e6 / p, rows / p))
print("target <= 60 s wall (gzip input): data_gz %.1f s" % res["data_gz"][0])
print("gzip -1 / data_pipe time ratio: %.2f (target >= 4)" % (res["gzip1"][0] / p))
print("data_pipe / cat time ratio: %.2f (target <= 3)" % (p / res["cat"][0]))
if "splitter" in res:
    print("sql-splitter convert / data_pipe time ratio: %.2f (target >= 4)" % (res["splitter"][0] / p))
print("threads 1 -> %s speed-up (pipe): %.2f (target >= 1.7)" % ("default", res["data_t1"][0] / p))
runs = [l.split() for l in open(sys.argv[6])]
t1 = [float(r[1]) for r in runs if r[0] == "data_t1"]
t2 = [float(r[1]) for r in runs if r[0] == "data_pipe"]
pairs = sorted(a / b for a, b in zip(t1, t2))
print("  run by run (each --threads 1 run over the two-thread run before it): %s; median %.2f" % (
    ", ".join("%.2f" % r for r in pairs), pairs[len(pairs) // 2] if len(pairs) % 2 else
    (pairs[len(pairs) // 2 - 1] + pairs[len(pairs) // 2]) / 2))
print("peak RSS: %.0f MB (target <= 1024)" % (max(v[2] for v in res.values()) / 1024))
print("RSS growth 1x -> 4x: %.0f%% (target <= 20%%)" % (100 * (res["small_4x"][2] / res["small_1x"][2] - 1)))
print("one row per INSERT / multi-row INSERTs (1x, same output): %.2f" % (res["small_single"][0] / res["small_1x"][0]))
if "load_out" in res:
    print("load OUT / load mysqldump: %.2f (target <= 1.0)" % (res["load_out"][0] / res["load_dump"][0]))
EOF
