/* Profile file (INI, libinih): the keys of man/uicc-sim.1.  Every key is
 * checked; an unknown key or a bad value stops the simulator with the file,
 * line and key, so a typo never silently gives a different card. */
#include <ini.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "sim.h"

struct ef_override {
	char path[128];
	bool linear;
	int rec_len;
	char *data;
	int sfi;
	bool pin;
	struct ef_override *next;
};

struct load_ctx {
	struct sim_profile *p;
	const char *file;
	struct ef_override *efs;
	char err[512];
};

int sim_unhex(uint8_t *out, size_t max, const char *hex)
{
	size_t n = 0;
	unsigned v;

	while (*hex) {
		if (*hex == ' ' || *hex == ':') {
			hex++;
			continue;
		}
		if (n >= max || sscanf(hex, "%2x", &v) != 1 || !hex[1] || hex[1] == ' ')
			return -1;
		out[n++] = (uint8_t)v;
		hex += 2;
	}
	return (int)n;
}

static bool digits(const char *s, size_t min, size_t max)
{
	size_t n = strlen(s), i;

	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return n >= min && n <= max;
}

static bool yesno(const char *v, bool *out)
{
	if (!strcmp(v, "yes") || !strcmp(v, "true") || !strcmp(v, "1"))
		*out = true;
	else if (!strcmp(v, "no") || !strcmp(v, "false") || !strcmp(v, "0"))
		*out = false;
	else
		return false;
	return true;
}

static bool hexkey(const char *v, uint8_t *out, size_t want)
{
	return sim_unhex(out, want, v) == (int)want;
}

/* Services list "68,76" into a service table (bit n-1 of byte (n-1)/8). */
static bool services(const char *v, uint8_t *tab, size_t len)
{
	char buf[512], *tok, *save = NULL, *end;
	long n;

	memset(tab, 0, len);
	snprintf(buf, sizeof(buf), "%s", v);
	for (tok = strtok_r(buf, ", ", &save); tok; tok = strtok_r(NULL, ", ", &save)) {
		n = strtol(tok, &end, 10);
		if (*end || n < 1 || (size_t)n > len * 8)
			return false;
		tab[(n - 1) / 8] |= (uint8_t)(1 << ((n - 1) % 8));
	}
	return true;
}

static bool load_blob(struct load_ctx *lc, const char *v, uint8_t **out, size_t *len)
{
	char path[1024];
	FILE *fp;
	long n;

	if (!strncmp(v, "hex:", 4)) {
		size_t max = strlen(v) / 2 + 1;
		int r;

		*out = malloc(max);
		r = *out ? sim_unhex(*out, max, v + 4) : -1;
		if (r < 0)
			return false;
		*len = (size_t)r;
		return true;
	}
	if (v[0] == '/')
		snprintf(path, sizeof(path), "%s", v);
	else
		snprintf(path, sizeof(path), "%s/%s", lc->p->dir, v);
	fp = fopen(path, "rb");
	if (!fp)
		return false;
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	rewind(fp);
	if (n < 0 || n > 60000 || !(*out = malloc((size_t)n + 1)) ||
	    fread(*out, 1, (size_t)n, fp) != (size_t)n) {
		fclose(fp);
		return false;
	}
	fclose(fp);
	*len = (size_t)n;
	return true;
}

static int set_card(struct load_ctx *lc, const char *k, const char *v)
{
	struct sim_profile *p = lc->p;
	uint8_t sw[2];

	if (!strcmp(k, "iccid")) {
		if (!digits(v, 19, 20))
			return 0;
		snprintf(p->iccid, sizeof(p->iccid), "%s", v);
	} else if (!strcmp(k, "atr")) {
		int n = sim_unhex(p->atr, sizeof(p->atr), v);

		if (n < 2)
			return 0;
		p->atr_len = (size_t)n;
	} else if (!strcmp(k, "protocol")) {
		if (strcmp(v, "T0") && strcmp(v, "T1"))
			return 0;
		p->t0 = !strcmp(v, "T0");
	} else if (!strcmp(k, "legacy")) {
		return yesno(v, &p->legacy);
	} else if (!strcmp(k, "pin1")) {
		if (!digits(v, 4, 8))
			return 0;
		snprintf(p->pin1, sizeof(p->pin1), "%s", v);
	} else if (!strcmp(k, "pin1_attempts")) {
		p->pin1_attempts = atoi(v);
		return digits(v, 1, 2) && p->pin1_attempts <= 15;
	} else if (!strcmp(k, "pin1_enabled")) {
		return yesno(v, &p->pin1_enabled);
	} else if (!strcmp(k, "partial_aid")) {
		bool partial;

		if (!yesno(v, &partial))
			return 0;
		p->whole_aid = !partial;
	} else if (!strcmp(k, "gba_no_ks_sw")) {
		if (!hexkey(v, sw, 2))
			return 0;
		p->gba_no_ks_sw = (uint16_t)(sw[0] << 8 | sw[1]);
	} else {
		return -1;
	}
	return 1;
}

