#!/usr/bin/env bash
# Starts, stops and shows a Redis Cluster on 127.0.0.1: three masters (7001-7003) and a replica of each
# (7004-7006), cluster bus on port + 10000. For trying the cluster locally, not for production (no persistence,
# no password, loopback only).
#
#   ops/redis-cluster/cluster.sh start     start the nodes, create the cluster once, wait for cluster_state:ok
#   ops/redis-cluster/cluster.sh stop      SHUTDOWN NOSAVE every node (the cluster is created again at the next start)
#   ops/redis-cluster/cluster.sh status    CLUSTER NODES as 7001 sees it, keys per master
#
# Needs redis-server and redis-cli (apt-get install -y redis-server). Data and logs: ops/redis-cluster/run/.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
run="$here/run"
ports=(7001 7002 7003 7004 7005 7006)

case "${1:-}" in
  start)
    for port in "${ports[@]}"; do
      dir="$run/$port"
      if redis-cli -p "$port" ping >/dev/null 2>&1; then echo "node $port already runs"; continue; fi
      rm -rf "$dir" && mkdir -p "$dir"
      redis-server --port "$port" --bind 127.0.0.1 --cluster-enabled yes --cluster-config-file "$dir/nodes.conf" \
        --cluster-node-timeout 5000 --save "" --appendonly no --dir "$dir" --daemonize yes \
        --pidfile "$dir/redis.pid" --logfile "$dir/redis.log"
    done
    for port in "${ports[@]}"; do
      until redis-cli -p "$port" ping >/dev/null 2>&1; do sleep 0.1; done
    done
    if ! redis-cli -p 7001 cluster info | grep -q cluster_state:ok; then
      redis-cli --cluster create "${ports[@]/#/127.0.0.1:}" --cluster-replicas 1 --cluster-yes >"$run/create.log"
    fi
    for _ in $(seq 100); do
      if redis-cli -p 7001 cluster info | grep -q cluster_state:ok \
          && [[ "$(redis-cli -p 7001 cluster nodes | grep -c slave)" == 3 ]]; then
        echo "cluster ok; seeds: ${ports[*]:0:3}"
        exit 0
      fi
      sleep 0.2
    done
    echo "no cluster_state:ok within 20 s: see $run/create.log and $run/*/redis.log" >&2
    exit 1
    ;;
  stop)
    for port in "${ports[@]}"; do redis-cli -p "$port" shutdown nosave >/dev/null 2>&1 || true; done
    echo "stopped"
    ;;
  status)
    redis-cli -p 7001 cluster nodes | awk '{print $2, $3, $9, $10}'
    for port in "${ports[@]}"; do
      role="$(redis-cli -p "$port" role 2>/dev/null | head -1 || echo down)"
      [[ "$role" == master ]] && echo "master $port: $(redis-cli -p "$port" dbsize) keys"
    done
    ;;
  *)
    sed -n '2,10p' "$0"
    exit 2
    ;;
esac
