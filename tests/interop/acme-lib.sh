# A private ACME CA for the interop tests: Pebble (the ACME test server)
# driven by lego (an ACME client).  Sourced after lib.sh, never run:
#
#   . "$TESTS_SRCDIR/cli/lib.sh"
#   . "$TESTS_SRCDIR/interop/acme-lib.sh"
#   acme_start
#   acme_issue req.csr out          # $ACME_CRT, $ACME_ISSUER, $ACME_NAME
#   acme_root root.pem
#
# Sourcing it skips the test (77) unless pebble, lego, curl and openssl are
# installed (Debian: pebble, lego, curl, openssl).  Anything else that goes
# wrong fails the test (1).  Once acme_start has run, a test that fails (any
# exit status but 0 and 77, from fail or not) prints pebble's and lego's
# output after its FAIL line.
#
# Everything stays on this machine: pebble listens on 127.0.0.1 only, on two
# ports picked free here, and lego talks to it alone; pebble is run with
# PEBBLE_VA_ALWAYS_VALID=1, so it never connects to the names it certifies
# (it would otherwise ask DNS for them and fetch http://NAME/), and with
# -dnsserver on a silent loopback port, so that even a stray lookup stays
# local.  lego answers the http-01 challenge with a file in a webroot
# directory (--http.webroot) rather than a server of its own: it listens on
# no port, so tests run side by side cannot take each other's port.  Every
# wait is bounded.
#
# Pebble makes a new root and intermediate CA each time it starts: a root
# fetched with acme_root only verifies what this pebble issued.
#
# Files, all under $ACME_DIR ($WORK/acme): listener-ca.pem (the throwaway CA
# of pebble's HTTPS listener, not of the certificates it issues),
# listener.pem and .key, pebble.json, pebble.log, lego.N.log (one per
# acme_issue), webroot/ (lego's challenge files).

# shellcheck disable=SC2034 # ACME_* are for the tests that source this file
need pebble
need lego
need curl
need openssl

ACME_DIR=$WORK/acme
ACME_PID=
ACME_PORT=
ACME_MGMT_PORT=
ACME_HTTP_PORT=
ACME_TLS_PORT=
ACME_DNS_PORT=
ACME_DIR_URL=
ACME_ISSUES=0
ACME_TRAPPED=
# Pebble is started under timeout(1): even if this shell dies by SIGKILL (no
# EXIT trap), pebble is gone after this many seconds.
: "${ACME_MAX_SECONDS:=300}"

# acme_logs: prints pebble's log and every lego log (the last 200 lines of
# each) to stderr.
acme_logs() {
	for acme_log in "$ACME_DIR"/pebble.log "$ACME_DIR"/lego.*.log; do
		[ -f "$acme_log" ] || continue
		printf -- '--- %s\n' "${acme_log#"$WORK"/}" >&2
		tail -n 200 "$acme_log" >&2
	done
}

# acme_pids: the processes whose command line names this test's pebble
# configuration: pebble itself and the timeout(1) that watches it.
acme_pids() {
	for acme_proc in /proc/[0-9]*; do
		# (a process may end while we look: no message then)
		acme_cmd=$( { tr '\0' ' ' < "$acme_proc/cmdline"; } 2> /dev/null) || continue
		case $acme_cmd in
		*"pebble -config $ACME_DIR/pebble.json"*) printf '%s\n' "${acme_proc#/proc/}" ;;
		esac
	done
}

# acme_stop: stops pebble (TERM, then KILL after 5 s) and waits for it.
# Does nothing when pebble is not running; safe to call more than once.
acme_stop() {
	[ -n "$ACME_PID" ] || return 0
	kill "$ACME_PID" 2> /dev/null || true
	acme_tries=50
	while kill -0 "$ACME_PID" 2> /dev/null && [ "$acme_tries" -gt 0 ]; do
		sleep 0.1
		acme_tries=$((acme_tries - 1))
	done
	! kill -0 "$ACME_PID" 2> /dev/null || kill -9 "$ACME_PID" 2> /dev/null || true
	wait "$ACME_PID" 2> /dev/null || true
	# timeout(1) passes the TERM on to pebble; a pebble left behind anyway
	# (the timeout killed by KILL) is found by its configuration path.
	for acme_left in $(acme_pids); do
		kill -9 "$acme_left" 2> /dev/null || true
	done
	ACME_PID=
	return 0
}

