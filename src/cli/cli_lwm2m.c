/* uiccboot lwm2m list|export: the card's LwM2M bootstrap as the device
 * tree holds it (ub_lwm2m_from_tree), listed for people, or exported as
 * an LwM2M client's Bootstrap-Write takes it: SenML JSON (content format
 * 110) or TLV (11542).  Secrets only with --secrets. */
#include <openssl/crypto.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "lwm2m.h"

struct lw_args {
	bool secrets, tlv;
	long object; /* -1: every Object */
};

static const char *version_text(const struct ub_lwm2m_obj *o, char *buf, size_t max)
{
	if (!o->explicit_version)
		return NULL;
	snprintf(buf, max, "%u.%u", o->major, o->minor);
	return buf;
}

/* One resource value as the tree shows it. */
static json_object *list_value(struct ub_cli *cli, const char *path, const struct ub_lwm2m_obj *o,
			       uint16_t res, const uint8_t *v, size_t n, bool secrets)
{
	json_object *j = json_object_new_object();
	struct ub_lwm2m_value l;
	char name[24];
	const char *shown;

	ub_lwm2m_value_text(o->id, res, v, n, &l); /* checked when read: cannot fail */
	shown = l.secret && !secrets ? UB_TREE_SECRET_MASK : l.value ? l.value : "";
	snprintf(name, sizeof(name), "resource %u", res);
	json_object_object_add(j, "path", json_object_new_string(path));
	json_object_object_add(j, "name", json_object_new_string(l.name ? l.name : name));
	json_object_object_add(j, "type", json_object_new_string(l.type ? l.type : "Opaque"));
	json_object_object_add(j, "format", json_object_new_string(l.format ? l.format : "b64"));
	json_object_object_add(j, "value", json_object_new_string(shown));
	if (!cli->json)
		cli_print(stdout, "  %-12s %s (%s) = %s\n", path, l.name ? l.name : name,
			  l.type ? l.type : "Opaque", shown);
	ub_lwm2m_value_free(&l);
	return j;
}

static json_object *list_instance(struct ub_cli *cli, struct ub_tree *t,
				  const struct ub_lwm2m_obj *o, const struct ub_lwm2m_inst *in,
				  bool secrets)
{
	json_object *j = json_object_new_object(), *res = json_object_new_array();
	const char *name = ub_lwm2m_obj_name(o->id);
	char uri[64], path[48], ver[8];
	struct ub_tree_node n = {0};
	size_t i, k;

	snprintf(uri, sizeof(uri), "%s/%u/%u", UB_LWM2M_TREE, o->id, in->id);
	snprintf(path, sizeof(path), "/%u/%u", o->id, in->id);
	if (ub_tree_get(t, uri, &n))
		memset(&n, 0, sizeof(n));
	json_object_object_add(j, "path", json_object_new_string(path));
	json_object_object_add(j, "uri", json_object_new_string(uri));
	json_object_object_add(j, "object", json_object_new_int(o->id));
	json_object_object_add(j, "name", name ? json_object_new_string(name) : NULL);
	json_object_object_add(j, "version",
			       version_text(o, ver, sizeof(ver)) ? json_object_new_string(ver)
								 : NULL);
	json_object_object_add(j, "owner", n.server ? json_object_new_string(n.server) : NULL);
	json_object_object_add(j, "source", n.source ? json_object_new_string(n.source) : NULL);
	if (!cli->json)
		cli_print(stdout, "%s  %s  owner %s  source %s\n", path, name ? name : "(Object)",
			  n.server ? n.server : "-", n.source ? n.source : "-");
	for (i = 0; i < in->nres; i++) {
		const struct ub_lwm2m_res *r = &in->res[i];

		for (k = 0; k < (r->multiple ? r->nri : 1); k++) {
			char rp[64];

			if (r->multiple)
				snprintf(rp, sizeof(rp), "%s/%u/%u", path, r->id, r->ri[k].id);
			else
				snprintf(rp, sizeof(rp), "%s/%u", path, r->id);
			json_object_array_add(
				res, list_value(cli, rp, o, r->id, r->multiple ? r->ri[k].v : r->v,
						r->multiple ? r->ri[k].len : r->len, secrets));
		}
	}
	json_object_object_add(j, "resources", res);
	ub_tree_node_free(&n);
	return j;
}

