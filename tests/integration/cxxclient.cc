// A C++ DM client of the installed libuiccboot (tests/integration/t_install.sh
// builds it with g++ against the installed headers, once with the shared
// library and once with the static archive, both through pkg-config; every
// installed public header is included with -include as well).
//
//   cxxclient TREE MISSING
//
// Prints the version, what opening a missing tree read-only says, and the
// accounts of TREE (opened read-only).
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include <uiccboot/secret.h>
#include <uiccboot/tree.h>
#include <uiccboot/ub_error.h>
#include <uiccboot/version.h>

static void add(const char *name, void *arg)
{
	static_cast<std::vector<std::string> *>(arg)->push_back(name);
}

int main(int argc, char **argv)
{
	std::vector<std::string> accounts;
	struct ub_tree *t = nullptr;
	struct ub_status st;
	int err;

	if (argc != 3) {
		std::fprintf(stderr, "usage: cxxclient TREE MISSING\n");
		return 64;
	}
	if (ub_secret_harden_process())
		return 70;
	// the headers and the library agree
	std::printf("version %s %s %d\n", ub_version(), UB_VERSION_STRING,
		    UB_VERSION_NUMBER >= UB_VERSION_ENCODE(0, 2, 0));
	// a mistyped path: an error that names the file, no tree made
	err = ub_tree_open_mode(argv[2], UB_TREE_READ, &t, &st);
	std::printf("missing %s %d %s\n", ub_errname(err), t == nullptr,
		    std::strstr(st.where, argv[2]) && std::strstr(st.what, argv[2]) ? "named"
										   : "unnamed");
	if ((err = ub_tree_open_mode(argv[1], UB_TREE_READ, &t, &st))) {
		std::fprintf(stderr, "cxxclient: %s [%s]\n", st.what, ub_errname(err));
		return 1;
	}
	ub_tree_list(t, "./DMAcc", add, &accounts);
	for (const std::string &a : accounts)
		std::printf("account %s\n", a.c_str());
	// a read-only handle does not write
	err = ub_tree_replace_as(t, "dm.oem.example", "./DMAcc/OEMFactory/Name", "x");
	std::printf("replace on a read-only handle: %s\n", ub_errname(err));
	ub_tree_close(t);
	return 0;
}
