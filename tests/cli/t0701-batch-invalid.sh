#!/bin/sh
# A bad row anywhere in a manifest stops mkcsr batch before any key is
# made: every bad row is reported as FILE:LINE: what is wrong, nothing is
# written, and the exit code is 2 (bad values) or 3 (unreadable or
# malformed input).  Bad options are refused the same way.

. "$TESTS_SRCDIR/cli/lib.sh"

# expect_nothing_written: only the manifests are in the scratch directory.
expect_nothing_written() {
	left=$(ls -A "$WORK" | grep -v -e '^out$' -e '^err' -e '\.csv$' -e '^hosts$' || true)
	[ -z "$left" ] || fail "files were written: $left"
}

# 200 good rows with bad ones at the start, in the middle and at the end.
{
	echo 'host,san,key-type,minimal,template'
	echo 'bad..host,,,,'
	i=1
	while [ "$i" -le 200 ]; do
		echo "h$i.example.com,,,,"
		[ "$i" -eq 100 ] && echo 'mid.example.com,,rsa:1024,,' && echo 'h7.example.com,,,,' &&
			echo 'tpl.example.com,,,maybe,' && echo 'x.example.com,dns:-bad,,,' && echo 'y.example.com,,,,nosuch'
		i=$((i + 1))
	done
	echo 'last.example.com,,,,ikev2x'
} > fleet.csv
# The template messages are mkcsr new's, word for word.
export MKCSR_TEMPLATE_DIR="$TESTS_SRCDIR/../templates"
nosuch=$("$MKCSR" new --template nosuch --host a.example.com 2>&1 | sed -n '1s/^mkcsr new: //p')
ikev2x=$("$MKCSR" new --template ikev2x --host a.example.com 2>&1 | sed -n '1s/^mkcsr new: //p')
[ -n "$nosuch" ] && [ -n "$ikev2x" ] || fail "mkcsr new did not refuse an unknown template"
run 2 batch fleet.csv --jobs 2
expect_err_exactly "fleet.csv:2: invalid name: 'bad..host': empty label (two dots in a row, or a leading dot)
fleet.csv:103: unsupported key type: 'rsa:1024'
fleet.csv:104: writes the same key or request file as line 9
fleet.csv:105: minimal 'maybe': write true or false
fleet.csv:106: invalid subject alternative name: '-bad': label '-bad' starts or ends with a hyphen
fleet.csv:107: $nosuch
fleet.csv:208: $ikev2x
mkcsr batch: 7 rows of fleet.csv are wrong; nothing was written"
expect_no_out
expect_nothing_written

# An unreadable certificate to renew from: exit 3.
printf 'host,like\na.example.com,missing.pem\n' > like.csv
run 3 batch like.csv
expect_err_exactly "like.csv:2: cannot read file: 'missing.pem': No such file or directory
mkcsr batch: 1 row of like.csv is wrong; nothing was written"
expect_nothing_written

# Malformed CSV: every malformed line, then nothing (exit 3).
printf 'host,sans,host\r\na.example.com,b,c\r\n' > header.csv
run 3 batch header.csv
expect_err_exactly "header.csv:1: unknown column 'sans': the header names mkcsr new's options (host, san, subject, key-type, eku, key-usage, template, set, like, out-dir, key, csr, ...)
header.csv:1: column 'host' appears twice in the header
mkcsr batch: 2 rows of header.csv are wrong; nothing was written"
printf 'host,san\na.example.com,b,c\n"b.example.com"x,\nc.example.com,"open\n' > rows.csv
run 3 batch rows.csv
expect_err_exactly "rows.csv:2: 3 fields, but the header names 2 columns
rows.csv:3: text after a closing quote
rows.csv:4: a quoted field opened on line 4 is never closed
mkcsr batch: 3 rows of rows.csv are wrong; nothing was written"
printf 'a.example.com\nb.example.com, c.example.com\n' > hosts
run 3 batch hosts
expect_err_exactly "hosts:2: 2 fields in a list of hosts; a CSV manifest starts with a header row (host,san,...)
mkcsr batch: 1 row of hosts is wrong; nothing was written"
printf '\377\376h\000' > utf16.csv
run 3 batch utf16.csv
expect_err_exactly "mkcsr batch: malformed input: 'utf16.csv' is UTF-16: save it as \"CSV UTF-8\" (or plain UTF-8 text)"
run 3 batch nosuch.csv
expect_err_exactly "mkcsr batch: cannot read file: 'nosuch.csv': No such file or directory"
# From standard input, named <stdin>.
printf 'host\nok.example.com\nbad_host!\n' > stdin.csv
run_in stdin.csv 2 batch -
expect_err_first "<stdin>:3: invalid name: 'bad_host!': '_' is not allowed in a host name"
expect_nothing_written

# Options.
run 2 batch
expect_err_first "mkcsr batch: invalid usage: give the manifest: mkcsr batch FILE"
run 2 batch hosts other.csv
expect_err_first "mkcsr batch: invalid usage: one manifest at a time: 'other.csv' is one too many"
run 2 batch hosts --jobs 0
expect_err_first "mkcsr batch: invalid number: --jobs '0': expected a whole number from 1 to 1024"
run 2 batch hosts --renew-within soon
expect_err_first "mkcsr batch: invalid number: --renew-within 'soon': expected a whole number from 0 to 36500"
run 3 batch hosts --renew-within 30 --like-dir nosuchdir
expect_err_first "mkcsr batch: cannot read file: --like-dir 'nosuchdir': No such file or directory"
mkdir certs
run 2 batch hosts --like-dir certs
expect_err_first "mkcsr batch: invalid usage: --like-dir gives the certificates --renew-within DAYS looks at: add --renew-within"
run 2 batch hosts --pass prompt
expect_err_first "mkcsr batch: invalid usage: --pass 'prompt': a batch reads the password once per PFX; use env:VAR or file:PATH"
run 2 batch hosts --host a.example.com
expect_err_first "mkcsr batch: --host: unknown option"
rmdir certs
expect_nothing_written
exit 0
