/* The card's identity, read in one place: ICCID, IMSI and MNC length,
 * the service tables, the IMPI and IMPUs, the GBA bootstrapping
 * parameters as the card holds them.  The order is chosen for the fewest
 * APDUs: the USIM first (the IMSI within 4 APDUs of power-on), then the
 * rest of EF_DIR and the ICCID in the MF, then the ISIM. */
#include <stdio.h>
#include <string.h>

#include "ub_uicc.h"

static int malformed(struct ub_status *st, const char *file)
{
	return ub_fail(st, UB_E_BAD_DATA, 0, file, "%s is malformed", file);
}

int ub_uicc_iccid(struct ub_uicc *u, char iccid[21], struct ub_status *st)
{
	uint8_t b[16];
	int n, err;

	if ((err = ub_uicc_select(u, NULL, st)))
		return err;
	if ((n = ub_uicc_read(u, &UB_EF_ICCID, 10, b, sizeof(b), st)) < 0)
		return n;
	return ub_iccid_decode(b, (size_t)n, iccid) ? malformed(st, "EF_ICCID") : 0;
}

int ub_uicc_impi(struct ub_uicc *u, const struct ub_app *app, char *out, size_t max,
		 struct ub_status *st)
{
	uint8_t b[256];
	char imsi[16];
	int n, mnc, err;

	if (app->kind == UB_APP_USIM) {
		if ((err = ub_uicc_read_imsi(u, app, imsi, &mnc, st)))
			return err;
		if (!mnc) /* TS 23.003 13.3 needs the MNC length */
			return ub_fail(st, UB_E_BAD_DATA, 0, "EF_AD",
				       "EF_AD does not give the MNC length the IMPI needs");
		if (ub_impi_from_imsi(imsi, mnc, out, max))
			return ub_fail(st, UB_E_BAD_DATA, 0, "EF_IMSI", "no IMPI from this IMSI");
		return 0;
	}
	if ((err = ub_uicc_select(u, app, st)))
		return err;
	if ((n = ub_uicc_read(u, &UB_EF_IMPI, 0, b, sizeof(b), st)) < 0)
		return n;
	return ub_tlv80_text(b, (size_t)n, out, max) ? malformed(st, "EF_IMPI") : 0;
}

static int read_gbabp(struct ub_uicc *u, const struct ub_ef *ef, struct ub_gbabp *g,
		      struct ub_status *st)
{
	uint8_t b[256];
	int n = ub_uicc_read(u, ef, 0, b, sizeof(b), st);

	if (n < 0)
		return n;
	return ub_gbabp_decode(b, (size_t)n, g) ? malformed(st, ef->name) : 0;
}

static int usim_part(struct ub_uicc *u, const struct ub_app *usim, struct ub_identity *id,
		     struct ub_status *st)
{
	int n, err;

	if ((err = ub_uicc_read_imsi(u, usim, id->imsi, &id->mnc_len, st)))
		return err;
	if ((n = ub_uicc_read(u, &UB_EF_UST, 0, id->ust, sizeof(id->ust), st)) < 0)
		return n;
	id->ust_len = (size_t)n;
	if (ub_service(id->ust, id->ust_len, 68))
		return read_gbabp(u, &UB_EF_USIM_GBABP, &id->gba_usim, st);
	return 0;
}

static int isim_part(struct ub_uicc *u, const struct ub_app *isim, struct ub_identity *id,
		     struct ub_status *st)
{
	uint8_t b[256];
	unsigned rec;
	int n, err;

	if ((err = ub_uicc_impi(u, isim, id->impi, sizeof(id->impi), st)))
		return err;
	id->impi_source = "isim";
	for (rec = 1; rec < 255; rec++) {
		n = ub_uicc_read_record(u, &UB_EF_IMPU, rec, b, sizeof(b), st);
		if (n == UB_E_NOT_FOUND)
			break;
		if (n < 0)
			return n;
		if (b[0] == 0xFF)
			continue; /* an empty record */
		if (id->nimpu == UB_IDENTITY_IMPU_MAX)
			return ub_fail(st, UB_E_NOT_SUPPORTED, 0, "EF_IMPU",
				       "EF_IMPU holds more than %d IMPUs", UB_IDENTITY_IMPU_MAX);
		if (ub_tlv80_text(b, (size_t)n, id->impu[id->nimpu], sizeof(id->impu[0])))
			return malformed(st, "EF_IMPU");
		id->nimpu++;
	}
	if ((n = ub_uicc_read(u, &UB_EF_IST, 0, id->ist, sizeof(id->ist), st)) < 0)
		return n;
	id->ist_len = (size_t)n;
	if (ub_service(id->ist, id->ist_len, 2))
		return read_gbabp(u, &UB_EF_ISIM_GBABP, &id->gba_isim, st);
	return 0;
}

/* A 2G SIM (TS 51.011): ICCID in the MF, IMSI and AD in DF_GSM. */
static int legacy_part(struct ub_uicc *u, struct ub_identity *id, struct ub_status *st)
{
	static const struct ub_ef imsi = {0x6F07, 0, "EF_IMSI", false},
				  ad = {0x6FAD, 0, "EF_AD", false},
				  iccid = {0x2FE2, 0, "EF_ICCID", false};
	uint8_t b[64];
	int n, err;

	if ((err = ub_uicc_select_fid(u, 0x3F00, st)))
		return err;
	if ((n = ub_uicc_read(u, &iccid, 10, b, sizeof(b), st)) < 0)
		return n;
	if (ub_iccid_decode(b, (size_t)n, id->iccid))
		return malformed(st, "EF_ICCID");
	if ((err = ub_uicc_select_fid(u, 0x7F20, st))) /* DF_GSM */
		return err;
	if ((n = ub_uicc_read(u, &imsi, 9, b, sizeof(b), st)) < 0)
		return n;
	if (ub_imsi_decode(b, (size_t)n, id->imsi))
		return malformed(st, "EF_IMSI");
	if ((n = ub_uicc_read(u, &ad, 4, b, sizeof(b), st)) < 0)
		return n;
	return ub_ad_mnc_len(b, (size_t)n, &id->mnc_len) ? malformed(st, "EF_AD") : 0;
}

int ub_uicc_identity(struct ub_uicc *u, struct ub_identity *id, struct ub_status *st)
{
	const struct ub_app *usim = NULL, *isim = NULL;
	int err;

	memset(id, 0, sizeof(*id));
	err = ub_uicc_find_app(u, UB_APP_USIM, &usim, st);
	if (err == UB_E_NOT_FOUND && u->legacy) {
		id->legacy = true;
		err = legacy_part(u, id, st);
	} else if (!err || err == UB_E_NOT_FOUND) {
		err = usim ? usim_part(u, usim, id, st) : 0;
		if (!err && (err = ub_uicc_all_apps(u, st)) > 0)
			err = 0; /* the number of applications */
		if (!err)
			err = ub_uicc_iccid(u, id->iccid, st);
		if (!err && ub_uicc_find_app(u, UB_APP_ISIM, &isim, st) == 0)
			err = isim_part(u, isim, id, st);
	}
	if (err)
		return err;
	if (!id->impi[0] && id->imsi[0] && id->mnc_len &&
	    !ub_impi_from_imsi(id->imsi, id->mnc_len, id->impi, sizeof(id->impi)))
		id->impi_source = "derived";
	id->has_isim = isim != NULL;
	return 0;
}
