#!/bin/sh
# Benchmark of mkcsr batch, in one run on one machine (not a test: it
# asserts nothing, it prints):
#   - hosts/s of "mkcsr batch" for HOSTS (10,000) hosts, --jobs 1 and
#     --jobs = CPUs, in a directory of this file system (durable files) and
#     on a tmpfs (/dev/shm, where syncing costs nothing: the CPU's share);
#   - hosts/s of a shell loop of "mkcsr new" and of "openssl req" (LOOP hosts);
#   - the raw limit: raw-keysign.c (EVP P-256 keygen + ECDSA-SHA256 sign);
#   - instructions per host under callgrind, (1000 hosts - 100 hosts) / 900,
#     against the raw program's, the same way;
#   - peak RSS at 100 and at HOSTS hosts.
#
#   sh tests/bench/bench-batch.sh [PATH-TO-MKCSR]     (or: make bench-batch)
set -eu

MKCSR=${1:-${MKCSR:-mkcsr}}
# A relative path still names the program once the benchmark is in its scratch directory.
case $MKCSR in */*) MKCSR=$(cd "$(dirname "$MKCSR")" && pwd)/$(basename "$MKCSR") ;; esac
HOSTS=${HOSTS:-10000}
LOOP=${LOOP:-200}
SRC=$(cd "$(dirname "$0")" && pwd)
CPUS=$(nproc)
WORK=$(mktemp -d "${BENCH_DIR:-${TMPDIR:-/tmp}}/mkcsr-bench.XXXXXX")
SHM=
trap 'rm -rf "$WORK" ${SHM:+"$SHM"}' EXIT
cd "$WORK"

cc -O2 "$SRC/raw-keysign.c" -o raw-keysign $(pkg-config --cflags --libs libcrypto)
seq -f 'h%g.example.com' 1 "$HOSTS" > hosts
seq -f 'h%g.example.com' 1 1000 > hosts1000
seq -f 'h%g.example.com' 1 100 > hosts100

now_ns() { date +%s%N; }
rate() { awk -v n="$1" -v ns="$2" 'BEGIN { printf "%.0f", n / (ns / 1e9) }'; }

# batch_rate DIR JOBS [FILE N]: hosts/s of mkcsr batch for the hosts of FILE
# (default: all HOSTS) into DIR, a directory that did not exist (deleting
# thousands of files just before makes ext4's inode allocator slow), with
# the CPU time it took: what is left of the wall time is waiting (disk, sync).
batch_rate() {
	mkdir "$1"
	/usr/bin/time -f '%e %U %S' -o "$1.time" "$MKCSR" batch "${3:-hosts}" -q --jobs "$2" -o "$1"
	awk -v n="${4:-$HOSTS}" '{ printf "%.0f hosts/s (wall %.2f s; CPU %.2f s user + %.2f s system = %.0f hosts per CPU-second)",
		n / $1, $1, $2, $3, (($2 + $3) > 0 ? n / ($2 + $3) : 0) }' "$1.time"
}

echo "mkcsr:      $("$MKCSR" --version)"
echo "machine:    $CPUS CPUs, $(uname -m); files in $(df -PT "$WORK" | awk 'NR == 2 { print $2 }') ($WORK)"
echo
raw=$(./raw-keysign 5000)
echo "raw limit (raw-keysign.c, one thread):        $raw keys+signatures/s; x $CPUS CPUs = $((raw * CPUS))"
echo "target, batch --jobs $CPUS (half of that):        $((raw * CPUS / 2)) hosts/s"
echo
echo "mkcsr batch, $HOSTS hosts, durable (syncfs per group), --jobs 1: $(batch_rate d1 1)"
echo "mkcsr batch, $HOSTS hosts, durable (syncfs per group), --jobs $CPUS: $(batch_rate d2 "$CPUS")"
echo "  1000 hosts, syncfs per group, --jobs $CPUS:          $(batch_rate d3 "$CPUS" hosts1000 1000)"
echo "  1000 hosts, fsync per file (MKCSR_BATCH_SYNC=fsync): $(MKCSR_BATCH_SYNC=fsync batch_rate d4 "$CPUS" hosts1000 1000)"
if [ -d /dev/shm ] && SHM=$(mktemp -d /dev/shm/mkcsr-bench.XXXXXX 2> /dev/null); then
	echo "  on tmpfs (no disk: the CPU's share), --jobs 1: $(batch_rate "$SHM/s1" 1)"
	echo "  on tmpfs (no disk: the CPU's share), --jobs $CPUS: $(batch_rate "$SHM/s2" "$CPUS")"
	rm -rf "$SHM"/s1 "$SHM"/s2
fi
echo

mkdir loop
start=$(now_ns)
head -n "$LOOP" hosts | while read -r h; do "$MKCSR" new -q --host "$h" -o loop; done
echo "shell loop of mkcsr new, $LOOP hosts:           $(rate "$LOOP" $(($(now_ns) - start))) hosts/s"
start=$(now_ns)
head -n "$LOOP" hosts | while read -r h; do
	openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=$h" \
		-addext "subjectAltName=DNS:$h" -addext extendedKeyUsage=serverAuth \
		-keyout "loop/$h.o.key" -out "loop/$h.o.csr" 2> /dev/null
done
echo "shell loop of openssl req, $LOOP hosts:         $(rate "$LOOP" $(($(now_ns) - start))) hosts/s"
rm -rf loop
echo

# instructions FILE: the total Ir of a callgrind output file.
instructions() { awk '/^summary:/ { print $2 }' "$1"; }
if command -v valgrind > /dev/null 2>&1; then
	for n in 100 1000; do
		rm -rf "cg$n"; mkdir "cg$n"
		valgrind --tool=callgrind --callgrind-out-file="cg.batch.$n" "$MKCSR" batch "hosts$n" -q --jobs 1 -o "cg$n" > /dev/null 2>&1
		valgrind --tool=callgrind --callgrind-out-file="cg.raw.$n" ./raw-keysign "$n" > /dev/null 2>&1
	done
	b=$(( ($(instructions cg.batch.1000) - $(instructions cg.batch.100)) / 900 ))
	r=$(( ($(instructions cg.raw.1000) - $(instructions cg.raw.100)) / 900 ))
	echo "instructions per host (callgrind, (1000 - 100) / 900): batch $b, raw $r, ratio $(awk -v a="$b" -v b="$r" 'BEGIN { printf "%.2f", a / b }') (target: at most 2.00)"
	rm -rf cg100 cg1000
else
	echo "instructions per host: valgrind is not installed"
fi

# peak_rss NAME FILE: peak RSS in KiB of a batch of FILE's hosts (--jobs = CPUs) into a new directory.
peak_rss() {
	mkdir "rss$1"
	/usr/bin/time -f %M -o "rss$1.kb" "$MKCSR" batch "$2" -q --jobs "$CPUS" -o "rss$1"
	cat "rss$1.kb"
}
r100=$(peak_rss 100 hosts100)
rn=$(peak_rss all hosts)
echo "peak RSS: 100 hosts $r100 KiB, $HOSTS hosts $rn KiB, ratio $(awk -v a="$rn" -v b="$r100" 'BEGIN { printf "%.2f", a / b }') (target: at most 1.50)"
