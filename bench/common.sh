# Shared by the bench scripts: tools, the benchmark corpus, the test classpath, a moto server.
set -euo pipefail
cd "$(dirname "$0")/.."
eval "$(PGLOGS_SKIP_TOFU=1 scripts/setup-tools)"
bench=target/bench
mkdir -p "$bench"

# A large corpus from a real server: the standard workload plus pgbench with every statement logged.
bench_corpus() {
  if [ ! -s "$bench/corpus/postgresql.log" ]; then
    PGBENCH_SECONDS=${PGBENCH_SECONDS:-30} scripts/pg-corpus "$bench/corpus" >&2
  fi
  echo "$bench/corpus/postgresql.log"
}

test_classpath() {
  mvn -B -q -ntp -DskipTests package >&2
  mvn -B -q -ntp -pl lambda dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$PWD/$bench/cp.txt" >&2
  echo "lambda/target/classes:lambda/target/test-classes:$(cat "$bench/cp.txt")"
}

# PGLOGS_BENCH_BASELINE=DIR names a checkout of the version to compare with (e.g. `git clone` of main into a temporary
# directory); the scripts then measure it in the same run, alternating with this one, and print the ratio.
baseline_dir() {
  [ -n "${PGLOGS_BENCH_BASELINE:-}" ] || return 0
  [ -f "$PGLOGS_BENCH_BASELINE/pom.xml" ] || { echo "PGLOGS_BENCH_BASELINE=$PGLOGS_BENCH_BASELINE is no checkout" >&2; exit 2; }
  (cd "$PGLOGS_BENCH_BASELINE" && pwd)
}

baseline_classpath() {
  local dir=$1
  (cd "$dir" && mvn -B -q -ntp -DskipTests package >&2 \
    && mvn -B -q -ntp -pl lambda dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$dir/target/bench-cp.txt" >&2)
  echo "$dir/lambda/target/classes:$dir/lambda/target/test-classes:$(cat "$dir/target/bench-cp.txt")"
}

start_moto() {
  local port
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  "$PGLOGS_MOTO_SERVER" -H 127.0.0.1 -p "$port" >"$bench/moto.log" 2>&1 &
  moto_pid=$!
  trap 'kill $moto_pid 2>/dev/null || true' EXIT
  export AWS_ENDPOINT_URL="http://127.0.0.1:$port" AWS_REGION=us-east-1 AWS_ACCESS_KEY_ID=bench AWS_SECRET_ACCESS_KEY=bench
  for _ in $(seq 1 100); do
    curl -sf "$AWS_ENDPOINT_URL/moto-api/" >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  echo "moto_server did not start: $(tail -3 "$bench/moto.log")" >&2
  return 1
}
