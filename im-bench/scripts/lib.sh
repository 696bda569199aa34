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
