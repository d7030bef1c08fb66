#!/bin/sh
# Regenerate the build system from a git checkout.
# The test lists are generated from the files present, so a new test
# only has to be added to tests/, never to a hand-kept list.
set -eu
cd "$(dirname "$0")"
sh tests/gen-tests-am.sh > tests/tests.am.new
mv tests/tests.am.new tests/tests.am
autoreconf --force --install --warnings=all
