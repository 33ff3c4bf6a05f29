/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The xen backend without a hypervisor: Xen topologies given as data, placement
 * layouts and their verification, the 'u' debug key's output, leftover
 * detection, and guest spec -> libxl domain config for each mode, compared in
 * libxl's own JSON form with tests/data/xen/config-*.json.
 * `unit-xen --dump NAME` prints the JSON a case produces (to review a change). */
#include "config.h"
#include <unistd.h>
#include <sys/wait.h>
#include <jansson.h>
#include <stdlib.h>
#include "hv/xen-internal.h"
#include "tests/check.h"

static char datadir[4096];

static struct hvb_topo *topo(const char *name)
{
	char path[4200];
	snprintf(path, sizeof(path), "%s/%s", datadir, name);
	return hvb_xen_topo_load_json(path);
}

static const char *fmt(const struct hvb_cpuset *s)
{
	static char buf[4][256];
	static int i;
	i = (i + 1) % 4;
	hvb_cpuset_format(s, buf[i], sizeof(buf[i]));
	return buf[i];
}

static void test_topology(const struct hvb_topo *lab, const struct hvb_topo *four)
{
	CHECK(lab->nnodes == 2 && lab->npus == 2 && lab->ncores == 2 && lab->npackages == 2);
	CHECK(!strcmp(fmt(&lab->nodes[0].cpus), "0") && !strcmp(fmt(&lab->nodes[1].cpus), "1"));
	CHECK(lab->nodes[1].mem_bytes == 1610612736ULL && lab->nodes[1].free_bytes == 1342177280ULL);
	CHECK(hvb_topo_distance(lab, 0, 1) == 20 && hvb_topo_distance(lab, 1, 1) == 10);
	CHECK_STR_HAS(lab->source, "xen-json:");

	/* The offline pCPU 15 is neither allowed nor on a node. */
	CHECK(four->nnodes == 4 && four->npus == 15 && four->ncores == 8 && four->npackages == 2);
	CHECK(!strcmp(fmt(&four->allowed), "0-14") && !strcmp(fmt(&four->nodes[3].cpus), "12-14"));
	CHECK(four->nodes[3].ncpus == 3 && hvb_topo_distance(four, 0, 1) == 12 && hvb_topo_distance(four, 1, 2) == 20);
	CHECK(hvb_xen_topo_load_json("/nonexistent/topo.json") == NULL);
}

static int layout(const struct hvb_topo *t, enum hvb_placement_kind k, int vcpus, struct hvb_placement *p,
		  struct hvb_xen_layout *l)
{
	char why[512];
	int rc = hvb_placement_plan(t, k, vcpus, 7, p, why, sizeof(why));
	return rc < 0 ? rc : hvb_xen_layout(p, t, vcpus, l, why, sizeof(why));
}

