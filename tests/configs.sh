#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Every example experiment file in configs/ is valid, and plans something; every
# case file in tests/data/cases/configs/ (each one's first line says what is wrong
# and what is expected) gets exactly its expected outcome: accepted with the
# values a person reads in it, or exit 2 naming the line and the reason, with
# nothing written.
. "$top_srcdir/tests/lib.sh"
# These checks read what the text says, not how it wraps: wide enough for one line per item.
export COLUMNS=1000
for f in "$top_srcdir"/configs/*.ini; do
	"$HVBENCH" run --dry-run "$f" > "$T/plan" 2> "$T/err" || fail "$f: $(cat "$T/err")"
	grep -q "estimated duration" "$T/plan" || fail "$f: no plan"
done

# file | exit code | line named (2) | what stderr (2) or the plan (0) shows, an ERE
cat > "$T/expect" <<'EOF'
bad-01-unknown-key.ini|2|7|did you mean 'repetitions'
bad-02-out-of-range.ini|2|3|an integer in \[1, 10000\]
bad-03-unknown-workload.ini|2|7|did you mean 'memlat'
bad-04-unknown-placement.ini|2|7|expected one of none, auto
bad-05-not-key-value.ini|2|8|syntax error
bad-06-size-bad-unit.ini|2|8|a size such as
bad-07-duration-bad-unit.ini|2|5|a time such as
bad-08a-duplicate-section.ini|2|9|section \[memlat\] appears twice \(first at line 7\)
bad-08b-duplicate-key.ini|2|7|repetitions is given twice
bad-09-empty.ini|2||no workload section
bad-09b-truly-empty.ini|2||no workload section
bad-10-binary.ini|2|2|a NUL byte
bad-10b-binary-nonul.ini|2|2|not UTF-8 text
bad-11b-long-comment-injects-key.ini|0||^repetitions: 3$
bad-11c-long-comment-silent-key.ini|0||^repetitions: 5$
bad-11d-long-name.ini|2|3|this line is 237 characters long: .* at most 198
bad-12-bom.ini|0||^experiment bom: 1 cells, 0 warm-up samples per cell, 0.1s per sample, timeout 5s$
bad-12-bom.ini|0||^repetitions: 3$
bad-13-crlf.ini|0||^experiment crlf: 1 cells, 0 warm-up samples per cell, 0.1s per sample, timeout 5s$
bad-13-crlf.ini|0||^repetitions: 3$
bad-14-negative-reps.ini|2|3|an integer in \[1, 10000\]
bad-15-list-where-one.ini|2|5|duration takes one value
bad-16-wrong-workload-option.ini|2|9|unknown key 'iodepth'; valid keys: sizes
bad-18-indented-key.ini|0||^experiment indent: 1 cells, 0 warm-up samples per cell, 0.1s per sample
bad-18-indented-key.ini|0||^repetitions: 3$
bad-19-timeout-le-duration.ini|2|5|timeout \(1s\) must be longer than duration \(2s\)
bad-21-float-reps.ini|2|3|expected an integer
bad-22-hex-reps.ini|2|3|expected an integer .*without 0x
bad-23-huge-memory.ini|2|7|'1e30G' is not valid for memory
bad-24-nan-duration.ini|2|5|'nan' is not valid for duration
bad-25-probe-unknown.ini|2|7|did you mean 'perf'
bad-26-octal-vcpus.ini|2|7|'010' is not valid for vcpus: .*leading zeros
bad-27-size-trailing-garbage.ini|2|8|'16KiBx' is not valid for sizes
bad-28-key-outside-section.ini|2|2|outside any section
bad-29-empty-value.ini|2|8|sizes needs at least one value
bad-30-colon-separator.ini|0||, 0.1s per sample,
bad-32-octal-vcpus-overflow.ini|2|7|'02000' is not valid for vcpus: .*leading zeros
bad-35-duplicate-probe.ini|2|6|probes: 'steal' is given twice
bad-36-matrix-over-limit.ini|2||more than 100000 cells
bad-37-long-list-line.ini|2|8|this line is [0-9]+ characters long
bad-40-cr-only.ini|2|1|a carriage return inside the line
bad-41-section-trailing-text.ini|2|3|text after '\]': 'repetitions = 7'
bad-42-spaced-section.ini|0||^repetitions: 3$
bad-43-continuation.ini|2|8|does not continue the one above
bad-44-nbsp-in-list.ini|2|7|column 13: .*U\+00A0
bad-45-lookalike-key.ini|2|3|a key has only letters
bad-46-long-section-name.ini|2|3|is 70 characters long: at most 49
bad-47-duplicate-matrix-value.ini|2|4|'1024M' is given twice \(first as '1G'\)
bad-48-bom-inside.ini|2|5|U\+FEFF
bad-49-inline-comments.ini|0||^experiment run #3: 
bad-49-inline-comments.ini|0||^repetitions: 3$
bad-50-leading-zero-size.ini|2|4|'01G' is not valid for memory: .*leading zeros
bad-51-tabs.ini|0||^repetitions: 3$
bad-52-long-name.ini|2|3|name is 150 characters long: at most 127
bad-53-control-char.ini|2|3|control character 0x1b
bad-54-fraction-sizes.ini|0||memlat sizes=4608,16K,1536K,512M 
bad-57-size-si-suffix.ini|2|7|'1.5MB' is ambiguous for sizes: MB is 1000 bytes to SI.*; write 1.5M \(binary, 1024\)
bad-58-size-spellings.ini|0||memlat sizes=16K,256K,4M hugepages=off 
bad-59-auto-caps.ini|2|7|'AUTO' is not valid for size: expected .*, or auto \(did you mean 'auto'\?\)$
bad-60-section-capitals.ini|2|2|\[Experiment\]: no workload 'Experiment' \(did you mean 'experiment'\?\)
bad-61-far-key.ini|2|6|\[probe.steal\]: unknown key 'foo'; valid keys: root$
bad-55-duplicate-workload-key.ini|2|8|\[b\]: workload is given twice \(first at line 7\)
bad-56-section-name-50.ini|2|7|is 50 characters long: at most 49
bad-time-above-max.ini|2|6|'100000s' is not valid for timeout: expected a time such as .*, from 0.01s to 86400s
bad-wl-forkexec-busy-negative.ini|2|8|'-1' is not valid for busy: expected an integer in \[0, 4096\], or auto
bad-wl-futexhash-key.ini|2|8|unknown key 'futex' \(did you mean 'futexes'\?\); valid keys: threads, futexes, shared
bad-wl-mmaplock-region-small.ini|2|9|'4K' is not valid for region: expected a size such as .*, from 64K to 16G
bad-wl-tlbshoot-pages-zero.ini|2|8|'0' is not valid for pages: expected an integer in \[1, 262144\]
bad-bool-yes.ini|2|6|\[experiment\] 'yes' is not valid for hap: expected on or off \(did you mean 'on'\?\)$
bad-bool-auto-true.ini|2|6|'true' is not valid for feature_persistent: expected on or off, or auto \(did you mean 'on'\?\)$
bad-wl-bool-zero.ini|2|7|\[memlat\] '0' is not valid for hugepages: expected on or off \(did you mean 'off'\?\)$
EOF

# Outcome of one file: exit code, and the line and reason named on stderr (or
# the plan on stdout). check evaluates its condition: the values go in globals.
expect() { # file code line ere
	"$HVBENCH" run --dry-run "$1" > "$T/out" 2> "$T/err"
	rc=$? name=$(basename "$1") ere=$4 where="$1${3:+:$3}: "
	if [ "$2" = 0 ]; then
		check '[ $rc = 0 ] && grep -Eq -- "$ere" "$T/out"' "$name: exit $rc, expected 0 and /$ere/: $(cat "$T/err" "$T/out")"
		return
	fi
	check '[ $rc = 2 ] && grep -Fq -- "$where" "$T/err" && grep -Eq -- "$ere" "$T/err"' \
		"$name: exit $rc, expected 2 naming '$where' and /$ere/: $(cat "$T/err")"
	# The real run refuses the same way, before it writes anything.
	"$HVBENCH" run "$1" > /dev/null 2>&1
	rc=$?
	check '[ $rc = 2 ] && [ ! -e "$HVBENCH_DB" ]' "$name: a real run exited $rc or wrote $HVBENCH_DB"
	rm -f "$HVBENCH_DB" "$HVBENCH_DB-wal" "$HVBENCH_DB-shm"
}

cases="$top_srcdir/tests/data/cases/configs"
for f in "$cases"/*.ini; do
	name=$(basename "$f")
	grep -q "^$name|" "$T/expect" || fail "$name: no expected outcome in tests/configs.sh"
done
while IFS='|' read -r name code line ere; do
	[ -e "$cases/$name" ] || { fail "$name: no such case file"; continue; }
	expect "$cases/$name" "$code" "$line" "$ere"
done < "$T/expect"

# Files too big to be experiment files are refused whole, never cut: one just under
# the limit is read to its last line (and its bad key there is named), one over it
# (as in the field: over 32 MiB) is refused as a whole, however it ends.
big() { # bytes: comment lines up to about that size, then a bad key
	{ printf '[experiment]\nrepetitions = 3\n'; yes '; padding padding padding padding padding padding padding' |
		head -c "$1" | sed '$d'; printf '\n[memlat]\nrepetitons = 3\n'; } > "$T/big.ini"
}
big $((16 * 1024 * 1024 - 4096))
last=$(wc -l < "$T/big.ini")
expect "$T/big.ini" 2 "$last" "unknown key 'repetitons'"
big $((33 * 1024 * 1024))
expect "$T/big.ini" 2 "" "larger than 16 MiB"
rm -f "$T/big.ini"

# The same integers on the command line; the rules are in the help.
"$HVBENCH" topo --vcpus 010 > /dev/null 2> "$T/err"
rc=$?
check '[ $rc = 2 ] && grep -q "expected an integer in \[1, 1024\], in decimal" "$T/err"' "topo --vcpus 010: $(cat "$T/err")"
"$HVBENCH" help experiment > "$T/out"
check 'grep -q "at most 198 characters" "$T/out" && grep -q "without leading zeros" "$T/out"' "help experiment: no syntax"
check '[ ! -e "$HVBENCH_DB" ]' "dry runs wrote a database"
done_testing
