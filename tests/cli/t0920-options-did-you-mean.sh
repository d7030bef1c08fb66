#!/bin/sh
# A mistyped long option: exit 2, the option named, then "did you mean" with
# the close options of that command's own table (a typo, a transposition,
# "_" for "-", the start of a name, a name with more after it, any case);
# several when several are as close, none when nothing is close or too many
# names fit (then the --help hint).  Nothing is written.

. "$TESTS_SRCDIR/cli/lib.sh"

# typo EXPECTED_HINT BAD ARGS...: mkcsr ARGS... exits 2 and prints that BAD
# is an unknown option, then EXPECTED_HINT.
typo() {
	hint=$1
	bad=$2
	shift 2
	run 2 "$@"
	cmd=$1
	case $cmd in -*) cmd=new ;; esac
	expect_err_exactly "mkcsr $cmd: $bad: unknown option" "mkcsr $cmd: hint: $hint"
	expect_no_out
	expect_files err.want
}

# new, and new by default
typo 'did you mean --host?' --hots new --hots vpn.example.com
typo 'did you mean --host?' --hots --hots vpn.example.com
typo 'did you mean --host?' --hsot new --hsot vpn.example.com
typo 'did you mean --host?' --HOST new --HOST vpn.example.com
typo 'did you mean --host?' -host new -host vpn.example.com
typo 'did you mean --host?' --hostname new --hostname vpn.example.com
typo 'did you mean --host?' --hots=vpn.example.com new --hots=vpn.example.com
typo 'did you mean --out-dir?' --out new --host vpn.example.com --out certs
typo 'did you mean --key-type?' --key_type new --host vpn.example.com --key_type rsa:2048
typo 'did you mean --key-type?' --keytype new --host vpn.example.com --keytype rsa:2048
typo 'did you mean --template?' --templete new --templete sstp --host vpn.example.com
typo 'did you mean --inf-encoding?' --inf_encoding new --inf_encoding utf-8
typo 'did you mean --inf or --inf-encoding?' --in new --in request.inf
typo 'did you mean --key-type, --key-usage, --key or --key-pass?' --ke new --ke x
typo 'did you mean --no-app-policies?' --no-app-policy new --no-app-policy
typo 'see mkcsr new --help' --k new --k x
typo 'see mkcsr new --help' --frobnicate new --frobnicate
typo 'see mkcsr new --help' -x new -x
# Not a mistyped name: the usual message.
run 2 new --json=3
expect_err_exactly "mkcsr new: --json=3: option does not take an argument" "mkcsr new: hint: see mkcsr new --help"

# check: its own options only (--in-pass is pfx's, not check's)
typo 'did you mean --cert?' --crt check --crt leaf.pem
typo 'did you mean --warn-days?' --warndays check --warndays 30
typo 'did you mean --ca-file or --ca-dir?' --ca check --ca roots.pem
typo 'did you mean --chain?' --chian check --chian inter.pem
typo 'see mkcsr check --help' --in-pass check --in-pass env:X
typo 'see mkcsr check --help' --template check --template sstp

# pfx
typo 'did you mean --profile?' --profil pfx --profil compat
typo 'did you mean --include-root?' --include-roots pfx --include-roots
typo 'did you mean --friendly-name?' --friendlyname pfx --friendlyname vpn
typo 'did you mean --no-machine-keyset?' --no-machine-key-set pfx --no-machine-key-set
typo 'see mkcsr pfx --help' --eku pfx --eku serverAuth

# templates, explain, inspect: the common options, and inspect's own
typo 'did you mean --json?' --jsno templates --jsno
typo 'did you mean --verbose?' --verbos templates --verbos
typo 'see mkcsr templates --help' --template templates --template sstp
typo 'did you mean --json?' --jsn explain --jsn 853
typo 'did you mean --quiet?' --quite explain --quite 853
typo 'did you mean --pass?' --pas inspect --pas env:X file.pfx
typo 'did you mean --at?' --ta inspect --ta 2027-01-01 leaf.pem
typo 'see mkcsr inspect --help' --host inspect --host vpn.example.com leaf.pem
exit 0
