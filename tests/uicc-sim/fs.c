/* The card's file system (TS 102 221 clause 8, TS 31.102/31.103, PKCS#15). */
#include <stdlib.h>
#include <string.h>

#include "sim.h"

static const uint8_t pkcs15_aid[] = {0xA0, 0x00, 0x00, 0x00, 0x63, 0x50,
				     0x4B, 0x43, 0x53, 0x2D, 0x31, 0x35};

struct sim_file *sim_file_new(struct sim_file *parent, enum sim_ftype t, uint16_t fid, uint8_t sfi)
{
	struct sim_file *f = calloc(1, sizeof(*f)), **pp;

	if (!f)
		abort();
	f->type = t;
	f->fid = fid;
	f->sfi = sfi;
	f->parent = parent;
	if (parent) {
		for (pp = &parent->child; *pp; pp = &(*pp)->next)
			;
		*pp = f;
	}
	return f;
}

/* Set contents; alloc > n pads with FF (the unused part of a real EF). */
void sim_file_set_data(struct sim_file *f, const uint8_t *d, size_t n, size_t alloc)
{
	if (alloc < n)
		alloc = n;
	free(f->data);
	f->data = malloc(alloc ? alloc : 1);
	if (!f->data)
		abort();
	memset(f->data, 0xFF, alloc);
	if (n)
		memcpy(f->data, d, n);
	f->size = alloc;
}

static struct sim_file *linear(struct sim_file *parent, uint16_t fid, uint8_t sfi, uint8_t rec_len,
			       uint8_t nrec)
{
	struct sim_file *f = sim_file_new(parent, SIM_EF_LINEAR, fid, sfi);

	f->rec_len = rec_len;
	f->nrec = nrec;
	sim_file_set_data(f, NULL, 0, (size_t)rec_len * nrec);
	return f;
}

static struct sim_file *transparent(struct sim_file *parent, uint16_t fid, uint8_t sfi,
				    const uint8_t *d, size_t n, size_t alloc)
{
	struct sim_file *f = sim_file_new(parent, SIM_EF_TRANSPARENT, fid, sfi);

	sim_file_set_data(f, d, n, alloc);
	return f;
}

struct sim_file *sim_child(const struct sim_file *df, uint16_t fid)
{
	struct sim_file *f;

	for (f = df ? df->child : NULL; f; f = f->next)
		if (f->fid == fid)
			return f;
	return NULL;
}

struct sim_file *sim_child_sfi(const struct sim_file *df, uint8_t sfi)
{
	struct sim_file *f;

	for (f = df ? df->child : NULL; f; f = f->next)
		if (sfi && f->sfi == sfi)
			return f;
	return NULL;
}

void sim_fs_free(struct sim_file *f)
{
	struct sim_file *n;

	while (f) {
		n = f->next;
		sim_fs_free(f->child);
		free(f->data);
		free(f);
		f = n;
	}
}

static size_t tlv(uint8_t *o, uint8_t tag, const uint8_t *v, size_t n)
{
	o[0] = tag;
	o[1] = (uint8_t)n;
	if (n)
		memcpy(o + 2, v, n);
	return n + 2;
}

