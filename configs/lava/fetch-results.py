#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Takes hvbench stores out of a LAVA job's log, for hvbench merge.

configs/lava/dom0-test.sh prints each store gzip'ed and base64'ed between
"HVBENCH-LAVA-DB begin NAME SHA256 BYTES" and "HVBENCH-LAVA-DB end NAME" on
the device's console; LAVA keeps the console in the job's log. The log is
LAVA's YAML (lavacli jobs logs --raw JOB > job.yaml, or the job's
output.yaml on the worker) or plain console text. Each store is checked
against its size and SHA-256 and written as OUTDIR/NAME; exit 0 when at
least one came out whole, 1 when none or a damaged one, 2 on bad usage.

    lavacli jobs logs --raw 1234 > job-1234.yaml
    fetch-results.py job-1234.yaml results/ && hvbench merge results/*.db --db nightly.db
"""
import base64
import gzip
import hashlib
import os
import re
import sys

BEGIN = re.compile(r"HVBENCH-LAVA-DB begin ([A-Za-z0-9._-]+) ([0-9a-f]{64}) ([0-9]+)$")
END = re.compile(r"HVBENCH-LAVA-DB end ([A-Za-z0-9._-]+)$")


def console_lines(path):
    """The device's lines: LAVA's YAML log (its 'target' entries) or plain text."""
    with open(path, encoding="utf-8", errors="replace") as f:
        text = f.read()
    if text.lstrip().startswith("- {") or text.lstrip().startswith("- dt:"):
        import yaml  # python3-yaml; only LAVA's logs need it

        try:
            entries = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        except yaml.YAMLError as exc:
            sys.exit(f"fetch-results: {path}: not a LAVA log: {exc}")
        for e in entries or []:
            if isinstance(e, dict) and e.get("lvl") == "target" and isinstance(e.get("msg"), str):
                yield from e["msg"].splitlines()
        return
    yield from text.splitlines()


def main(argv):
    if len(argv) != 3:
        print("usage: fetch-results.py LAVA-LOG OUTDIR", file=sys.stderr)
        return 2
    log, outdir = argv[1], argv[2]
    if not os.path.isfile(log):
        print(f"fetch-results: {log}: no such file (expected a LAVA job log)", file=sys.stderr)
        return 2
    os.makedirs(outdir, exist_ok=True)
    got, bad, cur = 0, 0, None
    for n, line in enumerate(console_lines(log), 1):
        line = line.strip("\r\n ")
        m = BEGIN.search(line)
        if m:
            cur = {"name": m.group(1), "sha": m.group(2), "size": int(m.group(3)), "b64": [], "line": n}
            continue
        if cur is None:
            continue
        m = END.search(line)
        if not m:
            cur["b64"].append(line)
            continue
        name = cur["name"]
        try:
            data = base64.b64decode("".join(cur["b64"]), validate=True)
        except ValueError as exc:
            data, why = b"", f"not base64: {exc}"
        else:
            why = None
        if why is None and len(data) != cur["size"]:
            why = f"{len(data)} bytes, expected {cur['size']}"
        if why is None and hashlib.sha256(data).hexdigest() != cur["sha"]:
            why = f"SHA-256 {hashlib.sha256(data).hexdigest()}, expected {cur['sha']}"
        if why or m.group(1) != name:
            why = why or f"ends as {m.group(1)}"
            print(f"fetch-results: {log}: store {name} (from line {cur['line']}): {why}", file=sys.stderr)
            bad += 1
        else:
            dest = os.path.join(outdir, name)
            with open(dest, "wb") as f:
                f.write(gzip.decompress(data))
            print(f"{dest}: {len(data)} bytes gzip'ed, SHA-256 checked")
            got += 1
        cur = None
    if cur is not None:
        print(f"fetch-results: {log}: store {cur['name']} (from line {cur['line']}) never ended: the log is cut",
              file=sys.stderr)
        bad += 1
    if not got and not bad:
        print(f"fetch-results: {log}: no HVBENCH-LAVA-DB store in the log", file=sys.stderr)
    return 0 if got and not bad else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