static void test_layouts(const struct hvb_topo *lab, const struct hvb_topo *four)
{
	struct hvb_placement p;
	struct hvb_xen_layout l;

	CHECK(layout(lab, HVB_PL_NONE, 1, &p, &l) == 0 && !l.numa_placement && !hvb_cpuset_count(&l.nodemap) &&
	      !hvb_cpuset_count(&l.hard[0]));
	CHECK(layout(lab, HVB_PL_AUTO, 2, &p, &l) == 0 && l.numa_placement && !hvb_cpuset_count(&l.mem_nodes));
	/* local: pinned at build, memory with the CPUs. */
	CHECK(layout(lab, HVB_PL_LOCAL, 1, &p, &l) == 0 && !strcmp(fmt(&l.build_hard), "0") && !strcmp(fmt(&l.nodemap), "0") &&
	      !l.pin_after_create);
	/* remote: memory on node 1 at build, vCPUs pinned to node 0 afterwards. */
	CHECK(layout(lab, HVB_PL_REMOTE, 1, &p, &l) == 0 && !strcmp(fmt(&l.nodemap), "1") && !strcmp(fmt(&l.mem_nodes), "1") && l.pin_after_create &&
	      !hvb_cpuset_count(&l.build_hard) && !strcmp(fmt(&l.hard[0]), "0"));
	/* split: two virtual nodes over the two physical ones. */
	CHECK(layout(lab, HVB_PL_SPLIT, 2, &p, &l) == 0 && l.vnodes == 2 && l.vnode_pnode[0] == 0 &&
	      l.vnode_pnode[1] == 1 && !strcmp(fmt(&l.hard[0]), "0") && !strcmp(fmt(&l.hard[1]), "1") &&
	      !strcmp(fmt(&l.nodemap), "0-1"));
	/* split, vnuma = off: no virtual nodes, the same pinning, memory over both nodes. */
	hvb_xen_layout_hide_vnuma(&l);
	CHECK(l.vnodes == 0 && !strcmp(fmt(&l.hard[0]), "0") && !strcmp(fmt(&l.hard[1]), "1") &&
	      !strcmp(fmt(&l.nodemap), "0-1") && !strcmp(fmt(&l.mem_nodes), "0-1"));
	CHECK(layout(lab, HVB_PL_LOCAL, 2, &p, &l) == HVB_ESKIP); /* one pCPU per node */
	/* Four nodes: split of 4 vCPUs takes node 0 and its nearest (1, distance 12). */
	CHECK(layout(four, HVB_PL_SPLIT, 4, &p, &l) == 0 && l.vnode_pnode[0] == 0 && l.vnode_pnode[1] == 1 &&
	      !strcmp(fmt(&l.hard[0]), "0-1") && !strcmp(fmt(&l.hard[1]), "0-1") && !strcmp(fmt(&l.hard[3]), "4-5"));
	CHECK(layout(four, HVB_PL_REMOTE, 4, &p, &l) == 0 && !strcmp(fmt(&l.nodemap), "1") && !strcmp(fmt(&l.hard[2]), "0-3"));
	/* random: the same seed, the same pCPUs. */
	struct hvb_placement p2;
	struct hvb_xen_layout l2;
	CHECK(layout(four, HVB_PL_RANDOM, 3, &p, &l) == 0 && layout(four, HVB_PL_RANDOM, 3, &p2, &l2) == 0 &&
	      hvb_cpuset_equal(&l.hard[0], &l2.hard[0]) && hvb_cpuset_count(&l.hard[0]) == 3 && hvb_cpuset_count(&l.nodemap));
}

static void test_verify(const struct hvb_topo *lab)
{
	struct hvb_placement p;
	struct hvb_xen_layout l;
	struct hvb_xen_seen s;
	char why[512] = "";

	layout(lab, HVB_PL_REMOTE, 1, &p, &l);
	memset(&s, 0, sizeof(s));
	s.vcpus = 1;
	hvb_cpuset_set(&s.hard[0], 0);
	hvb_cpuset_parse("1", &s.node_affinity);
	s.have_pages = 1;
	s.pages[1] = s.total_pages = 65536;
	CHECK(hvb_xen_layout_verify(&l, &s, why, sizeof(why)) == 1);
	s.pages[0] = 12;
	CHECK(hvb_xen_layout_verify(&l, &s, why, sizeof(why)) == 0);
	CHECK_STR_HAS(why, "12 of the domain's 65536 pages are on node 0, the placement asked for node 1");
	s.pages[0] = 0;
	hvb_cpuset_set(&s.hard[0], 1);
	CHECK(hvb_xen_layout_verify(&l, &s, why, sizeof(why)) == 0);
	CHECK_STR_HAS(why, "vCPU 0 hard affinity is pCPUs 0-1, the placement asked for 0");
	memset(&s.hard[0], 0, sizeof(s.hard[0]));
	hvb_cpuset_set(&s.hard[0], 0);
	s.have_pages = 0;
	CHECK(hvb_xen_layout_verify(&l, &s, why, sizeof(why)) == 0);
	CHECK_STR_HAS(why, "could not be read back");

	/* split: memory must be on both nodes. */
	layout(lab, HVB_PL_SPLIT, 2, &p, &l);
	memset(&s, 0, sizeof(s));
	s.vcpus = 2;
	hvb_cpuset_set(&s.hard[0], 0);
	hvb_cpuset_set(&s.hard[1], 1);
	hvb_cpuset_parse("0-1", &s.node_affinity);
	s.have_pages = 1;
	s.pages[0] = s.total_pages = 65536;
	CHECK(hvb_xen_layout_verify(&l, &s, why, sizeof(why)) == 0);
	CHECK_STR_HAS(why, "memory is on node 0, the placement asked for it on each of 0-1");
	s.pages[0] = s.pages[1] = 32768;
	CHECK(hvb_xen_layout_verify(&l, &s, why, sizeof(why)) == 1);
	/* hidden (vnuma = off): still memory on both nodes, verified the same way */
	hvb_xen_layout_hide_vnuma(&l);
	CHECK(hvb_xen_layout_verify(&l, &s, why, sizeof(why)) == 1);
	s.pages[0] = 65536;
	s.pages[1] = 0;
	CHECK(hvb_xen_layout_verify(&l, &s, why, sizeof(why)) == 0);
	CHECK_STR_HAS(why, "memory is on node 0, the placement asked for it on each of 0-1");
	s.pages[0] = s.pages[1] = 32768;
	s.vcpus = 3;
	CHECK(hvb_xen_layout_verify(&l, &s, why, sizeof(why)) == 0);
	CHECK_STR_HAS(why, "has 3 vCPUs, 2 were asked");
}