/* FCP template (TS 102 221 11.1.1.3). */
size_t sim_fcp(const struct sim_card *c, const struct sim_file *f, uint8_t *out)
{
	const struct sim_file_fault *lie_size = sim_file_fault(c, SIM_FF_FCP_SIZE, f->fid),
				    *lie_nrec = sim_file_fault(c, SIM_FF_FCP_RECORDS, f->fid);
	size_t n = 0, total = 0, size = lie_size ? lie_size->value : f->size;
	uint8_t b[8], *o = out + 2;
	const struct sim_file *k;

	if (f->type == SIM_MF || f->type == SIM_DF || f->type == SIM_ADF) {
		b[0] = 0x78; /* shareable DF */
		b[1] = 0x21;
		n += tlv(o + n, 0x82, b, 2);
		b[0] = f->fid >> 8;
		b[1] = (uint8_t)f->fid;
		n += tlv(o + n, 0x83, b, 2);
		if (f->type == SIM_ADF)
			n += tlv(o + n, 0x84, f->aid, f->aid_len);
		b[0] = 0x80; /* UICC characteristics, TS 102 221 11.1.1.4.6.1 */
		b[1] = 0x01;
		b[2] = 0x71;
		n += tlv(o + n, 0xA5, b, 3);
		b[0] = 0x05;
		n += tlv(o + n, 0x8A, b, 1);
		b[0] = 0x2F;
		b[1] = 0x06;
		b[2] = 0x01;
		n += tlv(o + n, 0x8B, b, 3);
		/* PIN status template: PS_DO says whether PIN1 (key ref 01) is on. */
		b[0] = 0x90;
		b[1] = 0x01;
		b[2] = c->p->pin1_enabled ? 0x80 : 0x00;
		b[3] = 0x83;
		b[4] = 0x01;
		b[5] = 0x01;
		n += tlv(o + n, 0xC6, b, 6);
		for (k = f->child; k; k = k->next)
			total += k->size;
		b[0] = (uint8_t)(total >> 8);
		b[1] = (uint8_t)total;
		n += tlv(o + n, 0x81, b, 2);
	} else {
		if (f->type == SIM_EF_LINEAR) {
			b[0] = 0x42;
			b[1] = 0x21;
			b[2] = 0x00;
			b[3] = f->rec_len;
			b[4] = (uint8_t)(lie_nrec ? lie_nrec->value : f->nrec);
			n += tlv(o + n, 0x82, b, 5);
		} else {
			b[0] = 0x41;
			b[1] = 0x21;
			n += tlv(o + n, 0x82, b, 2);
		}
		b[0] = f->fid >> 8;
		b[1] = (uint8_t)f->fid;
		n += tlv(o + n, 0x83, b, 2);
		b[0] = 0xC0; /* proprietary: special file information */
		b[1] = 0x01;
		b[2] = 0x00;
		n += tlv(o + n, 0xA5, b, 3);
		b[0] = 0x05;
		n += tlv(o + n, 0x8A, b, 1);
		b[0] = 0x6F;
		b[1] = 0x06;
		b[2] = f->pin_read ? 0x02 : 0x01;
		n += tlv(o + n, 0x8B, b, 3);
		b[0] = (uint8_t)(size >> 8);
		b[1] = (uint8_t)size;
		n += tlv(o + n, 0x80, b, 2);
		b[0] = (uint8_t)((size + 32) >> 8);
		b[1] = (uint8_t)(size + 32);
		n += tlv(o + n, 0x81, b, 2);
		b[0] = (uint8_t)(f->sfi << 3);
		n += tlv(o + n, 0x88, b, f->sfi ? 1 : 0);
	}
	out[0] = 0x62;
	out[1] = (uint8_t)n;
	return n + 2;
}

/* GSM SELECT response (TS 51.011 9.2.1), for legacy = yes. */
size_t sim_gsm_select_rsp(const struct sim_card *c, const struct sim_file *f, uint8_t *out)
{
	memset(out, 0, 22);
	out[4] = f->fid >> 8;
	out[5] = (uint8_t)f->fid;
	if (f->type == SIM_MF || f->type == SIM_DF) {
		const struct sim_file *k;
		int ndf = 0, nef = 0;

		for (k = f->child; k; k = k->next)
			(k->type == SIM_DF) ? ndf++ : nef++;
		out[2] = 0x10; /* free memory */
		out[6] = f->type == SIM_MF ? 0x01 : 0x02;
		out[12] = 9;				    /* GSM data length */
		out[13] = c->p->pin1_enabled ? 0x00 : 0x80; /* b8: CHV1 disabled */
		out[14] = (uint8_t)ndf;
		out[15] = (uint8_t)nef;
		out[16] = 4;					      /* CHVs, UNBLOCK, ADM */
		out[18] = (uint8_t)(0x80 | (c->pin_attempts & 0x0F)); /* CHV1 status */
		out[19] = 0x8A;
		out[20] = 0x83;
		out[21] = 0x8A;
		return 22;
	}
	out[2] = (uint8_t)(f->size >> 8);
	out[3] = (uint8_t)f->size;
	out[6] = 0x04;
	out[8] = f->pin_read ? 0x11 : 0x01; /* access conditions: read/update */
	out[9] = 0xFF;
	out[10] = 0x44;
	out[11] = 0x01; /* not invalidated */
	out[12] = 2;
	out[13] = f->type == SIM_EF_LINEAR ? 0x01 : 0x00;
	out[14] = f->rec_len;
	return 15;
}

