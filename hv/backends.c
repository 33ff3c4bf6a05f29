/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The backend list. */
#include "config.h"
#include <string.h>
#include "hv/hv.h"

extern const struct hvb_backend_ops hvb_backend_native, hvb_backend_xen;

const struct hvb_backend_ops *const hvb_backends[] = { &hvb_backend_native, &hvb_backend_xen, NULL };

const struct hvb_backend_ops *hvb_backend_find(const char *name)
{
	for (size_t i = 0; hvb_backends[i]; i++)
		if (!strcmp(hvb_backends[i]->name, name))
			return hvb_backends[i];
	return NULL;
}
