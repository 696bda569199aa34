# Shared by the benchmark scripts (source it): what they all need beside node.sh.

# Other work on the machine skews the figures: wait (at most 15 minutes) until the 1-minute load average is below
# QUIET_LOAD [1.5]; after that, say so and go on.
wait_quiet() {
  local limit=${QUIET_LOAD:-1.5}
  for _ in $(seq 1 180); do
    awk -v limit="$limit" '{exit !($1 < limit)}' /proc/loadavg && return 0
    sleep 5
  done
  echo "load stayed above $limit; measuring anyway at $(cut -d' ' -f1-3 /proc/loadavg)" >&2
}

# im-bench with "$@" against the node and Redis of node.sh (BENCH_DIR, NODE_PORT, REDIS_PORT as there), their pids
# given for the CPU and RSS figures; BENCH_JVM_FLAGS [-XX:+UseParallelGC], BENCH_JAR [im-bench/target/im-bench.jar].
bench() {
  local dir=${BENCH_DIR:-/tmp/im-bench}
  # shellcheck disable=SC2086
  java ${BENCH_JVM_FLAGS:-"-XX:+UseParallelGC"} -jar "${BENCH_JAR:-im-bench/target/im-bench.jar}" "$@" \
    --servers "127.0.0.1:${NODE_PORT:-16601}" --redis "redis://127.0.0.1:${REDIS_PORT:-16379}" \
    --node-pid "$(cat "$dir/node.pid")" --redis-pid "$(cat "$dir/redis.pid")" --quiet
}
