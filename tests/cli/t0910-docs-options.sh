#!/bin/sh
# The documentation follows the program, for every command that
# "mkcsr --help" lists:
# - the command has an entry in the manual page (doc/mkcsr.1) and is among
#   the commands of the bash completion file (doc/mkcsr.bash-completion);
# - every option that "mkcsr COMMAND --help" prints is described in the
#   command's options section of the manual and offered by the completion
#   for that command, and the completion knows which of them take a value;
# and the other way round: every option that a command's options section of
# the manual or the completion names is a real option of that command, and
# the completion offers no command and no option that does not exist.

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

# man_section COMMAND: the part of man.txt that describes COMMAND's options:
# the OPTIONS section for "new" (the default command), the subsection
# "Options of COMMAND" for the others.
man_section() {
	case $1 in
	new) awk '/^\.SH OPTIONS$/ { on = 1; print; next } on && /^\.SH / { exit } on' man.txt ;;
	*) awk -v title=".SS Options of $1" '$0 == title { on = 1; print; next } on && /^\.S[HS] / { exit } on' man.txt ;;
	esac
}

# completion_words NAME: the words of the completion file's variable NAME,
# one a line (its value is quoted with single quotes and may span lines).
completion_words() {
	awk -v name="$1" -v q="'" '
		index($0, name "=" q) == 1 { on = 1; $0 = substr($0, length(name) + 3) }
		on {
			if ((i = index($0, q)) > 0) { print substr($0, 1, i - 1); exit }
			print
		}' "$COMPLETION" | tr -s ' \t' '\n\n' | sed '/^$/d'
}

# options_words: words that look like options (-x, --name), one a line.
options_words() {
	grep -E -- '^-(-[a-z][a-z0-9-]*|[a-zA-Z?])$'
}

# The options that take a value, as the completion file lists them for each
# command (_mkcsr_COMMAND_valued, which _mkcsr_takes_value reads).
grep -q '^_mkcsr_takes_value()' "$COMPLETION" || fail "doc/mkcsr.bash-completion has no _mkcsr_takes_value"

# Commands, from the program's command list.
run 0 --help
sed -n '/^Commands:/,/^$/s/^  \([a-z][a-z0-9-]*\) .*/\1/p' "$WORK/out" > commands
[ -s commands ] || { cat "$WORK/out" >&2; fail "found no commands in mkcsr --help"; }
completion_words _mkcsr_commands > completion-commands
[ -s completion-commands ] || fail "doc/mkcsr.bash-completion has no _mkcsr_commands list"

missing=
while read -r cmd; do
	grep -q "^\.B $cmd\$" man.txt || missing="$missing
  command $cmd has no entry in doc/mkcsr.1"
	grep -qxF -- "$cmd" completion-commands || missing="$missing
  command $cmd is not in the commands of doc/mkcsr.bash-completion"
done < commands
while read -r cmd; do
	grep -qxF -- "$cmd" commands || missing="$missing
  doc/mkcsr.bash-completion offers the command $cmd, which mkcsr --help does not list"
done < completion-commands

: > all-long-options
: > all-short-options
while read -r cmd; do
	# Options, from the option column of the help text; with "=" they take a value.
	run 0 "$cmd" --help
	cp "$WORK/out" "help.$cmd"
	sed -n 's/^ \{1,\}\(-[^ ,=]\{1,\}, \)\{0,1\}\(--[a-z][a-z0-9-]*\).*/\2/p' "help.$cmd" > "long.$cmd"
	sed -n 's/^ \{1,\}\(-[a-zA-Z?]\), --.*/\1/p' "help.$cmd" > "short.$cmd"
	{
		sed -n 's/^ \{1,\}\(-[^ ,=]\{1,\}, \)\{0,1\}\(--[a-z][a-z0-9-]*\)=.*/\2/p' "help.$cmd"
		sed -n 's/^ \{1,\}\(-[a-zA-Z?]\), --[a-z0-9-]*=.*/\1/p' "help.$cmd"
	} > "valued.$cmd"
	# Every command has the common and help options (mkcsr templates has
	# no others): finding them all shows that the help text was read right.
	for opt in --quiet --verbose --json --version --help --usage; do
		grep -qxF -- "$opt" "long.$cmd" ||
			{ cat "help.$cmd" >&2; fail "found no $opt among the long options of mkcsr $cmd --help"; }
	done
	[ "$(wc -l < "short.$cmd")" -ge 3 ] ||
		{ cat "help.$cmd" >&2; fail "found no short options in mkcsr $cmd --help"; }
	cat "long.$cmd" >> all-long-options
	cat "short.$cmd" >> all-short-options

	man_section "$cmd" > "man.$cmd"
	[ -s "man.$cmd" ] || { missing="$missing
  doc/mkcsr.1 has no options section for $cmd"; continue; }
	completion_words "_mkcsr_${cmd}_options" > "completion.$cmd"
	[ -s "completion.$cmd" ] || { missing="$missing
  doc/mkcsr.bash-completion has no _mkcsr_${cmd}_options list"; continue; }

	# Every option of the command is in the manual and in the completion.
	while read -r opt; do
		has_word "man.$cmd" "$opt" || missing="$missing
  mkcsr $cmd $opt is not described with the options of $cmd in doc/mkcsr.1"
		grep -qxF -- "$opt" "completion.$cmd" || missing="$missing
  mkcsr $cmd $opt is not in _mkcsr_${cmd}_options in doc/mkcsr.bash-completion"
	done < "long.$cmd"
	while read -r opt; do
		has_word "man.$cmd" "$opt" || missing="$missing
  mkcsr $cmd $opt is not described with the options of $cmd in doc/mkcsr.1"
	done < "short.$cmd"
	completion_words "_mkcsr_${cmd}_valued" | options_words | sort -u > "completion-valued.$cmd"
	while read -r opt; do
		grep -qxF -- "$opt" "completion-valued.$cmd" || missing="$missing
  mkcsr $cmd $opt takes a value, but _mkcsr_${cmd}_valued in doc/mkcsr.bash-completion does not say so"
	done < "valued.$cmd"
	while read -r opt; do
		grep -qxF -- "$opt" "valued.$cmd" || missing="$missing
  doc/mkcsr.bash-completion completes a value for $cmd $opt, which takes none there"
	done < "completion-valued.$cmd"

	# The other way: what the command's part of the manual and of the
	# completion names exists.
	grep -o -- '--[a-z][a-z0-9-]*' "man.$cmd" | sort -u > "man-options.$cmd"
	[ -s "man-options.$cmd" ] || missing="$missing
  the options section of $cmd in doc/mkcsr.1 names no option"
	while read -r opt; do
		grep -qxF -- "$opt" "long.$cmd" || missing="$missing
  doc/mkcsr.1 describes $opt with the options of $cmd, which mkcsr $cmd --help does not print"
	done < "man-options.$cmd"
	while read -r opt; do
		grep -qxF -- "$opt" "long.$cmd" || missing="$missing
  doc/mkcsr.bash-completion offers $opt for $cmd, which mkcsr $cmd --help does not print"
	done < "completion.$cmd"
done < commands

# No option anywhere in the completion file is unknown to every command.
grep -o -- '--[a-z][a-z0-9-]*' "$COMPLETION" | sort -u > completion-options
while read -r opt; do
	grep -qxF -- "$opt" all-long-options || missing="$missing
  doc/mkcsr.bash-completion names $opt, which no command's --help prints"
done < completion-options

[ -z "$missing" ] || fail "the documentation and the program differ:$missing"
exit 0
