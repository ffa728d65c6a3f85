/* A modem's AT port (ub_at.h): opened raw and locked, one command at a
 * time, each with its deadline; what the modem says goes through the
 * parser of at.c and nowhere else. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "trace.h"
#include "ub_at.h"

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

bool ub_at_spec(const char *spec)
{
	return spec && !strncmp(spec, "at:", 3);
}

static const struct {
	unsigned baud;
	speed_t speed;
} speeds[] = {
	{9600, B9600},	   {19200, B19200},   {38400, B38400},	 {57600, B57600},
	{115200, B115200}, {230400, B230400}, {460800, B460800}, {921600, B921600},
};

/* "at:DEVICE[@BAUD]" into path and baud (0: leave the port's speed). */
static int parse_spec(struct ub_at_port *port, const char *spec, speed_t *speed)
{
	const char *dev = spec + 3, *at = strrchr(dev, '@');
	size_t n = at ? (size_t)(at - dev) : strlen(dev), i;

	*speed = 0;
	if (!ub_at_spec(spec) || !n || n >= sizeof(port->path))
		return UB_E_USAGE;
	memcpy(port->path, dev, n);
	port->path[n] = 0;
	snprintf(port->name, sizeof(port->name), "modem %s", port->path);
	if (!at)
		return 0;
	for (i = 0; i < sizeof(speeds) / sizeof(speeds[0]); i++) {
		char b[16];

		snprintf(b, sizeof(b), "%u", speeds[i].baud);
		if (!strcmp(at + 1, b)) {
			port->baud = speeds[i].baud;
			*speed = speeds[i].speed;
			return 0;
		}
	}
	return UB_E_USAGE;
}

/* Raw mode (no echo, no line editing, no CR/LF translation, 8N1),
 * reads that never block in the driver: poll() waits. */
static int raw_mode(int fd, speed_t speed)
{
	struct termios t;

	if (tcgetattr(fd, &t))
		return -1;
	cfmakeraw(&t);
	t.c_cflag |= CLOCAL | CREAD;
	t.c_cc[VMIN] = 0;
	t.c_cc[VTIME] = 0;
	if (speed && (cfsetispeed(&t, speed) || cfsetospeed(&t, speed)))
		return -1;
	if (tcsetattr(fd, TCSANOW, &t))
		return -1;
	tcflush(fd, TCIOFLUSH);
	return 0;
}