static void test_numa_dump(void)
{
	char path[4200], *text;
	uint64_t pages[HVB_MAX_NODES], total = 0;
	FILE *f;
	long n;

	snprintf(path, sizeof(path), "%s/debug-keys-u.txt", datadir);
	CHECK((f = fopen(path, "r")) != NULL);
	if (!f)
		return;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	text = calloc(1, (size_t)n + 1);
	CHECK(fread(text, 1, (size_t)n, f) == (size_t)n);
	fclose(f);
	/* The last dump counts: domain 3 moved to node 1 since the first. */
	CHECK(hvb_xen_parse_numa_dump(text, 3, pages, HVB_MAX_NODES, &total) == 0 && total == 65536 &&
	      pages[0] == 0 && pages[1] == 65536);
	CHECK(hvb_xen_parse_numa_dump(text, 4, pages, HVB_MAX_NODES, &total) == 0 && pages[0] == 32768 &&
	      pages[1] == 32768);
	CHECK(hvb_xen_parse_numa_dump(text, 0, pages, HVB_MAX_NODES, &total) == 0 && pages[1] == 177623);
	CHECK(hvb_xen_parse_numa_dump(text, 9, pages, HVB_MAX_NODES, &total) == HVB_ENOENT);
	CHECK(hvb_xen_parse_numa_dump("(XEN) nothing here\n", 0, pages, HVB_MAX_NODES, &total) == HVB_ENOENT);
	/* Later Xen prints "d3" and timestamps. */
	CHECK(hvb_xen_parse_numa_dump("(XEN) [  5.1] Memory location of each domain:\n(XEN) [  5.1] d3 (total: 10):\n"
				      "(XEN) [  5.1]     Node 1: 10\n",
				      3, pages, HVB_MAX_NODES, &total) == 0 &&
	      pages[1] == 10 && total == 10);
	free(text);
}

static int alive_if_42(const char *owner) { return !strcmp(owner, "42:1000"); }

/* Free memory on the placement's nodes, with the figures when short. */
static void test_node_memory(void)
{
	const uint64_t free_bytes[2] = { 300ULL << 20, 1200ULL << 20 };
	char why[512] = "";
	hvb_nodeset n1, n01, n0;

	hvb_cpuset_parse("1", &n1);
	hvb_cpuset_parse("0-1", &n01);
	hvb_cpuset_parse("0", &n0);
	CHECK(hvb_xen_nodes_have(free_bytes, 2, &n1, 520ULL << 20, why, sizeof(why)) == 1);
	CHECK(hvb_xen_nodes_have(free_bytes, 2, &n01, 1400ULL << 20, why, sizeof(why)) == 1);
	CHECK(hvb_xen_nodes_have(free_bytes, 2, &n0, 520ULL << 20, why, sizeof(why)) == 0);
	CHECK_STR_HAS(why, "needs 520 MiB on node(s) 0 and they have 300 MiB free");
	CHECK_STR_HAS(why, "1: 1200 MiB");
}