static int set_usim(struct load_ctx *lc, const char *k, const char *v)
{
	struct sim_profile *p = lc->p;
	int n;

	p->has_usim = true;
	if (!strcmp(k, "aid")) {
		n = sim_unhex(p->usim_aid, 16, v);
		p->usim_aid_len = n > 0 ? (size_t)n : 0;
		return n >= 7;
	} else if (!strcmp(k, "imsi")) {
		if (!digits(v, 6, 15))
			return 0;
		snprintf(p->imsi, sizeof(p->imsi), "%s", v);
	} else if (!strcmp(k, "mnc_len")) {
		p->mnc_len = atoi(v);
		return !strcmp(v, "2") || !strcmp(v, "3");
	} else if (!strcmp(k, "ki")) {
		return hexkey(v, p->ki, 16);
	} else if (!strcmp(k, "opc")) {
		return hexkey(v, p->opc, 16);
	} else if (!strcmp(k, "sqn")) {
		return hexkey(v, p->sqn, 6);
	} else if (!strcmp(k, "amf")) {
		return hexkey(v, p->amf, 2);
	} else if (!strcmp(k, "ust_services")) {
		return services(v, p->ust, sizeof(p->ust));
	} else if (!strcmp(k, "gba_autn_star")) {
		return yesno(v, &p->gba_autn_star);
	} else {
		return -1;
	}
	return 1;
}

static int set_isim(struct load_ctx *lc, const char *k, const char *v)
{
	struct sim_profile *p = lc->p;
	char buf[2048], *tok, *save = NULL;
	int n;

	p->has_isim = true;
	if (!strcmp(k, "aid")) {
		n = sim_unhex(p->isim_aid, 16, v);
		p->isim_aid_len = n > 0 ? (size_t)n : 0;
		return n >= 7;
	} else if (!strcmp(k, "impi")) {
		if (!*v || strlen(v) > 200)
			return 0;
		snprintf(p->impi, sizeof(p->impi), "%s", v);
	} else if (!strcmp(k, "impu")) {
		snprintf(buf, sizeof(buf), "%s", v);
		p->n_impu = 0;
		for (tok = strtok_r(buf, ", ", &save); tok; tok = strtok_r(NULL, ", ", &save)) {
			if (p->n_impu >= SIM_MAX_IMPU || strlen(tok) > 120)
				return 0;
			snprintf(p->impu[p->n_impu++], 256, "%s", tok);
		}
	} else if (!strcmp(k, "domain")) {
		if (!*v || strlen(v) > 200)
			return 0;
		snprintf(p->domain, sizeof(p->domain), "%s", v);
	} else if (!strcmp(k, "ist_services")) {
		return services(v, p->ist, sizeof(p->ist));
	} else {
		return -1;
	}
	return 1;
}

static int set_pkcs15(struct load_ctx *lc, const char *k, const char *v)
{
	struct sim_profile *p = lc->p;

	p->has_pkcs15 = true;
	if (!strcmp(k, "aid")) {
		/* RID A000000063 + "PKCS-15", optionally longer (ISO/IEC 7816-15) */
		static const uint8_t prefix[] = {0xA0, 0x00, 0x00, 0x00, 0x63, 0x50,
						 0x4B, 0x43, 0x53, 0x2D, 0x31, 0x35};
		int n = sim_unhex(p->p15_aid, 16, v);

		p->p15_aid_len = n > 0 ? (size_t)n : 0;
		return n >= 12 && !memcmp(p->p15_aid, prefix, sizeof(prefix));
	}
	if (!strcmp(k, "dm_bootstrap"))
		return load_blob(lc, v, &p->dm_boot, &p->dm_boot_len);
	if (!strcmp(k, "cp_bootstrap"))
		return load_blob(lc, v, &p->cp_boot, &p->cp_boot_len);
	if (!strcmp(k, "lwm2m_bootstrap"))
		return load_blob(lc, v, &p->lwm2m_boot, &p->lwm2m_boot_len);
	if (!strcmp(k, "lwm2m_oid_form")) {
		if (strcmp(v, "double") && strcmp(v, "plain"))
			return 0;
		p->lwm2m_oid_plain = !strcmp(v, "plain");
		return 1;
	}
	if (!strcmp(k, "lwm2m_private"))
		return yesno(v, &p->lwm2m_private);
	if (!strcmp(k, "lwm2m_modifiable"))
		return yesno(v, &p->lwm2m_modifiable);
	return -1;
}

