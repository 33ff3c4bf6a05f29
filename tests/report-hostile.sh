#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Hostile text through every output: labels (argv), metric names and units and
# reasons (as a store from elsewhere may hold them) with control characters,
# ESC sequences, XML and Markdown syntax, invalid UTF-8 and 5000 bytes.
# Text: no control character; Markdown: no link, image or HTML; JUnit, SVG:
# well-formed (xmllint); JSON: parses.
. "$top_srcdir/tests/lib.sh"
command -v xmllint >/dev/null || skip "xmllint is not installed (libxml2-utils)"
command -v python3 >/dev/null || skip "python3 is not installed"

ESC=$(printf '\033'); BEL=$(printf '\007'); SOH=$(printf '\001')
nocontrol() { ! grep -q "[$ESC$BEL$SOH]" "$1"; }
evil=$(printf 'L\033[31m\001</testcase>]]>&[x](http://e)![i](http://e)<script>\377\n#h')
long=$(head -c 5000 /dev/zero | tr '\0' 'y')
printf '[experiment]\nrepetitions = 3\nwarmup = 0\nduration = 20ms\nplacement = none, local\n[syscall]\n' > "$T/c.ini"
"$HVBENCH" run --label "$evil" "$T/c.ini" > "$T/run.out" 2>&1 || fail "run A: $(cat "$T/run.out")"
"$HVBENCH" run --label "$long$evil" "$T/c.ini" > "$T/run2.out" 2>&1 || fail "run B"
"$HVBENCH" history getppid_ns > "$T/hist" 2>&1
check 'grep -q "run 1 " "$T/hist" && nocontrol "$T/hist"' "history: a control character reached the terminal: $(od -c "$T/hist" | grep -m3 '033')"
if command -v gnuplot >/dev/null; then # the labels on the x axis
	"$HVBENCH" history getppid_ns --plot "$T/h.svg" > /dev/null 2>&1
	check 'xmllint --noout "$T"/h*.svg 2> "$T/serr"' "history plot not well-formed: $(cat "$T/serr")"
fi
# Metric names, units and a reason from a store written elsewhere.
q "update metrics set name = 'm' || char(27) || '[2J</testcase>]]>&[x](http://e)![i](http://e)<script>' || cast(x'ff' as text) || name, unit = unit || char(7) || '<u>'"
q "update cells set reason = 'r' || char(27) || ']0;title' || char(7) || '[x](http://e)'"

check 'nocontrol "$T/run.out"' "run: a control character reached the terminal"
for cmd in "report 1" "compare 1 2" "show 1" "list" "history getppid_ns"; do
	f="$T/$(echo "$cmd" | tr ' ' _)"
	"$HVBENCH" $cmd > "$f" 2>&1
	check 'nocontrol "$f"' "$cmd: a control character reached the terminal: $(od -c "$f" | grep -m3 '033\|007\|001')"
done
"$HVBENCH" gate --baseline 1 --candidate 2 --junit "$T/g.xml" --markdown "$T/g.md" > "$T/gate.txt" 2>&1
check 'nocontrol "$T/gate.txt"' "gate: a control character reached the terminal"
check 'xmllint --noout "$T/g.xml" 2> "$T/xerr"' "JUnit not well-formed: $(cat "$T/xerr")"
for f in "$T/g.md"; do
	"$HVBENCH" report 1 --format md --output "$T/r.md" 2>/dev/null
	for m in "$f" "$T/r.md"; do
		check '! grep -qF "](http" "$m"' "Markdown link or image: $(grep -F '](http' "$m" | head -2)"
		check '! grep -q "<script\|<u>\|</testcase" "$m"' "Markdown carries HTML"
		check 'nocontrol "$m"' "Markdown carries control characters"
		check 'iconv -f UTF-8 -t UTF-8 "$m" > /dev/null 2>&1' "Markdown is not valid UTF-8"
	done
done
"$HVBENCH" compare 1 2 --format json > "$T/c.json" 2> "$T/jerr"
check 'python3 -m json.tool "$T/c.json" > /dev/null 2>&1' "JSON does not parse: $(head -c 300 "$T/c.json") $(cat "$T/jerr")"
check 'grep -q "getppid_ns" "$T/c.json"' "JSON lost the metrics"
if command -v gnuplot >/dev/null; then
	"$HVBENCH" report 1 --format html --output "$T/c.html" 2> "$T/herr" || fail "html: $(cat "$T/herr")"
	check '! grep -q "<script\|<u>" "$T/c.html"' "HTML carries markup from a label"
	python3 - "$T/c.html" "$T/svg" <<'PY'
import re, sys
html = open(sys.argv[1], encoding="utf-8", errors="strict").read()
for i, s in enumerate(re.findall(r"<svg.*?</svg>", html, re.S)):
    open("%s%d.svg" % (sys.argv[2], i), "w").write(s)
PY
	check '[ $? = 0 ]' "HTML is not valid UTF-8"
	n=0
	for s in "$T"/svg*.svg; do
		[ -e "$s" ] || continue
		n=$((n + 1))
		check 'xmllint --noout "$s" 2> "$T/serr"' "embedded SVG not well-formed: $(cat "$T/serr")"
	done
	check '[ $n -gt 0 ]' "no SVG in the HTML: $(cat "$T/herr")"
fi
done_testing
