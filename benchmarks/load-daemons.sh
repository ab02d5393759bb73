# What benchmarks/relay-load and benchmarks/transcode-load share, sourced by
# both: the set-up (install, build, a loopback-only network namespace), and
# one daemon at a time pinned to CPU 0 with one media thread, bounded by a
# timeout. The sourcing script sets `results` (a directory), `lifetime` (a
# daemon's longest life in seconds) and `benchmark` (its name, for messages).
# shellcheck shell=bash disable=SC2034,SC2154 # variables set by the sourcing script, or used by it

build_dir=${RTCGATE_BUILD_DIR:-build}

# isolate "$0" "$@": installs and builds, then runs the script again inside a
# loopback-only network namespace when the machine allows one.
isolate() {
    [[ -n ${LOAD_BENCHMARK_ISOLATED:-} ]] && return 0
    scripts/install-deps --benchmark </dev/null
    scripts/build </dev/null >/dev/null
    local way
    for way in "unshare --net" "unshare --net --map-root-user"; do
        if $way sh -c 'ip link set lo up' 2>/dev/null; then
            # shellcheck disable=SC2016 # $0 and $@ are the inner shell's
            exec $way env LOAD_BENCHMARK_ISOLATED=1 bash -c 'ip link set lo up && exec "$0" "$@"' "$@"
        fi
    done
    echo "$benchmark: no private network namespace here; running on the host's loopback" >&2
}

rtcgated=$PWD/$build_dir/rtcgated
load=$PWD/$build_dir/rtcgate-load
ctl=$PWD/$build_dir/rtcgate-ctl
rtpengine=$(command -v rtpengine || echo /usr/bin/rtpengine)

ng_port=2223
port_min=20000 # below the ephemeral range, where the load tool's own sockets are
port_max=29999
daemon_pid=""
daemon_wrapper=""

stop_daemon() {
    if [[ -n $daemon_wrapper ]]; then
        kill -TERM "$daemon_wrapper" 2>/dev/null || true
        for _ in $(seq 50); do
            kill -0 "$daemon_wrapper" 2>/dev/null || break
            sleep 0.1
        done
        kill -KILL "$daemon_wrapper" 2>/dev/null || true
        if [[ -n $daemon_pid ]]; then
            kill -KILL "$daemon_pid" 2>/dev/null || true
        fi
        wait "$daemon_wrapper" 2>/dev/null || true
    fi
    daemon_wrapper=""
    daemon_pid=""
}

# start_daemon NAME LOG [OPTION...]: rtcgated or rtpengine on CPU 0, one media
# thread, the extra options after the common ones; sets daemon_pid.
start_daemon() {
    local name=$1 log=$2 pidfile=$results/$1.pid
    shift 2
    rm -f "$pidfile"
    local common=(--interface=127.0.0.1 "--listen-ng=127.0.0.1:$ng_port" "--port-min=$port_min" "--port-max=$port_max"
                  --num-threads=1 --timeout=120 --delete-delay=0 --log-level=4 --pidfile="$pidfile")
    case $name in
        rtcgated)
            taskset -c 0 timeout --kill-after=5 "$lifetime" "$rtcgated" --config-file=none "${common[@]}" "$@" \
                </dev/null >"$log" 2>&1 &
            ;;
        rtpengine)
            # --table=-1: no kernel module, every packet goes through userspace.
            taskset -c 0 timeout --kill-after=5 "$lifetime" "$rtpengine" --config-file=none --table=-1 \
                --foreground --log-stderr --media-num-threads=1 "${common[@]}" "$@" </dev/null >"$log" 2>&1 &
            ;;
    esac
    daemon_wrapper=$!
    for _ in $(seq 100); do
        if [[ -s $pidfile ]] && "$ctl" --ng 127.0.0.1:$ng_port --timeout-ms 100 --retries 0 ping >/dev/null 2>&1; then
            daemon_pid=$(<"$pidfile")
            return 0
        fi
        kill -0 "$daemon_wrapper" 2>/dev/null || break
        sleep 0.1
    done
    echo "$benchmark: $name did not start; its log:" >&2
    cat "$log" >&2
    return 1
}

trap stop_daemon EXIT
trap 'exit 130' INT TERM
