#!/bin/sh
# Benchmark: mkcsr probe over N targets (20 by default) behind the test SSTP
# server, which holds every connection DELAY seconds (1 by default) before
# its TLS handshake: wall time with the default worker pool, and with one
# worker for comparison.  With the pool, N targets take about as long as
# the slowest one, not the sum.  Not a test: it asserts nothing.
#
#   sh tests/bench/bench-probe.sh [PATH-TO-MKCSR]
set -eu

MKCSR=${1:-${MKCSR:-mkcsr}}
case $MKCSR in */*) MKCSR=$(cd "$(dirname "$MKCSR")" && pwd)/$(basename "$MKCSR") ;; esac
N=${N:-20}
DELAY=${DELAY:-1}
HERE=$(cd "$(dirname "$0")/.." && pwd)
CERTS=$HERE/data/certs
WORK=$(mktemp -d "${TMPDIR:-/tmp}/mkcsr-bench.XXXXXX")
SERVER=
trap '[ -z "$SERVER" ] || kill "$SERVER"; rm -rf "$WORK"' EXIT
cd "$WORK"

cat "$CERTS/leaf-good.pem" "$CERTS/inter-ca.pem" > chain.pem
python3 "$HERE/sstp/sstp_server.py" --cert chain.pem --key "$CERTS/leaf.key" --port-file port --log server.log \
	--delay "$DELAY" &
SERVER=$!
while [ ! -s port ]; do sleep 0.1; done
i=0
while [ $i -lt "$N" ]; do
	echo "vpn.example.com:$(cat port) 127.0.0.1" >> targets.txt
	i=$((i + 1))
done

ms() {
	python3 -c 'import time; print(int(time.monotonic() * 1000))'
}

for jobs in 16 1; do
	start=$(ms)
	status=0
	"$MKCSR" probe --targets targets.txt --jobs "$jobs" --at 2027-06-01 --ca-file "$CERTS/root-ca.pem" \
		--revocation names --timeout 60 -q || status=$?
	end=$(ms)
	printf '%s targets, each held %s s, --jobs %s: %s ms (exit %s)\n' "$N" "$DELAY" "$jobs" $((end - start)) "$status"
done
