/* uicc-sim main: the vpcd protocol loop, faults, APDU log.
 *
 * vpcd (vsmartcard) frames: 2-byte big-endian length + payload.  A 1-byte
 * payload is a control code (0 power off, 1 power on, 2 reset, 4 get ATR);
 * anything longer is a command APDU and gets a response APDU. */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <PCSC/winscard.h>

#include "sim.h"

enum fault_kind { F_REMOVE, F_RESET, F_SW, F_DELAY, F_LOOP61 };

struct fault {
	enum fault_kind kind;
	unsigned n;	/* APDU index (1-based), or n-th command with INS */
	unsigned ms;	/* remove: re-insert after ms (0: never); delay: per APDU */
	uint8_t ins;	/* F_SW, F_LOOP61 */
	uint16_t sw;	/* F_SW */
	unsigned count; /* F_SW, F_LOOP61: commands seen with ins */
	bool done;
	bool looping; /* F_LOOP61: every GET RESPONSE answers 61xx again */
};

static volatile sig_atomic_t stop, report;
static FILE *logfp;
static const char *reader_name; /* for reset faults, done through pcscd */
static struct fault faults[16];
static int nfaults;
/* faults of one EF, handed to the card once its profile is loaded */
static struct sim_file_fault file_faults[SIM_MAX_FILE_FAULTS];
static int nfile_faults;

void sim_log(const char *fmt, ...)
{
	va_list ap;

	if (!logfp)
		return;
	va_start(ap, fmt);
	vfprintf(logfp, fmt, ap);
	va_end(ap);
	fflush(logfp);
}

static void log_bytes(char dir, const uint8_t *b, size_t n)
{
	size_t i;

	if (!logfp)
		return;
	fputc(dir, logfp);
	for (i = 0; i < n; i++)
		fprintf(logfp, " %02X", b[i]);
	fputc('\n', logfp);
	fflush(logfp);
}

static void on_signal(int sig)
{
	if (sig == SIGUSR1)
		report = 1;
	else
		stop = 1;
}

/* nodata:FID, empty:FID, fcp-size:FID:N, fcp-records:FID:N; 1 when s is
 * none of them, -1 when it is one and malformed. */
static int parse_file_fault(const char *s)
{
	static const struct {
		const char *prefix;
		enum sim_file_fault_kind kind;
		bool value;
	} kinds[] = {{"nodata:", SIM_FF_NODATA, false},
		     {"empty:", SIM_FF_EMPTY, false},
		     {"fcp-size:", SIM_FF_FCP_SIZE, true},
		     {"fcp-records:", SIM_FF_FCP_RECORDS, true}};
	struct sim_file_fault *f = &file_faults[nfile_faults];
	unsigned fid = 0, v = 0;
	size_t i, k;
	char end;

	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		k = strlen(kinds[i].prefix);
		if (strncmp(s, kinds[i].prefix, k))
			continue;
		if (nfile_faults >= SIM_MAX_FILE_FAULTS || strlen(s + k) < 4 ||
		    (kinds[i].value ? sscanf(s + k, "%4x:%u%c", &fid, &v, &end) != 2
				    : sscanf(s + k, "%4x%c", &fid, &end) != 1) ||
		    (kinds[i].kind == SIM_FF_FCP_SIZE && v > 0xFFFF) ||
		    (kinds[i].kind == SIM_FF_FCP_RECORDS && v > 0xFF))
			return -1;
		f->kind = kinds[i].kind;
		f->fid = (uint16_t)fid;
		f->value = v;
		nfile_faults++;
		return 0;
	}
	return 1;
}

static int parse_fault(const char *s)
{
	struct fault *f = &faults[nfaults];
	unsigned a = 0, b = 0, ins = 0, sw = 0;
	int r = parse_file_fault(s);

	if (r <= 0)
		return r;
	if (nfaults >= 16)
		return -1;
	memset(f, 0, sizeof(*f));
	if (sscanf(s, "remove:%u:%u", &a, &b) >= 1 && a) {
		f->kind = F_REMOVE;
		f->n = a;
		f->ms = b;
	} else if (sscanf(s, "reset:%u", &a) == 1 && a) {
		f->kind = F_RESET;
		f->n = a;
	} else if (sscanf(s, "sw:%4x:%2x:%u", &sw, &ins, &a) == 3 && a) {
		f->kind = F_SW;
		f->sw = (uint16_t)sw;
		f->ins = (uint8_t)ins;
		f->n = a;
	} else if (sscanf(s, "loop61:%2x:%u", &ins, &a) == 2 && a) {
		f->kind = F_LOOP61;
		f->ins = (uint8_t)ins;
		f->n = a;
	} else if (sscanf(s, "delay:%u", &a) == 1) {
		f->kind = F_DELAY;
		f->ms = a;
	} else {
		return -1;
	}
	nfaults++;
	return 0;
}

