/* The parser of `fio --output-format=json`. fio prints notes and warnings on the
 * same stream before the JSON ("note: both iodepth >= 1 and synchronous I/O
 * engine are selected ..."), may print text after it, and repeats keys inside
 * "job options" when an option is given twice: the object is found, read up to
 * its end, and a repeated key keeps its last value (jansson's default; the
 * JSON_REJECT_DUPLICATES flag is deliberately not used). */
#include "config.h"
#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include "bench/workloads/wl.h"

/* One direction of one job: adds its rates and keeps the worse percentiles. */
static int take_dir(json_t *job, const char *dir, struct hvb_fio_result *r, double *iops, double *bw,
		    char *err, size_t len)
{
	static const char *const pct[] = { "50.000000", "99.000000", "99.900000" };
	double *dst[] = { &r->clat_p50_ns, &r->clat_p99_ns, &r->clat_p999_ns };
	json_t *d = json_object_get(job, dir), *p;
	double v_iops, v_bw, v_ios;

	if (!json_is_object(d))
		return 0; /* this fio does not report the direction */
	if (json_unpack(d, "{s:F, s:F, s:F}", "iops", &v_iops, "bw_bytes", &v_bw, "total_ios", &v_ios) < 0) {
		snprintf(err, len, "fio JSON: \"%s\" lacks iops, bw_bytes or total_ios", dir);
		return HVB_EINVAL;
	}
	*iops += v_iops;
	*bw += v_bw;
	r->ios += v_ios;
	if (v_ios <= 0)
		return 0;
	p = json_object_get(json_object_get(d, "clat_ns"), "percentile");
	if (!json_is_object(p)) {
		snprintf(err, len, "fio JSON: \"%s\" did I/O but has no clat_ns.percentile (fio too old for "
				   "nanosecond latencies, or percentiles turned off)", dir);
		return HVB_EINVAL;
	}
	for (int i = 0; i < 3; i++) {
		json_t *v = json_object_get(p, pct[i]);
		if (!json_is_number(v)) {
			snprintf(err, len, "fio JSON: \"%s\".clat_ns.percentile has no \"%s\"", dir, pct[i]);
			return HVB_EINVAL;
		}
		if (json_number_value(v) > *dst[i])
			*dst[i] = json_number_value(v);
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
		json_int_t e = 0;
		const char *name = "?";

		json_unpack(job, "{s?s, s?I}", "jobname", &name, "error", &e);
		if (e) {
			snprintf(err, errlen, "fio job %s ended with error %lld (%s)", name, (long long)e, strerror((int)e));
			rc = HVB_ECHILD;
			break;
		}
		if ((rc = take_dir(job, "read", r, &r->read_iops, &r->read_bw_bytes, err, errlen)) < 0 ||
		    (rc = take_dir(job, "write", r, &r->write_iops, &r->write_bw_bytes, err, errlen)) < 0)
			break;
		r->jobs++;
	}
	if (!rc && r->ios <= 0) {
		snprintf(err, errlen, "fio JSON: %d job(s) but no I/O completed", r->jobs);
		rc = HVB_EINVAL;
	}
	json_decref(root);
	return rc;
}
