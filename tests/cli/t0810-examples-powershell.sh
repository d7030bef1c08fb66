# examples/Install-SstpCertificate.ps1, checked without PowerShell (no
# PowerShell here: Debian does not package it):
#
#  1. a static check (python3): the script is ASCII; its comment, string,
#     here-string and bracket structure is sound; every cmdlet it calls is
#     one of the documented cmdlets below (or a function it defines) and
#     every parameter it passes is one of that cmdlet's documented
#     parameters (or a common parameter); #Requires names
#     -RunAsAdministrator and -Modules RemoteAccess; the comment-based help
#     has .SYNOPSIS, .EXAMPLE and a .PARAMETER for each parameter;
#  2. a real parse: the tree-sitter PowerShell grammar (npm
#     tree-sitter-powershell, as WebAssembly under web-tree-sitter on Node;
#     tools/quickstart.sh installs both in tools/ps-parser) must find no
#     syntax error, and the commands and parameters read from its syntax
#     tree must be the ones the static check found;
#  3. both checks reject broken copies of the script (an unknown
#     parameter, an unknown cmdlet, a missing brace, an unterminated
#     here-string), so that a pass means something.
#
# The test skips (77) only when the parser is not installed, after the
# static check has passed.

# shellcheck disable=SC2016 # the $ in the patterns and sed scripts are PowerShell's
. "$TESTS_SRCDIR/cli/lib.sh"

PS1="$TESTS_SRCDIR/../examples/Install-SstpCertificate.ps1"
[ -f "$PS1" ] || fail "no $PS1"
need_python

# The documented parameters of each cmdlet the script may call, from
# Microsoft's reference pages (common parameters aside):
#   Import-PfxCertificate  learn.microsoft.com/powershell/module/pki/import-pfxcertificate
#   Set-RemoteAccess       learn.microsoft.com/powershell/module/remoteaccess/set-remoteaccess
#   Get-RemoteAccess       learn.microsoft.com/powershell/module/remoteaccess/get-remoteaccess
#   Restart-Service, Get-Service, Get-Item, Resolve-Path
#                          learn.microsoft.com/powershell/module/microsoft.powershell.management/...
#   Read-Host, Write-Host  learn.microsoft.com/powershell/module/microsoft.powershell.utility/...
#   Where-Object           learn.microsoft.com/powershell/module/microsoft.powershell.core/where-object
#                          (the script-block form only)
cat > allow.txt <<'EOF'
Import-PfxCertificate: FilePath CertStoreLocation Password Exportable WhatIf Confirm
Set-RemoteAccess: SslCertificate ComputerName InternetInterface InternalInterface Force PassThru CapacityKbps UseHttp CimSession ThrottleLimit AsJob WhatIf Confirm
Get-RemoteAccess: ComputerName EntrypointName CimSession ThrottleLimit AsJob
Restart-Service: Name DisplayName InputObject Force PassThru Include Exclude WhatIf Confirm
Get-Service: Name DisplayName InputObject ComputerName DependentServices RequiredServices Include Exclude
Get-Item: Path LiteralPath Filter Include Exclude Force Credential UseTransaction Stream CodeSigningCert DocumentEncryptionCert SSLServerAuthentication DnsName Eku ExpiringInDays
Resolve-Path: Path LiteralPath Relative Credential UseTransaction
Read-Host: Prompt AsSecureString
Write-Host: Object NoNewline Separator ForegroundColor BackgroundColor
Where-Object: FilterScript InputObject
*common*: Debug ErrorAction ErrorVariable InformationAction InformationVariable OutVariable OutBuffer PipelineVariable Verbose WarningAction WarningVariable
#Requires: Version RunAsAdministrator Modules PSEdition
EOF

cat > ps1check.py <<'PYEOF'
"""Static check of a PowerShell script: see t0810-examples-powershell.sh.

ps1check.py SCRIPT ALLOW [AST.json]  prints the problems (exit 1) or the
commands found (exit 0); with AST.json (from the tree-sitter parse), also
compares the commands found with the parser's.
"""
import json
import re
import sys

