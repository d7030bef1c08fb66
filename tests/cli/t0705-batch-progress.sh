#!/bin/sh
# The progress line: on a terminal (script gives the batch one) it is drawn
# on stderr with \r, done/total and the rate, at most ten times a second,
# and cleared before the summary; in a pipe there is none unless
# --progress; -q silences it and the summary.

. "$TESTS_SRCDIR/cli/lib.sh"
need script

i=1
while [ "$i" -le 12 ]; do echo "h$i.example.com"; i=$((i + 1)); done > hosts

# On a terminal (slow RSA keys, one worker: a run of a second or more).
script -qec "'$MKCSR' batch hosts --jobs 1 --key-type rsa:2048 -o ." /dev/null > tty.out < /dev/null ||
	fail "mkcsr batch under script failed"
grep -q "$(printf '\r')\[12/12\] [0-9]* hosts/s" tty.out || { od -c tty.out | tail >&2; fail "no final progress line [12/12]"; }
grep -q "$(printf '\r')\[0/12\] 0 hosts/s" tty.out || { od -c tty.out | tail >&2; fail "no first progress line [0/12]"; }
grep -q "$(printf '\r\033')\[K12 created, 0 renewed" tty.out || { od -c tty.out | tail >&2; fail "the line is not cleared before the summary"; }
draws=$(tr '\r' '\n' < tty.out | grep -c '^\[[0-9]*/12\]')
secs=$(sed -n 's/.* in \([0-9]*\)\.[0-9]* s .*/\1/p' tty.out)
[ "$draws" -ge 2 ] && [ "$draws" -le $((10 * (secs + 1) + 1)) ] ||
	fail "$draws redraws in $secs s: not between 2 and ten a second"
grep -q 'left' tty.out || fail "the progress line does not say the time left"

# In a pipe: no progress line, unless --progress; never with -q.
rm -f ./*.key ./*.csr
"$MKCSR" batch hosts 2> err.pipe | cat > out.pipe
grep -q "$(printf '\r')" err.pipe out.pipe && fail "a progress line was drawn in a pipe"
expect_lines out.pipe 1
[ -s err.pipe ] && fail "stderr is not empty in a pipe"
"$MKCSR" batch hosts --force --progress 2> err.pipe | cat > /dev/null
grep -q "$(printf '\r')\[12/12\]" err.pipe || fail "--progress did not draw in a pipe"
script -qec "'$MKCSR' batch hosts -q" /dev/null > tty.out < /dev/null || fail "mkcsr batch -q failed"
[ -s tty.out ] && { od -c tty.out >&2; fail "-q printed on a terminal"; }
exit 0
