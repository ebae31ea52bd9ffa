#!/usr/bin/env bash
# Whole-process benchmark: ena-receiver against node_exporter's ethtool collector and against a
# loop that spawns `ethtool -S`, side by side in ONE time window on the SAME interfaces, so that the
# load of a shared machine hits every contender alike. Prints a table with the ratios.
#
#   [JVM_OPTIONS=FILE] integration-tests/bench/whole-process.sh [--runs N] [--window SECONDS]
#                                            [--settle SECONDS] [--skip-compare] [--skip-scale]
#
# Per run (default 2 runs, 120 s window after a 120 s settle):
#   * a fresh network namespace enabench-<pid>-<run> with 8 veth pairs = 16 interfaces bv00a..bv07b
#   * inside it: the test collector (OTLP/gRPC on 127.0.0.1:4317, debug exporter) as the sink;
#     ena-receiver (java @deploy/jvm.options -jar receiver/target/ena-receiver.jar run), 1 s
#     sampling, every stat of every interface (ethtool.stat on), 15 s export, IMDS disabled;
#     prometheus-node-exporter with only the ethtool collector, scraped by a curl loop once a
#     second; a bash loop running `ethtool -S` for each interface once a second; and the floor,
#     gstats-floor.c: a C loop that issues one ETHTOOL_GSTATS per interface per second and
#     nothing else (compiled here with gcc), to show what is left above the bare system calls;
#     and the Java floor, GstatsFloor.java: the same loop through FFM in a JVM started with the
#     receiver's flags (compiled here with javac), to show what is left above any Java agent.
#   * CPU = each contender's own cpuacct cgroup (nanoseconds, every thread and child process:
#     the curl of the scraper, the ethtool processes of the loop) over the window; without
#     cgroup v1 cpuacct or v2, utime+stime+cutime+cstime from /proc/<pid>/stat (10 ms ticks).
#     Start-up CPU of the receiver (launch to first export) is reported on its own, and so is the
#     receiver's CPU per thread over the window (schedstat), to show where the time goes.
#   * peak RSS = VmHWM of the receiver; first export = time the collector logged the first metrics
#     minus the time this script launched the JVM.
# Then (unless --skip-scale) the scale check: 50 replayed interfaces of 200 stats each (generated
# captures), 1 s sampling, every stat, measured the same way.
#
# Needs root, iproute2, ethtool, curl, python3, prometheus-node-exporter (installed with apt-get
# when missing), JDK 25 (JAVA_HOME or PATH), the receiver jar (./mvnw -B -pl receiver -am package
# -DskipTests) and the test collector (.ci/build-collector; run here when missing).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
runs=2
window=120
# A JVM whose work comes once a second (samples) and once every 15 s (exports) keeps compiling
# for minutes: a method called once per export needs ~200 exports to reach C1's threshold. The
# window starts after this settle time, so that it shows the agent as it runs for days.
settle=120
compare=true
scale=true
while [ $# -gt 0 ]; do
  case $1 in
    --runs) runs=$2; shift 2 ;;
    --window) window=$2; shift 2 ;;
    --settle) settle=$2; shift 2 ;;
    --skip-compare) compare=false; shift ;;
    --skip-scale) scale=false; shift ;;
    *) echo "usage: $0 [--runs N] [--window S] [--settle S] [--skip-compare] [--skip-scale]" >&2; exit 2 ;;
  esac
done

