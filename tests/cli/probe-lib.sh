# Helpers of the mkcsr probe tests: local servers to probe.  Sourced after
# lib.sh (which gives WORK, fail, need, need_python), never run.  Every
# server listens on 127.0.0.1 or ::1 only, on a port picked at run time,
# and is stopped when the test exits.
#
#   probe_init
#       Needs python3 and openssl; copies the certificate fixtures into
#       $WORK and arranges for every server started below to be stopped at
#       exit (and the revocation-lib.sh servers, when that file is sourced).
#   probe_bundle OUT FILE...
#       Concatenates FILE... (the leaf first) into OUT: the chain to serve.
#   probe_sstp NAME CHAIN KEY [sstp_server.py OPTION...]
#       Starts tests/sstp/sstp_server.py serving CHAIN with KEY; sets
#       PORT_NAME to its port.  Its event log is $WORK/NAME.log.
#   probe_start NAME COMMAND...
#       Starts another server (openssl s_server, ...) whose port is in
#       $WORK/NAME.port beforehand; waits until it accepts connections.
#   probe_closed_port
#       Prints a port of 127.0.0.1 on which nothing listens.
#   probe_free_port
#       The same: a port free for a server to take.
#   clear_log NAME
#       Empties the event log of server NAME once the server has finished
#       logging the connections before (it logs after the client is gone).
#   expect_log NAME TEXT
#       The event log of server NAME has a line containing TEXT, within 5 s
#       (a server logs what it sent after sending it).
#   elapsed_ms COMMAND...
#       Runs COMMAND and sets ELAPSED_MS to how long it took.

probe_init() {
	need openssl
	need_python ssl
	PROBE_PIDS=
	trap 'probe_stop_all; rm -rf "$WORK"' EXIT
	trap 'exit 1' INT TERM HUP
	copy_certs
}

probe_stop_all() {
	for probe_pid in $PROBE_PIDS; do
		kill "$probe_pid" 2> /dev/null
		wait "$probe_pid" 2> /dev/null
	done
	PROBE_PIDS=
	if command -v rev_stop_all > /dev/null 2>&1; then
		rev_stop_all
	fi
}

probe_bundle() {
	pb_out=$1
	shift
	cat "$@" > "$pb_out" || fail "cannot make $pb_out"
}

probe_sstp() {
	ps_name=$1
	ps_chain=$2
	ps_key=$3
	shift 3
	rm -f "$WORK/$ps_name.port"
	"$PYTHON" "$TESTS_SRCDIR/sstp/sstp_server.py" --cert "$ps_chain" --key "$ps_key" \
		--port-file "$WORK/$ps_name.port" --log "$WORK/$ps_name.log" "$@" 2> "$WORK/$ps_name.err" &
	PROBE_PIDS="$PROBE_PIDS $!"
	ps_tries=0
	while [ ! -s "$WORK/$ps_name.port" ]; do
		ps_tries=$((ps_tries + 1))
		[ "$ps_tries" -le 100 ] || { cat "$WORK/$ps_name.err" >&2; fail "the SSTP server $ps_name did not start"; }
		sleep 0.1
	done
	eval "PORT_$ps_name=\$(cat \"\$WORK/\$ps_name.port\")"
}

probe_free_port() {
	"$PYTHON" -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])' || fail "cannot find a free port"
}

probe_closed_port() {
	probe_free_port
}

# probe_wait_port PORT: waits until 127.0.0.1:PORT accepts connections (10 s at most).
probe_wait_port() {
	"$PYTHON" - "$1" <<'PYEOF' || fail "nothing listens on 127.0.0.1:$1"
import socket, sys, time
for _ in range(100):
    try:
        socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=1).close()
        sys.exit(0)
    except OSError:
        time.sleep(0.1)
sys.exit(1)
PYEOF
}

probe_start() {
	pst_name=$1
	shift
	"$@" > "$WORK/$pst_name.log" 2>&1 < /dev/null &
	PROBE_PIDS="$PROBE_PIDS $!"
	probe_wait_port "$(cat "$WORK/$pst_name.port")"
}

clear_log() {
	sleep 0.5
	: > "$WORK/$1.log"
}

expect_log() {
	el_tries=0
	until grep -qF -- "$2" "$WORK/$1.log"; do
		el_tries=$((el_tries + 1))
		[ "$el_tries" -le 50 ] || { cat "$WORK/$1.log" >&2; fail "the log of $1 lacks: $2"; }
		sleep 0.1
	done
}

elapsed_ms() {
	em_start=$("$PYTHON" -c 'import time; print(int(time.monotonic() * 1000))')
	"$@"
	em_end=$("$PYTHON" -c 'import time; print(int(time.monotonic() * 1000))')
	ELAPSED_MS=$((em_end - em_start))
}

# probe_check_line ID: the line of check ID in the text report (its status, id and detail).
probe_check_line() {
	grep -E "^  (PASS|WARN|FAIL|SKIP)  $1 " "$WORK/out" | head -1
}

# expect_probe_check STATUS ID DETAIL: check ID has STATUS and exactly DETAIL (the first target's).
expect_probe_check() {
	epc_want=$(printf '  %s  %-10s  %s' "$1" "$2" "$3")
	epc_got=$(probe_check_line "$2")
	[ "$epc_got" = "$epc_want" ] || { cat "$WORK/out" >&2; fail "check $2 is:
$epc_got
expected:
$epc_want"; }
}

# expect_probe_windows ID CODE_TEXT: the Windows line right after check ID's line.
expect_probe_windows() {
	epw_got=$(grep -A1 -E "^  (PASS|WARN|FAIL|SKIP)  $1 " "$WORK/out" | sed -n 2p)
	epw_want=$(printf '        %-10s  Windows: %s' "" "$2")
	[ "$epw_got" = "$epw_want" ] || { cat "$WORK/out" >&2; fail "the Windows line of $1 is:
$epw_got
expected:
$epw_want"; }
}