path, allow_path = sys.argv[1], sys.argv[2]
ast_path = sys.argv[3] if len(sys.argv) > 3 else None
raw = open(path, "rb").read()
problems = []

def problem(line, text):
    problems.append("%s:%d: %s" % (path.rsplit("/", 1)[-1], line, text))

if any(b > 127 for b in raw):
    problem(1, "not ASCII: Windows PowerShell 5.1 reads a file without a BOM as the ANSI code page")
src = raw.decode("utf-8", "replace").replace("\r\n", "\n")

allow, common, requires = {}, set(), set()
for entry in open(allow_path):
    name, _, params = entry.partition(":")
    names = {p.lower() for p in params.split()}
    if name == "*common*":
        common = names
    elif name == "#Requires":
        requires = names
    else:
        allow[name.lower()] = (name, names)

# ---- 1. Mask comments and strings: code keeps its characters, the rest
# becomes spaces (newlines kept), so positions and line numbers stay.  The
# code inside "...$( )..." stays code.
mask = list(src)
comments = []  # (line, text)
n = len(src)

def line_of(i):
    return src.count("\n", 0, i) + 1

def blank(a, b):
    for k in range(a, b):
        if mask[k] != "\n":
            mask[k] = " "

def code(i, close):
    """Scans code from i up to the unmatched `close` (or the end); returns the index after it."""
    depth = 0
    while i < n:
        c = src[i]
        if c == "<" and src.startswith("<#", i):
            end = src.find("#>", i + 2)
            if end < 0:
                problem(line_of(i), "unterminated <# block comment")
                end = n - 2
            comments.append((line_of(i), src[i:end + 2]))
            blank(i, end + 2)
            i = end + 2
            continue
        if c == "#" and (i == 0 or src[i - 1] in " \t\n;{}()|"):
            end = src.find("\n", i)
            end = n if end < 0 else end
            comments.append((line_of(i), src[i:end]))
            blank(i, end)
            i = end
            continue
        if c == "@" and src[i + 1:i + 2] in ("'", '"'):
            q = src[i + 1]
            rest = src[i + 2:src.find("\n", i) if src.find("\n", i) >= 0 else n]
            if rest.strip():
                problem(line_of(i), "a here-string opener @%s must end its line" % q)
            m = re.compile(r"^" + re.escape(q) + "@", re.M).search(src, i + 2)
            if m is None:
                problem(line_of(i), "unterminated here-string @%s" % q)
                blank(i, n)
                return n
            blank(i, m.end())
            i = m.end()
            continue
        if c == "'":
            j = i + 1
            while True:
                j = src.find("'", j)
                if j < 0:
                    problem(line_of(i), "unterminated '...' string")
                    blank(i, n)
                    return n
                if src[j + 1:j + 2] == "'":
                    j += 2
                    continue
                break
            blank(i, j + 1)
            i = j + 1
            continue
        if c == '"':
            i = dq_string(i)
            continue
        if c == "`":  # line continuation (kept), or an escaped character
            if src[i + 1:i + 2] == "\n":
                i += 1
            else:
                blank(i, min(i + 2, n))
                i += 2
            continue
        if c in "({[":
            depth += 1
        elif c in ")}]":
            if depth == 0 and c == close:
                return i + 1
            depth -= 1
        i += 1
    return n

def dq_string(i):
    start, j = i, i + 1
    blank(i, i + 1)
    while j < n:
        c = src[j]
        if c == "`":
            blank(j, j + 2)
            j += 2
            continue
        if c == '"':
            if src[j + 1:j + 2] == '"':
                blank(j, j + 2)
                j += 2
                continue
            blank(j, j + 1)
            return j + 1
        if c == "$" and src[j + 1:j + 2] == "(":
            j = code(j + 2, ")")
            continue
        blank(j, j + 1)
        j += 1
    problem(line_of(start), 'unterminated "..." string')
    return n