static int lw_list(struct ub_cli *cli, struct ub_tree *t, const struct ub_lwm2m_boot *b,
		   const struct lw_args *a)
{
	json_object *arr = json_object_new_array();
	size_t i, j;

	for (i = 0; i < b->nobj; i++)
		if (a->object < 0 || b->obj[i].id == a->object)
			for (j = 0; j < b->obj[i].tlv.ninst; j++)
				json_object_array_add(arr, list_instance(cli, t, &b->obj[i],
									 &b->obj[i].tlv.inst[j],
									 a->secrets));
	json_object_object_add(cli->out, "instances", arr);
	return 0;
}

/* The TLV of one Object (Bootstrap-Write /O), or of all in the framing of
 * EF LwM2M_Bootstrap; malloc'd into *out. */
static int tlv_bytes(const struct ub_lwm2m_boot *b, const struct ub_lwm2m_obj *o, unsigned flags,
		     uint8_t **out)
{
	int n = o ? ub_lwm2m_tlv_obj(o, flags, NULL, 0) : ub_lwm2m_boot_encode(b, NULL, 0);

	*out = NULL;
	if (n < 0)
		return n;
	if (!(*out = malloc((size_t)n + 1)))
		return UB_E_NOMEM;
	return o ? ub_lwm2m_tlv_obj(o, flags, *out, (size_t)n)
		 : ub_lwm2m_boot_encode(b, *out, (size_t)n);
}

static void wipe_free(uint8_t *p, int n)
{
	if (p && n > 0)
		OPENSSL_cleanse(p, (size_t)n);
	free(p);
}

/* --json: one entry per Object, its payload as JSON (SenML) or hex (TLV). */
static int export_json(struct ub_cli *cli, const struct ub_lwm2m_boot *b, const struct lw_args *a,
		       unsigned flags)
{
	json_object *arr = json_object_new_array();
	char ver[8], *text;
	uint8_t *bytes;
	size_t i;
	int n = 0;

	json_object_object_add(cli->out, "format",
			       json_object_new_string(a->tlv ? "tlv" : "senml-json"));
	json_object_object_add(
		cli->out, "content_format",
		json_object_new_int(a->tlv ? UB_LWM2M_CF_TLV : UB_LWM2M_CF_SENML_JSON));
	for (i = 0; i < b->nobj && n >= 0; i++) {
		json_object *o;

		if (a->object >= 0 && b->obj[i].id != a->object)
			continue;
		o = json_object_new_object();
		json_object_object_add(o, "id", json_object_new_int(b->obj[i].id));
		json_object_object_add(o, "version",
				       version_text(&b->obj[i], ver, sizeof(ver))
					       ? json_object_new_string(ver)
					       : NULL);
		if (a->tlv) {
			n = tlv_bytes(b, &b->obj[i], flags, &bytes);
			if (n >= 0)
				json_object_object_add(o, "tlv", cli_json_hex(bytes, (size_t)n));
			wipe_free(bytes, n);
		} else if (!(n = ub_lwm2m_senml_text(b, b->obj[i].id, flags, &text))) {
			json_object_object_add(o, "senml", json_tokener_parse(text));
			ub_lwm2m_text_free(text);
		}
		json_object_array_add(arr, o);
	}
	json_object_object_add(cli->out, "objects", arr);
	return n < 0 ? n : 0;
}

static int lw_export(struct ub_cli *cli, const struct ub_lwm2m_boot *b, const struct lw_args *a)
{
	unsigned flags = a->secrets ? UB_LWM2M_SECRETS : 0;
	const struct ub_lwm2m_obj *o = NULL;
	uint8_t *bytes = NULL;
	char *text = NULL;
	int n, len = 0;

	if (a->object >= 0 && !(o = ub_lwm2m_obj_find(b, (uint16_t)a->object))) {
		cli_error(cli, UB_E_NOT_FOUND, "LwM2M Object %ld in the device tree", a->object);
		return UB_E_NOT_FOUND;
	}
	if (cli->json) {
		n = export_json(cli, b, a, flags);
	} else if (a->tlv && isatty(STDOUT_FILENO)) {
		n = UB_E_USAGE; /* binary: for a file or a pipe */
	} else if (a->tlv) {
		n = len = tlv_bytes(b, o, flags, &bytes);
		if (len >= 0)
			n = fwrite(bytes, 1, (size_t)len, stdout) == (size_t)len ? 0 : UB_E_IO;
	} else if (!(n = ub_lwm2m_senml_text(b, o ? o->id : -1, flags, &text))) {
		printf("%s\n", text);
	}
	wipe_free(bytes, len);
	ub_lwm2m_text_free(text);
	if (n == UB_E_USAGE)
		cli_error(cli, n, "--format tlv writes binary; redirect it to a file");
	else if (n)
		cli_error(cli, n, "LwM2M export");
	return n;
}

