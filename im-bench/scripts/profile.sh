#!/usr/bin/env bash
# CPU profile of a running JVM (the node) for SECONDS, as collapsed stacks (flame-graph input) plus a
# top-frames summary. Uses async-profiler 3.0 from Maven Central, loaded through jcmd; no other download:
#
#   mvn -B -q dependency:get -Dartifact=tools.profiler:async-profiler:3.0
#   im-bench/scripts/profile.sh <pid> <seconds> <out.collapsed>
#
# Without async-profiler, JFR works too: jcmd <pid> JFR.start duration=30s filename=node.jfr settings=profile
set -euo pipefail
pid=$1; seconds=$2; out=$(readlink -f "$3")
jar=${ASYNC_PROFILER_JAR:-$HOME/.m2/repository/tools/profiler/async-profiler/3.0/async-profiler-3.0.jar}
[ -f "$jar" ] || { echo "no $jar: mvn -B -q dependency:get -Dartifact=tools.profiler:async-profiler:3.0" >&2; exit 1; }
lib_dir=$(mktemp -d)
unzip -q -o "$jar" 'linux-x64/libasyncProfiler.so' -d "$lib_dir"
lib="$lib_dir/linux-x64/libasyncProfiler.so"
# jcmd treats key=value words as its own options: the agent's option string must be quoted.
jcmd "$pid" JVMTI.agent_load "$lib" "\"start,event=cpu,interval=1ms\"" >/dev/null
sleep "$seconds"
jcmd "$pid" JVMTI.agent_load "$lib" "\"stop,file=$out,collapsed\"" >/dev/null
total=$(awk '{s+=$NF} END {print s}' "$out")
echo "samples: $total  ($out)"
echo "top self frames:"
awk '{n=$NF; $NF=""; sub(/ $/,""); k=split($0,f,";"); self[f[k]]+=n} END {for (x in self) print self[x], x}' "$out" \
  | sort -rn | head -40 | awk -v t="$total" '{printf "%6.2f%%  %s\n", 100*$1/t, substr($0, index($0,$2))}'
