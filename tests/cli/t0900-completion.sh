#!/bin/sh
# The bash completion file (doc/mkcsr.bash-completion): commands, options
# and option values, completed by a bash that is given COMP_LINE,
# COMP_WORDS and COMP_CWORD as an interactive bash would give them (with
# "=" and ":" split off as word breaks).  Run once with plain bash and, when
# the bash-completion package is installed, once more with its helpers.

. "$TESTS_SRCDIR/cli/lib.sh"

need bash
COMPLETION="$TESTS_SRCDIR/../doc/mkcsr.bash-completion"
[ -r "$COMPLETION" ] || fail "$COMPLETION is missing"
bash -n "$COMPLETION" || fail "$COMPLETION has a bash syntax error"

{ mkdir certs && : > vpn.example.com.key && : > "old key.pem" && : > request.inf; } || fail "cannot make test files"

# Template names come from "mkcsr templates" (the mkcsr being completed), or
# else from the *.inf files of $MKCSR_TEMPLATE_DIR: a template directory of
# our own, mkcsr on the PATH, and a stand-in mkcsr whose list differs from
# the directory, to tell the two apart.  They live under certs/, so that
# the directories offered in the current directory stay "certs" alone.
{
	mkdir certs/bin certs/templates certs/other &&
		printf '; mkcsr-summary: first test template\n[NewRequest]\n' > certs/templates/alpha.inf &&
		printf '; mkcsr-summary: second test template\n[NewRequest]\n' > certs/templates/beta-role.inf &&
		: > certs/other/delta.inf &&
		ln -s "$MKCSR" certs/bin/mkcsr &&
		printf '#!/bin/sh\n[ "$1" = templates ] && printf "gamma          a summary\\nzeta-tunnel    another one\\n"\n' > certs/bin/mkcsr-stand-in &&
		chmod +x certs/bin/mkcsr-stand-in
} || fail "cannot make the test templates"
PATH="$WORK/certs/bin:$PATH"
MKCSR_TEMPLATE_DIR="$WORK/certs/templates"
export PATH MKCSR_TEMPLATE_DIR
"$WORK/certs/bin/mkcsr" templates > templates.out 2>&1 || { cat templates.out >&2; fail "mkcsr templates failed"; }

cat > check.bash << 'EOF'
# check.bash COMPLETION [BASH_COMPLETION_SCRIPT]
with_helpers=false
if [[ -n ${2:-} ]]; then
	source "$2" || { echo "cannot load $2"; exit 1; }
	declare -F _init_completion > /dev/null || { echo "$2 has no _init_completion"; exit 1; }
	with_helpers=true
else
	# The completion itself reads no unset variable (bash-completion does).
	set -u
fi
source "$1" || { echo "cannot load $1"; exit 1; }
declare -F _mkcsr > /dev/null || { echo "no _mkcsr function"; exit 1; }
complete -p mkcsr > /dev/null 2>&1 || { echo "mkcsr has no completion"; exit 1; }

failures=0
COMP_WORDBREAKS=$' \t\n"\'><=;|&(:'