# acme_on_exit STATUS: the EXIT trap: stops pebble, prints the logs when the
# test failed, then does what the trap did before acme_start (lib.sh: remove
# $WORK).  No signal interrupts it: with stderr a closed pipe, printing the
# logs must not leave pebble running.
acme_on_exit() {
	trap '' HUP INT PIPE TERM
	acme_stop
	if [ "$1" -ne 0 ] && [ "$1" -ne 77 ] && [ -d "$ACME_DIR" ]; then
		printf '%s\n' "--- ACME logs (the test exits $1)" >&2
		acme_logs
	fi
	eval "$ACME_PREV_TRAP"
}

# acme_trap: sets the EXIT trap to acme_on_exit, keeping the one set before
# (lib.sh's), and turns HUP, INT, PIPE and TERM into an exit so that it runs
# then too.
acme_trap() {
	[ -z "$ACME_TRAPPED" ] || return 0
	ACME_TRAPPED=1
	ACME_PREV_TRAP=
	trap > "$ACME_DIR/traps" # "trap -- 'COMMAND' EXIT", quoted for eval
	acme_prev_line=$(sed -n 's/^trap //p' "$ACME_DIR/traps" | grep ' EXIT$' || true)
	[ -z "$acme_prev_line" ] || eval "acme_grab_trap $acme_prev_line"
	# shellcheck disable=SC2016 # expanded when the trap runs
	[ -n "$ACME_PREV_TRAP" ] || ACME_PREV_TRAP='rm -rf "$WORK"'
	trap 'acme_on_exit $?' EXIT
	trap 'exit 129' HUP
	trap 'exit 130' INT
	trap 'exit 141' PIPE
	trap 'exit 143' TERM
}
acme_grab_trap() {
	[ "$1" != -- ] || shift
	ACME_PREV_TRAP=$1
}

# acme_port_free PORT: no TCP socket (v4 or v6, in any state but TIME_WAIT,
# which does not stop Go's listeners) nor UDP socket has PORT as its local
# port, and acme_start has not already picked it.
acme_port_free() {
	case " $ACME_PORT $ACME_MGMT_PORT $ACME_HTTP_PORT $ACME_TLS_PORT $ACME_DNS_PORT " in
	*" $1 "*) return 1 ;;
	esac
	acme_hex=$(printf '%04X' "$1")
	for acme_table in /proc/net/tcp /proc/net/tcp6 /proc/net/udp /proc/net/udp6; do
		[ -r "$acme_table" ] || continue
		if awk -v port=":$acme_hex" 'NR > 1 && substr($2, length($2) - 4) == port && $4 != "06" { found = 1 }
			END { exit !found }' "$acme_table"; then
			return 1
		fi
	done
	return 0
}

# acme_free_port FROM: prints the first free port from FROM on (200 tried).
acme_free_port() {
	acme_p=$1
	while [ "$acme_p" -lt $(($1 + 200)) ]; do
		if acme_port_free "$acme_p"; then
			printf '%s\n' "$acme_p"
			return 0
		fi
		acme_p=$((acme_p + 1))
	done
	fail "no free port from $1 to $((acme_p - 1))"
}

# acme_listener_cert: a throwaway CA and, signed by it, the certificate of
# pebble's HTTPS listener for 127.0.0.1 and localhost (EC P-256, 2 days).
# The openssl configuration is ours: nothing comes from openssl.cnf.
acme_listener_cert() {
	cat > "$ACME_DIR/openssl.cnf" <<-'EOF'
	[req]
	distinguished_name = dn
	prompt = no
	[dn]
	CN = mkcsr test ACME listener CA
	[ca]
	basicConstraints = critical, CA:TRUE
	keyUsage = critical, keyCertSign, cRLSign
	subjectKeyIdentifier = hash
	[server]
	basicConstraints = critical, CA:FALSE
	keyUsage = critical, digitalSignature
	extendedKeyUsage = serverAuth
	subjectAltName = IP:127.0.0.1, DNS:localhost
	subjectKeyIdentifier = hash
	authorityKeyIdentifier = keyid
	EOF
	(
		cd "$ACME_DIR" &&
			openssl req -x509 -config openssl.cnf -extensions ca -newkey ec \
				-pkeyopt ec_paramgen_curve:P-256 -nodes -keyout listener-ca.key \
				-out listener-ca.pem -days 2 &&
			openssl req -new -config openssl.cnf -newkey ec -pkeyopt ec_paramgen_curve:P-256 \
				-nodes -keyout listener.key -out listener.csr -subj /CN=localhost &&
			openssl x509 -req -in listener.csr -CA listener-ca.pem -CAkey listener-ca.key \
				-set_serial "0x$(openssl rand -hex 8)" -days 2 \
				-extfile openssl.cnf -extensions server -out listener.pem
	) > "$ACME_DIR/openssl.log" 2>&1 || { cat "$ACME_DIR/openssl.log" >&2; fail "cannot make pebble's listener certificate"; }
}

