#!/bin/sh
# Every fuzzing harness runs every input of its committed corpus
# (tests/fuzz/corpus/<harness>/) once: under make check with the replay
# driver, and the same way in a libFuzzer build (-runs=0).  Under the
# ASan+UBSan build this is CI's sanitizer pass over the corpora.  A crash,
# a sanitizer report or a broken property fails the test; so does a
# harness without a corpus, or a corpus without a harness.

. "$TESTS_SRCDIR/cli/lib.sh"

FUZZ_SRC=$TESTS_SRCDIR/fuzz
FUZZ_BIN=$TESTS_BUILDDIR/fuzz
harnesses=0
for src in "$FUZZ_SRC"/fuzz_*.c; do
	name=$(basename "$src" .c)
	name=${name#fuzz_}
	bin=$FUZZ_BIN/fuzz_$name
	corpus=$FUZZ_SRC/corpus/$name
	[ -x "$bin" ] || fail "$bin was not built (make check builds it)"
	[ -d "$corpus" ] || fail "fuzz_$name has no corpus: $corpus"
	inputs=$(ls -A "$corpus" | wc -l)
	[ "$inputs" -gt 0 ] || fail "the corpus $corpus is empty"
	"$bin" -runs=0 "$corpus" > "$WORK/out" 2> "$WORK/err" ||
		{ tail -n 40 "$WORK/err" >&2; fail "fuzz_$name failed on its corpus"; }
	! grep -q 'runtime error:' "$WORK/err" || { cat "$WORK/err" >&2; fail "fuzz_$name: undefined behaviour"; }
	harnesses=$((harnesses + 1))
done
for dir in "$FUZZ_SRC"/corpus/*/; do
	name=$(basename "$dir")
	[ -e "$FUZZ_SRC/fuzz_$name.c" ] || fail "the corpus $dir has no harness fuzz_$name.c"
done
[ "$harnesses" -ge 6 ] || fail "only $harnesses harnesses found"