/* BCD with swapped nibbles, F padded (TS 102 221 13.2 for ICCID). */
static size_t swapped_bcd(uint8_t *o, const char *digits, size_t nbytes)
{
	size_t i, n = strlen(digits);

	memset(o, 0xFF, nbytes);
	for (i = 0; i < n && i / 2 < nbytes; i++) {
		uint8_t d = (uint8_t)(digits[i] - '0');

		if (i & 1)
			o[i / 2] = (uint8_t)((o[i / 2] & 0x0F) | d << 4);
		else
			o[i / 2] = (uint8_t)(0xF0 | d);
	}
	return nbytes;
}

/* EF_IMSI (TS 31.102 4.2.2): length, then parity nibble + digits. */
static size_t imsi_bytes(uint8_t *o, const char *imsi)
{
	size_t n = strlen(imsi), i;
	uint8_t nib[18];

	memset(o, 0xFF, 9);
	nib[0] = (n & 1) ? 9 : 1;
	for (i = 0; i < n; i++)
		nib[i + 1] = (uint8_t)(imsi[i] - '0');
	o[0] = (uint8_t)((n + 2) / 2);
	for (i = 0; i <= n; i++) {
		if (i & 1)
			o[1 + i / 2] = (uint8_t)((o[1 + i / 2] & 0x0F) | nib[i] << 4);
		else
			o[1 + i / 2] = (uint8_t)(0xF0 | nib[i]);
	}
	return 9;
}

static size_t dir_record(uint8_t *o, const uint8_t *aid, size_t aid_len, const char *label)
{
	size_t n = 0, ll = strlen(label);

	o[n++] = 0x61;
	o[n++] = (uint8_t)(2 + aid_len + 2 + ll);
	o[n++] = 0x4F;
	o[n++] = (uint8_t)aid_len;
	memcpy(o + n, aid, aid_len);
	n += aid_len;
	o[n++] = 0x50;
	o[n++] = (uint8_t)ll;
	memcpy(o + n, label, ll);
	return n + ll;
}

static size_t tlv80(uint8_t *o, const char *s)
{
	size_t n = strlen(s);

	o[0] = 0x80;
	o[1] = (uint8_t)n;
	memcpy(o + 2, s, n);
	return n + 2;
}

/* ODF and DODF (PKCS#15 v1.1).  The DODF lists one oidDO for the DM
 * Bootstrap (2.23.43.7.1), one for the CP Bootstrap (2.23.43.5.1) and one
 * for the LwM2M bootstrap (2.23.43.9.1), each pointing at an EF under the
 * PKCS#15 DF. */
static size_t oid_do(uint8_t *o, const char *label, const uint8_t oid[4], uint16_t fid)
{
	size_t ll = strlen(label), n = 0;

	o[n++] = 0xA1;
	o[n++] = (uint8_t)(2 + 2 + 2 + ll + 2 + 2 + 6 + 6);
	o[n++] = 0x30; /* CommonObjectAttributes: empty */
	o[n++] = 0x00;
	o[n++] = 0x30; /* CommonDataObjectAttributes: applicationName */
	o[n++] = (uint8_t)(2 + ll);
	o[n++] = 0x0C;
	o[n++] = (uint8_t)ll;
	memcpy(o + n, label, ll);
	n += ll;
	o[n++] = 0xA1;
	o[n++] = 2 + 6 + 6;
	o[n++] = 0x30;
	o[n++] = 6 + 6;
	o[n++] = 0x06;
	o[n++] = 4;
	memcpy(o + n, oid, 4);
	n += 4;
	o[n++] = 0x30;
	o[n++] = 4;
	o[n++] = 0x04;
	o[n++] = 2;
	o[n++] = fid >> 8;
	o[n++] = (uint8_t)fid;
	return n;
}

