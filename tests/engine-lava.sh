#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# LAVA (issue 21 item 6), without booting anything (the lab boots Xen, not make check):
# - the job configs/lava/xen-hvbench.yaml passes LAVA's own schema (lava_common.schemas,
#   Debian's lava-common), strictly, and a broken copy does not; its images' QEMU
#   arguments name only images of the job, boot Xen with -kernel and dom0 as modules;
# - the device dictionary renders with LAVA's qemu.jinja2 when lava-server's templates are
#   here (LAVA_DEVICE_TYPES, or lava-server installed) and passes LAVA's device schema:
#   x86_64 without KVM; else its variables are read from the template's syntax tree;
# - what the test shell runs in dom0 (dom0-test.sh) runs here natively: the native run,
#   the Xen cell reported skipped outside dom0, the store onto the "console"; from a log
#   in LAVA's YAML form fetch-results.py takes it out whole (a damaged copy is refused),
#   and hvbench merge takes it, twice adding nothing.
# Without lava-common the schema parts are a dry parse of LAVA's required keys, and the
# test ends in a skip that says so.
. "$top_srcdir/tests/lib.sh"
L=$top_srcdir/configs/lava
# Debian's python3 holds lava_common; a python3 first on PATH may be another one.
PY=
for p in python3 /usr/bin/python3; do
	if "$p" -c 'import yaml' 2> /dev/null; then
		[ -z "$PY" ] && PY=$p
		"$p" -c 'import lava_common.schemas' 2> /dev/null && { PY=$p; break; }
	fi
done
[ -n "$PY" ] || skip "no python3 with yaml (python3-yaml)"
skipped=

# 1. The job.
"$PY" - "$L/xen-hvbench.yaml" > "$T/job.out" 2>&1 <<'EOF'
import copy, re, sys, yaml
job = yaml.safe_load(open(sys.argv[1]))
try:
    from lava_common.schemas import validate
except ImportError:
    validate = None
    print("SKIP-PART: lava_common (Debian's lava-common) is not installed: the job was dry-parsed, not validated by LAVA's schema")
# LAVA's required keys, also checked when its schema is here.
for k in ("job_name", "device_type", "timeouts", "visibility", "actions"):
    assert k in job, f"no {k}"
assert "job" in job["timeouts"], "no timeouts.job"
kinds = [next(iter(a)) for a in job["actions"]]
assert all(len(a) == 1 for a in job["actions"]), "an action with two kinds"
assert kinds == ["deploy", "boot", "test"], kinds
if validate:
    validate(job, strict=True)
    for what, broken in (("no visibility", lambda j: j.pop("visibility")),
                         ("an unknown key", lambda j: j.update(hvbench=1)),
                         ("a boot method LAVA lacks", lambda j: j["actions"][1]["boot"].update(method="xen"))):
        j = copy.deepcopy(job)
        broken(j)
        try:
            validate(j, strict=True)
        except Exception:
            continue
        sys.exit(f"LAVA's schema accepted a job with {what}")
    print("LAVA schema: valid")
deploy, boot, test = (a[k] for a, k in zip(job["actions"], kinds))
images = deploy["images"]
assert deploy["to"] == "tmpfs" and boot["method"] == "qemu" and boot["media"] == "tmpfs"
args = " ".join(i.get("image_arg", "") for i in images.values())
for name in re.findall(r"\{(\w+)\}", args):
    assert name in images, f"image_arg names {{{name}}}, not an image of the job"
for name, i in images.items():
    assert "image_arg" in i, f"image {name} has no image_arg: LAVA would not fill {{{name}}}"