/* The dom0 iperf3 server: listens, stops, and dies with the process that started it. */
static void test_iperf3_server(void)
{
	char why[512] = "", log[] = "/tmp/hvb-unit-xen-iperf3.XXXXXX";
	int fd = mkstemp(log), st;
	pid_t srv = 0, mid;

	if (fd >= 0)
		close(fd);
	if (access("/usr/bin/iperf3", X_OK) != 0) {
		printf("note: no /usr/bin/iperf3: the dom0 iperf3 server is not checked\n");
		return;
	}
	CHECK(hvb_xen_iperf3_start("127.0.0.1", 5397, log, &srv, why, sizeof(why)) == 0 && srv > 0);
	CHECK(hvb_xen_iperf3_start("127.0.0.1", 5397, log, &mid, why, sizeof(why)) == HVB_EIO);
	CHECK_STR_HAS(why, "already taken");
	hvb_xen_iperf3_stop(&srv);
	CHECK(srv == 0);
	/* Started by a process that then dies: the server must go too (port free again). */
	if ((mid = fork()) == 0) {
		pid_t p = 0;
		_exit(hvb_xen_iperf3_start("127.0.0.1", 5397, log, &p, why, sizeof(why)) == 0 ? 0 : 1);
	}
	waitpid(mid, &st, 0);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	for (int i = 0; i < 100; i++) { /* SIGTERM to the orphan, then its exit */
		if (hvb_xen_iperf3_start("127.0.0.1", 5397, log, &srv, why, sizeof(why)) == 0)
			break;
		usleep(50000);
	}
	CHECK(srv > 0);
	hvb_xen_iperf3_stop(&srv);
	unlink(log);
}

static void test_leftovers(void)
{
	char self[64];

	CHECK(hvb_xen_is_guest_name("hvbench-12-0") && hvb_xen_is_guest_name("hvbench-3-141"));
	/* guests = N: guest K of a cell */
	CHECK(hvb_xen_is_guest_name("hvbench-12-0-g0") && hvb_xen_is_guest_name("hvbench-3-141-g12"));
	CHECK(!hvb_xen_is_guest_name("hvbench-12-0-g") && !hvb_xen_is_guest_name("hvbench-12-0-x1") &&
	      !hvb_xen_is_guest_name("hvbench-12-0-g1x"));
	CHECK(!hvb_xen_is_guest_name("hvbench-12") && !hvb_xen_is_guest_name("hvbench--1") &&
	      !hvb_xen_is_guest_name("hvbench-1-2x") && !hvb_xen_is_guest_name("Domain-0") &&
	      !hvb_xen_is_guest_name("web-hvbench-1-2") && !hvb_xen_is_guest_name(NULL));
	CHECK(hvb_xen_is_leftover("hvbench-7-1", "41:1000", alive_if_42));  /* owner gone */
	CHECK(!hvb_xen_is_leftover("hvbench-7-1", "42:1000", alive_if_42)); /* a live run's */
	CHECK(hvb_xen_is_leftover("hvbench-7-1", NULL, alive_if_42));       /* no owner recorded */
	CHECK(!hvb_xen_is_leftover("Domain-0", NULL, alive_if_42));
	CHECK(!hvb_xen_is_leftover("mydomain", "41:1000", alive_if_42));
	/* The real liveness check: this process is alive, a made-up start time is not. */
	hvb_xen_owner_self(self, sizeof(self));
	CHECK(hvb_xen_owner_alive(self));
	CHECK(!hvb_xen_owner_alive("1:1") && !hvb_xen_owner_alive("garbage") && !hvb_xen_owner_alive(NULL));
}

#ifdef HAVE_LIBXEN
struct config_case {
	const char *name, *mode;
	int pv_drivers;
	enum hvb_placement_kind kind;
	int vcpus;
	int disk, net;
	int shadow;
};