code(0, None)
masked = "".join(mask)

def closing(i, close):
    """The index after the bracket `close` that closes the code from i (in the masked text)."""
    depth = 0
    while i < n:
        c = masked[i]
        if c in "({[":
            depth += 1
        elif c in ")}]":
            if depth == 0 and c == close:
                return i + 1
            depth -= 1
        i += 1
    return n

# ---- 2. Brackets balance (in code only).
stack = []
pairs = {")": "(", "}": "{", "]": "["}
for i, c in enumerate(masked):
    if c in "({[":
        stack.append((c, i))
    elif c in ")}]":
        if not stack or stack[-1][0] != pairs[c]:
            problem(line_of(i), "unbalanced '%s'" % c)
            break
        stack.pop()
for c, i in stack[:1]:
    problem(line_of(i), "'%s' is never closed" % c)

# ---- 3. Functions the script defines, and their parameters.
functions = {}
for m in re.finditer(r"\bfunction\s+([A-Za-z][\w-]*)\s*\{\s*param\s*\(", masked, re.I):
    end = closing(m.end(), ")")
    params = set(p.lower() for p in re.findall(r"\$(\w+)", src[m.end():end])) - {"true", "false", "null"}
    functions[m.group(1).lower()] = params

# ---- 4. Commands (Verb-Noun) and the parameters passed to each.
found = []
for m in re.finditer(r"(?<![\w$.\-])([A-Za-z]+-[A-Za-z]+)(?![\w\-])", masked):
    name = m.group(1)
    before = masked[max(0, m.start() - 40):m.start()]
    if re.search(r"\bfunction\s+$", before, re.I):
        continue
    params, depth, i = [], 0, m.end()
    while i < n:
        c = masked[i]
        if c in "({[":
            depth += 1
        elif c in ")}]":
            if depth == 0:
                break
            depth -= 1
        elif depth == 0 and c in "|;":
            break
        elif depth == 0 and c == "\n":
            if masked[:i].rstrip(" \t").endswith("`"):
                i += 1
                continue
            break
        elif depth == 0 and c == "-" and masked[i - 1] in " \t":
            p = re.match(r"-([A-Za-z][A-Za-z0-9]*)", masked[i:])
            if p:
                params.append(p.group(1))
        i += 1
    line = line_of(m.start())
    found.append((line, name, tuple(params)))
    key = name.lower()
    if key in functions:
        known, what = functions[key], "the script's function " + name
    elif key in allow:
        known, what = allow[key][1] | common, name
        if allow[key][0] != name:
            problem(line, "%s is spelled %s in Microsoft's documentation" % (name, allow[key][0]))
    else:
        problem(line, "%s is not one of the documented cmdlets this script may call (nor a function it defines)" % name)
        continue
    for p in params:
        if p.lower() not in known:
            problem(line, "-%s is not a documented parameter of %s" % (p, what))

# ---- 5. #Requires, and the comment-based help.
req = [(l, t) for l, t in comments if re.match(r"#requires\b", t, re.I)]
for l, t in req:
    for p in re.findall(r"\s-(\w+)", t):
        if p.lower() not in requires:
            problem(l, "#Requires -%s is not a documented #Requires parameter" % p)
req_text = " ".join(t for _, t in req)
if not re.search(r"-RunAsAdministrator\b", req_text):
    problem(1, "no #Requires -RunAsAdministrator")
if not re.search(r"-Modules\s+RemoteAccess\b", req_text):
    problem(1, "no #Requires -Modules RemoteAccess")
helps = [t for _, t in comments if t.startswith("<#") and re.search(r"^\s*\.SYNOPSIS\b", t, re.M)]
script_params = []
m = re.search(r"^param\s*\(", masked, re.M | re.I)  # the script's: at the start of a line
if m is None:
    problem(1, "no param() block for the script")
