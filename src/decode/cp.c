/* OMA CP PROV 1.0 to plan nodes: APPLICATION with APPID w7 becomes a DM
 * 1.2 account (OMA-TS-DM_StdObj, the w7 mapping of its appendix),
 * NAPDEF and PXLOGICAL become ./ConnMO/<id> (the OMA ConnMO node names are
 * not known to us: this mapping is ours). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decode_build.h"
#include "ub_error.h"

static const char *parm(struct xnode *ch, const char *name)
{
	struct xnode *k;

	for (k = ch->child; k; k = k->next)
		if (!strcmp(k->name, "parm") && xdoc_attr(k, "name") &&
		    !strcmp(xdoc_attr(k, "name"), name))
			return xdoc_attr(k, "value") ? xdoc_attr(k, "value") : "";
	return NULL;
}

static struct xnode *sub(struct xnode *ch, const char *type, struct xnode *after)
{
	struct xnode *k;

	for (k = after ? after->next : ch->child; k; k = k->next)
		if (!strcmp(k->name, "characteristic") && xdoc_attr(k, "type") &&
		    !strcmp(xdoc_attr(k, "type"), type))
			return k;
	return NULL;
}

/* A node name from an id: [A-Za-z0-9_.-], others become '_'. */
static void node_name(char *out, size_t max, const char *id)
{
	size_t i;

	for (i = 0; id[i] && i + 1 < max; i++)
		out[i] = (id[i] >= 'a' && id[i] <= 'z') || (id[i] >= 'A' && id[i] <= 'Z') ||
					 (id[i] >= '0' && id[i] <= '9') || strchr("_.-", id[i])
				 ? id[i]
				 : '_';
	out[i] = '\0';
}

static int leaf(struct build *b, const char *base, const char *rel, const char *v, const char *acl)
{
	char uri[UB_URI_MAX + 1];
	int err;

	if (!v)
		return 0;
	if ((err = pb_join(b, uri, base, rel)))
		return err;
	return pb_add(b, uri, "chr", "text/plain", v, acl);
}

static int cp_connmo(struct build *b, const char *id, struct xnode *ch, bool proxy)
{
	char base[UB_URI_MAX + 1], name[128], ref[UB_URI_MAX + 1];
	struct xnode *phys, *port;
	int err;

	node_name(name, sizeof(name), id);
	if (!*name)
		return pb_fail(b, "NAPDEF/PXLOGICAL without an id", NULL);
	if ((err = pb_join(b, base, ub_dm_layout(UB_DM12)->connmos, name)))
		return err;
	if ((err = pb_add(b, base, "node", UB_DDF_CONNMO, NULL, NULL)) ||
	    (err = leaf(b, base, "Name", parm(ch, "NAME"), NULL)))
		return err;
	if (!proxy) /* NAPDEF -> NAP/... (ConnMO node names UNCERTAIN, spec 3.4) */
		return leaf(b, base, "NAP/Addr", parm(ch, "NAP-ADDRESS"), NULL) ?:
		       leaf(b, base, "NAP/AddrType", parm(ch, "NAP-ADDRTYPE"), NULL) ?:
		       leaf(b, base, "NAP/Bearer", parm(ch, "BEARER"), NULL);
	phys = sub(ch, "PXPHYSICAL", NULL);
	if (!phys)
		return 0;
	port = sub(phys, "PORT", NULL);
	if ((err = leaf(b, base, "PX/Addr", parm(phys, "PXADDR"), NULL)) ||
	    (err = leaf(b, base, "PX/AddrType", parm(phys, "PXADDRTYPE"), NULL)) ||
	    (err = leaf(b, base, "PX/PortNbr", port ? parm(port, "PORTNBR") : NULL, NULL)))
		return err;
	if (parm(phys, "TO-NAPID")) {
		node_name(name, sizeof(name), parm(phys, "TO-NAPID"));
		if ((err = pb_join(b, ref, ub_dm_layout(UB_DM12)->connmos, name)))
			return err;
		return leaf(b, base, "PX/ToConRef", ref, NULL);
	}
	return 0;
}