static void sleep_ms(unsigned ms)
{
	struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};

	while (nanosleep(&ts, &ts) && errno == EINTR && !stop)
		;
}

/* A reset comes from pcscd, never from the card: ask pcscd for one, as
 * another application on the host would.  Runs in its own thread because
 * pcscd needs this process to answer the reset it sends. */
static void *reset_thread(void *arg)
{
	SCARDCONTEXT ctx;
	SCARDHANDLE h;
	DWORD proto;

	(void)arg;
	if (SCardEstablishContext(SCARD_SCOPE_SYSTEM, NULL, NULL, &ctx) != SCARD_S_SUCCESS)
		return NULL;
	/* Like a polite application: wait for the card to be free (another
	 * client's transaction), then reset it. */
	if (SCardConnect(ctx, reader_name, SCARD_SHARE_SHARED,
			 SCARD_PROTOCOL_T0 | SCARD_PROTOCOL_T1, &h, &proto) == SCARD_S_SUCCESS) {
		if (SCardBeginTransaction(h) == SCARD_S_SUCCESS)
			SCardEndTransaction(h, SCARD_RESET_CARD);
		SCardDisconnect(h, SCARD_LEAVE_CARD);
	}
	SCardReleaseContext(ctx);
	return NULL;
}

static int read_full(int fd, uint8_t *b, size_t n)
{
	size_t got = 0;
	ssize_t r;
	int one = 1;

	while (got < n) {
		/* Without QUICKACK each APDU waits ~40 ms for a delayed ACK. */
		setsockopt(fd, IPPROTO_TCP, TCP_QUICKACK, &one, sizeof(one));
		r = read(fd, b + got, n - got);
		if (r <= 0)
			return -1;
		got += (size_t)r;
	}
	return 0;
}

static int send_frame(int fd, const uint8_t *b, size_t n)
{
	uint8_t buf[2 + 300];

	buf[0] = (uint8_t)(n >> 8);
	buf[1] = (uint8_t)n;
	memcpy(buf + 2, b, n);
	return write(fd, buf, n + 2) == (ssize_t)(n + 2) ? 0 : -1;
}

static int vpcd_connect(const char *host, const char *port)
{
	struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM}, *ai, *a;
	int fd = -1, one = 1;

	if (getaddrinfo(host, port, &hints, &ai))
		return -1;
	for (a = ai; a; a = a->ai_next) {
		fd = socket(a->ai_family, a->ai_socktype, 0);
		if (fd < 0)
			continue;
		if (!connect(fd, a->ai_addr, a->ai_addrlen))
			break;
		close(fd);
		fd = -1;
	}
	freeaddrinfo(ai);
	if (fd >= 0)
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	return fd;
}

/* Faults that act before the command runs; returns an SW to answer, or 0. */
static uint16_t fault_sw(const uint8_t *cmd, size_t len)
{
	int i;

	for (i = 0; i < nfaults; i++) {
		struct fault *f = &faults[i];

		if (f->kind == F_DELAY)
			sleep_ms(f->ms);
		if (f->kind == F_SW && len >= 2 && cmd[1] == f->ins && ++f->count == f->n) {
			sim_log("# fault: answering %04X to command %u with INS %02X\n", f->sw,
				f->n, f->ins);
			return f->sw;
		}
		if (f->kind != F_LOOP61 || len < 2)
			continue;
		/* 61xx, and to the GET RESPONSE that asks for it 61xx again */
		if (f->looping && cmd[1] == 0xC0) {
			sim_log("# fault: GET RESPONSE answered 6110 again\n");
			return 0x6110;
		}
		f->looping = false;
		if (cmd[1] == f->ins && ++f->count == f->n) {
			sim_log("# fault: answering 6110 to command %u with INS %02X, and to "
				"every GET RESPONSE after it\n",
				f->n, f->ins);
			f->looping = true;
			return 0x6110;
		}
	}
	return 0;
}

/* Serve one vpcd connection until it drops or a removal fault fires.
 * Returns the re-insert delay in ms, 0 to reconnect at once, -1 to stay out. */
