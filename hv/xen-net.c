/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The network for iperf3 in a guest: a vif on a bridge in dom0 (xenbr0 unless
 * HVBENCH_XEN_BRIDGE names another), with the iperf3 server on dom0's own
 * address on that bridge. The bridge is created when absent (SIOCBRADDBR), with
 * 10.77.0.1/24; an existing bridge keeps its address and the guest gets one in
 * its subnet. The guest's address and MAC derive from its name. */
#include "config.h"
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/sockios.h>
#include <net/if.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "hv/xen-internal.h"

#define DEFAULT_ADDR "10.77.0.1"
#define DEFAULT_MASK "255.255.255.0"

static int set_addr(int fd, const char *ifname, unsigned long req, const char *dotted)
{
	struct ifreq ifr = { 0 };
	struct sockaddr_in *sin = (struct sockaddr_in *)&ifr.ifr_addr;

	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	sin->sin_family = AF_INET;
	inet_pton(AF_INET, dotted, &sin->sin_addr);
	return ioctl(fd, req, &ifr);
}

static int get_addr(int fd, const char *ifname, unsigned long req, struct in_addr *out)
{
	struct ifreq ifr = { 0 };

	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	if (ioctl(fd, req, &ifr) < 0)
		return -1;
	*out = ((struct sockaddr_in *)&ifr.ifr_addr)->sin_addr;
	return 0;
}

uint32_t hvb_xen_name_hash(const char *name)
{
	uint32_t h = 2166136261u; /* FNV-1a */
	for (const char *p = name; *p; p++)
		h = (h ^ (uint8_t)*p) * 16777619u;
	return h;
}

int hvb_xen_net_prepare(const char *bridge, const char *guest_name, char *peer, size_t peer_len, char *guest_ip,
			size_t ip_len, char *mac, size_t mac_len, char *why, size_t len)
{
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), prefix = 0;
	struct in_addr addr, mask, g;
	struct ifreq ifr = { 0 };
	uint32_t h = hvb_xen_name_hash(guest_name), host;

	if (fd < 0) {
		snprintf(why, len, "xen network: socket: %s", strerror(errno));
		return HVB_EIO;
	}
	if (!if_nametoindex(bridge)) {
		if (ioctl(fd, SIOCBRADDBR, bridge) < 0 || set_addr(fd, bridge, SIOCSIFADDR, DEFAULT_ADDR) < 0 ||
		    set_addr(fd, bridge, SIOCSIFNETMASK, DEFAULT_MASK) < 0) {
			snprintf(why, len, "xen network: cannot create bridge %s with %s/24: %s (create it in dom0, "
					   "with an IPv4 address, or set HVBENCH_XEN_BRIDGE)",
				 bridge, DEFAULT_ADDR, strerror(errno));
			close(fd);
			return HVB_EIO;
		}
		hvb_log(HVB_LOG_INFO, "xen network: created bridge %s with %s/24", bridge, DEFAULT_ADDR);
	}
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", bridge);
	if (ioctl(fd, SIOCGIFFLAGS, &ifr) == 0 && !(ifr.ifr_flags & IFF_UP)) {
		ifr.ifr_flags |= IFF_UP;
		ioctl(fd, SIOCSIFFLAGS, &ifr);
	}
	if (get_addr(fd, bridge, SIOCGIFADDR, &addr) < 0 || get_addr(fd, bridge, SIOCGIFNETMASK, &mask) < 0) {
		snprintf(why, len, "xen network: bridge %s has no IPv4 address for the iperf3 server: give it one", bridge);
		close(fd);
		return HVB_EIO;
	}
	close(fd);
	for (uint32_t m = ntohl(mask.s_addr); m & 0x80000000u; m <<= 1)
		prefix++;
	if (prefix > 29) {
		snprintf(why, len, "xen network: bridge %s's subnet /%d is too small for guests", bridge, prefix);
		return HVB_EINVAL;
	}
	/* A host part that is neither the network, the broadcast nor dom0's own. */
	host = ~ntohl(mask.s_addr);
	do {
		g.s_addr = htonl((ntohl(addr.s_addr) & ntohl(mask.s_addr)) | (1 + h % (host - 1)));
		h = h * 2654435761u + 1;
	} while (g.s_addr == addr.s_addr);
	inet_ntop(AF_INET, &addr, peer, (socklen_t)peer_len);
	inet_ntop(AF_INET, &g, guest_ip, (socklen_t)ip_len);
	snprintf(guest_ip + strlen(guest_ip), ip_len - strlen(guest_ip), "/%d", prefix);
	h = hvb_xen_name_hash(guest_name);
	/* Xen's own OUI, locally unique by name. */
	snprintf(mac, mac_len, "00:16:3e:%02x:%02x:%02x", (h >> 16) & 0x7f, (h >> 8) & 0xff, h & 0xff);
	return 0;
}

