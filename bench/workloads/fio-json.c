/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The parser of `fio --output-format=json`. fio prints notes and warnings on the
 * same stream before the JSON ("note: both iodepth >= 1 and synchronous I/O
 * engine are selected ..."), may print text after it, and repeats keys inside
 * "job options" when an option is given twice: the object is found, read up to
 * its end, and a repeated key keeps its last value (jansson's default; the
 * JSON_REJECT_DUPLICATES flag is deliberately not used). fio 2.x's shape (bw in
 * KiB/s, clat in microseconds) is converted; what no version has is refused with
 * the version named. */
#include "config.h"
#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include "bench/workloads/wl.h"

/* A number of d, or -1 when absent or not a number. */
static double get(json_t *d, const char *key)
{
	json_t *v = json_object_get(d, key);
	return json_is_number(v) ? json_number_value(v) : -1;
}

/* A rate or count of direction d of job: 1 with *v, 0 when absent (or not a
 * number); HVB_EINVAL with err when fio printed a negative one (fio prints -1
 * where it has no figure): the output gives no figure then, not a wrong one. */
static int take_num(json_t *d, const char *key, const char *unit, const char *job, const char *dir, const char *ver,
		    double *v, char *err, size_t len)
{
	json_t *x = json_object_get(d, key);

	if (!json_is_number(x))
		return 0;
	*v = json_number_value(x);
	if (*v >= 0)
		return 1;
	snprintf(err, len, "fio JSON (%s): job \"%s\", \"%s\": \"%s\" is %g, expected a number >= 0 (%s); no figure is "
		 "kept from this output", ver, job, dir, key, *v, unit);
	return HVB_EINVAL;
}

/* One direction of one job: adds its rates and keeps the worse percentiles.
 * The shapes of fio's versions: bw_bytes from fio 3.2 (before it "bw", in KiB/s,
 * which it still is); clat_ns from fio 2.99 (before it "clat", in microseconds). */
static int take_dir(json_t *job, const char *name, const char *dir, const char *ver, struct hvb_fio_result *r,
		    double *iops, double *bw, char *err, size_t len)
{
	static const char *const pct[] = { "50.000000", "99.000000", "99.900000" };
	double *dst[] = { &r->clat_p50_ns, &r->clat_p99_ns, &r->clat_p999_ns };
	json_t *d = json_object_get(job, dir), *p, *clat;
	double v_iops = 0, v_bw = 0, v_kib = 0, v_ios = 0, scale = 1;
	const char *missing = NULL;
	int h_iops, h_bw, h_kib, h_ios;

	if (!json_is_object(d))
		return 0; /* this fio does not report the direction */
	if ((h_iops = take_num(d, "iops", "I/Os per second", name, dir, ver, &v_iops, err, len)) < 0 ||
	    (h_bw = take_num(d, "bw_bytes", "bytes per second", name, dir, ver, &v_bw, err, len)) < 0 ||
	    (h_kib = take_num(d, "bw", "KiB per second", name, dir, ver, &v_kib, err, len)) < 0 ||
	    (h_ios = take_num(d, "total_ios", "I/Os", name, dir, ver, &v_ios, err, len)) < 0)
		return HVB_EINVAL;
	if (!h_bw && h_kib) /* fio before 3.2 */
		h_bw = 1, v_bw = v_kib * 1024;
	if (!h_iops)
		missing = "iops";
	else if (!h_bw)
		missing = "bw_bytes or bw";
	else if (!h_ios)
		missing = "total_ios";
	if (missing) {
		snprintf(err, len, "fio JSON (%s): job \"%s\", \"%s\" has no %s (a number)", ver, name, dir, missing);
		return HVB_EINVAL;
	}
	*iops += v_iops;
	*bw += v_bw;
	r->ios += v_ios;
	if (v_ios <= 0)
		return 0;
	if (!(clat = json_object_get(d, "clat_ns")) && (clat = json_object_get(d, "clat")))
		scale = 1e3;
	p = json_object_get(clat, "percentile");
	if (!json_is_object(p)) {
		snprintf(err, len, "fio JSON (%s): \"%s\" did I/O but has no %s.percentile (percentiles turned off?)",
			 ver, dir, clat ? (scale == 1 ? "clat_ns" : "clat") : "clat_ns (or clat)");
		return HVB_EINVAL;
	}
	for (int i = 0; i < 3; i++) {
		json_t *v = json_object_get(p, pct[i]);
		if (!json_is_number(v)) {
			snprintf(err, len, "fio JSON (%s): \"%s\".%s.percentile has no \"%s\"", ver, dir,
				 scale == 1 ? "clat_ns" : "clat", pct[i]);
			return HVB_EINVAL;
		}
		if (json_number_value(v) * scale > *dst[i])
			*dst[i] = json_number_value(v) * scale;
	}
	return 0;
}

int hvb_fio_parse(const char *text, size_t len, struct hvb_fio_result *r, char *err, size_t errlen)
{
	json_t *root, *jobs, *job;
	const char *ver = NULL;
	size_t i, end = 0;
	int rc = 0;

	memset(r, 0, sizeof(*r));
	if (!(root = hvb_json_find_object(text, len, "fio output", &end, err, errlen)))
		return HVB_EINVAL;
	if (json_unpack(root, "{s:s}", "fio version", &ver) == 0)
		snprintf(r->version, sizeof(r->version), "%s", ver);
	jobs = json_object_get(root, "jobs");
	if (!json_is_array(jobs) || !json_array_size(jobs)) {
		const char *k;
		json_t *v;
		size_t off = (size_t)snprintf(err, errlen, "fio JSON: no \"jobs\" array; top-level keys:");
		json_object_foreach(root, k, v) {
			if (off < errlen)
				off += (size_t)snprintf(err + off, errlen - off, " %s", k);
		}
		json_decref(root);
		return HVB_EINVAL;
	}
	json_array_foreach(jobs, i, job) {
		const char *name = "?", *v = r->version[0] ? r->version : "fio of an unknown version";
		double e = get(job, "error");

		json_unpack(job, "{s?s}", "jobname", &name);
		if (e > 0) {
			snprintf(err, errlen, "fio job %s ended with error %.0f (%s)", name, e,
				 e < 4096 ? strerror((int)e) : "unknown");
			rc = HVB_ECHILD;
			break;
		}
		/* "mixed": unified_rw_reporting, reads and writes together */
		if ((rc = take_dir(job, name, "read", v, r, &r->read_iops, &r->read_bw_bytes, err, errlen)) < 0 ||
		    (rc = take_dir(job, name, "write", v, r, &r->write_iops, &r->write_bw_bytes, err, errlen)) < 0 ||
		    (rc = take_dir(job, name, "mixed", v, r, &r->read_iops, &r->read_bw_bytes, err, errlen)) < 0)
			break;
		r->jobs++;
	}
	if (!rc && r->ios <= 0) {
		snprintf(err, errlen, "fio JSON: %d job(s) but no I/O completed", r->jobs);
		rc = HVB_EINVAL;
	}
	if (rc < 0) /* the jobs before the refused one gave figures: none is kept */
		*r = (struct hvb_fio_result){ .jobs = 0 }, snprintf(r->version, sizeof(r->version), "%s", ver ? ver : "");
	json_decref(root);
	return rc;
}