static const struct config_case cases[] = {
	{ "pv-local", "pv", 1, HVB_PL_LOCAL, 1, 0, 0, 0 },
	{ "pvh-remote-disk", "pvh", 1, HVB_PL_REMOTE, 1, 1, 0, 0 },
	{ "hvm-split-net", "hvm", 1, HVB_PL_SPLIT, 2, 0, 1, 0 },
	{ "hvm-emu-none-disk-net", "hvm", 0, HVB_PL_NONE, 1, 1, 1, 0 },
	{ "pv-auto", "pv", 1, HVB_PL_AUTO, 2, 0, 0, 0 },
	{ "hvm-local", "hvm", 1, HVB_PL_LOCAL, 1, 0, 0, 0 },
	{ "hvm-shadow", "hvm", 1, HVB_PL_NONE, 2, 0, 0, 1 },
	{ "pv-shadow-ignored", "pv", 1, HVB_PL_NONE, 1, 0, 0, 1 },
};

static char *config_json(const struct config_case *c, const struct hvb_topo *t)
{
	struct hvb_placement p;
	struct hvb_xen_layout l;
	struct hvb_guest_spec spec = { .mode = c->mode, .vcpus = c->vcpus, .memory = 256ULL << 20, .placement = &p,
				       .name = "hvbench-5-2", .boot_timeout_s = 60 };
	struct hvb_xen_build b = { .spec = &spec, .mode = c->mode, .pv_drivers = c->pv_drivers, .shadow = c->shadow,
				   .layout = &l,
				   .topo = t, .kernel = "/img/vmlinuz", .ramdisk = "/img/initrd.gz",
				   .channel_socket = "/run/hvbench/hvbench-5-2.sock",
				   .console_log = "/var/log/hvbench/hvbench-5-2.console", .owner = "4242:777" };
	libxl_domain_config cfg;
	char why[512], *json = NULL;

	if (c->disk) {
		b.disk_file = "/dev/loop3";
		b.disk_script = "/run/hvbench/" HVB_XEN_HOTPLUG_NAME;
	}
	if (c->disk || c->net)
		b.tools_file = "/var/lib/hvbench/disks/hvbench-5-2.tools.img";
	if (c->net) {
		b.bridge = "xenbr0";
		b.mac = "00:16:3e:12:34:56";
		b.guest_ip = "10.99.0.77/24";
		b.peer_ip = "10.99.0.1";
	}
	if (hvb_placement_plan(t, c->kind, c->vcpus, 7, &p, why, sizeof(why)) < 0 ||
	    hvb_xen_layout(&p, t, c->vcpus, &l, why, sizeof(why)) < 0) {
		fprintf(stderr, "%s: %s\n", c->name, why);
		return NULL;
	}
	if (hvb_xen_config_build(&b, &cfg, why, sizeof(why)) == 0) {
		/* A fresh UUID each build (never the null one); the rest is compared whole. */
		static libxl_uuid last;
		CHECK(!libxl_uuid_is_nil(&cfg.c_info.uuid) && libxl_uuid_compare(&cfg.c_info.uuid, &last));
		libxl_uuid_copy(NULL, &last, &cfg.c_info.uuid);
		libxl_uuid_clear(&cfg.c_info.uuid);
		json = libxl_domain_config_to_json(NULL, &cfg); /* the context only serves to log errors */
	} else
		fprintf(stderr, "%s: %s\n", c->name, why);
	libxl_domain_config_dispose(&cfg);
	return json;
}

/* The antagonist domain: PV, per_cpu vCPUs per pCPU of the cell, each pinned to its one
 * pCPU at build, its agent told to burn; its name is one cleanup knows as ours. */