static int set_ef(struct load_ctx *lc, const char *path, const char *k, const char *v)
{
	struct ef_override *e;

	for (e = lc->efs; e && strcmp(e->path, path); e = e->next)
		;
	if (!e) {
		e = calloc(1, sizeof(*e));
		if (!e)
			return 0;
		snprintf(e->path, sizeof(e->path), "%s", path);
		e->next = lc->efs;
		lc->efs = e;
	}
	if (!strcmp(k, "structure")) {
		if (strcmp(v, "transparent") && strcmp(v, "linear"))
			return 0;
		e->linear = !strcmp(v, "linear");
	} else if (!strcmp(k, "record_len")) {
		e->rec_len = atoi(v);
		return e->rec_len > 0 && e->rec_len < 256;
	} else if (!strcmp(k, "data")) {
		/* several data lines add up: an EF larger than a profile line */
		size_t old = e->data ? strlen(e->data) : 0;
		char *d = realloc(e->data, old + strlen(v) + 1);

		if (!d)
			return 0;
		memcpy(d + old, v, strlen(v) + 1);
		e->data = d;
	} else if (!strcmp(k, "sfi")) {
		e->sfi = atoi(v);
		return e->sfi > 0 && e->sfi < 31;
	} else if (!strcmp(k, "pin")) {
		return yesno(v, &e->pin);
	} else {
		return -1;
	}
	return 1;
}

static int on_key(void *user, const char *section, const char *k, const char *v)
{
	struct load_ctx *lc = user;
	int r;

	if (!strcmp(section, "card"))
		r = set_card(lc, k, v);
	else if (!strcmp(section, "usim"))
		r = set_usim(lc, k, v);
	else if (!strcmp(section, "isim"))
		r = set_isim(lc, k, v);
	else if (!strcmp(section, "pkcs15"))
		r = set_pkcs15(lc, k, v);
	else if (!strncmp(section, "ef ", 3))
		r = set_ef(lc, section + 3, k, v);
	else {
		snprintf(lc->err, sizeof(lc->err), "unknown section [%s]", section);
		return 0;
	}
	if (r < 0)
		snprintf(lc->err, sizeof(lc->err), "unknown key '%s' in [%s]", k, section);
	else if (r == 0)
		snprintf(lc->err, sizeof(lc->err), "bad value for '%s' in [%s]: '%s'", k, section,
			 v);
	return r > 0;
}

static void defaults(struct sim_profile *p)
{
	static const uint8_t usim_aid[] = {0xA0, 0x00, 0x00, 0x00, 0x87, 0x10, 0x02, 0xFF,
					   0xFF, 0xFF, 0xFF, 0x89, 0x07, 0x09, 0x00, 0x00};
	static const uint8_t isim_aid[] = {0xA0, 0x00, 0x00, 0x00, 0x87, 0x10, 0x04, 0xFF,
					   0xFF, 0xFF, 0xFF, 0x89, 0x07, 0x09, 0x00, 0x00};

	snprintf(p->iccid, sizeof(p->iccid), "8949000000000000001");
	p->pin1_attempts = 3;
	snprintf(p->pin1, sizeof(p->pin1), "1234");
	p->mnc_len = 2;
	p->gba_no_ks_sw = 0x6985;
	memcpy(p->usim_aid, usim_aid, 16);
	p->usim_aid_len = 16;
	memcpy(p->isim_aid, isim_aid, 16);
	p->isim_aid_len = 16;
	p->amf[0] = 0x80; /* AMF separation bit set, as for E-UTRAN */
}