static int cp_w7(struct build *b, struct xnode *app)
{
	const char *sid = parm(app, "PROVIDER-ID"), *to = parm(app, "TO-PROXY");
	char base[UB_URI_MAX + 1], name[128], ref[UB_URI_MAX + 1], rel[64];
	struct xnode *aa = NULL, *addr = sub(app, "APPADDR", NULL), *port;
	int err, n = 0;

	if (!sid || !*sid)
		return pb_fail(b, "w7 APPLICATION without PROVIDER-ID (the ServerID)", NULL);
	/* CP profile 5.3.4: Get, Replace and Delete for the w7 ServerID, given
	 * by apply to the account and what it refers to (the account model
	 * checks PROVIDER-ID as a ServerID) */
	node_name(name, sizeof(name), sid);
	if ((err = pb_join(b, base, ub_dm_layout(UB_DM12)->accounts, name)) ||
	    (err = pb_add(b, base, "node", UB_DDF_DMACC, NULL, NULL)) ||
	    (err = leaf(b, base, "AppID", "w7", NULL)) ||
	    (err = leaf(b, base, ub_dm_layout(UB_DM12)->server_leaf, sid, NULL)) ||
	    (err = leaf(b, base, "Name", parm(app, "NAME"), NULL)))
		return err;
	if (!to)
		to = parm(app, "TO-NAPID");
	if (to) {
		node_name(name, sizeof(name), to);
		if ((err = pb_join(b, ref, ub_dm_layout(UB_DM12)->connmos, name)) ||
		    (err = leaf(b, base, "PrefConRef", ref, NULL)))
			return err;
	}
	/* ADDR directly, or APPADDR/ADDR (INTEL-CP accepts both) */
	if ((err = leaf(b, base, "AppAddr/1/Addr", addr ? parm(addr, "ADDR") : parm(app, "ADDR"),
			NULL)) ||
	    (err = leaf(b, base, "AppAddr/1/AddrType",
			addr && parm(addr, "ADDRTYPE") ? parm(addr, "ADDRTYPE") : "URI", NULL)))
		return err;
	port = addr ? sub(addr, "PORT", NULL) : NULL;
	if (port && (err = leaf(b, base, "AppAddr/1/Port/1/PortNbr", parm(port, "PORTNBR"), NULL)))
		return err;
	while ((aa = sub(app, "APPAUTH", aa)) && !err) {
		const char *lvl = parm(aa, "AAUTHLEVEL");

		/* APPSRV -> CLCRED, CLIENT -> SRVCRED (StdObj appendix) */
		if (lvl && !strcmp(lvl, "APPSRV"))
			lvl = "CLCRED";
		else if (lvl && !strcmp(lvl, "CLIENT"))
			lvl = "SRVCRED";
		snprintf(rel, sizeof(rel), "AppAuth/%d/", ++n);
#define AUTHLEAF(k, v) (snprintf(name, sizeof(name), "%s%s", rel, k), leaf(b, base, name, v, NULL))
		err = AUTHLEAF("AAuthLevel", lvl) ?: AUTHLEAF("AAuthType", parm(aa, "AAUTHTYPE"))
			?: AUTHLEAF("AAuthName", parm(aa, "AAUTHNAME"))
			?: AUTHLEAF("AAuthSecret", parm(aa, "AAUTHSECRET"))
			?: AUTHLEAF("AAuthData", parm(aa, "AAUTHDATA"));
#undef AUTHLEAF
	}
	return err;
}

int pb_cp_doc(struct build *b, struct xnode *root)
{
	struct xnode *ch;
	const char *id, *appid, *type;
	int err = 0;

	b->plan->kind = UB_PLAN_CP;
	for (ch = root->child; !err && ch; ch = ch->next) {
		type = xdoc_attr(ch, "type");
		if (strcmp(ch->name, "characteristic") || !type)
			continue;
		if (!strcmp(type, "APPLICATION")) {
			appid = parm(ch, "APPID");
			if (appid && !strcmp(appid, "w7"))
				err = cp_w7(b, ch);
		} else if (!strcmp(type, "NAPDEF") || !strcmp(type, "PXLOGICAL")) {
			id = parm(ch, !strcmp(type, "NAPDEF") ? "NAPID" : "PROXY-ID");
			if (!id)
				return pb_fail(b, "connectivity without an id", type);
			err = cp_connmo(b, id, ch, !strcmp(type, "PXLOGICAL"));
		}
	}
	/* the w7 accounts own the connectivity they refer to (CP profile
	 * 5.3.4); without a w7 application the document only brings
	 * connectivity, and no server gets rights on it */
	return err;
}
