#!/bin/sh
# The documentation follows the program: every command that "mkcsr --help"
# lists and every option that "mkcsr new --help" prints appear in the manual
# page (doc/mkcsr.1) and in the bash completion file; and every option the
# manual's OPTIONS section or the completion file names is a real one.

. "$TESTS_SRCDIR/cli/lib.sh"

MANPAGE="$TESTS_SRCDIR/../doc/mkcsr.1"
COMPLETION="$TESTS_SRCDIR/../doc/mkcsr.bash-completion"
[ -r "$MANPAGE" ] || fail "$MANPAGE is missing"
[ -r "$COMPLETION" ] || fail "$COMPLETION is missing"

# The manual as plain text for searching: roff's "\-" is "-", and font
# changes (\fB, \fI, \fR, \fP) go.
sed -e 's/\\-/-/g' -e 's/\\f[BIRP]//g' "$MANPAGE" > man.txt || fail "cannot read $MANPAGE"

# has_word FILE WORD: WORD occurs in FILE, not as part of a longer option name.
has_word() {
	awk -v w="$2" '
		{
			line = $0
			while ((i = index(line, w)) > 0) {
				before = i > 1 ? substr(line, i - 1, 1) : ""
				after = substr(line, i + length(w), 1)
				if (before !~ /[A-Za-z0-9-]/ && after !~ /[A-Za-z0-9-]/) { found = 1; exit }
				line = substr(line, i + 1)
			}
		}
		END { exit !found }' "$1"
}

# Options, from the option column of the help text.
run 0 new --help
sed -n 's/^ \{1,\}\(-[^ ,=]\{1,\}, \)\{0,1\}\(--[a-z][a-z0-9-]*\).*/\2/p' "$WORK/out" > long-options
sed -n 's/^ \{1,\}\(-[a-zA-Z?]\), --.*/\1/p' "$WORK/out" > short-options
n=$(wc -l < long-options)
[ "$n" -ge 20 ] || { cat "$WORK/out" >&2; fail "found only $n long options in mkcsr new --help"; }
[ "$(wc -l < short-options)" -ge 4 ] || { cat "$WORK/out" >&2; fail "found no short options in mkcsr new --help"; }

missing=
while read -r opt; do
	has_word man.txt "$opt" || missing="$missing
  $opt is not in doc/mkcsr.1"
	has_word "$COMPLETION" "$opt" || missing="$missing
  $opt is not in doc/mkcsr.bash-completion"
done < long-options
while read -r opt; do
	has_word man.txt "$opt" || missing="$missing
  $opt is not in doc/mkcsr.1"
done < short-options

# Commands, from the program's command list.
run 0 --help
sed -n '/^Commands:/,/^$/s/^  \([a-z][a-z0-9-]*\) .*/\1/p' "$WORK/out" > commands
[ -s commands ] || { cat "$WORK/out" >&2; fail "found no commands in mkcsr --help"; }
while read -r cmd; do
	grep -q "^\.B $cmd\$" man.txt || missing="$missing
  command $cmd has no entry in doc/mkcsr.1"
	has_word "$COMPLETION" "$cmd" || missing="$missing
  command $cmd is not in doc/mkcsr.bash-completion"
done < commands

# The other way: options named in the manual's OPTIONS section and in the
# completion file exist.
sed -n '/^\.SH OPTIONS/,/^\.SH /p' man.txt | grep -o -- '--[a-z][a-z0-9-]*' | sort -u > man-options
grep -o -- '--[a-z][a-z0-9-]*' "$COMPLETION" | sort -u > completion-options
[ -s man-options ] || fail "doc/mkcsr.1 has no OPTIONS section with options"
while read -r opt; do
	grep -qxF -- "$opt" long-options || missing="$missing
  doc/mkcsr.1 describes $opt, which mkcsr new --help does not print"
done < man-options
while read -r opt; do
	grep -qxF -- "$opt" long-options || missing="$missing
  doc/mkcsr.bash-completion offers $opt, which mkcsr new --help does not print"
done < completion-options

[ -z "$missing" ] || fail "the documentation and the program differ:$missing"
exit 0