/* DER TLV (X.690 8.1.3: short length, or 81/82 and one or two bytes);
 * v may be o itself (wrapping what was just written). */
static size_t der(uint8_t *o, uint8_t tag, const uint8_t *v, size_t n)
{
	uint8_t hdr[4];
	size_t h = 0;

	hdr[h++] = tag;
	if (n >= 0x100)
		hdr[h++] = 0x82, hdr[h++] = (uint8_t)(n >> 8);
	else if (n >= 0x80)
		hdr[h++] = 0x81;
	hdr[h++] = (uint8_t)n;
	memmove(o + h, v, n); /* first: v may start where the header goes */
	memcpy(o, hdr, h);
	return h + n;
}

/* The LwM2M bootstrap's DODF entry (OMA LwM2M Core G.3.2, laid out as its
 * example is, with "LwM2M Bootstrap" as applicationName):
 *   A1 { 30 CommonObjectAttributes { [03 flags private] [04 authId] }
 *        30 CommonDataObjectAttributes { 0C "LwM2M Bootstrap" }
 *        A1 { 30 OidDO { 06 OID, 30 Path { 04 FID } } } }
 * The OID 2.23.43.9.1 is 06 04 67 2B 09 01; the published example and
 * live cards wrap it once more (06 06 06 04 ...), the default here.  A
 * private object carries flags 03 02 07 80 (bit 0, private) and authId
 * 04 01 01 (PIN1; this card has no AODF to resolve it); a modifiable one
 * 03 02 06 40 (bit 1). */
static size_t lwm2m_oid_do(const struct sim_profile *p, uint8_t *o, uint16_t fid)
{
	static const uint8_t oid[] = {0x67, 0x2B, 0x09, 0x01};
	static const char label[] = "LwM2M Bootstrap";
	uint8_t f[2] = {(uint8_t)(fid >> 8), (uint8_t)fid}, a[64], b[128];
	/* flags BIT STRING { private (0), modifiable (1) }: 07 80 private only,
	 * 06 40 modifiable only, 06 C0 both; authId 01 (PIN1) with private */
	uint8_t attrs[] = {0x03, 0x02, 0x07, 0x80, 0x04, 0x01, 0x01};
	size_t n, m, alen = 0;

	if (p->lwm2m_modifiable) {
		attrs[2] = 0x06;
		attrs[3] = (uint8_t)(0x40 | (p->lwm2m_private ? 0x80 : 0));
		alen = 4;
	}
	if (p->lwm2m_private)
		alen = sizeof(attrs);

	n = der(a, 0x06, oid, sizeof(oid));
	if (!p->lwm2m_oid_plain)
		n = der(a, 0x06, a, n);
	m = der(b, 0x04, f, 2);
	n += der(a + n, 0x30, b, m);
	n = der(a, 0x30, a, n);
	n = der(b, 0xA1, a, n); /* typeAttributes [1] */
	m = der(a, 0x30, attrs, alen);
	m += der(a + m, 0x30, a + m, der(a + m, 0x0C, (const uint8_t *)label, strlen(label)));
	memcpy(a + m, b, n);
	return der(o, 0xA1, a, m + n);
}

