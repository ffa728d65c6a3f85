/* uicc-sim: a software USIM/ISIM/PKCS#15 card for pcscd's vpcd driver.
 * It shares no code with the host library on purpose: a misreading of a
 * spec cannot hide on both sides. */
#ifndef SIM_H
#define SIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define SIM_MAX_CHAN 4
#define SIM_MAX_IMPU 8
#define SIM_GR_MAX 512

enum sim_ftype { SIM_MF, SIM_DF, SIM_ADF, SIM_EF_TRANSPARENT, SIM_EF_LINEAR };

struct sim_file {
	enum sim_ftype type;
	uint16_t fid;
	uint8_t sfi; /* 0: none */
	uint8_t aid[16];
	size_t aid_len;
	uint8_t *data; /* transparent: size bytes; linear: rec_len * nrec */
	size_t size;
	uint8_t rec_len, nrec;
	bool pin_read, pin_update; /* access needs PIN1 verified */
	struct sim_file *parent, *child, *next;
};

struct sim_profile {
	char dir[512]; /* of the profile file, for relative paths */
	char iccid[24];
	uint8_t atr[33];
	size_t atr_len;
	bool t0, legacy;
	char pin1[9];
	int pin1_attempts;
	bool pin1_enabled;
	uint16_t gba_no_ks_sw;
	bool whole_aid; /* SELECT by DF name needs the whole AID (no partial selection) */

	bool has_usim;
	uint8_t usim_aid[16];
	size_t usim_aid_len;
	char imsi[16];
	int mnc_len;
	uint8_t ki[16], opc[16], sqn[6], amf[2];
	uint8_t ust[16];
	bool gba_autn_star;

	bool has_isim;
	uint8_t isim_aid[16];
	size_t isim_aid_len;
	char impi[256], domain[256];
	char impu[SIM_MAX_IMPU][256];
	int n_impu;
	uint8_t ist[8];

	bool has_pkcs15;
	uint8_t p15_aid[16];
	size_t p15_aid_len;
	uint8_t *dm_boot, *cp_boot, *lwm2m_boot;
	size_t dm_boot_len, cp_boot_len, lwm2m_boot_len;
	bool lwm2m_oid_plain;  /* 06 04 67 2B 09 01, not the example's double form */
	bool lwm2m_private;    /* private flag + authId in the DODF, EF behind PIN1 */
	bool lwm2m_modifiable; /* modifiable flag in the DODF (the EF still read always) */
};

/* Per-application GBA state kept by the card (TS 33.220 G.1). */
struct sim_gba {
	bool has_ks;
	uint8_t ks[32], rand[16];
};

struct sim_chan {
	bool open;
	struct sim_file *df, *ef, *adf;
	uint8_t cur_rec;
	uint8_t gr[SIM_GR_MAX]; /* data waiting for GET RESPONSE (T=0) */
	size_t gr_len, gr_off;
	uint16_t gr_sw;
};

/* Faults of a hostile or damaged card (--fault), tied to one EF by its FID. */
enum sim_file_fault_kind {
	SIM_FF_NODATA,	    /* READ BINARY / READ RECORD: 9000 without data */
	SIM_FF_EMPTY,	    /* READ RECORD: every record 1..254 all FF, never 6A83 */
	SIM_FF_FCP_SIZE,    /* the FCP gives value as the file size */
	SIM_FF_FCP_RECORDS, /* the FCP gives value as the number of records */
};
#define SIM_MAX_FILE_FAULTS 8

struct sim_file_fault {
	enum sim_file_fault_kind kind;
	uint16_t fid;
	unsigned value;
};

struct sim_card {
	struct sim_profile *p;
	struct sim_file_fault file_faults[SIM_MAX_FILE_FAULTS];
	int nfile_faults;
	struct sim_file *mf, *adf_usim, *adf_isim, *adf_p15;
	struct sim_chan ch[SIM_MAX_CHAN];
	bool pin_verified;
	int pin_attempts;
	uint8_t sqn_ms[6]; /* highest SQN accepted */
	struct sim_gba gba_usim, gba_isim;
	unsigned apdus;
};

/* profile.c */
int sim_profile_load(struct sim_profile *p, const char *path, struct sim_card *c);

/* fs.c */
struct sim_file *sim_file_new(struct sim_file *parent, enum sim_ftype t, uint16_t fid, uint8_t sfi);
void sim_file_set_data(struct sim_file *f, const uint8_t *d, size_t n, size_t alloc);
struct sim_file *sim_child(const struct sim_file *df, uint16_t fid);
struct sim_file *sim_child_sfi(const struct sim_file *df, uint8_t sfi);
size_t sim_fcp(const struct sim_card *c, const struct sim_file *f, uint8_t *out);
size_t sim_gsm_select_rsp(const struct sim_card *c, const struct sim_file *f, uint8_t *out);
int sim_build_fs(struct sim_card *c);
struct sim_file *sim_path_file(struct sim_card *c, const char *path, bool create);
void sim_fs_free(struct sim_file *f);

/* cmd.c */
void sim_reset(struct sim_card *c);
/* The fault of that kind on EF fid, or NULL. */
const struct sim_file_fault *sim_file_fault(const struct sim_card *c, enum sim_file_fault_kind k,
					    uint16_t fid);
size_t sim_apdu(struct sim_card *c, const uint8_t *cmd, size_t len, uint8_t *rsp);

/* milenage.c */
void milenage_f1(const uint8_t k[16], const uint8_t opc[16], const uint8_t rand[16],
		 const uint8_t sqn[6], const uint8_t amf[2], uint8_t mac_a[8], uint8_t mac_s[8]);
void milenage_f2345(const uint8_t k[16], const uint8_t opc[16], const uint8_t rand[16],
		    uint8_t res[8], uint8_t ck[16], uint8_t ik[16], uint8_t ak[6], uint8_t ak_s[6]);

/* gba.c */
void sim_gba_ks_ext_naf(const uint8_t ks[32], const uint8_t rand[16], const uint8_t *impi,
			size_t impi_len, const uint8_t *naf_id, size_t naf_len, uint8_t out[32]);

/* helpers */
int sim_unhex(uint8_t *out, size_t max, const char *hex);
void sim_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
