/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Internal to bench/: the line framing and JSON helpers both ends of the agent
 * protocol share. */
#ifndef HVB_PROTOCOL_H
#define HVB_PROTOCOL_H
#include <jansson.h>
#include <stddef.h>

struct hvb_linebuf {
	char *buf;
	size_t len, cap;
	size_t line_len; /* of the line last returned, without its newline */
	int overflow; /* the current line passed HVB_PROTO_MAX_LINE and is being discarded */
};
/* Reads until a full line is in lb (returned NUL-terminated in *line, valid until
 * the next call) waiting at most timeout_s (< 0: forever). Returns 1 for a line,
 * 0 at end of input, or HVB_ETIMEDOUT, HVB_EINTR, HVB_EIO, HVB_EINVAL (line too long). */
int hvb_line_read(int fd, struct hvb_linebuf *lb, double timeout_s, int (*interrupted)(void), char **line);
void hvb_line_consume(struct hvb_linebuf *lb);
void hvb_linebuf_free(struct hvb_linebuf *lb);
/* Writes all of s and a newline. */
int hvb_line_write(int fd, const char *s);
/* Parses one protocol object of n bytes; on failure fills err with position and reason. */
json_t *hvb_proto_parse(const char *line, size_t n, char *err, size_t len);
json_t *hvb_metrics_to_json(const struct hvb_metrics *ms);
int hvb_metrics_from_json(json_t *arr, struct hvb_metrics *ms, char *err, size_t len);
#endif