static void build_pkcs15(struct sim_card *c)
{
	static const uint8_t odf[] = {0xA7, 0x06, 0x30, 0x04, 0x04, 0x02, 0x52, 0x07};
	static const uint8_t oid_dm[] = {0x67, 0x2B, 0x07, 0x01};
	static const uint8_t oid_cp[] = {0x67, 0x2B, 0x05, 0x01};
	struct sim_profile *p = c->p;
	struct sim_file *df, *f;
	uint8_t dodf[256];
	size_t n = 0;

	df = c->adf_p15 = sim_file_new(c->mf, SIM_ADF, 0x7F50, 0);
	if (p->p15_aid_len) {
		memcpy(df->aid, p->p15_aid, p->p15_aid_len);
		df->aid_len = p->p15_aid_len;
	} else {
		memcpy(df->aid, pkcs15_aid, sizeof(pkcs15_aid));
		df->aid_len = sizeof(pkcs15_aid);
	}
	transparent(df, 0x5031, 0, odf, sizeof(odf), 32);
	if (p->dm_boot)
		n += oid_do(dodf + n, "DM Bootstrap", oid_dm, 0x6432);
	if (p->cp_boot)
		n += oid_do(dodf + n, "CP Bootstrap", oid_cp, 0x6433);
	if (p->lwm2m_boot)
		n += lwm2m_oid_do(p, dodf + n, 0x6434);
	transparent(df, 0x5207, 0, dodf, n, n + 32);
	if (p->dm_boot)
		transparent(df, 0x6432, 0, p->dm_boot, p->dm_boot_len, p->dm_boot_len + 16);
	if (p->cp_boot)
		transparent(df, 0x6433, 0, p->cp_boot, p->cp_boot_len, p->cp_boot_len + 16);
	if (p->lwm2m_boot) {
		/* EF LwM2M_Bootstrap: updated by the issuer only (G.3.3), read
		 * always or, when private, after PIN1 (G.2.4) */
		f = transparent(df, 0x6434, 0, p->lwm2m_boot, p->lwm2m_boot_len,
				p->lwm2m_boot_len + 16);
		f->pin_read = p->lwm2m_private;
		f->pin_update = true;
	}
}

static void build_usim(struct sim_card *c)
{
	struct sim_profile *p = c->p;
	struct sim_file *adf, *f;
	uint8_t b[16];

	adf = c->adf_usim = sim_file_new(c->mf, SIM_ADF, 0x7FF0, 0);
	memcpy(adf->aid, p->usim_aid, p->usim_aid_len);
	adf->aid_len = p->usim_aid_len;
	f = transparent(adf, 0x6F07, 0x07, b, imsi_bytes(b, p->imsi), 9);
	f->pin_read = f->pin_update = true;
	b[0] = 0x00; /* normal operation */
	b[1] = 0x00;
	b[2] = 0x00;
	b[3] = (uint8_t)p->mnc_len;
	transparent(adf, 0x6FAD, 0x03, b, 4, 4);
	f = transparent(adf, 0x6F38, 0x04, p->ust, sizeof(p->ust), sizeof(p->ust));
	f->pin_read = true;
	f = transparent(adf, 0x6FD6, 0, NULL, 0, 128); /* EF_GBABP */
	f->pin_read = f->pin_update = true;
	f = linear(adf, 0x6FDA, 0, 96, 4); /* EF_GBANL */
	f->pin_read = f->pin_update = true;
}

static void build_isim(struct sim_card *c)
{
	struct sim_profile *p = c->p;
	struct sim_file *adf, *f;
	uint8_t b[260];
	int i;

	adf = c->adf_isim = sim_file_new(c->mf, SIM_ADF, 0x7FF1, 0);
	memcpy(adf->aid, p->isim_aid, p->isim_aid_len);
	adf->aid_len = p->isim_aid_len;
	f = transparent(adf, 0x6F02, 0x02, b, tlv80(b, p->impi), 2 + strlen(p->impi) + 8);
	f->pin_read = true;
	f = transparent(adf, 0x6F03, 0x05, b, tlv80(b, p->domain), 2 + strlen(p->domain) + 8);
	f->pin_read = true;
	f = linear(adf, 0x6F04, 0x04, 128, (uint8_t)(p->n_impu > 0 ? p->n_impu : 1));
	f->pin_read = true;
	for (i = 0; i < p->n_impu; i++)
		tlv80(f->data + (size_t)i * 128, p->impu[i]);
	b[0] = 0x00;
	b[1] = 0x00;
	b[2] = 0x00;
	b[3] = (uint8_t)p->mnc_len;
	transparent(adf, 0x6FAD, 0x03, b, 4, 4);
	f = transparent(adf, 0x6F07, 0x07, p->ist, sizeof(p->ist), sizeof(p->ist));
	f->pin_read = true;
	f = transparent(adf, 0x6FD5, 0, NULL, 0, 128);
	f->pin_read = f->pin_update = true;
	f = linear(adf, 0x6FD7, 0, 96, 4);
	f->pin_read = f->pin_update = true;
}

