#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# make check-lava (issue 21 item 6): a real LAVA on loopback runs hvbench's LAVA job.
# Debian's lava-server (PostgreSQL, gunicorn, lava-scheduler) and lava-dispatcher (lava-worker)
# are started here by PID, without systemd; a QEMU device without KVM (configs/lava/
# qemu-xen-01.jinja2) is added; configs/lava/prepare.sh fills the job's artifacts from the
# lab's cache (Debian's Xen 4.17, dom0 of Debian packages, the guest image); the job
# (configs/lava/xen-hvbench.yaml) boots Xen under QEMU, and LAVA's test shell runs hvbench
# in dom0: a native run and one Xen PV cell. Checked: the job completes, LAVA recorded
# every test case as passed, the store comes back whole from LAVA's log (fetch-results.py)
# and hvbench merge takes it with every sample once (a second merge adds nothing), the
# runs name LAVA and the job as their engine, and the Xen run names Xen 4.17. Lab figures.
# Needs root and lava-server, lava-dispatcher and PostgreSQL (.ci/setup --with-lava).
# usage: check-lava.sh HVBENCH WORKDIR [--timeout SECONDS] [--lava-dir DIR]
set -euo pipefail
usage() { echo "usage: check-lava.sh HVBENCH WORKDIR [--timeout SECONDS] [--lava-dir DIR]" >&2; exit 2; }
[ $# -ge 2 ] || usage
HVBENCH=$1 WORK=$2 TIMEOUT=1800 L=
shift 2
while [ $# -gt 0 ]; do
	[ $# -ge 2 ] || usage
	case $1 in
	--timeout) TIMEOUT=$2 ;;
	--lava-dir) L=$2 ;; # configs/lava: the job, the dictionary, prepare.sh
	*) usage ;;
	esac
	shift 2
done
case $TIMEOUT in "" | *[!0-9]*) usage ;; esac
HERE=$(cd "$(dirname "$0")" && pwd)
# Beside the source tree, else where make install put it (pkgdatadir/lava beside lab/).
for d in "$L" "$HERE/../../configs/lava" "$HERE/../lava"; do
	[ -n "$d" ] && [ -f "$d/xen-hvbench.yaml" ] && { L=$d; break; }
done
[ -f "$L/xen-hvbench.yaml" ] || { echo "check-lava: no configs/lava (give --lava-dir)" >&2; exit 2; }
PY=/usr/bin/python3 # Debian's, which holds LAVA's modules
# Fixed names: a re-run takes its own worker and device over instead of adding more.
WORKER=hvbench-check DEVICE=hvbench-qemu-xen USER_=hvbench-check
MARK="written by hvbench's hv/lab/check-lava.sh"
DEVDICT=/etc/lava-server/dispatcher-config/devices/$DEVICE.jinja2
ENVDIR=/etc/lava-server/dispatcher.d/$WORKER
T_ALL=$(date +%s)

die() { echo "check-lava: FAIL: $*" >&2; exit 1; }
trap 'echo "check-lava: FAIL: $(basename "$0") line $LINENO: a command failed (exit $?)" >&2' ERR
phase() { echo "PHASE $1 $(( $(date +%s) - $2 ))s"; }

[ "$(id -u)" = 0 ] || die "needs root (LAVA's daemons run as lavaserver, its dispatcher as root)"
[ -x "$HVBENCH" ] || die "no hvbench binary at $HVBENCH"
for t in lava-server:lava-server lava-worker:lava-dispatcher gunicorn3:gunicorn pg_ctlcluster:postgresql-common \
	 qemu-system-x86_64:qemu-system-x86 depmod:kmod; do
	command -v "${t%%:*}" > /dev/null || die "${t%%:*} is missing (package ${t#*:}): run .ci/setup --with-lava"
done
"$PY" -c 'import guestfs, lava_dispatcher' 2> /dev/null || die "python3-guestfs or lava-dispatcher is missing: run .ci/setup --with-lava"
mkdir -p "$WORK"
WORK=$(cd "$WORK" && pwd)
# One check at a time on a host: the worker and device names are fixed.
exec 9> /run/lock/hvbench-check-lava.lock
flock -n 9 || die "another check-lava runs on this host (/run/lock/hvbench-check-lava.lock)"
# Files outside WORK: only ours, never another's.
for f in "$DEVDICT" "$ENVDIR/env.yaml"; do
	[ ! -e "$f" ] || grep -qF "$MARK" "$f" || die "$f exists and is not check-lava's: not overwriting it"