assert re.search(r"-kernel \{xen\} -append \"console=com1 ", args), "Xen is not QEMU's -kernel"
assert '-initrd "{kernel} console=hvc0 earlyprintk=xen,{initrd}"' in args, "dom0 is not Xen's modules"
assert "spec-ctrl=eager-fpu" in args, "the lab's eager FPU switching is missing"
assert images["xen"]["url"].endswith("xen-4.17-amd64.gz") and images["xen"]["compression"] == "gz"
assert images["dom0"]["overlays"]["lava"] is True and images["dom0"]["format"] == "ext4"
assert images["dom0"]["overlays"]["hvbench"]["path"] == "/"
assert "-enable-kvm" not in args and job["context"]["no_kvm"] is True
steps = test["definitions"][0]["repository"]["run"]["steps"]
assert any("/srv/hvbench-lava/dom0-test.sh" in s for s in steps), steps
assert boot["prompts"] == ["hvbench-dom0# "]
print("job structure: ok")
EOF
check '[ $? = 0 ]' "the job: $(cat "$T/job.out")"
grep -q '^SKIP-PART' "$T/job.out" && skipped="$skipped; $(sed -n 's/^SKIP-PART: //p' "$T/job.out")"
# dom0-init.sh's prompt is the one the job waits for.
check 'grep -q "PS1=.hvbench-dom0# ." "$L/dom0-init.sh"' "dom0-init.sh's prompt is not the job's"

# 2. The device dictionary.
"$PY" - "$L" > "$T/dev.out" 2>&1 <<'EOF'
import os, sys, yaml
try:
    import jinja2
except ImportError:
    print("SKIP-PART: python3-jinja2 is not installed: the device dictionary was not read")
    sys.exit(0)
here = sys.argv[1]
dirs = [d for d in (os.environ.get("LAVA_DEVICE_TYPES"), "/etc/lava-server/dispatcher-config/device-types",
                    "/usr/share/lava-server/device-types") if d and os.path.isfile(os.path.join(d, "qemu.jinja2"))]
env = jinja2.Environment(loader=jinja2.FileSystemLoader([here] + dirs[:1]), trim_blocks=True, autoescape=False)
src = open(os.path.join(here, "qemu-xen-01.jinja2")).read()
tree = env.parse(src)
assert [n.template.value for n in tree.find_all(jinja2.nodes.Extends)] == ["qemu.jinja2"]
sets = {n.target.name: n.node for n in tree.find_all(jinja2.nodes.Assign)}
assert sets["arch"].value == "x86_64" and sets["no_kvm"].value is True, sets
opts = [i.value for i in sets["extra_options"].items]
assert "-cpu max,-smap" in opts and "-smp 2" in opts, opts
if not dirs:
    print("SKIP-PART: lava-server's qemu.jinja2 is not here (LAVA_DEVICE_TYPES): the dictionary was read, not rendered")
    sys.exit(0)
dev = yaml.safe_load(env.get_template("qemu-xen-01.jinja2").render())
try:
    from lava_common.schemas import device
    device.validate(dev)
except ImportError:
    print("SKIP-PART: lava_common is not installed: the rendered dictionary was not validated")
q = dev["actions"]["boot"]["methods"]["qemu"]["parameters"]
assert q["command"].strip() == "qemu-system-x86_64", q["command"]
assert not any("kvm" in o or "-cpu host" in o for o in q["options"]), q["options"]
assert "-cpu max,-smap" in q["extra"] and "-m 3072" in q["options"], q
print("device dictionary: rendered with", dirs[0], "and valid")
EOF
check '[ $? = 0 ]' "the device dictionary: $(cat "$T/dev.out")"
grep -q '^SKIP-PART' "$T/dev.out" && echo "$(sed -n 's/^SKIP-PART: //p' "$T/dev.out")" >&2

# 3. dom0-test.sh here, as LAVA's test shell would run it (natively: no Xen).
mkdir -p "$T/bin"
ln -s "$HVBENCH" "$T/bin/hvbench"
cat > "$T/bin/lava-test-case" <<EOF
#!/bin/sh
echo "\$*" >> "$T/cases"
EOF
chmod +x "$T/bin/lava-test-case"
PATH="$T/bin:$PATH" HVBENCH_LAVA_DIR="$L" HVBENCH_LAVA_OUT="$T/out" LAVA_JOB_ID=4242 LABEL=cand \
	sh "$L/dom0-test.sh" > "$T/console" 2>&1
