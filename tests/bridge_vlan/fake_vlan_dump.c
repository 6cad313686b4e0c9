/* LD_PRELOAD shim for tests/bridge_vlan.rs: answers the AF_BRIDGE link dump
 * (`bridge vlan show`'s RTM_GETLINK) with canned messages instead of the
 * kernel, so that `bridge` 6.1 and rawnet print the same VLAN tables on a
 * kernel without CONFIG_BRIDGE_VLAN_FILTERING.
 *
 * FAKE_VLAN_DUMP names a file of netlink messages (RTM_NEWLINK, AF_BRIDGE).
 * When a process sends an RTM_GETLINK dump request of family AF_BRIDGE on a
 * netlink socket, the request is not sent; the next receive on that socket
 * returns the file's messages and NLMSG_DONE as one datagram, each header
 * stamped with the request's sequence number and the socket's port id.
 * MSG_PEEK and MSG_TRUNC behave as on a real socket. Everything else goes
 * to the kernel unchanged. Build: cc -shared -fPIC -o fake.so fake_vlan_dump.c -ldl
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>

static int pending_fd = -1;
static unsigned char *reply;
static size_t reply_len;

static int is_netlink(int fd, __u32 *pid)
{
	struct sockaddr_nl sa;
	socklen_t len = sizeof(sa);

	memset(&sa, 0, sizeof(sa));
	if (getsockname(fd, (struct sockaddr *)&sa, &len) < 0 || sa.nl_family != AF_NETLINK)
		return 0;
	if (pid)
		*pid = sa.nl_pid;
	return 1;
}

/* A request to answer ourselves: make the reply, return 1. */
static int intercept(int fd, const void *buf, size_t len)
{
	const struct nlmsghdr *h = buf;
	const char *path = getenv("FAKE_VLAN_DUMP");
	unsigned char *file = NULL;
	size_t file_len = 0, off;
	struct nlmsghdr *done;
	__u32 pid = 0;
	FILE *f;

	if (!path || len < NLMSG_LENGTH(sizeof(struct ifinfomsg)) || !is_netlink(fd, &pid))
		return 0;
	if (h->nlmsg_type != RTM_GETLINK || !(h->nlmsg_flags & NLM_F_DUMP) ||
	    ((const struct ifinfomsg *)NLMSG_DATA(h))->ifi_family != AF_BRIDGE)
		return 0;
	f = fopen(path, "rb");
	if (!f)
		return 0;
	file = malloc(1 << 16);
	if (file)
		file_len = fread(file, 1, 1 << 16, f);
	fclose(f);
	if (!file)
		return 0;
	free(reply);
	reply_len = file_len + NLMSG_LENGTH(sizeof(int));
	reply = calloc(1, reply_len);
	if (!reply)
		return 0;
	memcpy(reply, file, file_len);
	free(file);
	done = (struct nlmsghdr *)(reply + file_len);
	done->nlmsg_len = NLMSG_LENGTH(sizeof(int));
	done->nlmsg_type = NLMSG_DONE;
	done->nlmsg_flags = NLM_F_MULTI;
	for (off = 0; off + sizeof(struct nlmsghdr) <= reply_len;) {
		struct nlmsghdr *m = (struct nlmsghdr *)(reply + off);

		if (m->nlmsg_len < sizeof(*m))
			break;
		m->nlmsg_seq = h->nlmsg_seq;
		m->nlmsg_pid = pid;
		off += NLMSG_ALIGN(m->nlmsg_len);
	}
	pending_fd = fd;
	return 1;
}

/* Copy the reply out; returns the length to report, or -2 when not ours. */
static ssize_t answer(int fd, const struct iovec *iov, size_t iovlen, int flags,
		      struct sockaddr *from, socklen_t *fromlen)
{
	size_t copied = 0, i;

	if (fd != pending_fd || !reply)
		return -2;
	for (i = 0; i < iovlen && copied < reply_len; i++) {
		size_t n = iov[i].iov_len < reply_len - copied ? iov[i].iov_len : reply_len - copied;

		memcpy(iov[i].iov_base, reply + copied, n);
		copied += n;
	}
	if (from && fromlen && *fromlen >= sizeof(struct sockaddr_nl)) {
		struct sockaddr_nl sa = { .nl_family = AF_NETLINK };

		memcpy(from, &sa, sizeof(sa));
		*fromlen = sizeof(sa);
	}
	if (!(flags & MSG_PEEK))
		pending_fd = -1;
	return (flags & MSG_TRUNC) ? (ssize_t)reply_len : (ssize_t)copied;
}

ssize_t sendto(int fd, const void *buf, size_t len, int flags,
	       const struct sockaddr *to, socklen_t tolen)
{
	static ssize_t (*real)(int, const void *, size_t, int, const struct sockaddr *, socklen_t);

	if (intercept(fd, buf, len))
		return len;
	if (!real)
		real = dlsym(RTLD_NEXT, "sendto");
	return real(fd, buf, len, flags, to, tolen);
}

ssize_t send(int fd, const void *buf, size_t len, int flags)
{
	return sendto(fd, buf, len, flags, NULL, 0);
}

ssize_t sendmsg(int fd, const struct msghdr *msg, int flags)
{
	static ssize_t (*real)(int, const struct msghdr *, int);

	if (msg->msg_iovlen >= 1 &&
	    intercept(fd, msg->msg_iov[0].iov_base, msg->msg_iov[0].iov_len))
		return msg->msg_iov[0].iov_len;
	if (!real)
		real = dlsym(RTLD_NEXT, "sendmsg");
	return real(fd, msg, flags);
}

ssize_t recvmsg(int fd, struct msghdr *msg, int flags)
{
	static ssize_t (*real)(int, struct msghdr *, int);
	ssize_t n = answer(fd, msg->msg_iov, msg->msg_iovlen, flags,
			   msg->msg_name, &msg->msg_namelen);

	if (n != -2) {
		msg->msg_flags = 0;
		msg->msg_controllen = 0;
		return n;
	}
	if (!real)
		real = dlsym(RTLD_NEXT, "recvmsg");
	return real(fd, msg, flags);
}

ssize_t recvfrom(int fd, void *buf, size_t len, int flags, struct sockaddr *from,
		 socklen_t *fromlen)
{
	static ssize_t (*real)(int, void *, size_t, int, struct sockaddr *, socklen_t *);
	struct iovec iov = { .iov_base = buf, .iov_len = len };
	ssize_t n = answer(fd, &iov, 1, flags, from, fromlen);

	if (n != -2)
		return n;
	if (!real)
		real = dlsym(RTLD_NEXT, "recvfrom");
	return real(fd, buf, len, flags, from, fromlen);
}

ssize_t recv(int fd, void *buf, size_t len, int flags)
{
	return recvfrom(fd, buf, len, flags, NULL, NULL);
}