static void test_antagonist_config(const struct hvb_topo *t)
{
	struct hvb_cpuset cpus = { { 0 } };
	struct hvb_xen_layout l;
	struct hvb_guest_spec spec = { .mode = "pv", .memory = 256ULL << 20, .name = "hvbench-5-2-ant" };
	struct hvb_xen_build b = { .spec = &spec, .mode = "pv", .layout = &l, .topo = t, .kernel = "/img/vmlinuz",
				   .ramdisk = "/img/initrd.gz", .channel_socket = "/run/hvbench/hvbench-5-2-ant.sock",
				   .console_log = "/var/log/hvbench/hvbench-5-2-ant.console", .owner = "4242:777",
				   .burn = 1 };
	libxl_domain_config cfg;
	char why[512], *js = NULL;
	json_t *o, *aff;

	hvb_cpuset_parse("0-1", &cpus); /* the lab's two pCPUs */
	CHECK(hvb_xen_antagonist_layout(&cpus, 2, &l, why, sizeof(why)) == 0 && l.vcpus == 4);
	CHECK(!strcmp(fmt(&l.hard[0]), "0") && !strcmp(fmt(&l.hard[1]), "0") && !strcmp(fmt(&l.hard[2]), "1") &&
	      !strcmp(fmt(&l.hard[3]), "1"));
	spec.vcpus = l.vcpus;
	CHECK(hvb_xen_config_build(&b, &cfg, why, sizeof(why)) == 0);
	js = libxl_domain_config_to_json(NULL, &cfg);
	libxl_domain_config_dispose(&cfg);
	o = js ? json_loads(js, 0, NULL) : NULL;
	CHECK(o != NULL);
	aff = json_object_get(json_object_get(o, "b_info"), "vcpu_hard_affinity");
	CHECK(json_array_size(aff) == 4);
	CHECK(json_integer_value(json_object_get(json_object_get(o, "b_info"), "max_vcpus")) == 4);
	CHECK(!strcmp(json_string_value(json_object_get(json_object_get(o, "c_info"), "type")) ?: "", "pv"));
	const char *cl = json_string_value(json_object_get(json_object_get(o, "b_info"), "cmdline"));
	CHECK(cl && strstr(cl, " hvbench.burn=1"));
	/* libxl writes each bitmap as the list of its CPUs */
	char *a0 = json_dumps(json_array_get(aff, 0), JSON_COMPACT), *a3 = json_dumps(json_array_get(aff, 3), JSON_COMPACT);
	CHECK(a0 && !strcmp(a0, "[0]") && a3 && !strcmp(a3, "[1]"));
	free(a0), free(a3);
	json_decref(o);
	free(js);
	/* Too many for one domain: skipped with the reason, never cut */
	CHECK(hvb_xen_antagonist_layout(&cpus, 4096, &l, why, sizeof(why)) == HVB_ESKIP);
	CHECK_STR_HAS(why, "antagonist domain of");
	memset(&cpus, 0, sizeof(cpus));
	CHECK(hvb_xen_antagonist_layout(&cpus, 1, &l, why, sizeof(why)) == HVB_ESKIP);
	CHECK(hvb_xen_is_guest_name("hvbench-5-2-ant") && hvb_xen_is_guest_name("hvbench-5-2-g1-ant"));
	CHECK(!hvb_xen_is_guest_name("hvbench-5-2-antx") && !hvb_xen_is_guest_name("hvbench-5-2-ant-g1"));
	/* what the guest's agent reads */
	CHECK(hvb_burn_wanted("console=hvc0 hvbench.burn=1") && hvb_burn_wanted("hvbench.burn=1 loglevel=4\n"));
	CHECK(!hvb_burn_wanted("console=hvc0") && !hvb_burn_wanted("hvbench.burn=10") && !hvb_burn_wanted("xhvbench.burn=1"));
}

