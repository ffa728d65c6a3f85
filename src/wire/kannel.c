/* Kannel sendsms over HTTP (libcurl).  libcurl is loaded when a message
 * is first sent, not linked: it brings some thirty libraries (TLS, LDAP,
 * Kerberos, SSH, ...) that every other command, the power-on above all,
 * would map for nothing (about 5 MiB of resident memory). */
#include <curl/curl.h>
#include <dlfcn.h>
#include <openssl/crypto.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ub_error.h"
#include "ub_kannel.h"

/* The libcurl calls used here, as the library has them (curl/curl.h). */
static struct {
	CURL *(*easy_init)(void);
	CURLcode (*easy_setopt)(CURL *, CURLoption, ...);
	CURLcode (*easy_perform)(CURL *);
	CURLcode (*easy_getinfo)(CURL *, CURLINFO, ...);
	void (*easy_cleanup)(CURL *);
	const char *(*easy_strerror)(CURLcode);
	char *(*easy_escape)(CURL *, const char *, int);
	void (*free)(void *);
	char error[200]; /* why it could not be loaded, or "" */
} curl;

static void load_curl(void)
{
	/* the soname of libcurl 7 and 8 (Debian 12: libcurl4) */
	void *h = dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL);
	const struct {
		void **fn;
		const char *name;
	} sym[] = {
		{(void **)&curl.easy_init, "curl_easy_init"},
		{(void **)&curl.easy_setopt, "curl_easy_setopt"},
		{(void **)&curl.easy_perform, "curl_easy_perform"},
		{(void **)&curl.easy_getinfo, "curl_easy_getinfo"},
		{(void **)&curl.easy_cleanup, "curl_easy_cleanup"},
		{(void **)&curl.easy_strerror, "curl_easy_strerror"},
		{(void **)&curl.easy_escape, "curl_easy_escape"},
		{(void **)&curl.free, "curl_free"},
	};
	size_t i;

	if (!h) {
		snprintf(curl.error, sizeof(curl.error), "libcurl.so.4: %s (install libcurl4)",
			 dlerror());
		return;
	}
	for (i = 0; i < sizeof(sym) / sizeof(sym[0]); i++)
		if (!(*sym[i].fn = dlsym(h, sym[i].name))) {
			snprintf(curl.error, sizeof(curl.error), "libcurl.so.4 has no %s",
				 sym[i].name);
			return;
		}
}

/* 0, or UB_E_NOT_SUPPORTED in st when libcurl cannot be loaded. */
static int have_curl(struct ub_status *st)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;

	pthread_once(&once, load_curl);
	if (!curl.error[0])
		return 0;
	return ub_fail(st, UB_E_NOT_SUPPORTED, 0, NULL, "%s", curl.error);
}

/* TP-DCS (TS 23.038 clause 4) as Kannel's coding / mclass / alt-dcs */
static int dcs_params(uint8_t dcs, char *out, size_t max)
{
	if (dcs == 0x04)
		snprintf(out, max, "coding=1");
	else if ((dcs & 0xFC) == 0x14)
		snprintf(out, max, "coding=1&mclass=%u&alt-dcs=0", dcs & 3u);
	else if ((dcs & 0xFC) == 0xF4)
		snprintf(out, max, "coding=1&mclass=%u&alt-dcs=1", dcs & 3u);
	else
		return UB_E_USAGE;
	return 0;
}

static char *esc(CURL *c, const void *b, size_t n)
{
	return curl.easy_escape(c, (const char *)b, (int)n);
}