/* 1 when something accepts TCP connections on addr:port. */
static int listening(const char *addr, int port)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), ok;

	if (fd < 0 || inet_pton(AF_INET, addr, &sa.sin_addr) != 1) {
		if (fd >= 0)
			close(fd);
		return 0;
	}
	ok = connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0;
	close(fd);
	return ok;
}

int hvb_xen_iperf3_start(const char *addr, int port, const char *log, pid_t *pid, char *why, size_t len)
{
	char ports[16];
	char *argv[] = { "iperf3", "-s", "-B", (char *)addr, "-p", ports, NULL };
	struct timespec ts = { 0, 50 * 1000 * 1000 };
	int st, pfd[2];

	*pid = 0;
	snprintf(ports, sizeof(ports), "%d", port);
	if (listening(addr, port)) {
		snprintf(why, len, "xen network: %s:%d is already taken in dom0; cannot start the iperf3 server", addr,
			 port);
		return HVB_EIO;
	}
	if (pipe2(pfd, O_CLOEXEC) < 0 || (*pid = fork()) < 0) {
		snprintf(why, len, "xen network: cannot start iperf3 in dom0: %s", strerror(errno));
		*pid = 0;
		return HVB_EIO;
	}
	if (*pid == 0) {
		/* The server dies with hvbench, even when hvbench is killed: no port left taken. */
		int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644), e;
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		if (fd >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
		}
		execvp(argv[0], argv);
		e = errno;
		if (write(pfd[1], &e, sizeof(e)) < 0)
			_exit(127);
		_exit(127);
	}
	close(pfd[1]);
	int e = 0;
	ssize_t n = read(pfd[0], &e, sizeof(e)); /* EOF: exec succeeded */
	close(pfd[0]);
	if (n == (ssize_t)sizeof(e)) {
		waitpid(*pid, &st, 0);
		*pid = 0;
		snprintf(why, len, "xen network: cannot start iperf3 in dom0 (%s)%s", strerror(e),
			 e == ENOENT ? ": install iperf3 in dom0" : "");
		return HVB_ESKIP;
	}
	/* Up to 20 s: a dom0 under emulation starts programs slowly. */
	for (int i = 0; i < 400; i++) {
		if (listening(addr, port))
			return 0;
		if (waitpid(*pid, &st, WNOHANG) == *pid) {
			*pid = 0;
			snprintf(why, len, "xen network: the iperf3 server in dom0 ended at once (status 0x%x); see %s", st,
				 log);
			return HVB_EIO;
		}
		nanosleep(&ts, NULL);
	}
	hvb_xen_iperf3_stop(pid);
	snprintf(why, len, "xen network: the iperf3 server in dom0 is not listening on %s:%d after 20 s; see %s", addr,
		 port, log);
	return HVB_ETIMEDOUT;
}

void hvb_xen_iperf3_stop(pid_t *pid)
{
	int st;

	if (*pid <= 0)
		return;
	kill(*pid, SIGTERM);
	for (int i = 0; i < 100 && waitpid(*pid, &st, WNOHANG) == 0; i++)
		usleep(20000);
	if (waitpid(*pid, &st, WNOHANG) == 0) {
		kill(*pid, SIGKILL);
		waitpid(*pid, &st, 0);
	}
	*pid = 0;
}
