#!/bin/sh
# mkcsr batch makes 500 pairs with two worker threads from a CSV manifest
# whose rows use every kind of option: each key is 0600 and is the key of
# its request, and 20 requests say, field by field, what mkcsr new with the
# same options says (only the key and the signature differ).  No temporary
# file is left, and the summary counts them.

. "$TESTS_SRCDIR/cli/lib.sh"
need_python cryptography
CHECK="$TESTS_SRCDIR/cli/batch_check.py"

mkdir sub single single/sub
# fleet.csv and, for each row, the mkcsr new options that make the same request (args).
awk 'BEGIN {
	print "host,san,subject,key-type,eku,key-usage,template,minimal,no-app-policies,ms-attributes,out-dir"
	for (i = 1; i <= 500; i++) {
		h = "h" i ".example.com"; k = i % 5
		if (k == 0) { print h ",,,,,,sstp,,,,"; a = "--template sstp" }
		if (k == 1) { print h ",\"alias.example.com ip:192.0.2." i % 250 "\",\"O=Example, C=US\",ec:P-384,,,,,,,"
			a = "--san alias.example.com --san ip:192.0.2." i % 250 " --subject O=Example,C=US --key-type ec:P-384" }
		if (k == 2) { print h ",,,,serverAuth clientAuth,digitalSignature,,false,true,,"
			a = "--eku serverAuth --eku clientAuth --key-usage digitalSignature --no-app-policies" }
		# RSA keys (ikev2) are slow to make: four of them are enough.
		if (k == 3 && i <= 20) { print h ",,,,,,ikev2,,,,"; a = "--template ikev2" }
		if (k == 3 && i > 20) { print h ",,,,serverAuth 1.3.6.1.5.5.8.2.2,,,,,,"; a = "--eku serverAuth --eku 1.3.6.1.5.5.8.2.2" }
		if (k == 4) { print "\"" h "\",,,,,,,TRUE,,true,sub"; a = "--minimal --ms-attributes"; d = "/sub" } else d = ""
		print ("--host " h " " a " -o single" d) > "args"
	}
}' > fleet.csv
[ "$(wc -l < args)" -eq 500 ] || fail "the manifest generator is broken"

run 0 batch fleet.csv --jobs 2
expect_out "500 created, 0 renewed, 0 replaced, 0 kept, 0 current, 0 failed of 500 hosts in "
expect_lines "$WORK/out" 1
expect_no_err
[ "$("$PYTHON" "$CHECK" pairs .)" = 400 ] || fail "not 400 good pairs in ."
[ "$("$PYTHON" "$CHECK" pairs sub)" = 100 ] || fail "not 100 good pairs in sub"
left=$(find . -name '.mkcsr-tmp-*')
[ -z "$left" ] || fail "temporary files were left: $left"

# The first 20 rows (every kind four times) against mkcsr new.
head -n 20 args | while read -r line; do
	# shellcheck disable=SC2086
	"$MKCSR" new $line -q || fail "mkcsr new $line failed"
	host=$(printf '%s\n' "$line" | sed 's/^--host \([^ ]*\).*/\1/')
	dir=$(printf '%s\n' "$line" | sed 's/.*-o single//')
	"$PYTHON" "$CHECK" same ".$dir/$host.csr" "single$dir/$host.csr" > /dev/null ||
		fail "$host: batch and new made different requests"
done || exit 1
[ "$(ls single/*.csr single/sub/*.csr | wc -l)" -eq 20 ] || fail "mkcsr new did not make 20 requests"
# The role of a template row is marked in its key, as new marks it.
head -n 1 h5.example.com.key | grep -qx 'mkcsr-role: sstp' || fail "h5.example.com.key lacks its role line"
exit 0