# split LINE: COMP_LINE, COMP_POINT, COMP_WORDS and COMP_CWORD as bash sets
# them for LINE with the cursor at its end: words split at blanks, and runs
# of the word-break characters "=" and ":" (when in COMP_WORDBREAKS) as
# words of their own.
split() {
	local line=$1 w= ch i
	COMP_LINE=$line
	COMP_POINT=${#line}
	COMP_WORDS=()
	for ((i = 0; i < ${#line}; i++)); do
		ch=${line:i:1}
		if [[ $ch == ' ' ]]; then
			[[ -n $w ]] && COMP_WORDS+=("$w")
			w=
		elif [[ $ch == [=:] && $COMP_WORDBREAKS == *"$ch"* ]]; then
			if [[ -n $w && $w != *[=:] ]]; then
				COMP_WORDS+=("$w")
				w=
			fi
			w+=$ch
		else
			if [[ $w == *[=:] && $COMP_WORDBREAKS == *"${w: -1}"* ]]; then
				COMP_WORDS+=("$w")
				w=
			fi
			w+=$ch
		fi
	done
	COMP_WORDS+=("$w")
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
}

# expect LINE REPLIES: completing LINE offers exactly REPLIES ("|" between
# them, in order), each being what bash puts in place of the text after the
# last word break.
expect() {
	local got
	split "$1"
	COMPREPLY=()
	_mkcsr
	got=$(IFS='|'; printf '%s' "${COMPREPLY[*]}")
	if [[ $got != "$2" ]]; then
		printf 'FAIL: completing "%s" offered [%s], expected [%s]\n' "$1" "$got" "$2"
		failures=$((failures + 1))
	fi
}

# The command, and the options of the default command.
expect 'mkcsr ' 'new|check|pfx|templates|explain|inspect|batch|probe'
expect 'mkcsr n' 'new'
expect 'mkcsr c' 'check'
expect 'mkcsr p' 'pfx|probe'
expect 'mkcsr pr' 'probe'
expect 'mkcsr t' 'templates'
expect 'mkcsr e' 'explain'
expect 'mkcsr i' 'inspect'
expect 'mkcsr check' 'check'
expect 'mkcsr new ' ''
expect 'mkcsr --ho' '--host'
expect 'mkcsr new --key-t' '--key-type'
expect 'mkcsr new --ke' '--key-type|--key-usage|--key|--key-pass'
expect 'mkcsr new --host vpn.example.com --no' '--no-app-policies'
expect 'mkcsr new --host vpn.example.com --m' '--minimal|--ms-attributes'
expect 'mkcsr new --ver' '--verbose|--version'
expect 'mkcsr new --te' '--template'
expect 'mkcsr new --in' '--inf|--inf-encoding'
expect 'mkcsr new --s' '--san|--subject|--set'
expect 'mkcsr new --l' '--like'
expect 'mkcsr new --pa' '--pass'
expect 'mkcsr new --w' '--write-inf'
expect 'mkcsr --like old.pem --p' '--pass'
expect 'mkcsr unknown-command --' ''

# Values, as a separate word and after "=".
expect 'mkcsr new --key-type ' 'ec:P-256|ec:P-384|ec:P-521|rsa:2048|rsa:3072|rsa:4096'
expect 'mkcsr new --key-type r' 'rsa:2048|rsa:3072|rsa:4096'
expect 'mkcsr new --key-type ec:P-3' 'P-384'
expect 'mkcsr new --key-type=' 'ec:P-256|ec:P-384|ec:P-521|rsa:2048|rsa:3072|rsa:4096'
expect 'mkcsr new --key-type=ec:P-5' 'P-521'
expect 'mkcsr --key-type ec:' 'P-256|P-384|P-521'
expect 'mkcsr new --hash ' 'sha256|sha384|sha512'
expect 'mkcsr new --hash=sha5' 'sha512'
expect 'mkcsr new --eku ' 'serverAuth|clientAuth|ikeIntermediate|ipsecIKE|codeSigning|emailProtection|timeStamping|ocspSigning|smartcardLogon|kdcAuth'
expect 'mkcsr new --eku serverAuth --eku i' 'ikeIntermediate|ipsecIKE'
expect 'mkcsr new --format ' 'base64|der'
expect 'mkcsr new --header ' 'windows|standard'
expect 'mkcsr new --eol ' 'crlf|lf'
expect 'mkcsr new --eol=l' 'lf'
expect 'mkcsr new --key-pass ' 'env:|file:|fd:|stdin|prompt|pass:'
expect 'mkcsr new --key-pass s' 'stdin'
expect 'mkcsr new --san ' 'dns:|ip:|email:|upn:'
expect 'mkcsr new --san=u' 'upn:'
expect 'mkcsr new --key-usage digitalSignature,keyE' 'digitalSignature,keyEncipherment'
expect 'mkcsr new --host ' ''
expect 'mkcsr new --subject ' ''

# Templates, INF files and renewal.
expect 'mkcsr new --template ' 'alpha|beta-role|device-tunnel|ikev2|nps|sstp|user-tunnel|request.inf|certs'
expect 'mkcsr new --template b' 'beta-role'
expect 'mkcsr new --template i' 'ikev2'
expect 'mkcsr new -t a' 'alpha'
expect 'mkcsr new --template=al' 'alpha'
expect 'mkcsr --template r' 'request.inf'
expect 'mkcsr new --template ce' 'certs'
expect 'mkcsr new --template certs/templates/al' 'certs/templates/alpha.inf'
expect 'mkcsr-stand-in new --template ' 'gamma|zeta-tunnel|request.inf|certs'
expect 'mkcsr-stand-in new --template z' 'zeta-tunnel'
# No mkcsr to ask: the built-in templates and those of MKCSR_TEMPLATE_DIR.
expect 'no-such-mkcsr new --template ' 'alpha|beta-role|device-tunnel|ikev2|nps|sstp|user-tunnel|request.inf|certs'
MKCSR_TEMPLATE_DIR="$PWD/certs/other"
expect 'mkcsr new --template ' 'delta|device-tunnel|ikev2|nps|sstp|user-tunnel|request.inf|certs'
expect 'no-such-mkcsr new --template d' 'delta|device-tunnel'
MKCSR_TEMPLATE_DIR="$PWD/certs/nowhere"
expect 'mkcsr new --template ' 'device-tunnel|ikev2|nps|sstp|user-tunnel|request.inf|certs'
expect 'no-such-mkcsr new --template s' 'sstp'
unset MKCSR_TEMPLATE_DIR
expect 'mkcsr new --template ' 'device-tunnel|ikev2|nps|sstp|user-tunnel|request.inf|certs'
expect 'no-such-mkcsr new --template ' 'device-tunnel|ikev2|nps|sstp|user-tunnel|request.inf|certs'
expect 'no-such-mkcsr --template u' 'user-tunnel'
MKCSR_TEMPLATE_DIR="$PWD/certs/templates"
expect 'mkcsr new --inf req' 'request.inf'
expect 'mkcsr new --inf=vpn.' 'vpn.example.com.key'
expect 'mkcsr new --write-inf req' 'request.inf'
expect 'mkcsr new --write-inf=old' 'old key.pem'
expect 'mkcsr new --like vpn.' 'vpn.example.com.key'
expect 'mkcsr new --like=old' 'old key.pem'
expect 'mkcsr new --set ' 'HOST=|UPN='
expect 'mkcsr new --set U' 'UPN='
expect 'mkcsr new --set=H' 'HOST='
expect 'mkcsr new --set UPN=' ''
expect 'mkcsr new --set UPN=al' ''
expect 'mkcsr new --inf-encoding ' 'utf-16|utf-8'
expect 'mkcsr new --inf-encoding utf-1' 'utf-16'
expect 'mkcsr new --inf-encoding=utf-8' 'utf-8'
expect 'mkcsr new --pass ' 'env:|file:|fd:|stdin|prompt|pass:'
expect 'mkcsr new --pass g' ''
expect 'mkcsr new --pass generate:vpn.' ''
expect 'mkcsr new --pass file:vpn.ex' 'vpn.example.com.key'

# mkcsr templates: its options only.
expect 'mkcsr templates ' ''
expect 'mkcsr templates --' '--quiet|--verbose|--json|--version|--help|--usage'
expect 'mkcsr templates --j' '--json'
expect 'mkcsr templates --t' ''

# mkcsr explain: its options only; the codes themselves are not completed.
expect 'mkcsr explain ' ''
expect 'mkcsr explain --' '--quiet|--verbose|--json|--version|--help|--usage'
expect 'mkcsr explain -2146762495 --j' '--json'
expect 'mkcsr explain CERT_E_' ''
expect 'mkcsr explain --h' '--help'
expect 'mkcsr explain --ho' ''

# mkcsr inspect: its options, and files.
expect 'mkcsr inspect --' '--pass|--at|--quiet|--verbose|--json|--version|--help|--usage'
expect 'mkcsr inspect --p' '--pass'
expect 'mkcsr inspect --pass ' 'env:|file:|fd:|stdin|prompt|pass:'
expect 'mkcsr inspect --pass g' ''
expect 'mkcsr inspect --pass=file:vpn.ex' 'vpn.example.com.key'
expect 'mkcsr inspect --at ' ''
expect 'mkcsr inspect vpn.' 'vpn.example.com.key'
expect 'mkcsr inspect --json old' 'old key.pem'
expect 'mkcsr inspect vpn.example.com.key ce' 'certs'

# mkcsr batch: its options, their values, and the manifest file.
expect 'mkcsr b' 'batch'
expect 'mkcsr batch --re' '--renew-within'
expect 'mkcsr batch --like-dir ce' 'certs'
expect 'mkcsr batch --jobs ' ''
expect 'mkcsr batch -j ' ''
expect 'mkcsr batch --key-type ec:P-3' 'P-384'
expect 'mkcsr batch --host' ''
expect 'mkcsr batch vpn.' 'vpn.example.com.key'

# mkcsr probe: its options and their values; targets are names, not files.
expect 'mkcsr probe --' '--connect|--all-addresses|--targets|--role|--expect|--pass|--ca-file|--ca-dir|--warn-days|--at|--revocation|--timeout|--jobs|--summary|--quiet|--verbose|--json|--version|--help|--usage'
expect 'mkcsr probe --role ' 'sstp|tls'
expect 'mkcsr probe --revocation ' 'fetch|names|off'
expect 'mkcsr probe --role=t' 'tls'
expect 'mkcsr probe --targets vpn.ex' 'vpn.example.com.key'
expect 'mkcsr probe --expect vpn.ex' 'vpn.example.com.key'
expect 'mkcsr probe --pass ' 'env:|file:|fd:|stdin|prompt|pass:'
expect 'mkcsr probe --connect ' ''
expect 'mkcsr probe --timeout ' ''
expect 'mkcsr probe -j ' ''
expect 'mkcsr probe vpn.' ''

# Environment variables, directories and files.
export MKCSR_TEST_PASSPHRASE=x
expect 'mkcsr new --key-pass env:MKCSR_TEST_PA' 'MKCSR_TEST_PASSPHRASE'
expect 'mkcsr new --key-pass=env:MKCSR_TEST_PA' 'MKCSR_TEST_PASSPHRASE'
expect 'mkcsr new --pass=env:MKCSR_TEST_PA' 'MKCSR_TEST_PASSPHRASE'
expect 'mkcsr new --key-pass file:vpn.ex' 'vpn.example.com.key'
expect 'mkcsr new --out-dir ce' 'certs'
expect 'mkcsr new -o ce' 'certs'
expect 'mkcsr new --out-dir=ce' 'certs'
expect 'mkcsr new --out-dir vpn' ''
expect 'mkcsr new --key vpn.' 'vpn.example.com.key'
expect 'mkcsr new --csr=vpn.' 'vpn.example.com.key'
expect 'mkcsr new --key old' 'old key.pem'

# mkcsr check: its own options, and their values.
expect 'mkcsr check ' ''
expect 'mkcsr check --c' '--cert|--csr|--chain|--ca-file|--ca-dir'
expect 'mkcsr check --ke' '--key|--key-pass'
expect 'mkcsr check --w' '--warn-days'
expect 'mkcsr check --cert fullchain.pem --r' '--role|--revocation'
expect 'mkcsr check --fo' ''
expect 'mkcsr check --ho' '--host'
expect 'mkcsr check --role ' 'sstp|ikev2|nps|client|device|tls'
expect 'mkcsr check --role i' 'ikev2'
expect 'mkcsr check --role=n' 'nps'
expect 'mkcsr check --key-pass ' 'env:|file:|fd:|stdin|prompt|pass:'
expect 'mkcsr check --key-pass env:MKCSR_TEST_PA' 'MKCSR_TEST_PASSPHRASE'
expect 'mkcsr check --key-pass=file:vpn.ex' 'vpn.example.com.key'
expect 'mkcsr check --key-pass generate:' ''
expect 'mkcsr check --cert vpn.' 'vpn.example.com.key'
expect 'mkcsr check -c vpn.' 'vpn.example.com.key'
expect 'mkcsr check --key old' 'old key.pem'
expect 'mkcsr check -k vpn.' 'vpn.example.com.key'
expect 'mkcsr check --csr=vpn.' 'vpn.example.com.key'
expect 'mkcsr check --chain vpn.' 'vpn.example.com.key'
expect 'mkcsr check --ca-file vpn.' 'vpn.example.com.key'
expect 'mkcsr check --ca-file=vpn.' 'vpn.example.com.key'
expect 'mkcsr check --ca-dir ce' 'certs'
expect 'mkcsr check --ca-dir=ce' 'certs'
expect 'mkcsr check --ca-dir vpn' ''
expect 'mkcsr check --host ' ''
expect 'mkcsr check --warn-days ' ''
expect 'mkcsr check --at ' ''
expect 'mkcsr check --revocation ' 'fetch|names|off'
expect 'mkcsr check --revocation=f' 'fetch'
expect 'mkcsr check --ti' '--timeout'
expect 'mkcsr check --timeout ' ''

# mkcsr pfx: its own options, and their values.
expect 'mkcsr pfx --p' '--pass|--profile|--provider'
expect 'mkcsr pfx --f' '--friendly-name|--force'
expect 'mkcsr pfx --no' '--no-machine-keyset'
expect 'mkcsr pfx --cert fullchain.pem --chain inter.pem --i' '--in-pass|--include-root'
expect 'mkcsr pfx --cert old.pfx --in-pass f' 'file:|fd:'
expect 'mkcsr check --cert vpn.pfx --pass e' 'env:'
expect 'mkcsr pfx --o' '--out'
expect 'mkcsr pfx --ca' ''
expect 'mkcsr pfx --profile ' 'compat|modern'
expect 'mkcsr pfx --profile=m' 'modern'
expect 'mkcsr pfx --role ' 'sstp|ikev2|nps|client|device|tls'
expect 'mkcsr pfx --role=d' 'device'
expect 'mkcsr pfx --pass ' 'env:|file:|fd:|stdin|prompt|pass:|generate:'
expect 'mkcsr pfx --pass g' 'generate:'
expect 'mkcsr pfx --pass=g' 'generate:'
expect 'mkcsr pfx --pass generate:vpn.ex' 'vpn.example.com.key'
expect 'mkcsr pfx --pass=generate:vpn.ex' 'vpn.example.com.key'
expect 'mkcsr pfx --pass file:old' 'old key.pem'
expect 'mkcsr pfx --pass env:MKCSR_TEST_PA' 'MKCSR_TEST_PASSPHRASE'
expect 'mkcsr pfx --pass fd:' ''
expect 'mkcsr pfx --key-pass ' 'env:|file:|fd:|stdin|prompt|pass:'
expect 'mkcsr pfx --key-pass g' ''
expect 'mkcsr pfx --cert vpn.' 'vpn.example.com.key'
expect 'mkcsr pfx --key=vpn.' 'vpn.example.com.key'
expect 'mkcsr pfx --chain vpn.' 'vpn.example.com.key'
expect 'mkcsr pfx --out vpn.' 'vpn.example.com.key'
expect 'mkcsr pfx -o vpn.' 'vpn.example.com.key'
expect 'mkcsr new -o vpn' ''
expect 'mkcsr pfx --friendly-name ' ''
expect 'mkcsr pfx --provider ' ''

# Each command is offered its own options only, and values only for its
# own options: another command's option is not one (inspect then completes
# its file operands).
expect 'mkcsr new --' '--host|--san|--subject|--key-type|--hash|--eku|--key-usage|--no-app-policies|--minimal|--ms-attributes|--out-dir|--key|--csr|--format|--header|--eol|--key-pass|--template|--inf|--set|--like|--pass|--write-inf|--inf-encoding|--force|--quiet|--verbose|--json|--version|--help|--usage'
expect 'mkcsr check --' '--cert|--key|--key-pass|--pass|--csr|--chain|--host|--role|--ca-file|--ca-dir|--warn-days|--at|--revocation|--timeout|--quiet|--verbose|--json|--version|--help|--usage'
expect 'mkcsr pfx --' '--cert|--key|--key-pass|--in-pass|--chain|--out|--friendly-name|--pass|--profile|--provider|--no-machine-keyset|--include-root|--role|--force|--quiet|--verbose|--json|--version|--help|--usage'
expect 'mkcsr explain --' '--quiet|--verbose|--json|--version|--help|--usage'
expect 'mkcsr inspect --' '--pass|--at|--quiet|--verbose|--json|--version|--help|--usage'
expect 'mkcsr new --role ' ''
expect 'mkcsr new --profile=' ''
expect 'mkcsr new --ca-file ' ''
expect 'mkcsr new -c vpn.' ''
expect 'mkcsr --role=s' ''
expect 'mkcsr check --eku ' ''
expect 'mkcsr check --key-type=' ''
expect 'mkcsr check --template ' ''
expect 'mkcsr check --template=s' ''
expect 'mkcsr check -o ' ''
expect 'mkcsr check --out vpn.' ''
expect 'mkcsr check --profile ' ''
expect 'mkcsr check --in-pass ' ''
expect 'mkcsr pfx --key-type ' ''
expect 'mkcsr pfx --san ' ''
expect 'mkcsr pfx -t ' ''
expect 'mkcsr pfx --ca-file ' ''
expect 'mkcsr pfx --csr vpn.' ''
expect 'mkcsr templates --role ' ''
expect 'mkcsr templates --template ' ''
expect 'mkcsr templates --template=' ''
expect 'mkcsr explain --pass ' ''
expect 'mkcsr explain --key-type ' ''
expect 'mkcsr inspect --key-type r' 'request.inf'
expect 'mkcsr inspect --role=' ''
expect 'mkcsr inspect --pass ' 'env:|file:|fd:|stdin|prompt|pass:'

# A bash whose COMP_WORDBREAKS has no ":" replaces the whole value.
COMP_WORDBREAKS=$' \t\n"\'><=;|&('
expect 'mkcsr new --key-type ec:P-3' 'ec:P-384'
expect 'mkcsr new --key-type=ec:P-3' 'ec:P-384'
expect 'mkcsr pfx --pass generate:vpn.ex' 'generate:vpn.example.com.key'
expect 'mkcsr pfx --pass=generate:vpn.ex' 'generate:vpn.example.com.key'
expect 'mkcsr check --key-pass=file:vpn.ex' 'file:vpn.example.com.key'
COMP_WORDBREAKS=$' \t\n"\'><=;|&(:'

# Only COMP_WORDS and COMP_CWORD, as in a hand-made call (bash itself always
# sets COMP_LINE, which bash-completion needs).
[[ $with_helpers == true ]] && exit $((failures > 0))
unset COMP_LINE COMP_POINT
COMP_WORDS=(mkcsr new --key-t)
COMP_CWORD=2
_mkcsr
[[ ${COMPREPLY[*]} == --key-type ]] || { echo "FAIL: COMP_WORDS only: [${COMPREPLY[*]}]"; failures=$((failures + 1)); }
COMP_WORDS=(mkcsr new --hash = sha3)
COMP_CWORD=4
_mkcsr
[[ ${COMPREPLY[*]} == sha384 ]] || { echo "FAIL: COMP_WORDS only, --hash=: [${COMPREPLY[*]}]"; failures=$((failures + 1)); }
COMP_WORDS=(mkcsr check --role = ik)
COMP_CWORD=4
_mkcsr
[[ ${COMPREPLY[*]} == ikev2 ]] || { echo "FAIL: COMP_WORDS only, check --role=: [${COMPREPLY[*]}]"; failures=$((failures + 1)); }
COMP_WORDS=(mkcsr pfx --pro)
COMP_CWORD=2
_mkcsr
[[ ${COMPREPLY[*]} == '--profile --provider' ]] || { echo "FAIL: COMP_WORDS only, pfx --pro: [${COMPREPLY[*]}]"; failures=$((failures + 1)); }

exit $((failures > 0))
EOF

# The completion's lists are the program's: the options each command's
# --help shows, and those of them that take a value.
help_options() {
	"$MKCSR" "$1" --help | sed -n -e 's/^  -[^-], \(--[a-z][a-z-]*\).*/\1/p' -e 's/^      \(--[a-z][a-z-]*\).*/\1/p'
}
help_valued() {
	"$MKCSR" "$1" --help | sed -n -e 's/^  \(-[^-]\), \(--[a-z][a-z-]*\)=.*/\1 \2/p' -e 's/^      \(--[a-z][a-z-]*\)=.*/\1/p'
}
completion_list() {
	bash -c 'source "$1" && printf "%s\n" ${!2}' completion "$COMPLETION" "$1" 2> /dev/null || true
}
words() {
	tr -s ' \t\n' '\n\n\n' | sed '/^$/d' | LC_ALL=C sort
}
for cmd in new check pfx templates explain inspect; do
	[ "$(help_options "$cmd" | words)" = "$(completion_list "_mkcsr_${cmd}_options" | words)" ] ||
		fail "the completion's options of $cmd are not those of mkcsr $cmd --help"
	[ "$(help_valued "$cmd" | words)" = "$(completion_list "_mkcsr_${cmd}_valued" | words)" ] ||
		fail "the completion's options of $cmd that take a value are not those of mkcsr $cmd --help"
done
# Its built-in template names, for when no mkcsr can be asked, are those of templates/.
[ "$(cd "$TESTS_SRCDIR/../templates" && ls -- *.inf | sed 's/\.inf$//' | words)" = "$(completion_list _mkcsr_builtin_templates | words)" ] ||
	fail "the completion's built-in template names are not the files of templates/"

bash check.bash "$COMPLETION" || fail "completion with plain bash"

# With the bash-completion package's helpers, when they are installed.
for bc in "${BASH_COMPLETION_SCRIPT:-}" /usr/share/bash-completion/bash_completion; do
	if [ -n "$bc" ] && [ -r "$bc" ]; then
		bash check.bash "$COMPLETION" "$bc" || fail "completion with $bc"
		break
	fi
done
exit 0
