#!/bin/sh
# The end of the quick start (tools/quickstart-demo.sh, which
# tools/quickstart.sh runs after the build): with no standard input it makes
# the demo request in a new directory, then says where the demo key lies
# and that ./mkcsr, where mkcsr was built, or make install is how to run it
# next; a second run makes a second directory and leaves the first alone.

. "$TESTS_SRCDIR/cli/lib.sh"

DEMO_SCRIPT="$TESTS_SRCDIR/../tools/quickstart-demo.sh"
[ -r "$DEMO_SCRIPT" ] || fail "$DEMO_SCRIPT is missing"
grep -qxF 'sh tools/quickstart-demo.sh "$PWD/mkcsr"' "$TESTS_SRCDIR/../tools/quickstart.sh" ||
	fail "tools/quickstart.sh does not end with tools/quickstart-demo.sh"
built_in=$(cd "$(dirname "$MKCSR")" && pwd)
if [ "$(id -u)" -eq 0 ]; then install="make install"; else install="sudo make install"; fi
mkdir tmp

# demo: runs the script, checks what it made and said; sets $demo.
demo() {
	TMPDIR=$WORK/tmp sh "$DEMO_SCRIPT" "$MKCSR" > out 2> err < /dev/null || { cat out err >&2; fail "quickstart-demo.sh failed"; }
	[ ! -s err ] || { cat err >&2; fail "quickstart-demo.sh wrote to stderr"; }
	demo=$(sed -n 's/^\$ cd \(.*\) && mkcsr --host vpn\.example\.com$/\1/p' out)
	case $demo in "$WORK"/tmp/mkcsr-demo.*) ;; *) cat out >&2; fail "no demo directory in the output" ;; esac
	[ -f "$demo/vpn.example.com.csr" ] || fail "no request in $demo"
	expect_mode "$demo/vpn.example.com.key" 600
	# The output ends with where the key lies and how to run mkcsr next.
	cat > want <<WANT

The demo's private key is $demo/vpn.example.com.key (mode 0600)
and its request $demo/vpn.example.com.csr; remove them when done:
  rm -r $demo

Run mkcsr where it was built, as ./mkcsr:
  cd $built_in
  ./mkcsr templates
  ./mkcsr new --template sstp --host vpn.example.com
  ./mkcsr --help
or install it (program, role templates, man page, bash completion) and run it as mkcsr:
  $install
WANT
	tail -n "$(wc -l < want)" out > got
	diff want got >&2 || fail "the quick start does not end as expected (diff above: < expected, > got)"
}
demo
first=$demo
demo
[ "$demo" != "$first" ] || fail "a second run used the same directory"
[ -f "$first/vpn.example.com.key" ] || fail "a second run touched the first demo"
# What it advises works: the templates, from where mkcsr was built, with nothing set.
(cd "$built_in" && ./mkcsr templates > "$WORK/out" 2> "$WORK/err" < /dev/null) || { cat "$WORK/err" >&2; fail "./mkcsr templates failed"; }
expect_out_line "sstp           RRAS SSTP server: ECDSA P-256, Server Authentication (as certlm's custom request)  [built-in]"
exit 0