static void test_configs(const struct hvb_topo *t)
{
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char path[4200], *got = config_json(&cases[i], t);
		json_error_t err;
		json_t *want, *have;
		snprintf(path, sizeof(path), "%s/config-%s.json", datadir, cases[i].name);
		want = json_load_file(path, 0, &err);
		have = got ? json_loads(got, 0, &err) : NULL;
		if (!want)
			fprintf(stderr, "%s:%d: %s\n", path, err.line, err.text);
		CHECK(want && have);
		if (want && have && !json_equal(want, have)) {
			fprintf(stderr, "%s: the config differs from %s; it is:\n%s\n", cases[i].name, path, got);
			check_failures++;
		}
		json_decref(want);
		json_decref(have);
		free(got);
	}
	/* Bad specs are refused with the reason. */
	struct hvb_placement p = { .kind = HVB_PL_NONE };
	struct hvb_xen_layout l;
	char why[512];
	struct hvb_guest_spec spec = { .mode = "pv", .vcpus = 1, .memory = 16ULL << 20, .placement = &p, .name = "x" };
	struct hvb_xen_build b = { .spec = &spec, .mode = "pv", .layout = &l, .topo = t, .kernel = "k", .ramdisk = "r",
				   .channel_socket = "s" };
	libxl_domain_config cfg;
	hvb_xen_layout(&p, t, 1, &l, why, sizeof(why));
	CHECK(hvb_xen_config_build(&b, &cfg, why, sizeof(why)) == HVB_EINVAL);
	CHECK_STR_HAS(why, "at least 64 MiB");
	libxl_domain_config_dispose(&cfg);
	b.mode = "kvm";
	CHECK(hvb_xen_config_build(&b, &cfg, why, sizeof(why)) == HVB_EINVAL);
	CHECK_STR_HAS(why, "no mode 'kvm'");
	libxl_domain_config_dispose(&cfg);
}

#endif

/* hap = on|off: the mode names, and whether the hypervisor can run each. */
static void test_paging(void)
{
	struct hvb_xen_mode m;
	char why[512];

	CHECK(hvb_xen_mode_parse("hvm-emu-shadow", &m, why, sizeof(why)) == 0);
	CHECK(!strcmp(m.base, "hvm") && m.shadow && !m.pv_drivers);
	CHECK(hvb_xen_mode_parse("pvh", &m, why, sizeof(why)) == 0 && !strcmp(m.base, "pvh") && !m.shadow);
	CHECK(hvb_xen_mode_parse("hvm", &m, why, sizeof(why)) == 0 && m.pv_drivers && !m.shadow);
	CHECK(hvb_xen_mode_parse("hvm-shadow-shadow", &m, why, sizeof(why)) == HVB_EINVAL);
	CHECK_STR_HAS(why, "no mode 'hvm-shadow-shadow'");
	CHECK(hvb_xen_mode_parse("-shadow", &m, why, sizeof(why)) == HVB_EINVAL);
	/* Debian's Xen: virt_caps "pv hvm hap gnttab-v1 gnttab-v2", no shadow. */
	hvb_xen_mode_parse("hvm-shadow", &m, why, sizeof(why));
	CHECK(hvb_xen_paging_check(&m, 1, 0, why, sizeof(why)) == 0);
	CHECK_STR_HAS(why, "built without CONFIG_SHADOW_PAGING");
	CHECK(hvb_xen_paging_check(&m, 1, 1, why, sizeof(why)) == 1);
	hvb_xen_mode_parse("pvh", &m, why, sizeof(why));
	CHECK(hvb_xen_paging_check(&m, 1, 0, why, sizeof(why)) == 1);
	/* No HAP: libxl would use shadow paging unasked; the HAP cell is skipped instead. */
	CHECK(hvb_xen_paging_check(&m, 0, 1, why, sizeof(why)) == 0);
	CHECK_STR_HAS(why, "no hardware-assisted paging");
	hvb_xen_mode_parse("pv-shadow", &m, why, sizeof(why));
	CHECK(hvb_xen_paging_check(&m, 1, 1, why, sizeof(why)) == 0);
	CHECK_STR_HAS(why, "does not apply to PV guests");
	hvb_xen_mode_parse("pv", &m, why, sizeof(why));
	CHECK(hvb_xen_paging_check(&m, 0, 0, why, sizeof(why)) == 1);
}