# acme_pick_ports FROM: sets ACME_PORT (ACME) and ACME_MGMT_PORT (pebble's
# management interface), and ACME_HTTP_PORT, ACME_TLS_PORT (pebble's httpPort
# and tlsPort: where it would validate challenges, which it never does here)
# and ACME_DNS_PORT (pebble's DNS server: nothing listens there) to ports free
# from FROM on.
acme_pick_ports() {
	ACME_PORT='' ACME_MGMT_PORT='' ACME_HTTP_PORT='' ACME_TLS_PORT='' ACME_DNS_PORT=''
	ACME_PORT=$(acme_free_port "$1") || exit 1
	ACME_MGMT_PORT=$(acme_free_port $(($1 == 14000 ? 15000 : ACME_PORT + 1))) || exit 1
	ACME_HTTP_PORT=$(acme_free_port $((ACME_MGMT_PORT + 1))) || exit 1
	ACME_TLS_PORT=$(acme_free_port $((ACME_HTTP_PORT + 1))) || exit 1
	ACME_DNS_PORT=$(acme_free_port $((ACME_TLS_PORT + 1))) || exit 1
}

# acme_answers URL: an HTTPS GET of URL (trusting only the listener CA, no
# proxy, at most 2 s) succeeds.
acme_answers() {
	curl -sS --fail --noproxy '*' --max-time 2 --cacert "$ACME_DIR/listener-ca.pem" -o /dev/null "$1" 2> /dev/null
}

# acme_start: starts pebble on 127.0.0.1 and returns once its ACME directory
# ($ACME_DIR_URL) and management interface answer (at most ~10 s).  Sets
# ACME_PORT, ACME_MGMT_PORT, ACME_DIR_URL, ACME_PID and the EXIT trap that
# stops pebble.  Ports: 14000 and 15000 (or the next free ones); when pebble
# cannot bind them (a test run side by side took one since we looked), it is
# started again on ports derived from the process id (20000 to 32199, below
# the ephemeral ports), 3 tries in all.
acme_start() {
	[ -z "$ACME_PID" ] || fail "acme_start: pebble is already running"
	mkdir -p "$ACME_DIR" || fail "cannot make $ACME_DIR"
	acme_trap
	[ -f "$ACME_DIR/listener.pem" ] || acme_listener_cert
	acme_try=1
	acme_from=14000
	while :; do
		acme_pick_ports "$acme_from"
		cat > "$ACME_DIR/pebble.json" <<-EOF
		{
		  "pebble": {
		    "listenAddress": "127.0.0.1:$ACME_PORT",
		    "managementListenAddress": "127.0.0.1:$ACME_MGMT_PORT",
		    "certificate": "$ACME_DIR/listener.pem",
		    "privateKey": "$ACME_DIR/listener.key",
		    "httpPort": $ACME_HTTP_PORT,
		    "tlsPort": $ACME_TLS_PORT,
		    "ocspResponderURL": "",
		    "externalAccountBindingRequired": false
		  }
		}
		EOF
		env PEBBLE_VA_ALWAYS_VALID=1 PEBBLE_VA_NOSLEEP=1 PEBBLE_WFE_NONCEREJECT=0 PEBBLE_AUTHZREUSE=100 \
			timeout -k 5 "$ACME_MAX_SECONDS" pebble -config "$ACME_DIR/pebble.json" \
			-dnsserver "127.0.0.1:$ACME_DNS_PORT" > "$ACME_DIR/pebble.log" 2>&1 < /dev/null &
		ACME_PID=$!
		ACME_DIR_URL=https://127.0.0.1:$ACME_PORT/dir
		acme_deadline=$(($(date +%s) + 10))
		while kill -0 "$ACME_PID" 2> /dev/null; do
			if acme_answers "$ACME_DIR_URL" && acme_answers "https://127.0.0.1:$ACME_MGMT_PORT/roots/0"; then
				return 0
			fi
			[ "$(date +%s)" -lt "$acme_deadline" ] || fail "pebble did not answer at $ACME_DIR_URL within 10 s"
			sleep 0.1
		done
		# pebble exited: another program took a port between our look and its bind?
		acme_status=0
		wait "$ACME_PID" || acme_status=$?
		ACME_PID=
		if ! grep -q 'address already in use' "$ACME_DIR/pebble.log" || [ "$acme_try" -ge 3 ]; then
			fail "pebble exited with status $acme_status"
		fi
		cp "$ACME_DIR/pebble.log" "$ACME_DIR/pebble.$acme_try.log"
		acme_try=$((acme_try + 1))
		acme_from=$((20000 + ($$ * 7 + acme_try * 1009) % 12000))
	done
}