else:
    end = closing(m.end(), ")")
    script_params = [p for p in re.findall(r"\]\s*\$(\w+)", src[m.end():end])]
if not helps:
    problem(1, "no comment-based help (<# .SYNOPSIS ... #>)")
else:
    h = helps[0]
    documented = re.findall(r"^\s*\.PARAMETER\s+(\w+)", h, re.M)
    for key in ("SYNOPSIS", "DESCRIPTION", "EXAMPLE"):
        if not re.search(r"^\s*\." + key + r"\b", h, re.M):
            problem(1, "the help has no .%s" % key)
    for p in script_params:
        if p not in documented:
            problem(1, "the help has no .PARAMETER %s" % p)
    for p in documented:
        if p not in script_params:
            problem(1, "the help documents .PARAMETER %s, which the script does not have" % p)

# ---- 6. The parser's view, when given: the same commands and parameters.
if ast_path:
    ast = json.load(open(ast_path))
    for e in ast["errors"]:
        problem(e["line"], "tree-sitter-powershell: %s at column %d: %s" % (e["type"], e["column"], e["text"]))
    theirs = sorted((c["line"], c["name"], tuple(c["params"])) for c in ast["commands"])
    ours = sorted(found)
    if theirs != ours:
        problem(1, "the static check and the parser disagree on the commands:\n  static: %s\n  parser: %s"
                % ([x for x in ours if x not in theirs], [x for x in theirs if x not in ours]))

if problems:
    print("\n".join(problems))
    sys.exit(1)
for line, name, params in sorted(found):
    print("%d %s %s" % (line, name, " ".join("-" + p for p in params)))
PYEOF

cat > ps1parse.cjs <<'JSEOF'
// ps1parse.cjs SCRIPT: parses SCRIPT with tree-sitter-powershell and prints
// {errors: [...], commands: [{line, name, params}]} as JSON.
const fs = require('fs');
const { Parser, Language } = require('web-tree-sitter');
(async () => {
  await Parser.init();
  const grammar = require.resolve('tree-sitter-powershell/tree-sitter-powershell.wasm');
  const parser = new Parser();
  parser.setLanguage(await Language.load(grammar));
  const tree = parser.parse(fs.readFileSync(process.argv[2], 'utf8').replace(/\r\n/g, '\n'));
  const out = { errors: [], commands: [] };
  const walk = (node) => {
    if (node.type === 'ERROR' || node.isMissing)
      out.errors.push({ type: node.isMissing ? 'missing ' + node.type : 'syntax error',
                        line: node.startPosition.row + 1, column: node.startPosition.column + 1,
                        text: node.text.slice(0, 60) });
    if (node.type === 'command') {
      const name = node.childForFieldName('command_name');
      const elements = node.childForFieldName('command_elements');
      const params = elements ? elements.namedChildren.filter((c) => c.type === 'command_parameter')
        .map((c) => c.text.replace(/^-/, '').replace(/:$/, '')) : [];
      if (name && /^[A-Za-z]+-[A-Za-z]+$/.test(name.text))
        out.commands.push({ line: node.startPosition.row + 1, name: name.text, params });
    }
    for (const child of node.children) walk(child);
  };
  walk(tree.rootNode);
  process.stdout.write(JSON.stringify(out) + '\n');
})().catch((e) => { console.error(e); process.exit(2); });
JSEOF

# check_static SCRIPT [AST]: the static check passes.
check_static() {
	"$PYTHON" ps1check.py "$1" allow.txt ${2:+"$2"} > check.out 2>&1 || return 1
}