/* ATR: T=0 only, or T=1 only, when the profile gives none. */
static void default_atr(struct sim_profile *p)
{
	static const uint8_t t0[] = {0x3B, 0x9F, 0x96, 0x80, 0x1F, 0xC7, 0x80, 0x31,
				     0xE0, 0x73, 0xFE, 0x21, 0x1B, 0x66, 0xD0, 0x00,
				     0x49, 0x00, 0x00, 0x00, 0x00, 0x00}; /* + TCK */
	/* TS 3B, T0 80 (TD1), TD1 01 (T=1 only), TCK */
	static const uint8_t t1[] = {0x3B, 0x80, 0x01, 0x81};
	size_t i;
	uint8_t tck = 0;

	if (p->atr_len)
		return;
	if (p->t0) {
		memcpy(p->atr, t0, sizeof(t0));
		for (i = 1; i < sizeof(t0); i++)
			tck ^= t0[i];
		p->atr[sizeof(t0)] = tck;
		p->atr_len = sizeof(t0) + 1;
	} else {
		memcpy(p->atr, t1, sizeof(t1));
		p->atr_len = sizeof(t1);
	}
}

static int apply_efs(struct load_ctx *lc, struct sim_card *c)
{
	struct ef_override *e, *n;
	struct sim_file *f;
	uint8_t buf[4096];
	int len, ret = 0;

	for (e = lc->efs; e; e = n) {
		n = e->next;
		f = sim_path_file(c, e->path, true);
		len = e->data ? sim_unhex(buf, sizeof(buf), e->data) : 0;
		if (!f || len < 0 || (e->linear && (!e->rec_len || len % e->rec_len))) {
			snprintf(lc->err, sizeof(lc->err), "[ef %s]: bad path, data or record_len",
				 e->path);
			ret = -1;
		} else {
			f->type = e->linear ? SIM_EF_LINEAR : SIM_EF_TRANSPARENT;
			f->rec_len = (uint8_t)e->rec_len;
			f->nrec = e->linear ? (uint8_t)(len / e->rec_len) : 0;
			if (e->sfi)
				f->sfi = (uint8_t)e->sfi;
			f->pin_read = f->pin_update = e->pin;
			sim_file_set_data(f, buf, (size_t)len, (size_t)len);
		}
		free(e->data);
		free(e);
	}
	return ret;
}

/* libinih reads a line into INI_MAX_LINE bytes and the rest of a longer
 * one as the next line: say which line is too long instead of a "syntax
 * error" further down.  The line number, 0 when none is, -1 unreadable. */
static int too_long(const char *path)
{
	char b[INI_MAX_LINE];
	FILE *fp = fopen(path, "r");
	int line = 0;
	size_t n;

	if (!fp)
		return -1;
	while (fgets(b, sizeof(b), fp)) {
		line++;
		n = strlen(b);
		if (n == sizeof(b) - 1 && b[n - 1] != '\n' && !feof(fp)) {
			fclose(fp);
			return line;
		}
	}
	fclose(fp);
	return 0;
}

int sim_profile_load(struct sim_profile *p, const char *path, struct sim_card *c)
{
	struct load_ctx lc = {.p = p, .file = path};
	const char *slash;
	int line;

	memset(p, 0, sizeof(*p));
	defaults(p);
	slash = strrchr(path, '/');
	snprintf(p->dir, sizeof(p->dir), "%.*s", slash ? (int)(slash - path) : 1,
		 slash ? path : ".");
	if ((line = too_long(path)) > 0) {
		fprintf(stderr,
			"uicc-sim: %s:%d: line longer than %d bytes; give [ef] data on several "
			"data lines (they add up), a bootstrap as a file\n",
			path, line, INI_MAX_LINE - 2);
		return -1;
	}
	line = ini_parse(path, on_key, &lc);
	if (line < 0) {
		fprintf(stderr, "uicc-sim: %s: cannot read profile\n", path);
		return -1;
	}
	if (line > 0) {
		fprintf(stderr, "uicc-sim: %s:%d: %s\n", path, line,
			lc.err[0] ? lc.err : "syntax error");
		return -1;
	}
	if ((p->has_usim || p->legacy) && !p->imsi[0]) {
		fprintf(stderr, "uicc-sim: %s: [usim] imsi is required\n", path);
		return -1;
	}
	if (p->has_isim && !p->impi[0]) {
		fprintf(stderr, "uicc-sim: %s: [isim] impi is required\n", path);
		return -1;
	}
	default_atr(p);
	memset(c, 0, sizeof(*c));
	c->p = p;
	c->pin_attempts = p->pin1_attempts;
	memcpy(c->sqn_ms, p->sqn, 6);
	sim_build_fs(c);
	if (apply_efs(&lc, c)) {
		fprintf(stderr, "uicc-sim: %s: %s\n", path, lc.err);
		return -1;
	}
	return 0;
}