static int parse_object(const char *s, long *out)
{
	char *end;
	long v = strtol(s, &end, 10);

	if (!*s || *end || v < 0 || v > 0xFFFF)
		return UB_E_USAGE;
	*out = v;
	return 0;
}

static const struct cli_opt list_opts[] = {
	{"secrets", no_argument, 'S', NULL, "show secret resources (else (secret))"},
	{"object", required_argument, 'o', "ID", "only this Object (0-65535)"},
	{NULL, 0, 0, NULL, NULL},
};
static const struct cli_opt export_opts[] = {
	{"secrets", no_argument, 'S', NULL, "include secret resources (else left out)"},
	{"format", required_argument, 'f', "F", "senml-json (default) or tlv (binary)"},
	{"object", required_argument, 'o', "ID", "only this Object (0-65535)"},
	{NULL, 0, 0, NULL, NULL},
};

static int lwm2m_run(struct ub_cli *cli, int argc, char **argv)
{
	struct lw_args a = {false, false, -1};
	const char *sub = cli->cmd->name;
	struct ub_lwm2m_boot b;
	struct ub_tree *t;
	struct ub_status st = {0};
	int c, err;

	while ((c = cli_getopt(cli, argc, argv)) != -1) {
		if (c == 'S')
			a.secrets = true;
		else if (c == 'f' && (!strcmp(optarg, "tlv") || !strcmp(optarg, "senml-json")))
			a.tlv = !strcmp(optarg, "tlv");
		else if (c == 'f')
			return cli_usage(cli, "--format is senml-json or tlv");
		else if (c != 'o')
			return cli_usage(cli, NULL);
		else if (parse_object(optarg, &a.object))
			return cli_usage(cli, "--object wants an Object id, 0 to 65535");
	}
	if ((err = cli_nargs(cli, argc, argv, 0, 0)))
		return err;
	if ((err = cli_tree_open(cli, UB_TREE_READ, &t)))
		return err;
	/* list masks the secrets it shows; export leaves them out */
	err = ub_lwm2m_from_tree(t, a.secrets || !strcmp(sub, "list") ? UB_LWM2M_SECRETS : 0, &b,
				 &st);
	if (err)
		cli_fail_at(cli, err, &st, "LwM2M data in the device tree");
	else if (!strcmp(sub, "list"))
		err = lw_list(cli, t, &b, &a);
	else
		err = lw_export(cli, &b, &a);
	ub_lwm2m_boot_free(&b);
	ub_tree_close(t);
	return err;
}

static const struct ub_cmd lwm2m_cmds[] = {
	{.name = "list",
	 .run = lwm2m_run,
	 .synopsis = "[--secrets] [--object ID]",
	 .summary = "the LwM2M Object Instances the tree holds",
	 .text = "The LwM2M Object Instances the tree holds (./LwM2M), with their owner\n"
		 "(lwm2m:<Short Server ID>, lwm2m:bootstrap, lwm2m:client), source, and each\n"
		 "resource's name, type and value; secrets show as (secret) without --secrets.",
	 .opts = list_opts},
	{.name = "export",
	 .run = lwm2m_run,
	 .synopsis = "[--secrets] [--format senml-json|tlv] [--object ID]",
	 .summary = "the LwM2M Objects as a Bootstrap-Write takes them",
	 .text = "The LwM2M Objects as an LwM2M client's Bootstrap-Write takes them: SenML\n"
		 "JSON (content format 110), or with --format tlv LwM2M TLV (11542) of the\n"
		 "Object of --object, or of every Object in the framing of EF LwM2M_Bootstrap\n"
		 "(binary: not to a terminal).  Secret resources are left out unless\n"
		 "--secrets.  With --json one object: format, content_format, and per Object\n"
		 "its id, version and senml or tlv (hex).",
	 .opts = export_opts},
	{.name = NULL},
};

const struct ub_cmd cli_lwm2m_cmd = {
	.name = "lwm2m",
	.summary = "the card's LwM2M bootstrap data in the tree: list, export",
	.subs = lwm2m_cmds,
};
