#!/bin/sh
# The command line itself: --help (program and command), --version, unknown
# options and commands, operands, no arguments, no name; -q and -v.  None of
# the refusals, and neither --help nor --version, writes a file.

. "$TESTS_SRCDIR/cli/lib.sh"

# Argument lists below are split on purpose; "-?" must not be a pattern.
set -f

# The program's help: on stdout, exit 0, the commands listed.
for h in --help '-?' help; do
	run 0 "$h"
	expect_no_err
	expect_out_line "Usage: mkcsr [COMMAND] [OPTION...]"
	expect_out_line "       mkcsr --host vpn.example.com     (same as: mkcsr new --host ...)"
	expect_out_line "  new        create a key and a certificate request like certlm's custom request (the default)"
	expect_out_line "Run 'mkcsr COMMAND --help' for a command's options; 'man mkcsr' for exit codes."
	expect_no_files
done

# The command's help lists every option; nothing is written even with --host.
for args in "new --help" "new --host vpn.example.com --help" "--host vpn.example.com --help" "new -?"; do
	# shellcheck disable=SC2086 # word splitting wanted
	run 0 $args
	expect_no_err
	expect_out_line "Usage: mkcsr new --host NAME [OPTION...]"
	for opt in --host=NAME --san=TYPE:VALUE --subject=DN --key-type=TYPE --hash=ALG --eku=USAGE \
		--key-usage=LIST --no-app-policies --minimal --ms-attributes "-o, --out-dir=DIR" --key=FILE \
		--csr=FILE --format=FORMAT --header=STYLE --eol=EOL --key-pass=SOURCE "-f, --force" \
		"-q, --quiet" "-v, --verbose" --json --version "-[?], --help"; do
		grep -qE -- "^ +$opt( |\$)" "$WORK/out" || { cat "$WORK/out" >&2; fail "mkcsr $args does not list $opt"; }
	done
	expect_out "ec:P-256 (default), ec:P-384, ec:P-521, rsa:2048,"
	expect_out "env:VAR, file:PATH, fd:N, stdin or prompt"
	expect_no_files
done

# --version: "mkcsr 0.x.y (OpenSSL ...)", with or without the verb; nothing written.
for args in "--version" "new --version" "--host vpn.example.com --version"; do
	# shellcheck disable=SC2086
	run 0 $args
	expect_no_err
	expect_lines "$WORK/out" 1
	case $(cat "$WORK/out") in
	"mkcsr 0."*" (OpenSSL "*")") ;;
	*) fail "mkcsr $args printed: $(cat "$WORK/out")" ;;
	esac
	expect_no_files
done

# Unknown options, with or without the verb, before or after valid ones.
for args in "new --bogus" "--bogus" "new --host vpn.example.com --bogus" "--host vpn.example.com --bogus"; do
	# shellcheck disable=SC2086
	run 2 $args
	expect_err_first "mkcsr new: --bogus: unknown option"
	expect_err_line "mkcsr new: hint: see mkcsr new --help"
	expect_lines "$WORK/err" 2
	expect_no_out
	expect_no_files
done
run 2 new -x --host vpn.example.com
expect_err_first "mkcsr new: -x: unknown option"
expect_no_files

# A valued option without its value.
run 2 new --host
expect_err_first "mkcsr new: --host: missing argument"
expect_err_line "mkcsr new: hint: see mkcsr new --help"
expect_no_files
run 2 --host vpn.example.com -o
expect_err_first "mkcsr new: -o: missing argument"
expect_no_files

# An operand: new takes none.
run 2 new --host vpn.example.com extra
expect_err_first "mkcsr new: unexpected argument 'extra'"
expect_err_line "mkcsr new: hint: see mkcsr new --help"
expect_lines "$WORK/err" 2
expect_no_out
expect_no_files
run 2 --host vpn.example.com vpn2.example.com
expect_err_first "mkcsr new: unexpected argument 'vpn2.example.com'"
expect_no_files

# An unknown command (a host name without --host is one too).
run 2 frob
expect_err_first "mkcsr: unknown command 'frob'"
expect_err_line "mkcsr: hint: run 'mkcsr --help' for the list of commands"
expect_lines "$WORK/err" 2
expect_no_out
expect_no_files
run 2 vpn.example.com
expect_err_first "mkcsr: unknown command 'vpn.example.com'"
expect_no_files

# No arguments: the usage, on stderr.
run 2
expect_no_out
expect_err_first "Usage: mkcsr [COMMAND] [OPTION...]"
expect_err_line "  new        create a key and a certificate request like certlm's custom request (the default)"
expect_no_files

# A command and no name.
for args in "new" "new -q" "new --key-type rsa:2048 --eku clientAuth" "-v"; do
	# shellcheck disable=SC2086
	run 2 $args
	expect_err_first "mkcsr new: invalid usage: no name to request: give --host NAME (or --san, or a CN in --subject)"
	expect_err_line "mkcsr new: hint: see --help"
	expect_no_out
	expect_no_files
done

# -q: nothing on stdout or stderr; the files are made all the same.
for q in -q --quiet; do
	run 0 --host vpn.example.com $q
	expect_no_out
	expect_no_err
	expect_files vpn.example.com.key vpn.example.com.csr
	rm -f vpn.example.com.key vpn.example.com.csr
done

# -v: the detail lines, among them the subject key ID (SHA-1 of the public key's BIT STRING).
run 0 --host vpn.example.com -v
expect_no_err
expect_out_line "  Application policies: yes, mirroring the EKU"
expect_out_line "  Microsoft attributes: none"
ski=$(openssl req -in vpn.example.com.csr -noout -pubkey | openssl pkey -pubin -outform DER | tail -c 65 |
	openssl dgst -sha1 -r | cut -d' ' -f1)
expect_out_line "  Subject key ID:       $ski"
text=$(csr_text vpn.example.com.csr) || exit 1
[ "$(csr_ext "$text" "X509v3 Subject Key Identifier" | tr -d : | tr 'A-F' 'a-f')" = "$ski" ] ||
	fail "the request's SKI is not the one printed: $(csr_ext "$text" "X509v3 Subject Key Identifier")"
# The other lines are those of a plain run, in the same order.
grep -v -e '^  Application policies:' -e '^  Subject key ID:' -e '^  Microsoft attributes:' \
	-e '^  Public key SHA-256:' "$WORK/out" > verbose.txt
rm -f vpn.example.com.key vpn.example.com.csr
run 0 --host vpn.example.com
grep -v '^  Public key SHA-256:' "$WORK/out" > plain.txt
diff plain.txt verbose.txt >&2 || fail "-v changes more than the detail lines"
rm -f plain.txt verbose.txt
# Without -v, no detail lines.
expect_out_lacks "Subject key ID"
expect_out_lacks "Application policies"
rm -f vpn.example.com.key vpn.example.com.csr

# -v --verbose and -q together: -q wins for the summary.
run 0 --host vpn.example.com -q -v
expect_no_out
rm -f vpn.example.com.key vpn.example.com.csr

exit 0
