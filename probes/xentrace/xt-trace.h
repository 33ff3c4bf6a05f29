/* Xen's public trace header: the event ids and record layout.  It is not self-contained
 * (uses uint32_t without including <stdint.h>), hence this wrapper. */
#ifndef HVB_XT_TRACE_H
#define HVB_XT_TRACE_H
#include <stdint.h>
#if defined(__has_include)
#if !__has_include(<xen/trace.h>)
#error "<xen/trace.h> is missing: install Xen's public headers (Debian: libxen-dev)"
#endif
#endif
#include <xen/trace.h>
#endif
