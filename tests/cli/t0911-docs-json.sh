#!/bin/sh
# The JSON OUTPUT section of the manual lists every JSON member the program
# prints: each path (a dot for an object member, [] for array elements) that
# new, check, pfx, templates, explain, inspect and probe print with --json, for
# inputs of every kind, is a line of the command's subsection; the error
# object's members are those of the Errors subsection (an array is listed
# by its name, and its objects' members as NAME[].MEMBER); and every error code
# of src/err.def is named with its exit status.

. "$TESTS_SRCDIR/cli/lib.sh"
need_python json
copy_certs
MANPAGE="$TESTS_SRCDIR/../doc/mkcsr.1"
ERRDEF="$TESTS_SRCDIR/../src/err.def"
MKCSR_TEMPLATE_DIR=${MKCSR_TEMPLATE_DIR:-$TESTS_SRCDIR/../templates}
export MKCSR_TEMPLATE_DIR

# json_run NAME ARGS...: mkcsr ARGS --json, stdout kept as NAME.json (exit 0..7).
json_run() {
	jr_name=$1
	shift
	"$MKCSR" "$@" --json > "$jr_name.json" 2> /dev/null
	jr_status=$?
	[ "$jr_status" -le 7 ] || fail "mkcsr $* --json exited $jr_status"
	[ -s "$jr_name.json" ] || fail "mkcsr $* --json printed nothing"
	case $jr_name in
	error-*) ;;
	*) grep -q '"error"' "$jr_name.json" && fail "mkcsr $* --json failed: $(cat "$jr_name.json")" ;;
	esac
}
printf 'docs-json-pass\n' > pw
mkdir o
json_run new-host new --host vpn.example.com --san ip:192.0.2.1 --write-inf o/x.inf -o o
json_run new-like new --like leaf-rsa1024.pem -o o --force
json_run check check --cert fullchain.pem --key leaf.key --csr leaf.csr --ca-file root-ca.pem --at "$CHECK_AT"
json_run check-expired check --cert leaf-expired.pem --at "$CHECK_AT"
json_run pfx pfx --cert fullchain.pem --key leaf.key --pass file:pw --force -o o/x.pfx
json_run templates templates
json_run explain explain 853 -2146762495 0x800B0101 0xC000006D 13801 CERT_E_EXPIRED
json_run inspect inspect --at "$CHECK_AT" --pass file:pw o/x.pfx fullchain.pem chain.p7b leaf-good.pem leaf.csr \
	leaf.key "$DATA/inf/hicks-newcsr.inf" "$DATA"/windows-csr/*.csr
# probe: a local SSTP server, and a target not reached beside it.
. "$TESTS_SRCDIR/cli/probe-lib.sh"
probe_init
probe_bundle served.pem leaf-good.pem inter-ca.pem
probe_sstp docs served.pem leaf.key
"$MKCSR" probe "vpn.example.com:$PORT_docs" "vpn.example.com:$(probe_closed_port)" --connect 127.0.0.1 \
	--ca-file root-ca.pem --at "$CHECK_AT" --revocation names --expect leaf-good.pem --json > probe.json 2> /dev/null
[ $? -eq 8 ] || fail "mkcsr probe --json did not exit 8"
json_run error-new new --like missing.pem
json_run error-usage check --bogus

"$PYTHON" - "$MANPAGE" "$ERRDEF" <<'PYEOF' || fail "the manual's JSON OUTPUT section does not follow the program (above)"
import json, re, sys

man = open(sys.argv[1], encoding="utf-8").read()
start = man.index("\n.SH JSON OUTPUT\n")
section = man[start + 1:man.index("\n.SH ", start + 1)]
documented = {}
for part in section.split("\n.SS ")[1:]:
    name, body = part.split("\n", 1)
    paths = set()
    for block in re.findall(r"^\.EX\n(.*?)^\.EE", body, re.S | re.M):
        for line in block.split("\n"):
            if line.strip():
                paths.add(line.split()[0].replace("\\-", "-").replace("\\e", "\\"))
    documented[name] = paths

def walk(value, path, out):
    if isinstance(value, dict):
        for key, member in value.items():
            p = path + "." + key if path else key
            out.add(p)
            walk(member, p, out)
    elif isinstance(value, list):
        for element in value:
            walk(element, path + "[]", out)

runs = {"new": ["new-host", "new-like"], "check": ["check", "check-expired"], "pfx": ["pfx"],
        "templates": ["templates"], "explain": ["explain"], "inspect": ["inspect"], "Errors": ["error-new", "error-usage"],
        "probe": ["probe"]}
bad = 0
for command, names in runs.items():
    printed = set()
    for n in names:
        walk(json.load(open(n + ".json", encoding="utf-8")), "", printed)
    if command in ("explain", "inspect"):
        printed.add("[]")
    missing = sorted(printed - documented.get(command, set()))
    for p in missing:
        print("%s: %s is printed but not in the manual's JSON OUTPUT" % (command, p), file=sys.stderr)
        bad += 1
    if command == "Errors":
        want = {"error", "error.code", "error.message", "error.hint", "error.file", "error.exit"}
        if printed != want or not want - {"error"} <= documented["Errors"]:
            print("Errors: printed %s" % sorted(printed), file=sys.stderr)
            bad += 1

# Every error code under its exit status.
exits = {"OK": 0, "IO": 1, "USAGE": 2, "INPUT": 3, "EXISTS": 4, "MISMATCH": 5, "FAILED": 6, "EXPIRING": 7,
         "UNREACHABLE": 8}
listed = {}
for number, names in re.findall(r"^\.TP\n\.B (\d)\n((?:\.BR? \\%[A-Z_]+(?: ,)?\n)+)", section, re.M):
    for code in re.findall(r"\\%([A-Z_]+)", names):
        listed[code] = int(number)
for code, exit_class in re.findall(r"^MKCSR_ERR\((\w+),\s*MKCSR_EXIT_(\w+)", open(sys.argv[2]).read(), re.M):
    if code != "OK" and listed.get(code) != exits[exit_class]:
        print("error code %s (exit %d) is listed under %s" % (code, exits[exit_class], listed.get(code)), file=sys.stderr)
        bad += 1
sys.exit(1 if bad else 0)
PYEOF
exit 0