# acme_issue CSR OUTDIR: lego sends the request CSR (Base64 with either
# header, or DER) to pebble and saves what comes back under OUTDIR, a new
# directory (or one without certificates/): OUTDIR/accounts/... (the ACME
# account, registered as admin@example.com), and in OUTDIR/certificates/
# NAME.crt (the leaf, then the intermediate: lego's bundle), NAME.issuer.crt
# (the intermediate alone) and NAME.json, where NAME is the request's CN, or
# its first DNS name without one ("*" made "_").  lego writes no key: it
# stays where mkcsr put it.  Sets ACME_NAME, ACME_CRT (the bundle) and
# ACME_ISSUER.  At most 60 s; fails the test with the logs if lego fails.
acme_issue() {
	[ $# -eq 2 ] || fail "usage: acme_issue CSR OUTDIR"
	[ -n "$ACME_PID" ] || fail "acme_issue: call acme_start first"
	[ -f "$1" ] || fail "acme_issue: no file $1"
	[ ! -e "$2/certificates" ] || fail "acme_issue: $2/certificates exists already"
	ACME_ISSUES=$((ACME_ISSUES + 1))
	acme_log=$ACME_DIR/lego.$ACME_ISSUES.log
	printf '$ lego --csr %s --path %s\n' "$1" "$2" > "$acme_log"
	acme_status=0
	mkdir -p "$ACME_DIR/webroot" || fail "cannot make $ACME_DIR/webroot"
	LEGO_CA_CERTIFICATES=$ACME_DIR/listener-ca.pem timeout -k 5 60 \
		lego --accept-tos --email admin@example.com --server "$ACME_DIR_URL" \
		--csr "$1" --path "$2" --http --http.webroot "$ACME_DIR/webroot" \
		--http-timeout 10 run >> "$acme_log" 2>&1 < /dev/null || acme_status=$?
	[ "$acme_status" -ne 124 ] || fail "lego did not finish within 60 s (request $1)"
	[ "$acme_status" -eq 0 ] || fail "lego exited $acme_status for the request $1"
	ACME_NAME=
	for acme_file in "$2"/certificates/*.issuer.crt; do
		[ -f "$acme_file" ] || continue
		[ -z "$ACME_NAME" ] || fail "lego wrote more than one certificate in $2/certificates"
		ACME_NAME=${acme_file##*/}
		ACME_NAME=${ACME_NAME%.issuer.crt}
	done
	[ -n "$ACME_NAME" ] || fail "lego wrote no certificate in $2/certificates"
	ACME_CRT=$2/certificates/$ACME_NAME.crt
	ACME_ISSUER=$2/certificates/$ACME_NAME.issuer.crt
	[ -s "$ACME_CRT" ] || fail "lego wrote no $ACME_CRT"
}

# acme_mgmt_get PATH OUTFILE: GET https://127.0.0.1:MGMT/PATH into OUTFILE,
# which must hold a PEM certificate.
acme_mgmt_get() {
	[ -n "$ACME_PID" ] || fail "acme_mgmt_get: call acme_start first"
	curl -sS --fail --noproxy '*' --max-time 10 --cacert "$ACME_DIR/listener-ca.pem" \
		-o "$2" "https://127.0.0.1:$ACME_MGMT_PORT/$1" 2> "$ACME_DIR/curl.err" ||
		{ cat "$ACME_DIR/curl.err" >&2; fail "cannot fetch /$1 from pebble's management interface"; }
	openssl x509 -in "$2" -noout 2> /dev/null || fail "pebble's /$1 is not a PEM certificate"
}

# acme_root OUTFILE: pebble's root CA certificate (PEM), self-signed, the
# trust anchor for what it issues (this run only).
acme_root() {
	acme_mgmt_get roots/0 "$1"
}

# acme_intermediate OUTFILE: pebble's intermediate CA certificate (PEM), the
# issuer of every leaf (the same as lego's NAME.issuer.crt).
acme_intermediate() {
	acme_mgmt_get intermediates/0 "$1"
}