static long serve(int fd, struct sim_card *c)
{
	uint8_t hdr[2], in[65536], out[300];
	size_t n, olen;
	uint16_t sw;
	pthread_t th;
	int i;

	for (;;) {
		if (report) {
			report = 0;
			fprintf(stderr, "uicc-sim: %u APDUs\n", c->apdus);
		}
		if (stop || read_full(fd, hdr, 2))
			return 0;
		n = (size_t)hdr[0] << 8 | hdr[1];
		if (read_full(fd, in, n))
			return 0;
		if (n == 1) {
			switch (in[0]) {
			case 0: /* power off */
			case 1: /* power on */
			case 2: /* reset */
				sim_reset(c);
				sim_log("# %s\n", in[0] == 0   ? "power off"
						  : in[0] == 1 ? "power on"
							       : "reset");
				break;
			case 4:
				if (send_frame(fd, c->p->atr, c->p->atr_len))
					return 0;
				break;
			}
			continue;
		}
		c->apdus++;
		log_bytes('>', in, n);
		sw = fault_sw(in, n);
		if (sw) {
			out[0] = (uint8_t)(sw >> 8);
			out[1] = (uint8_t)sw;
			olen = 2;
		} else {
			olen = sim_apdu(c, in, n, out);
		}
		log_bytes('<', out, olen);
		if (send_frame(fd, out, olen))
			return 0;
		for (i = 0; i < nfaults; i++) {
			struct fault *f = &faults[i];

			if (f->done || f->n != c->apdus)
				continue;
			if (f->kind == F_REMOVE) {
				f->done = true;
				sim_log("# fault: card removed after APDU %u\n", c->apdus);
				return f->ms ? (long)f->ms : -1;
			}
			if (f->kind == F_RESET && reader_name) {
				f->done = true;
				sim_log("# fault: reset after APDU %u\n", c->apdus);
				/* signals stay with the main thread, whose blocked
				 * read they must interrupt */
				sigset_t all, old;

				sigfillset(&all);
				pthread_sigmask(SIG_BLOCK, &all, &old);
				if (!pthread_create(&th, NULL, reset_thread, NULL))
					pthread_detach(th);
				pthread_sigmask(SIG_SETMASK, &old, NULL);
			}
		}
	}
}

static void usage(void)
{
	fprintf(stderr,
		"usage: uicc-sim --profile FILE [--vpcd HOST:PORT] [--reader NAME] [--log FILE]\n"
		"                [--fault SPEC]...\n"
		"faults: remove:N[:MS]  card removed after APDU N (back after MS ms; never if 0)\n"
		"        reset:N        reset (through pcscd, needs --reader) after APDU N\n"
		"        sw:XXXX:YY:N   answer SW XXXX to the N-th command with INS YY\n"
		"        loop61:YY:N    answer 6110 to the N-th command with INS YY and to every\n"
		"                       GET RESPONSE after it\n"
		"        delay:MS       delay every APDU by MS ms\n"
		"        nodata:FID     READ BINARY/RECORD of EF FID: 9000 without data\n"
		"        empty:FID      READ RECORD of EF FID: every record 1..254 all FF\n"
		"        fcp-size:FID:N     the FCP of EF FID gives N bytes\n"
		"        fcp-records:FID:N  the FCP of EF FID gives N records\n");
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {{"profile", required_argument, NULL, 'p'},
					     {"vpcd", required_argument, NULL, 'v'},
					     {"log", required_argument, NULL, 'l'},
					     {"fault", required_argument, NULL, 'f'},
					     {"reader", required_argument, NULL, 'r'},
					     {"help", no_argument, NULL, 'h'},
					     {NULL, 0, NULL, 0}};
	static struct sim_profile prof;
	static struct sim_card card;
	const char *profile = NULL, *vpcd = "127.0.0.1:35963";
	char host[256], *colon;
	struct sigaction sa;
	long back;
	int o, fd;

	while ((o = getopt_long(argc, argv, "p:v:l:f:r:h", opts, NULL)) != -1) {
		switch (o) {
		case 'p':
			profile = optarg;
			break;
		case 'v':
			vpcd = optarg;
			break;
		case 'l':
			logfp = fopen(optarg, "w");
			if (!logfp) {
				perror(optarg);
				return 1;
			}
			break;
		case 'f':
			if (parse_fault(optarg)) {
				fprintf(stderr, "uicc-sim: bad fault '%s'\n", optarg);
				usage();
				return 2;
			}
			break;
		case 'r':
			reader_name = optarg;
			break;
		default:
			usage();
			return o == 'h' ? 0 : 2;
		}
	}
	if (!profile) {
		usage();
		return 2;
	}
	if (sim_profile_load(&prof, profile, &card))
		return 1;
	memcpy(card.file_faults, file_faults, sizeof(file_faults));
	card.nfile_faults = nfile_faults;
	snprintf(host, sizeof(host), "%s", vpcd);
	colon = strrchr(host, ':');
	if (!colon) {
		fprintf(stderr, "uicc-sim: --vpcd wants HOST:PORT\n");
		return 2;
	}
	*colon = '\0';

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal; /* no SA_RESTART: a blocked read returns */
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGUSR1, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	while (!stop) {
		fd = vpcd_connect(host, colon + 1);
		if (fd < 0) {
			sleep_ms(100); /* pcscd not there (yet): try again */
			continue;
		}
		sim_reset(&card);
		back = serve(fd, &card);
		close(fd);
		if (back < 0)
			while (!stop)
				pause(); /* removed for good */
		else if (back > 0)
			sleep_ms((unsigned)back);
		else if (!stop)
			sleep_ms(50);
	}
	fprintf(stderr, "uicc-sim: %u APDUs\n", card.apdus);
	sim_fs_free(card.mf);
	if (logfp)
		fclose(logfp);
	return 0;
}