static void build_legacy(struct sim_card *c)
{
	struct sim_profile *p = c->p;
	struct sim_file *gsm, *f;
	uint8_t b[16];

	b[0] = 0;
	gsm = sim_file_new(c->mf, SIM_DF, 0x7F20, 0);
	f = transparent(gsm, 0x6F07, 0, b, imsi_bytes(b, p->imsi), 9);
	f->pin_read = true;
	b[0] = b[1] = b[2] = 0;
	b[3] = (uint8_t)p->mnc_len;
	transparent(gsm, 0x6FAD, 0, b, 4, 4);
}

int sim_build_fs(struct sim_card *c)
{
	struct sim_profile *p = c->p;
	struct sim_file *dir;
	uint8_t b[64];
	int nrec = 0, r = 0;

	c->mf = sim_file_new(NULL, SIM_MF, 0x3F00, 0);
	transparent(c->mf, 0x2FE2, 0x02, b, swapped_bcd(b, p->iccid, 10), 10);
	if (p->legacy) {
		build_legacy(c);
		return 0;
	}
	nrec = p->has_usim + p->has_isim + p->has_pkcs15;
	dir = linear(c->mf, 0x2F00, 0x1E, 0x26, (uint8_t)(nrec ? nrec : 1));
	if (p->has_usim) {
		dir_record(dir->data + r++ * 0x26, p->usim_aid, p->usim_aid_len, "USIM");
		build_usim(c);
	}
	if (p->has_isim) {
		dir_record(dir->data + r++ * 0x26, p->isim_aid, p->isim_aid_len, "ISIM");
		build_isim(c);
	}
	if (p->has_pkcs15) {
		build_pkcs15(c);
		dir_record(dir->data + r++ * 0x26, c->adf_p15->aid, c->adf_p15->aid_len, "PKCS15");
	}
	return 0;
}

/* "3F00/2FE2", "ADF.USIM/6F38", "ADF.ISIM/...", "ADF.PKCS15/...". */
struct sim_file *sim_path_file(struct sim_card *c, const char *path, bool create)
{
	struct sim_file *df = c->mf, *f = NULL;
	char buf[128], *tok, *save = NULL, *next;

	snprintf(buf, sizeof(buf), "%s", path);
	for (tok = strtok_r(buf, "/", &save); tok; tok = next) {
		next = strtok_r(NULL, "/", &save);
		if (!strcmp(tok, "ADF.USIM"))
			f = c->adf_usim;
		else if (!strcmp(tok, "ADF.ISIM"))
			f = c->adf_isim;
		else if (!strcmp(tok, "ADF.PKCS15"))
			f = c->adf_p15;
		else if (!strcasecmp(tok, "3F00"))
			f = c->mf;
		else {
			uint8_t fid[2];

			if (sim_unhex(fid, 2, tok) != 2)
				return NULL;
			f = sim_child(df, (uint16_t)(fid[0] << 8 | fid[1]));
			if (!f && create)
				f = sim_file_new(df, next ? SIM_DF : SIM_EF_TRANSPARENT,
						 (uint16_t)(fid[0] << 8 | fid[1]), 0);
		}
		if (!f)
			return NULL;
		df = f;
	}
	return f;
}
