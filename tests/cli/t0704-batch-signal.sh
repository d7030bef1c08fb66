#!/bin/sh
# SIGINT (exit 130) or SIGTERM (exit 143) in the middle of a batch: the
# workers stop, no temporary file is left, only complete pairs are on disk,
# and what was and was not done is said; a run after it finishes the rest.
# After a SIGKILL at most .mkcsr-tmp- files are left, and the next run
# removes them.  RSA keys are slow to make, so the signal comes mid-run.

. "$TESTS_SRCDIR/cli/lib.sh"
need_python cryptography
CHECK="$TESTS_SRCDIR/cli/batch_check.py"

i=1
while [ "$i" -le 150 ]; do echo "h$i.example.com"; i=$((i + 1)); done > hosts

# interrupt SIGNAL: starts the batch, sends SIGNAL once a first pair is on disk; sets status.
interrupt() {
	"$MKCSR" batch hosts --jobs 2 --key-type rsa:2048 > "$WORK/out" 2> "$WORK/err" < /dev/null &
	pid=$!
	tries=0
	until ls ./*.key > /dev/null 2>&1; do
		tries=$((tries + 1))
		[ "$tries" -lt 400 ] || { kill -KILL "$pid"; fail "no pair was made in 20 s"; }
		sleep 0.05
	done
	kill "-$1" "$pid"
	status=0
	wait "$pid" || status=$?
}

# expect_clean: complete, matching pairs only; no temporary file.
expect_clean() {
	left=$(ls -A | grep -e '^\.mkcsr-tmp-' || true)
	[ -z "$left" ] || fail "temporary files were left: $left"
	"$PYTHON" "$CHECK" pairs . > pairs || fail "an incomplete or wrong pair is on disk"
}

interrupt INT
[ "$status" -eq 130 ] || { cat "$WORK/err" >&2; fail "SIGINT: exit $status, expected 130"; }
expect_clean
made=$(cat pairs)
[ "$made" -lt 150 ] || fail "the batch was not interrupted"
expect_err "$made created, 0 renewed, 0 replaced, 0 kept, 0 current, 0 failed, $((150 - made)) not done (interrupted: run the same command again to finish) of 150 hosts in "
expect_lines "$WORK/err" 1
expect_no_out

run 0 batch hosts --jobs 2 --key-type ec:P-256
expect_out "$((150 - made)) created, 0 renewed, 0 replaced, $made kept, 0 current, 0 failed of 150 hosts in "
expect_clean
[ "$(cat pairs)" -eq 150 ] || fail "the second run did not finish the batch"

rm -f ./*.key ./*.csr
interrupt TERM
[ "$status" -eq 143 ] || { cat "$WORK/err" >&2; fail "SIGTERM: exit $status, expected 143"; }
expect_clean

# SIGKILL: nothing can be cleaned up then; the next run does it and finishes.
rm -f ./*.key ./*.csr
interrupt KILL
[ "$status" -eq 137 ] || fail "SIGKILL: exit $status, expected 137"
run 0 batch hosts --jobs 2
expect_clean
[ "$(cat pairs)" -eq 150 ] || fail "the run after a SIGKILL did not finish the batch"
exit 0
