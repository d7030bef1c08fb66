#!/bin/sh
# Running mkcsr batch again keeps what is there (kept, byte for byte);
# --force makes new pairs and keeps the old ones aside, saying where; a key
# without its request is refused (exit 4) and left alone; a request without
# its key (what an interrupted install leaves) is made again; temporary
# files of a killed batch are removed by the next one.

. "$TESTS_SRCDIR/cli/lib.sh"

printf 'a.example.com\nb.example.com\nc.example.com\n' > hosts
run 0 batch hosts
expect_out_line "3 created, 0 renewed, 0 replaced, 0 kept, 0 current, 0 failed of 3 hosts in $(sed -n 's/.* in \(.*\)/\1/p' "$WORK/out")"
for h in a b c; do cp "$h.example.com.key" "$h.key.orig"; cp "$h.example.com.csr" "$h.csr.orig"; done

run 0 batch hosts
expect_out "0 created, 0 renewed, 0 replaced, 3 kept, 0 current, 0 failed of 3 hosts in "
for h in a b c; do
	expect_same "$h.example.com.key" "$h.key.orig"
	expect_same "$h.example.com.csr" "$h.csr.orig"
done

# --force: new pairs, the old ones kept aside under .old-STAMP, named in the report.
run 0 batch hosts --force --json
stamp=$(ls a.example.com.key.old-* | sed 's/.*\.old-//')
[ -n "$stamp" ] || fail "the old key of a.example.com was not kept aside"
expect_same "a.example.com.key.old-$stamp" a.key.orig
expect_same "a.example.com.csr.old-$stamp" a.csr.orig
expect_mode "a.example.com.key.old-$stamp" 600
grep -q "\"host\":\"a.example.com\",\"status\":\"replaced\",.*\"kept_aside\":{\"key\":\"./a.example.com.key.old-$stamp\",\"csr\":\"./a.example.com.csr.old-$stamp\"}" "$WORK/out" ||
	{ cat "$WORK/out" >&2; fail "the JSON line does not say where the old pair is"; }
cmp -s a.example.com.key a.key.orig && fail "--force did not make a new key"
rm -f ./*.old-*

# A key without its request: refused, untouched; a request without its key: made again.
cp a.example.com.key a.key.alone
rm a.example.com.csr b.example.com.key
run 4 batch hosts
expect_err_exactly "mkcsr batch: hosts:1: a.example.com: refusing to overwrite an existing file: './a.example.com.key' exists without its request './a.example.com.csr': --force replaces it (the key is kept aside)"
expect_out "0 created, 0 renewed, 1 replaced, 1 kept, 0 current, 1 failed of 3 hosts in "
expect_same a.example.com.key a.key.alone
[ -f a.example.com.csr ] && fail "a request was made for a key that was already there"
[ -f b.example.com.key ] || fail "the missing key of b.example.com was not made"
expect_out_line "b.example.com: replaced; the previous request is kept as '$(ls ./b.example.com.csr.old-*)'"

# What a killed batch leaves (.mkcsr-tmp-PID-... of a process that is gone) goes at the next run.
sh -c 'exit 0' & dead=$!
wait "$dead"
printf 'secret' > ".mkcsr-tmp-$dead-0-c.example.com.key"
printf 'request' > ".mkcsr-tmp-$dead-1-c.example.com.csr"
# ... but not the files of a batch that is running (this shell).
printf 'busy' > ".mkcsr-tmp-$$-0-other.key"
run 0 batch hosts --force
expect_out_line "removed 2 temporary files of an interrupted batch"
[ -e ".mkcsr-tmp-$dead-0-c.example.com.key" ] && fail "a leftover temporary file was not removed"
[ -e ".mkcsr-tmp-$$-0-other.key" ] || fail "the temporary file of a running batch was removed"
exit 0