int ub_kannel_url(const struct ub_kannel *k, const struct ub_sms_part *p, uint8_t dcs, char **url)
{
	char *v[6] = {0}, coding[64];
	size_t len, i;
	CURL *c;
	int rc = UB_E_NOMEM;

	*url = NULL;
	if (!k->url || !k->username || !k->password || !k->to || !k->from ||
	    dcs_params(dcs, coding, sizeof(coding)))
		return UB_E_USAGE;
	if ((rc = have_curl(NULL)))
		return rc;
	rc = UB_E_NOMEM;
	if (!(c = curl.easy_init()))
		return UB_E_NOMEM;
	v[0] = esc(c, k->username, strlen(k->username));
	v[1] = esc(c, k->password, strlen(k->password));
	v[2] = esc(c, k->to, strlen(k->to));
	v[3] = esc(c, k->from, strlen(k->from));
	v[4] = esc(c, p->udh, p->udh_len);
	v[5] = esc(c, p->data, p->data_len);
	for (i = 0; i < 6 && v[i]; i++)
		;
	if (i == 6) {
		len = strlen(k->url) + 128;
		for (i = 0; i < 6; i++)
			len += strlen(v[i]);
		*url = malloc(len);
		if (*url) {
			snprintf(*url, len,
				 "%s%susername=%s&password=%s&to=%s&from=%s&%s&udh=%s&text=%s",
				 k->url, strchr(k->url, '?') ? "&" : "?", v[0], v[1], v[2], v[3],
				 coding, v[4], v[5]);
			rc = 0;
		}
	}
	for (i = 0; i < 6; i++) {
		if (v[i])
			OPENSSL_cleanse(v[i], strlen(v[i]));
		curl.free(v[i]);
	}
	curl.easy_cleanup(c);
	return rc;
}

void ub_kannel_url_free(char *url)
{
	if (url)
		OPENSSL_cleanse(url, strlen(url));
	free(url);
}

struct answer {
	char text[256];
	size_t len;
};

static size_t keep_answer(char *ptr, size_t size, size_t nmemb, void *arg)
{
	struct answer *a = arg;
	size_t n = size * nmemb, room = sizeof(a->text) - 1 - a->len;

	memcpy(a->text + a->len, ptr, n < room ? n : room);
	a->len += n < room ? n : room;
	a->text[a->len] = '\0';
	return n;
}

int ub_kannel_send(const struct ub_kannel *k, const struct ub_sms_part *p, uint8_t dcs,
		   char *answer, size_t max, struct ub_status *st)
{
	struct answer a = {{0}, 0};
	char *url = NULL, cerr[CURL_ERROR_SIZE] = "";
	long status = 0;
	CURL *c = NULL;
	CURLcode cc;
	int rc;

	if (answer && max)
		answer[0] = '\0';
	if ((rc = have_curl(st)))
		return rc;
	if ((rc = ub_kannel_url(k, p, dcs, &url)))
		return ub_fail(st, rc, 0, NULL, NULL);
	if (!(c = curl.easy_init())) {
		rc = ub_fail(st, UB_E_NOMEM, 0, NULL, NULL);
		goto end;
	}
	curl.easy_setopt(c, CURLOPT_URL, url);
	curl.easy_setopt(c, CURLOPT_TIMEOUT, k->timeout_s > 0 ? k->timeout_s : 30L);
	curl.easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl.easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl.easy_setopt(c, CURLOPT_WRITEFUNCTION, keep_answer);
	curl.easy_setopt(c, CURLOPT_WRITEDATA, &a);
	curl.easy_setopt(c, CURLOPT_ERRORBUFFER, cerr);
	cc = curl.easy_perform(c);
	if (cc != CURLE_OK) {
		rc = ub_fail(st, UB_E_IO, 0, NULL, "%s", cerr[0] ? cerr : curl.easy_strerror(cc));
		goto end;
	}
	curl.easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	if (status < 200 || status > 299) {
		rc = ub_fail(st, UB_E_IO, 0, NULL, "HTTP %ld: %s", status, a.text);
		goto end;
	}
	if (answer && max)
		snprintf(answer, max, "HTTP %ld: %s", status, a.text);
end:
	if (c)
		curl.easy_cleanup(c);
	ub_kannel_url_free(url);
	return rc;
}
