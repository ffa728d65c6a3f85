/* An LwM2M client's view of the bootstrap uiccboot took from the card,
 * through libuiccboot: one Bootstrap-Write per Object, as the client's
 * handler would take it.
 *
 *   cc lwm2mclient.c $(pkg-config --cflags --libs libuiccboot) -o lwm2mclient
 *   ./lwm2mclient /var/lib/uiccboot/dmtree.db
 *
 * Prints, per Object, its SenML JSON payload (content format 110) and the
 * length of its TLV payload (11542).  Secrets are asked for: a client
 * needs its keys; it wipes them (ub_lwm2m_text_free, ub_lwm2m_boot_free). */
#include <stdio.h>
#include <stdlib.h>
#include <uiccboot/lwm2m.h>
#include <uiccboot/secret.h>
#include <uiccboot/tree.h>
#include <uiccboot/ub_error.h>

int main(int argc, char **argv)
{
	struct ub_lwm2m_boot b;
	struct ub_tree *t;
	struct ub_status st;
	char *senml;
	size_t i;
	int err, n;

	if (argc != 2) {
		fprintf(stderr, "usage: lwm2mclient TREE\n");
		return 64;
	}
	if (ub_secret_harden_process()) /* it asks for the keys */
		return 70;
	if ((err = ub_tree_open_mode(argv[1], UB_TREE_READ, &t, &st))) {
		fprintf(stderr, "lwm2mclient: %s [%s]\n", st.what, ub_errname(err));
		return 1;
	}
	err = ub_lwm2m_from_tree(t, UB_LWM2M_SECRETS, &b, &st);
	ub_tree_close(t);
	if (err) {
		fprintf(stderr, "lwm2mclient: %s [%s]\n", st.what, ub_errname(err));
		return 1;
	}
	for (i = 0; i < b.nobj; i++) {
		n = ub_lwm2m_tlv_obj(&b.obj[i], UB_LWM2M_SECRETS, NULL, 0);
		if (ub_lwm2m_senml_text(&b, b.obj[i].id, UB_LWM2M_SECRETS, &senml))
			break;
		printf("Bootstrap-Write /%u (%d): %s\n", b.obj[i].id, UB_LWM2M_CF_SENML_JSON,
		       senml);
		printf("Bootstrap-Write /%u (%d): %d bytes of TLV\n", b.obj[i].id, UB_LWM2M_CF_TLV,
		       n);
		ub_lwm2m_text_free(senml);
	}
	ub_lwm2m_boot_free(&b);
	return 0;
}