die() { echo "whole-process.sh: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || die "needs root (network namespaces)"
if [ -n "${JAVA_HOME:-}" ]; then java="$JAVA_HOME/bin/java"; else java=$(command -v java) || die "no java on PATH; set JAVA_HOME to a JDK 25"; fi
"$java" -version 2>&1 | grep -q 'version "2[5-9]' || die "$java is not JDK 25+"

need_pkgs=()
command -v ip >/dev/null || need_pkgs+=(iproute2)
command -v ethtool >/dev/null || need_pkgs+=(ethtool)
command -v curl >/dev/null || need_pkgs+=(curl)
command -v gcc >/dev/null || need_pkgs+=(gcc libc6-dev)
[ -x /usr/bin/prometheus-node-exporter ] || need_pkgs+=(prometheus-node-exporter)
if [ ${#need_pkgs[@]} -gt 0 ]; then
  echo "installing ${need_pkgs[*]} with apt-get" >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${need_pkgs[@]}" >/dev/null
fi
# The Debian package starts a node exporter on :9100 in the host namespace; ours runs in the
# benchmark namespace, so the two never meet.
node_exporter=/usr/bin/prometheus-node-exporter

jar=$root/receiver/target/ena-receiver.jar
[ -f "$jar" ] || die "no $jar; build it: ./mvnw -B -pl receiver -am package -DskipTests"
otelcol=$root/integration-tests/target/collector/otelcol
[ -x "$otelcol" ] || "$root/.ci/build-collector" >&2
# JVM_OPTIONS=FILE measures another set of flags (docs/performance.md, "Evaluated and not adopted").
jvm_options=${JVM_OPTIONS:-$root/deploy/jvm.options}
[ -f "$jvm_options" ] || die "no JVM options file $jvm_options"

tmp=$(mktemp -d /tmp/enabench.XXXXXX)
floor=$tmp/gstats-floor
if $compare; then
  gcc -O2 -Wall -o "$floor" "$here/gstats-floor.c" || die "cannot compile $here/gstats-floor.c"
  javac=$(dirname "$(readlink -f "$java")")/javac
  [ -x "$javac" ] || die "no javac next to $java; the Java floor needs a JDK"
  "$javac" -d "$tmp/jfloor" "$here/GstatsFloor.java" || die "cannot compile $here/GstatsFloor.java"
fi

ns=""
pids=()
clk=$(getconf CLK_TCK)
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  pids=()
  [ -n "$ns" ] && ip netns del "$ns" 2>/dev/null || true
  ns=""
  for cg in "${cgroups[@]}"; do rmdir "$cg" 2>/dev/null || true; done
  cgroups=()
}
trap 'cleanup; rm -rf "$tmp"' EXIT

# CPU accounting. Each contender runs in a cgroup of its own (cpuacct.usage, or cpu.stat's
# usage_usec on cgroup v2): nanosecond resolution, every thread and every child included. The
# fallback is utime+stime+cutime+cstime of /proc/<pid>/stat (fields 14-17), whose 10 ms ticks
# are coarse next to a receiver that uses well under a millisecond per second.
cg_base=""
if [ -w /sys/fs/cgroup/cpuacct ] && [ -f /sys/fs/cgroup/cpuacct/cpuacct.usage ]; then
  cg_base=/sys/fs/cgroup/cpuacct; cg_kind=v1
elif [ -f /sys/fs/cgroup/cgroup.controllers ] && [ -w /sys/fs/cgroup ]; then
  cg_base=/sys/fs/cgroup; cg_kind=v2
fi
cgroups=()
cg_make() { # name -> prints the cgroup dir, or nothing without cgroups
  [ -n "$cg_base" ] || return 0
  local dir="$cg_base/enabench-$$-$1"
  mkdir -p "$dir" && cgroups+=("$dir") && echo "$dir"
}
# Runs "$@" inside cgroup $1 (empty: no cgroup) from its very first instruction. Only ever
# called in the background (`in_cgroup ... &`): it execs, so that $! is the command's own pid.
in_cgroup() {
  local cg=$1; shift
  if [ -n "$cg" ]; then
    exec bash -c 'echo $$ > "$0/cgroup.procs" && exec "$@"' "$cg" "$@"
  else
    exec "$@"
  fi
}
# CPU nanoseconds of cgroup $1, or of pid $2 (ticks converted) when there is no cgroup.
cpu_ns() {
  if [ -n "$1" ]; then
    if [ "$cg_kind" = v1 ]; then cat "$1/cpuacct.usage"; else awk '/^usage_usec/{print $2*1000}' "$1/cpu.stat"; fi
  else
    sed 's/^.*) //' "/proc/$2/stat" | awk -v c="$clk" '{printf "%d\n", ($12+$13+$14+$15)*1e9/c}'
  fi
}
# Per-thread CPU of a process (schedstat, ns): "tid name ns" lines.
thread_ns() { for t in /proc/"$1"/task/*; do echo "${t##*/} $(tr ' ' _ < "$t/comm") $(cut -d' ' -f1 "$t/schedstat")"; done 2>/dev/null | sort; }
hwm_kib() { awk '/^VmHWM:/{print $2}' "/proc/$1/status"; }
wait_port() { # ns port
  for _ in $(seq 100); do
    ip netns exec "$1" bash -c "exec 3<>/dev/tcp/127.0.0.1/$2" 2>/dev/null && return 0
    sleep 0.1
  done
  die "nothing listens on 127.0.0.1:$2 in $1"
}

make_ns() { # name
  ns=$1
  ip netns add "$ns"
  ip -n "$ns" link set lo up
}

start_collector() { # dir
  cat > "$1/collector.yaml" <<EOF
receivers:
  otlp:
    protocols:
      grpc:
        endpoint: 127.0.0.1:4317
exporters:
  debug:
    verbosity: basic
service:
  pipelines:
    metrics:
      receivers: [otlp]
      exporters: [debug]
  telemetry:
    metrics:
      level: none
EOF
  ip netns exec "$ns" "$otelcol" --config "$1/collector.yaml" > "$1/collector.log" 2>&1 &
  pids+=($!)
  wait_port "$ns" 4317
}

# Starts the receiver with config $2 in dir $1; sets receiver_pid, receiver_cg and launch_epoch.
start_receiver() {
  receiver_cg=$(cg_make "receiver-$(basename "$1")")
  launch_epoch=$(date +%s.%N)
  # `bash -c exec`, `ip netns exec` and `env` all exec, so $! is the JVM's pid.
  in_cgroup "$receiver_cg" ip netns exec "$ns" env AWS_EC2_METADATA_DISABLED=true "$java" "@$jvm_options" -jar "$jar" run --config "$2" \
    > "$1/receiver.log" 2>&1 &
  receiver_pid=$!
  pids+=($receiver_pid)
}

# Seconds from launch to the first metrics the collector logged (debug exporter, UTC timestamps).
first_export_s() { # dir
  local ts=""
  for _ in $(seq 50); do
    ts=$(grep -m1 'data points' "$1/collector.log" | grep -oE '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+Z' || true)
    [ -n "$ts" ] && break
    sleep 0.1
  done
  [ -n "$ts" ] || { echo "n/a"; return; }
  awk -v a="$(date -d "$ts" +%s.%N)" -v b="$launch_epoch" 'BEGIN{printf "%.2f", a-b}'
}

receiver_config() { # file include-glob replay-yaml
  cat > "$1" <<EOF
receivers:
  ethtool:
    collection_interval: 15s
    sampling_interval: 1s
    interfaces:
      include: [$2]
      exclude: []
      drivers: []
    metrics:
      ethtool.stat: {enabled: true}
    replay: $3
exporters:
  otlp:
    endpoint: http://127.0.0.1:4317
    protocol: grpc
service:
  pipelines:
    metrics:
      receivers: [ethtool]
      exporters: [otlp]
EOF
}

results=$tmp/results.tsv
: > "$results"

compare_run() { # run
  local dir=$tmp/run$1; mkdir -p "$dir"
  make_ns "enabench-$$-$1"
  local ifaces=()
  for i in $(seq 0 7); do
    local a; a=$(printf 'bv%02da' "$i"); local b; b=$(printf 'bv%02db' "$i")
    ip -n "$ns" link add "$a" type veth peer name "$b"
    ip -n "$ns" link set "$a" up; ip -n "$ns" link set "$b" up
    ifaces+=("$a" "$b")
  done
  start_collector "$dir"
  receiver_config "$dir/receiver.yaml" '"bv*"' '[]'
  start_receiver "$dir" "$dir/receiver.yaml"

  local ne_cg scr_cg eth_cg
  local fl_cg jf_cg
  ne_cg=$(cg_make "ne-$1"); scr_cg=$(cg_make "scraper-$1"); eth_cg=$(cg_make "ethtool-$1"); fl_cg=$(cg_make "floor-$1")
  jf_cg=$(cg_make "jfloor-$1")
  in_cgroup "$ne_cg" ip netns exec "$ns" "$node_exporter" --collector.disable-defaults --collector.ethtool \
    --collector.ethtool.device-include='^bv[0-9]+[ab]$' --web.listen-address=127.0.0.1:9100 \
    > "$dir/node_exporter.log" 2>&1 &
  local ne_pid=$!; pids+=($ne_pid)
  wait_port "$ns" 9100
  in_cgroup "$scr_cg" ip netns exec "$ns" bash -c 'while :; do curl -s -o /dev/null http://127.0.0.1:9100/metrics; sleep 1; done' &
  local scr_pid=$!; pids+=($scr_pid)
  in_cgroup "$eth_cg" ip netns exec "$ns" bash -c 'while :; do for i in "$@"; do ethtool -S "$i" >/dev/null; done; sleep 1; done' \
    loop "${ifaces[@]}" &
  local eth_pid=$!; pids+=($eth_pid)
  in_cgroup "$fl_cg" ip netns exec "$ns" "$floor" "${ifaces[@]}" > "$dir/floor.log" 2>&1 &
  local fl_pid=$!; pids+=($fl_pid)

  local first start_cpu; first=$(first_export_s "$dir")
  # Start-up CPU: everything the JVM spent from launch until its first export arrived.
  start_cpu=$(cpu_ns "$receiver_cg" "$receiver_pid")
  # The Java floor starts only now: a second JVM starting beside the receiver on 2 vCPUs
  # delayed its first export by ~0.1 s. It has the whole settle time to warm up like the receiver.
  in_cgroup "$jf_cg" ip netns exec "$ns" "$java" "@$jvm_options" -cp "$tmp/jfloor" io.enareceiver.bench.GstatsFloor "${ifaces[@]}" \
    > "$dir/jfloor.log" 2>&1 &
  local jf_pid=$!; pids+=($jf_pid)
  curl -s http://127.0.0.1:9100/metrics -o /dev/null 2>/dev/null || true
  local series
  series=$(ip netns exec "$ns" curl -s http://127.0.0.1:9100/metrics | grep -c '^node_ethtool' || true)
  sleep "$settle"
  local r0 n0 s0 e0 f0 j0 r1 n1 s1 e1 f1 j1
  thread_ns "$receiver_pid" > "$dir/threads0"
  thread_ns "$jf_pid" > "$dir/jthreads0"
  r0=$(cpu_ns "$receiver_cg" "$receiver_pid"); n0=$(cpu_ns "$ne_cg" "$ne_pid"); s0=$(cpu_ns "$scr_cg" "$scr_pid"); e0=$(cpu_ns "$eth_cg" "$eth_pid")
  f0=$(cpu_ns "$fl_cg" "$fl_pid"); j0=$(cpu_ns "$jf_cg" "$jf_pid")
  sleep "$window"
  r1=$(cpu_ns "$receiver_cg" "$receiver_pid"); n1=$(cpu_ns "$ne_cg" "$ne_pid"); s1=$(cpu_ns "$scr_cg" "$scr_pid"); e1=$(cpu_ns "$eth_cg" "$eth_pid")
  f1=$(cpu_ns "$fl_cg" "$fl_pid"); j1=$(cpu_ns "$jf_cg" "$jf_pid")
  kill -0 "$fl_pid" 2>/dev/null || { cat "$dir/floor.log" >&2; die "gstats-floor stopped"; }
  kill -0 "$jf_pid" 2>/dev/null || { cat "$dir/jfloor.log" >&2; die "GstatsFloor stopped"; }
  thread_ns "$receiver_pid" > "$dir/threads1"
  thread_ns "$jf_pid" > "$dir/jthreads1"
  echo "run $1: receiver CPU per thread over the window (us/s):" >&2
  join "$dir/threads0" "$dir/threads1" | awk -v w="$window" '{printf "  %-22s %8.1f\n", $2, ($5-$3)/1000/w}' \
    | sort -k2 -rn | head -8 >&2
  echo "run $1: Java floor CPU per thread over the window (us/s):" >&2
  join "$dir/jthreads0" "$dir/jthreads1" | awk -v w="$window" '{printf "  %-22s %8.1f\n", $2, ($5-$3)/1000/w}' \
    | sort -k2 -rn | head -5 >&2
  local hwm; hwm=$(hwm_kib "$receiver_pid")
  local exports; exports=$(grep -c 'data points' "$dir/collector.log" || true)
  grep -q "started" "$dir/receiver.log" || { cat "$dir/receiver.log" >&2; die "receiver did not start"; }
  printf 'compare\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$1" $((r1-r0)) $((n1-n0)) $((s1-s0)) $((e1-e0)) \
    "$hwm" "$first" "$start_cpu" "$series" $((f1-f0)) $((j1-j0)) >> "$results"
  echo "run $1: CPU ns over the window: receiver $((r1-r0)), node_exporter $((n1-n0)), scraper $((s1-s0)), ethtool loop $((e1-e0)), floor $((f1-f0)), Java floor $((j1-j0)); VmHWM ${hwm} KiB; first export ${first} s; collector log lines with metrics: $exports" >&2
  cleanup
}

scale_run() { # run
  local dir=$tmp/scale$1; mkdir -p "$dir"
  python3 "$here/gen-captures.py" "$dir/captures" 200 10
  local replay="" i
  for i in $(seq 0 49); do
    replay+=$'\n'"      - {name: sim$i, mac: \"0a:00:00:00:01:$(printf %02x "$i")\", captures: $dir/captures, loop: true}"
  done
  make_ns "enabench-$$-s$1"
  start_collector "$dir"
  receiver_config "$dir/receiver.yaml" '' "$replay"
  start_receiver "$dir" "$dir/receiver.yaml"
  local first start_cpu; first=$(first_export_s "$dir")
  start_cpu=$(cpu_ns "$receiver_cg" "$receiver_pid")
  sleep "$settle"
  local r0 r1; r0=$(cpu_ns "$receiver_cg" "$receiver_pid")
  sleep "$window"
  r1=$(cpu_ns "$receiver_cg" "$receiver_pid")
  local hwm; hwm=$(hwm_kib "$receiver_pid")
  grep -q "started" "$dir/receiver.log" || { cat "$dir/receiver.log" >&2; die "receiver did not start"; }
  printf 'scale\t%s\t%s\t\t\t\t%s\t%s\t%s\t\n' "$1" $((r1-r0)) "$hwm" "$first" "$start_cpu" >> "$results"
  echo "scale run $1: receiver $((r1-r0)) ns of CPU over ${window}s; VmHWM ${hwm} KiB; first export ${first} s" >&2
  cleanup
}

echo "whole-process.sh: $runs run(s), ${settle}s settle + ${window}s window each; JVM flags @$jvm_options; $(nproc) CPUs; load $(cut -d' ' -f1-3 /proc/loadavg); CPU from ${cg_kind:-/proc ticks} ${cg_base:+cgroups}" >&2
for r in $(seq 1 "$runs"); do
  $compare && compare_run "$r"
  $scale && scale_run "$r"
done

python3 "$here/report.py" "$results" "$window"