check '[ $? = 0 ]' "dom0-test.sh: $(tail -5 "$T/console")"
check 'grep -qx "hvbench-native --result pass" "$T/cases" && grep -qx "hvbench-xen-pv --result skip" "$T/cases" && grep -qx "hvbench-db-sent --result pass" "$T/cases"' \
	"LAVA test cases: $(cat "$T/cases" 2>/dev/null)"
check 'grep -q "^HVBENCH-LAVA-DB begin 4242-cand.db [0-9a-f]\{64\} [0-9]*$" "$T/console"' "no store on the console: $(tail -3 "$T/console")"
# The console as LAVA logs it: YAML entries, the device's lines at level target among others.
"$PY" - "$T/console" "$T/job.yaml" <<'EOF' || fail "cannot write the LAVA log"
import sys, yaml
lines = open(sys.argv[1]).read().splitlines()
log = [{"dt": "2026-12-01T10:00:00.000000", "lvl": "info", "msg": "start: 3.1 lava-test-shell (timeout 00:25:00)"}]
log += [{"dt": "2026-12-01T10:00:01.000000", "lvl": "target", "msg": l + "\r"} for l in lines]
log += [{"dt": "2026-12-01T10:00:02.000000", "lvl": "results", "msg": {"case": "hvbench-native", "result": "pass"}}]
with open(sys.argv[2], "w") as f:  # one entry a line, as LAVA writes output.yaml
    for e in log:
        f.write("- " + yaml.safe_dump(e, default_flow_style=True, width=1 << 20).strip() + "\n")
EOF
"$PY" "$L/fetch-results.py" "$T/job.yaml" "$T/back" > "$T/f" 2>&1
check '[ $? = 0 ] && [ -s "$T/back/4242-cand.db" ] && cmp -s "$T/back/4242-cand.db" "$T/out/4242-cand.db"' "fetch-results: $(cat "$T/f")"
"$HVBENCH" merge --db "$T/merged.db" "$T/back/4242-cand.db" > "$T/m1" 2>&1 || fail "merge: $(cat "$T/m1")"
n=$(sqlite3 "$T/merged.db" "select count(*) from samples s join cells c on s.cell_id = c.id where s.status = 'ok' and c.backend = 'native'")
check '[ "$n" = 2 ]' "merged native samples: $n, expected 2"
check '[ "$(sqlite3 "$T/merged.db" "select json_extract(host_json, \"$.engine.name\") || \" \" || json_extract(host_json, \"$.engine.job_id\") from runs")" = "lava 4242" ]' \
	"the run's engine: $(sqlite3 "$T/merged.db" "select json_extract(host_json, '$.engine') from runs")"
"$HVBENCH" merge --db "$T/merged.db" "$T/back/4242-cand.db" > "$T/m2" 2>&1
check 'grep -q "nothing new" "$T/m2"' "a second merge: $(cat "$T/m2")"
# A damaged copy (a character of the base64 changed) and a cut log are refused.
sed '/^HVBENCH-LAVA-DB begin/{n;s/^./A/;s/^AA/BA/}' "$T/console" > "$T/damaged"
"$PY" "$L/fetch-results.py" "$T/damaged" "$T/back2" > "$T/f" 2>&1; rc=$?
check '[ $rc = 1 ] && grep -q "SHA-256\|not base64\|bytes, expected" "$T/f" && [ ! -e "$T/back2/4242-cand.db" ]' "damaged store: exit $rc, $(cat "$T/f")"
grep -v '^HVBENCH-LAVA-DB end' "$T/console" > "$T/cut"
"$PY" "$L/fetch-results.py" "$T/cut" "$T/back3" > "$T/f" 2>&1; rc=$?
check '[ $rc = 1 ] && grep -q "never ended" "$T/f"' "cut log: exit $rc, $(cat "$T/f")"

[ "$fails" = 0 ] && [ -n "$skipped" ] && skip "${skipped#; }"
done_testing