/* Xen's boot-time mitigation report (xl dmesg) and command line. */
static void test_mitigations(void)
{
	char path[4200], text[16384] = "", out[2048];
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "%s/dmesg-spec-ctrl.txt", datadir);
	CHECK((f = fopen(path, "r")) != NULL);
	if (f) {
		n = fread(text, 1, sizeof(text) - 1, f);
		text[n] = 0;
		fclose(f);
	}
	n = hvb_xen_spec_lines(text, out, sizeof(out));
	CHECK(n == 9);
	CHECK_STR_HAS(out, "Speculative mitigation facilities:; Hardware hints:");
	CHECK_STR_HAS(out, "; XPTI (64-bit PV only): Dom0 disabled, DomU disabled (with PCID)");
	CHECK_STR_HAS(out, "; PV L1TF shadowing: Dom0 disabled, DomU disabled");
	CHECK(!strstr(out, "scheduler") && !strstr(out, "(XEN)"));
	CHECK(hvb_xen_spec_lines("(XEN) nothing here\n", out, sizeof(out)) == 0 && !out[0]);
	/* Cut to fit, saying so. */
	CHECK(hvb_xen_spec_lines(text, out, 40) == 9 && strlen(out) == 39 && strstr(out, "..."));
	hvb_xen_cmdline_mitigations("placeholder dom0_mem=1G,max:1G spec-ctrl=no-xen xpti=dom0=false no-smt loglvl=all "
				    "smtx=1 ucode=scan", out, sizeof(out));
	CHECK(!strcmp(out, "spec-ctrl=no-xen xpti=dom0=false no-smt ucode=scan"));
	hvb_xen_cmdline_mitigations("dom0_mem=1G", out, sizeof(out));
	CHECK(!out[0]);
}

#ifdef HAVE_LIBXEN
/* hvbench -v (or -q) reaches the guest's agent through the kernel command line. */
static void test_agent_log_level(void)
{
	struct hvb_xen_build b = { .mode = "pvh" };
	char *c;

	hvb_log_set_level(HVB_LOG_DEBUG);
	c = hvb_xen_cmdline(&b);
	CHECK(c && strstr(c, " hvbench.log=-v"));
	free(c);
	hvb_log_set_level(HVB_LOG_WARN);
	c = hvb_xen_cmdline(&b);
	CHECK(c && strstr(c, " hvbench.log=-q"));
	free(c);
	hvb_log_set_level(HVB_LOG_INFO);
	c = hvb_xen_cmdline(&b);
	CHECK(c && !strstr(c, "hvbench.log"));
	CHECK(c && !strstr(c, "pvspin")); /* pvspin = on: the kernel's default, nothing added */
	free(c);
	/* pvspin = off: the word chosen for the guest's kernel, as a word of its own. */
	b.nopvspin = hvb_nopvspin_word("6.1.0-13-amd64");
	c = hvb_xen_cmdline(&b);
	CHECK(c && strstr(c, " nopvspin") && !strstr(c, "xen_nopvspin"));
	free(c);
	struct hvb_xen_build h = { .mode = "hvm", .pv_drivers = 0, .nopvspin = hvb_nopvspin_word("4.19.0-27-amd64") };
	c = hvb_xen_cmdline(&h);
	CHECK(c && strstr(c, " xen_emul_unplug=never xen_nopvspin"));
	free(c);
}
#endif

int main(int argc, char **argv)
{
	struct hvb_topo *lab, *four;

	snprintf(datadir, sizeof(datadir), "%s/tests/data/xen", getenv("top_srcdir") ? getenv("top_srcdir") : ".");
	lab = topo("topo-lab-2node.json");
	four = topo("topo-4node.json");
	CHECK(lab && four);
	if (!lab || !four)
		return 1;
#ifdef HAVE_LIBXEN
	if (argc == 3 && !strcmp(argv[1], "--dump")) {
		for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
			if (!strcmp(cases[i].name, argv[2])) {
				char *j = config_json(&cases[i], lab);
				printf("%s\n", j ? j : "null");
				free(j);
			}
		return 0;
	}
#endif
	test_topology(lab, four);
#ifdef HAVE_LIBXEN
	test_agent_log_level();
#endif
	test_layouts(lab, four);
	test_verify(lab);
	test_numa_dump();
	test_leftovers();
	test_node_memory();
	test_iperf3_server();
	test_paging();
	test_mitigations();
#ifdef HAVE_LIBXEN
	test_configs(lab);
	test_antagonist_config(lab);
#else
	printf("libxl config checks not run: hvbench was built without the Xen toolstack libraries\n");
#endif
	hvb_topo_free(lab);
	hvb_topo_free(four);
	return CHECK_DONE();
}