# ---- 1. The static check passes, and finds the calls the script must make.
cp "$PS1" script.ps1
check_static script.ps1 || { cat check.out >&2; fail "the static check rejects Install-SstpCertificate.ps1"; }
for call in "Import-PfxCertificate -FilePath -CertStoreLocation -Password -Exportable" \
	"Set-RemoteAccess -SslCertificate" "Get-RemoteAccess " "Restart-Service -Name" "Read-Host -Prompt -AsSecureString"; do
	grep -q " $call" check.out || { cat check.out >&2; fail "the script does not call: $call"; }
done
[ "$(grep -c ' Get-RemoteAccess ' check.out)" -ge 2 ] ||
	{ cat check.out >&2; fail "Get-RemoteAccess is not called before and after the change"; }
grep -q '\$bound.Thumbprint -ne \$thumbprint' "$PS1" || fail "the binding is not confirmed by thumbprint"
grep -q '^\[CmdletBinding()\]$' "$PS1" || fail "the script is not an advanced script ([CmdletBinding()])"
grep -q '\[securestring\] \$Password' "$PS1" || fail "-Password is not a SecureString"
grep -q '\[switch\] \$Exportable' "$PS1" || fail "-Exportable is not a switch"

# ---- 3a. ...and rejects broken copies.
# mutate NAME SED-SCRIPT EXPECTED: a copy of the script changed by
# SED-SCRIPT; the static check must fail on it with EXPECTED in its report.
mutate() {
	sed "$2" "$PS1" > "$1.ps1"
	cmp -s "$PS1" "$1.ps1" && fail "mutation $1 left the script unchanged"
	if check_static "$1.ps1"; then
		fail "the static check accepts the broken copy $1"
	fi
	grep -qF -- "$3" check.out || { cat check.out >&2; fail "the static check of $1 does not say: $3"; }
}
mutate bad-param 's/-CertStoreLocation/-StoreLocation/' "-StoreLocation is not a documented parameter of Import-PfxCertificate"
mutate bad-cmdlet 's/Restart-Service -Name/Restart-RemoteAccess -Name/' "Restart-RemoteAccess is not one of the documented cmdlets"
mutate bad-brace '/^if (\$withKey.Count -ne 1) {$/s/ {$//' "unbalanced '}'"
mutate bad-herestring 's/^\$ErrorActionPreference = .Stop.$/$x = @"/' "unterminated here-string"
mutate bad-requires '/^#Requires -RunAsAdministrator$/d' "no #Requires -RunAsAdministrator"
mutate bad-help '/^\.PARAMETER Exportable$/d' "the help has no .PARAMETER Exportable"

# ---- 2. The parse: tree-sitter-powershell on Node, where installed.
PARSER_DIR=${MKCSR_PS_PARSER_DIR:-$TESTS_SRCDIR/../tools/ps-parser}
if ! command -v node > /dev/null 2>&1 ||
	[ ! -f "$PARSER_DIR/node_modules/web-tree-sitter/package.json" ] ||
	[ ! -f "$PARSER_DIR/node_modules/tree-sitter-powershell/tree-sitter-powershell.wasm" ]; then
	skip "the static check passed; the PowerShell parser is not installed (sh tools/quickstart.sh installs it in tools/ps-parser)"
fi
# (--liftoff-only: V8's optimising compiler would spend some 10 s of CPU on
# the 1 MB grammar, in the background, before node may exit.)
parse() {
	NODE_PATH=$PARSER_DIR/node_modules timeout 30 node --liftoff-only ps1parse.cjs "$1" > "$2" 2> parse.err ||
		{ cat parse.err >&2; fail "the parser did not run on $1"; }
}
parse script.ps1 ast.json
check_static script.ps1 ast.json || { cat check.out >&2; fail "the parse of Install-SstpCertificate.ps1 fails"; }

# ---- 3b. The parser finds the broken brace and here-string too.
for broken in bad-brace bad-herestring; do
	parse "$broken.ps1" "$broken.json"
	grep -q '"errors":\[{' "$broken.json" || { cat "$broken.json" >&2; fail "the parser finds no error in $broken"; }
done
exit 0