/* Open and lock, waiting for another holder up to lock_wait_ms. */
static int open_locked(struct ub_at_port *port, long lock_wait_ms, struct ub_status *st)
{
	long deadline = now_ms() + lock_wait_ms;
	int fd, e;

	for (;;) {
		fd = open(port->path, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
		if (fd < 0) {
			e = errno;
			if (e != EBUSY)
				return ub_fail(st, UB_E_NO_READER, 0, port->name, "%s: %s",
					       port->name, strerror(e));
		} else if (!isatty(fd)) {
			close(fd);
			return ub_fail(st, UB_E_NO_READER, 0, port->name, "%s: not a serial port",
				       port->name);
		} else if (!flock(fd, LOCK_EX | LOCK_NB)) {
			port->fd = fd;
			return 0;
		} else {
			e = errno;
			close(fd);
			if (e != EWOULDBLOCK)
				return ub_fail(st, UB_E_IO, 0, port->name, "%s: lock: %s",
					       port->name, strerror(e));
		}
		if (now_ms() >= deadline)
			return ub_fail(st, UB_E_TIMEOUT, 0, port->name,
				       "%s: in use by another process (waited %ld ms)", port->name,
				       lock_wait_ms);
		usleep(50 * 1000);
	}
}

int ub_at_open(struct ub_at_port *port, const char *spec, long lock_wait_ms, struct ub_trace *trace,
	       struct ub_status *st)
{
	const char *env = getenv("UICCBOOT_AT_TIMEOUT_MS");
	speed_t speed;
	int err;

	memset(port, 0, sizeof(*port));
	port->fd = -1;
	port->trace = trace;
	port->timeout_ms = UB_AT_TIMEOUT_MS;
	if (env && atoi(env) > 0 && atoi(env) <= 600000)
		port->timeout_ms = atoi(env);
	if (parse_spec(port, spec, &speed))
		return ub_fail(st, UB_E_USAGE, 0, spec,
			       "reader \"%s\": a modem is at:DEVICE or at:DEVICE@BAUD", spec);
	ub_at_parser_init(&port->p, NULL, NULL);
	if ((err = open_locked(port, lock_wait_ms, st)))
		return err;
	/* TIOCEXCL: no other open of the port at all (the lock only binds
	 * those who take it) */
	ioctl(port->fd, TIOCEXCL);
	if (raw_mode(port->fd, speed)) {
		err = ub_fail(st, UB_E_NO_READER, 0, port->name, "%s: raw mode: %s", port->name,
			      strerror(errno));
		goto fail;
	}
	ub_trace_note(trace, "%s%s", port->name, port->baud ? "" : " (speed as set)");
	/* a line the modem may hold half-typed is ended by the first CR */
	if ((err = ub_at_cmd(port, "AT", NULL, false, NULL, NULL, st)) &&
	    (err = ub_at_cmd(port, "AT", NULL, false, NULL, NULL, st)))
		goto fail;
	if ((err = ub_at_cmd(port, "ATE0", NULL, false, NULL, NULL, st)))
		goto fail;
	/* numeric +CME ERROR; a modem without it answers ERROR, which will do */
	ub_at_cmd(port, "AT+CMEE=1", NULL, false, NULL, NULL, NULL);
	return 0;
fail:
	ub_at_close(port);
	return err;
}

void ub_at_close(struct ub_at_port *port)
{
	if (port->fd >= 0) {
		ioctl(port->fd, TIOCNXCL);
		flock(port->fd, LOCK_UN);
		close(port->fd);
	}
	port->fd = -1;
}

/* The command's name for messages: never its arguments (an APDU may
 * carry a PIN). */
static void cmd_name(char *out, size_t max, const char *cmd)
{
	size_t n = strcspn(cmd, "=?");

	snprintf(out, max, "%.*s", (int)(n < 40 ? n : 40), cmd);
}

static int gone(struct ub_at_port *port, const char *name, const char *how, struct ub_status *st)
{
	return ub_fail(st, UB_E_NO_READER, 0, port->name, "%s: %s: the port %s", port->name, name,
		       how);
}

/* Read what is there (up to ms), into the parser.  Returns 1 when bytes
 * came, 0 when none in time, UB_E_NO_READER when the port is gone. */
static int read_some(struct ub_at_port *port, long ms)
{
	struct pollfd pfd = {.fd = port->fd, .events = POLLIN};
	char b[256];
	ssize_t n;
	int r;

	r = poll(&pfd, 1, (int)(ms < 0 ? 0 : ms));
	if (r < 0)
		return errno == EINTR ? 0 : UB_E_NO_READER;
	if (r == 0)
		return 0;
	n = read(port->fd, b, sizeof(b));
	if (n > 0) {
		ub_at_feed(&port->p, b, (size_t)n);
		return 1;
	}
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return 0;
	/* 0 or EIO: the device went away (USB reset), or the other end of
	 * a pseudo-terminal closed */
	return UB_E_NO_READER;
}

static int write_all(struct ub_at_port *port, const char *b, size_t n, long deadline)
{
	struct pollfd pfd = {.fd = port->fd, .events = POLLOUT};
	ssize_t w;

	while (n) {
		w = write(port->fd, b, n);
		if (w > 0) {
			b += w;
			n -= (size_t)w;
			continue;
		}
		if (w < 0 && errno != EAGAIN && errno != EINTR)
			return UB_E_NO_READER;
		if (now_ms() >= deadline)
			return UB_E_TIMEOUT;
		poll(&pfd, 1, 50);
	}
	return 0;
}

int ub_at_cmd(struct ub_at_port *port, const char *cmd, const char *prefix, bool bare_number,
	      ub_at_line_fn on_info, void *arg, struct ub_status *st)
{
	char line[UB_AT_CMD_MAX + 2], name[48];
	long deadline = now_ms() + port->timeout_ms;
	size_t n = strlen(cmd);
	int r;

	cmd_name(name, sizeof(name), cmd);
	if (port->fd < 0)
		return gone(port, name, "is closed", st);
	if (n > UB_AT_CMD_MAX)
		return ub_fail(st, UB_E_INTERNAL, 0, port->name, "%s: command too long", name);
	/* what came unasked is taken before the command: a late answer to
	 * an earlier one must not pass for this one's */
	port->p.on_urc = port->on_urc;
	port->p.urc_arg = port->urc_arg;
	while ((r = read_some(port, 0)) > 0)
		;
	if (r < 0)
		return gone(port, name, "went away", st);
	memcpy(line, cmd, n);
	line[n] = '\r';
	ub_at_begin(&port->p, cmd, prefix, bare_number, on_info, arg);
	r = write_all(port, line, n + 1, deadline);
	if (r == UB_E_NO_READER)
		return gone(port, name, "went away", st);
	while (!r && port->p.pending) {
		long left = deadline - now_ms();

		if (left <= 0)
			r = UB_E_TIMEOUT;
		else if ((r = read_some(port, left)) > 0)
			r = 0;
	}
	port->p.pending = false;
	if (r == UB_E_NO_READER)
		return gone(port, name, "went away", st);
	if (r == UB_E_TIMEOUT)
		return ub_fail(st, UB_E_TIMEOUT, 0, port->name, "%s: %s: no answer within %d ms%s",
			       port->name, name, port->timeout_ms,
			       port->p.garbage ? " (only lines that are no AT answer)" : "");
	if (port->p.bad)
		return ub_fail(st, UB_E_PROTO, 0, port->name, "%s: %s: the answer has %s",
			       port->name, name, port->p.bad);
	switch (port->p.result) {
	case UB_AT_OK:
		return 0;
	case UB_AT_CME_ERROR:
	case UB_AT_CMS_ERROR:
		return ub_fail(st, UB_E_SW, 0, port->name, "%s: %s: %s ERROR: %d", port->name, name,
			       port->p.result == UB_AT_CME_ERROR ? "+CME" : "+CMS", port->p.code);
	default:
		return ub_fail(st, UB_E_SW, 0, port->name, "%s: %s: ERROR", port->name, name);
	}
}

int ub_at_wait(struct ub_at_port *port, long ms)
{
	long deadline = now_ms() + ms;
	int r;

	if (port->fd < 0)
		return UB_E_NO_READER;
	port->p.on_urc = port->on_urc;
	port->p.urc_arg = port->urc_arg;
	do {
		r = read_some(port, deadline - now_ms());
		if (r < 0)
			return r;
	} while (r == 0 && now_ms() < deadline);
	/* the rest of a burst (a +CMT's PDU line) */
	while ((r = read_some(port, 0)) > 0)
		;
	return r < 0 ? r : 0;
}

static pthread_mutex_t lent_lock = PTHREAD_MUTEX_INITIALIZER;
static struct ub_at_port *lent;

void ub_at_share(struct ub_at_port *port)
{
	pthread_mutex_lock(&lent_lock);
	lent = port;
	pthread_mutex_unlock(&lent_lock);
}

struct ub_at_port *ub_at_borrow(const char *spec)
{
	struct ub_at_port probe, *p = NULL;
	speed_t speed;

	memset(&probe, 0, sizeof(probe));
	if (!ub_at_spec(spec) || parse_spec(&probe, spec, &speed))
		return NULL;
	pthread_mutex_lock(&lent_lock);
	if (lent && !strcmp(lent->path, probe.path))
		p = lent;
	pthread_mutex_unlock(&lent_lock);
	return p;
}