done

# ---------------------------------------------------------------- LAVA's server and worker, by PID
pids=() started_pg=
stop_all() {
	local p i
	for p in "${pids[@]}"; do kill -TERM -- "-$p" 2> /dev/null || true; done
	for p in "${pids[@]}"; do
		i=0
		while kill -0 "$p" 2> /dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
		kill -KILL -- "-$p" 2> /dev/null || true
	done
	pids=()
	if [ -n "$started_pg" ]; then pg_ctlcluster $started_pg stop || true; fi
}
trap 'stop_all' EXIT
trap 'exit 1' INT TERM HUP
t=$(date +%s)
if ! pg_lsclusters -h | awk '$4 == "online"' | grep -q .; then
	set -- $(pg_lsclusters -h | head -1)
	[ $# -ge 2 ] || die "no PostgreSQL cluster (pg_lsclusters): run .ci/setup --with-lava"
	pg_ctlcluster "$1" "$2" start || die "pg_ctlcluster $1 $2 start failed"
	started_pg="$1 $2"
fi
LOGS=$WORK/logs
mkdir -p "$LOGS"
chown lavaserver: "$LOGS"
port=$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
URL=http://127.0.0.1:$port
# setsid: each daemon leads its own process group, so a stop takes its children (lava-run, QEMU).
setsid gunicorn3 lava_server.wsgi --log-level INFO --log-file "$LOGS/gunicorn.log" -u lavaserver -g lavaserver \
	--workers 2 --timeout 120 --bind "127.0.0.1:$port" < /dev/null > "$LOGS/gunicorn.out" 2>&1 &
pids+=($!)
setsid lava-server manage lava-scheduler --level DEBUG --log-file "$LOGS/scheduler.log" < /dev/null > "$LOGS/scheduler.out" 2>&1 &
pids+=($!)
i=0
until curl -sf -o /dev/null "$URL/api/v0.2/"; do
	[ $i -lt 600 ] || die "LAVA's server did not answer at $URL in 60 s: $(tail -5 "$LOGS/gunicorn.log")"
	sleep 0.1; i=$((i + 1))
done
manage() { lava-server manage "$@" < /dev/null; }
# Whether LAVA lists NAME (a pattern) among its KIND; read whole (grep -q would leave
# lava-server writing into a closed pipe).
listed() { manage "$1" list ${3:-} > "$LOGS/list.out" && grep -q "$2" "$LOGS/list.out"; }
listed users "^\* $USER_$" || manage users add --superuser --staff --passwd "$(head -c 18 /dev/urandom | base64)" "$USER_" > /dev/null
TOKEN=$(manage tokens add --user "$USER_" --description "check-lava $$" | tail -1)
listed workers "^\* $WORKER " || manage workers add --description "$MARK" "$WORKER" > /dev/null
WTOKEN=$(manage workers details "$WORKER" | sed -n 's/^token *: //p')
[ -n "$WTOKEN" ] || die "no token for worker $WORKER"
listed device-types "^\* qemu " || manage device-types add qemu > /dev/null
{ echo "{# $MARK: configs/lava/qemu-xen-01.jinja2 #}"; cat "$L/qemu-xen-01.jinja2"; } > "$DEVDICT"
chown lavaserver: "$DEVDICT"
if listed devices "^\* $DEVICE " -a; then
	manage devices update --worker "$WORKER" "$DEVICE" > /dev/null
else
	manage devices add --device-type qemu --worker "$WORKER" --description "$MARK" "$DEVICE" > /dev/null
fi
# No health-check job: the check's own job is the device's first.
manage devices update --health GOOD "$DEVICE" > /dev/null
phase lava-server "$t"

# ---------------------------------------------------------------- the job's artifacts
t=$(date +%s)
ART=$WORK/artifacts
sh "$L/prepare.sh" --hvbench "$HVBENCH" --out "$ART" --url "file://$ART" --label check-lava \
	--labdir "$HERE" > "$LOGS/prepare.log" 2>&1 || die "prepare.sh failed: $(tail -5 "$LOGS/prepare.log")"
phase artifacts "$t"

# The worker's environment (LAVA purges lava-run's): libguestfs, which writes the job's
# overlays into dom0's image, under TCG (a /dev/kvm that does not work would crash its
# QEMU), with the kernel prepare.sh unpacked (a CI machine's /boot has none).
mkdir -p "$ENVDIR"
{
	echo "# $MARK"
	echo "purge: true"
	echo "overrides:"
	echo "  LC_ALL: C.UTF-8"
	echo "  LANG: C"
	echo "  PATH: /usr/local/bin:/usr/local/sbin:/bin:/usr/bin:/usr/sbin:/sbin"
	echo "  LIBGUESTFS_BACKEND_SETTINGS: force_tcg"
	sed 's/=/: /; s/^/  /' "$ART/appliance.env"
} > "$ENVDIR/env.yaml"
chown -R lavaserver: "$ENVDIR"
t=$(date +%s)
mkdir -p "$WORK/worker"
setsid lava-worker --name "$WORKER" --url "$URL/" --token "$WTOKEN" --worker-dir "$WORK/worker" \
	--log-file "$LOGS/worker.log" --level DEBUG --ping-interval 2 --job-log-interval 2 \
	< /dev/null > "$LOGS/worker.out" 2>&1 &
pids+=($!)

# ---------------------------------------------------------------- the job, through LAVA's XML-RPC API
export LAVA_RPC="http://$USER_:$TOKEN@127.0.0.1:$port/RPC2"
"$PY" - "$ART/job.yaml" "$WORKER" "$TIMEOUT" "$WORK" <<'EOF' || die "the LAVA job: see above and $LOGS"
import os, sys, time, xmlrpc.client, yaml
job_file, worker, timeout, work = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
rpc = xmlrpc.client.ServerProxy(os.environ["LAVA_RPC"], allow_none=True)
t0 = time.time()
while rpc.scheduler.workers.show(worker)["state"] != "Online":
    if time.time() - t0 > 60:
        sys.exit(f"worker {worker} not online after 60 s")
    time.sleep(1)
def run(attempt):
    """Submits the job and waits for it to finish; its id and its last state."""
    job = rpc.scheduler.jobs.submit(open(job_file).read())
    print(f"check-lava: job {job} submitted (attempt {attempt})", flush=True)
    state, t1 = None, time.time()
    while True:
        j = rpc.scheduler.jobs.show(job)
        if j["state"] != state:
            state = j["state"]
            print(f"check-lava: job {job}: {state} ({time.time() - t1:.0f} s)", flush=True)
        if state == "Finished":
            # LAVA's own reason for an incomplete job is its "job" test case's error.
            results = yaml.safe_load(rpc.results.get_testjob_results_yaml(job))
            j["why"] = next((f"{r['metadata'].get('error_type')} error: {r['metadata'].get('error_msg')}"
                             for r in results if r["suite"] == "lava" and r["name"] == "job"
                             and isinstance(r.get("metadata"), dict) and r["metadata"].get("error_msg")), None)
            j["results"] = results
            return job, j
        if time.time() - t0 > timeout:
            rpc.scheduler.jobs.cancel(job)
            sys.exit(f"job {job} still {state} after {timeout} s in all: canceled")
        time.sleep(5)

job, j = run(1)
# An incomplete job (LAVA's infrastructure or a timeout: a hung dom0, one boot in several
# under TCG, shared/notes/xen-lab.md) is submitted once more, as the lab retries a hang;
# a complete job whose test cases failed is not.
if j["health"] == "Incomplete":
    print(f"check-lava: job {job} incomplete ({j['why']}); its log is "
          f"{work}/job-{job}-output.yaml; submitting it once more", flush=True)
    open(os.path.join(work, f"job-{job}-output.yaml"), "wb").write(rpc.scheduler.jobs.logs(job)[1].data)
    job, j = run(2)
open(os.path.join(work, "job-id"), "w").write(f"{job}\n")
finished, log = rpc.scheduler.jobs.logs(job)
open(os.path.join(work, "job-output.yaml"), "wb").write(log.data)
results = j["results"]
with open(os.path.join(work, "job-results.yaml"), "w") as f:
    yaml.safe_dump(results, f)
got = {(r["suite"].split("_", 1)[-1], r["name"]): r["result"] for r in results}
print(f"check-lava: job {job}: health {j['health']}; test cases: "
      + ", ".join(f"{s}/{n} {r}" for (s, n), r in sorted(got.items())), flush=True)
bad = []
if j["health"] != "Complete":
    bad.append(f"job {job}: health {j['health']}, not Complete ({j['why']})")
for case in ("hvbench-native", "hvbench-xen-pv", "hvbench-db-sent"):
    if got.get(("hvbench-dom0", case)) != "pass":
        bad.append(f"{case}: {got.get(('hvbench-dom0', case), 'not recorded')}")
if bad:
    lines = [(str(e.get("msg")).splitlines() or [""])[0][:300] for e in yaml.safe_load(log.data) or []
             if e.get("lvl") in ("error", "exception") or (e.get("lvl") == "target" and "hvbench" in str(e.get("msg")))]
    for line in lines[-20:]:
        print("  log:", line)
    sys.exit("; ".join(bad))
EOF
phase job "$t"

# ---------------------------------------------------------------- the store back, merged
t=$(date +%s)
JOB=$(cat "$WORK/job-id")
rm -rf "$WORK/back"
"$PY" "$L/fetch-results.py" "$WORK/job-output.yaml" "$WORK/back" > "$LOGS/fetch.log" 2>&1 ||
	die "fetch-results.py: $(cat "$LOGS/fetch.log")"
DB=$WORK/back/$JOB-check-lava.db
[ -s "$DB" ] || die "fetch-results.py brought no $DB: $(cat "$LOGS/fetch.log")"
rm -f "$WORK/merged.db"
"$HVBENCH" merge --db "$WORK/merged.db" "$DB" > "$LOGS/merge1.log" 2>&1 || die "hvbench merge: $(cat "$LOGS/merge1.log")"
"$HVBENCH" merge --db "$WORK/merged.db" "$DB" > "$LOGS/merge2.log" 2>&1 || die "hvbench merge (again): $(cat "$LOGS/merge2.log")"
grep -q "nothing new" "$LOGS/merge2.log" || die "a second merge of the same store added something: $(cat "$LOGS/merge2.log")"
q() { sqlite3 -batch -noheader "$WORK/merged.db" "$1"; }
# Every cell of each run in dom0, every repetition once, as --dry-run plans them.
for b in native xen:pv; do
	want=$("$HVBENCH" run --dry-run --set "experiment.backends=$b" "$L/lava-smoke.ini" | grep -c '^\[[0-9]*\]')
	reps=$(sed -n 's/^repetitions *= *//p' "$L/lava-smoke.ini")
	got=$(q "select count(*) from samples s join cells c on s.cell_id = c.id where s.status = 'ok' and (c.backend = '$b' or c.backend || ':' || c.mode = '$b')")
	[ "$got" = $((want * reps)) ] || die "$b: $got samples ok in the merged store, expected $((want * reps)) ($want cells x $reps)"
	echo "check-lava: $b: $got samples, each once"
done
engines=$(q "select distinct json_extract(host_json, '$.engine.name') || ' ' || json_extract(host_json, '$.engine.job_id') from runs")
[ "$engines" = "lava $JOB" ] || die "the runs' engine: '$engines', expected 'lava $JOB'"
xen=$(q "select distinct json_extract(host_json, '$.xen.hypervisor') from runs r where exists (select 1 from cells c where c.run_id = r.id and c.backend = 'xen')")
case $xen in "Xen 4.17"*) ;; *) die "the Xen run's hypervisor: '$xen', expected Xen 4.17" ;; esac
phase merge "$t"
phase total "$T_ALL"
echo "check-lava: PASS: LAVA job $JOB ($xen under QEMU, TCG) ran hvbench in dom0; its store merged, every sample once"
