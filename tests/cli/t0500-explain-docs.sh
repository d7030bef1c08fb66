#!/bin/sh
# The documentation of mkcsr explain shows what the program prints:
# README.md's "Explaining Windows error codes" example is exactly the output
# of "mkcsr explain -2146762495", and each line of the man page's example
# (doc/mkcsr.1, "What is printed") is that output's line, or its beginning
# where the man page cuts it short with "...".

. "$TESTS_SRCDIR/cli/lib.sh"

README="$TESTS_SRCDIR/../README.md"
MANPAGE="$TESTS_SRCDIR/../doc/mkcsr.1"
[ -r "$README" ] || fail "$README is missing"
[ -r "$MANPAGE" ] || fail "$MANPAGE is missing"

run 0 explain -2146762495
cp "$WORK/out" real

# README.md: the fenced block that starts with "$ mkcsr explain -2146762495".
awk '
	on && /^```$/ { exit }
	on { print }
	$0 == "$ mkcsr explain -2146762495" { on = 1 }' "$README" > readme
[ -s readme ] || fail "README.md has no example of mkcsr explain -2146762495"
diff -u readme real >&2 || fail "README.md's example of mkcsr explain -2146762495 is not what it prints (- README, + mkcsr)"

# The man page: the .EX block after "$ mkcsr explain \-2146762495", with
# roff's escapes undone.
awk '
	on && /^\.EE$/ { exit }
	on { print }
	$0 == "$ mkcsr explain \\-2146762495" { on = 1 }' "$MANPAGE" |
	sed -e 's/\\-/-/g' -e "s/\\\\(aq/'/g" > man.example
[ -s man.example ] || fail "doc/mkcsr.1 has no example of mkcsr explain -2146762495"
[ "$(wc -l < man.example)" -eq "$(wc -l < real)" ] || fail "the man page's example has $(wc -l < man.example) lines, mkcsr prints $(wc -l < real)"
i=0
while IFS= read -r line; do
	i=$((i + 1))
	want=$(sed -n "${i}p" real)
	case $line in
	*' ...') prefix=${line% ...}
		case $want in
		"$prefix"*) ;;
		*) fail "man page line $i: '$line' does not begin line $i of the output: '$want'" ;;
		esac ;;
	*) [ "$line" = "$want" ] || fail "man page line $i: '$line'; mkcsr prints '$want'" ;;
	esac
done < man.example
exit 0
