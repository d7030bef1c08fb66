#!/bin/sh
# --json: one JSON object per host (JSON Lines: line, host, status, files,
# public_key_sha256, error) and a final summary object; every line parses
# on its own (python3 -m json.tool); the exit code is that of the worst
# failure, and the summary says it.

. "$TESTS_SRCDIR/cli/lib.sh"
need_python json

printf 'host,out-dir\na.example.com,\nb.example.com,\nc.example.com,sub\n' > fleet.csv
mkdir sub
run 0 batch fleet.csv --json
n=0
while IFS= read -r line; do
	printf '%s\n' "$line" | "$PYTHON" -m json.tool > /dev/null || fail "not one JSON object: $line"
	n=$((n + 1))
done < "$WORK/out"
[ "$n" -eq 4 ] || fail "$n JSON lines, expected 4"
expect_no_err
"$PYTHON" - "$WORK/out" << 'PY' || fail "the JSON lines are not as expected"
import hashlib, json, subprocess, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
hosts = sorted(lines[:3], key=lambda l: l["line"])
for l, (line, host, d) in zip(hosts, [(2, "a.example.com", "."), (3, "b.example.com", "."), (4, "c.example.com", "sub")]):
    want = {"line": line, "host": host, "status": "created",
            "files": {"key": "%s/%s.key" % (d, host), "csr": "%s/%s.csr" % (d, host)}, "error": None}
    got = {k: v for k, v in l.items() if k != "public_key_sha256"}
    if got != want:
        sys.exit("got %r, expected %r" % (got, want))
    spki = subprocess.run(["openssl", "req", "-in", l["files"]["csr"], "-noout", "-pubkey"], capture_output=True, check=True).stdout
    der = subprocess.run(["openssl", "pkey", "-pubin", "-outform", "DER"], input=spki, capture_output=True, check=True).stdout
    if l["public_key_sha256"] != hashlib.sha256(der).hexdigest():
        sys.exit("%s: public_key_sha256 is not the SHA-256 of its SubjectPublicKeyInfo" % host)
s = lines[3]
if sorted(s) != ["summary"] or sorted(s["summary"]) != sorted(["created", "renewed", "replaced", "kept", "current", "failed",
        "not_done", "total", "seconds", "hosts_per_second", "interrupted", "exit_code"]):
    sys.exit("summary %r" % s)
if (s["summary"]["created"], s["summary"]["total"], s["summary"]["exit_code"], s["summary"]["interrupted"]) != (3, 3, 0, False):
    sys.exit("summary %r" % s)
PY

# A failure: its line says why, the summary and the exit code say 4 (refused to overwrite).
rm b.example.com.csr
run 4 batch fleet.csv --json
"$PYTHON" - "$WORK/out" << 'PY' || fail "the failure is not reported as expected"
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
b = [l for l in lines if l.get("host") == "b.example.com"][0]
want = {"line": 3, "host": "b.example.com", "status": "failed",
        "files": {"key": "./b.example.com.key", "csr": "./b.example.com.csr"}, "public_key_sha256": None,
        "error": "refusing to overwrite an existing file: './b.example.com.key' exists without its request "
                 "'./b.example.com.csr': --force replaces it (the key is kept aside)", "exit_code": 4}
if b != want:
    sys.exit("got %r" % b)
s = lines[-1]["summary"]
if (s["kept"], s["failed"], s["exit_code"]) != (2, 1, 4):
    sys.exit("summary %r" % s)
PY

# A bad row: nothing is made, and standard output holds the one error object of every command.
printf 'host\nok.example.com\nbad..name\n' > bad.csv
run 2 batch bad.csv --json
"$PYTHON" - "$WORK/out" << 'PY' || fail "the error object is not as expected"
import json, sys
doc = json.load(open(sys.argv[1]))
want = {"code": "BAD_NAME", "message": "1 row of bad.csv is wrong; nothing was written",
        "file": "bad.csv", "exit": 2}
if {k: doc["error"][k] for k in want} != want:
    sys.exit("got %r" % doc)
PY
expect_err_first "bad.csv:3: invalid name: 'bad..name': empty label (two dots in a row, or a leading dot)"
[ -f ok.example.com.key ] && fail "a key was made although a row is bad"
exit 0
