#!/usr/bin/env bash
# Builds the libFuzzer harnesses and runs them.
#
#   Fuzz/run.sh [harness|all] [runs]      e.g. Fuzz/run.sh dagcbor 1000000
#
# Harnesses: dagcbor dagjson cid prolly-node prolly-tree journal pack-index car (default: all,
# one after another). runs defaults to 10,000,000 per harness. Extra libFuzzer flags can be
# passed in FUZZ_FLAGS (e.g. FUZZ_FLAGS="-max_total_time=600"); FUZZ_ASAN=1 adds
# AddressSanitizer; FUZZ_SKIP leaves out reads with a known trap (see README.md).
#
# Everything generated lives in Fuzz/.work (ignored by git): seeds/<harness> (from the
# fixtures and from each harness's own encoders), corpus/<harness> (what libFuzzer keeps),
# artifacts/<harness> (crashing inputs) and logs/<harness>.log.
set -euo pipefail
cd "$(dirname "$0")"

all=(dagcbor dagjson cid prolly-node prolly-tree journal pack-index car)
which=${1:-all}
runs=${2:-10000000}
if [[ $which == all ]]; then harnesses=("${all[@]}"); else harnesses=("$which"); fi

build=(swift build -c release -Xswiftc -sanitize=fuzzer -Xswiftc -parse-as-library)
if [[ -n ${FUZZ_ASAN:-} ]]; then
    # AddressSanitizer too (about 2-3x slower): catches reads past a buffer through unsafe
    # pointers, which release builds do not bounds-check. A separate build directory.
    build=(swift build -c release --scratch-path .build-asan -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library)
fi
"${build[@]}"
bin=$("${build[@]}" --show-bin-path)

work=.work
tag=${FUZZ_ASAN:+-asan}
# Seeds are named by content, so regenerating over old ones is harmless.
python3 seeds.py "$work/seeds"
status=0
for h in "${harnesses[@]}"; do
    [[ -x $bin/fuzz-$h ]] || { echo "unknown harness $h (one of: ${all[*]})" >&2; exit 2; }
    mkdir -p "$work/seeds/$h" "$work/corpus/$h" "$work/artifacts/$h$tag" "$work/logs"
    # The harness writes the seeds that need the project's encoders, then stops.
    FUZZ_SEED_DIR="$work/seeds/$h" "$bin/fuzz-$h" -runs=0 "$work/seeds/$h" >/dev/null 2>&1
    echo "== fuzz-$h: $runs runs, $(ls "$work/seeds/$h" | wc -l) seeds"
    # One process, one job: the machine is shared. -timeout catches hangs, -rss_limit_mb blowups.
    # The Swift runtime's backtracer is off so that libFuzzer sees a trap and saves the input.
    set +e
    SWIFT_BACKTRACE=enable=no "$bin/fuzz-$h" -runs="$runs" -max_len=4096 -timeout=10 -rss_limit_mb=2048 \
        -print_final_stats=1 -artifact_prefix="$work/artifacts/$h$tag/" ${FUZZ_FLAGS:-} \
        "$work/corpus/$h" "$work/seeds/$h" > "$work/logs/$h$tag.log" 2>&1
    result=$?
    set -e
    grep -E '^#[0-9]+[[:space:]]+DONE|^(SUMMARY|stat::)|ERROR|oracle|Fatal|runtime failure|Test unit written' "$work/logs/$h$tag.log" || true
    if [[ $result != 0 ]]; then
        echo "!! fuzz-$h stopped with status $result: see $work/logs/$h$tag.log and $work/artifacts/$h$tag/" >&2
        status=1
    fi
done
exit $status
