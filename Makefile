# uiccboot — see README.md.  `make demo` and `make check` are the two set-up commands.
# The version is said once, in the public header (version.h).
VERSION := $(shell sed -n 's/^.define UB_VERSION_STRING "\(.*\)"/\1/p' include/uiccboot/version.h)
# The shared library's ABI, apart from it: the SONAME is libuiccboot.so.$(SOVERSION);
# dist/libuiccboot.map lists what it exports (the calls of include/uiccboot/,
# nothing else).  A change that breaks a program built before bumps SOVERSION.
ABI_VERSION := 2.2.0
SOVERSION := $(firstword $(subst ., ,$(ABI_VERSION)))
LD ?= ld
OBJCOPY ?= objcopy
CC ?= cc
PKGS := libpcsclite libcrypto libwbxml2 expat sqlite3 inih json-c libcurl
# libcurl's headers only: src/wire/kannel.c loads the library when it sends
LINK_PKGS := $(filter-out libcurl,$(PKGS))
# Computed when this Makefile is read: the targets that install the
# packages first (demo, check, bench, stress) build in a make of their own.
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS := $(shell pkg-config --libs $(LINK_PKGS) 2>/dev/null) -pthread
PKG_OK := $(shell pkg-config --exists $(PKGS) 2>/dev/null && echo yes)
# Warnings are errors in make check (tests/check.sh sets WERROR=-Werror) and
# for whoever asks (make WERROR=-Werror); a user's make, with another
# compiler or other CFLAGS, shows them and builds.
WERROR ?=
WARN := -Wall -Wextra $(WERROR) -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wno-unused-parameter
CFLAGS ?= -O2 -g
# One folder a layer, imports going down (docs/architecture.md):
LAYERS := src/base pcsc uicc-files gba-u src/wire src/lwm2m src/policy src/factory src/mac \
	src/dm src/lwm2m-map src/account src/doc src/plan src/decode src/tree src/boot
INCS := -Iinclude -Iinclude/uiccboot $(addprefix -I,$(LAYERS)) -Isrc/cli
ALL_CFLAGS = -std=gnu11 $(WARN) $(CFLAGS) $(EXTRA_CFLAGS) -fPIC -D_GNU_SOURCE \
	$(INCS) $(PKG_CFLAGS)
# B is the build tree: build/ normally, build/asan/ for the sanitizer build.
B ?= build

LIB_SRCS := $(foreach l,$(LAYERS),$(wildcard $(l)/*.c))
CLI_SRCS := $(wildcard src/cli/*.c)
SIM_SRCS := $(wildcard tests/uicc-sim/*.c)
MODEM_SRCS := $(wildcard tests/uicc-modem/*.c)
WAIT_SRCS := $(wildcard tests/pcsc-wait/*.c)
UNIT_SRCS := $(wildcard tests/unit/test_*.c)
SEAM_OBJ := $(B)/obj/tests/unit/scard_fake.o

obj = $(patsubst %.c,$(B)/obj/%.o,$(1))
LIB_OBJS := $(call obj,$(LIB_SRCS))
UNIT_BINS := $(patsubst tests/unit/%.c,$(B)/tests/%,$(UNIT_SRCS))

.PHONY: print-incs print-libs all deps check check-unit unit-bins check-abi check-asan check-integration demo format format-check \
	fuzz bench stress valgrind install clean lab-stop
all: $(B)/uiccboot $(B)/uicc-sim $(B)/uicc-modem $(B)/pcsc-wait $(B)/libuiccboot.a $(B)/libuiccboot.so $(B)/dist/libuiccboot.a

$(B)/obj/%.o: %.c
	@$(if $(PKG_OK),true,echo "make: the development packages are missing: run make deps" \
	  "(make demo and make check run it)" >&2; exit 1)
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(ALL_CFLAGS) -Itests/unit -MMD -MP -c $< -o $@

$(B)/libuiccboot.a: $(LIB_OBJS)
	@rm -f $@
	ar rcs $@ $^

# The shared library exports the public API only (dist/libuiccboot.map):
# the layers' own functions are not an ABI.  Named as installed: the real
# file, the SONAME link, the link for the linker.
$(B)/libuiccboot.so.$(ABI_VERSION): $(LIB_OBJS) dist/libuiccboot.map
	$(CC) $(ALL_CFLAGS) -shared -Wl,-soname,libuiccboot.so.$(SOVERSION) \
	  -Wl,--version-script=dist/libuiccboot.map -Wl,-z,defs -o $@ $(LIB_OBJS) $(PKG_LIBS) $(LDFLAGS)

$(B)/libuiccboot.so: $(B)/libuiccboot.so.$(ABI_VERSION)
	ln -sf libuiccboot.so.$(ABI_VERSION) $(B)/libuiccboot.so.$(SOVERSION)
	ln -sf libuiccboot.so.$(SOVERSION) $@

# The archive that is installed: the same objects linked into one, every
# symbol but the API's made local, so that a program linked statically
# meets no pb_* or xdoc_* of ours.  ($(B)/libuiccboot.a, whole, is for the
# command and the unit tests, which reach into the layers.)
$(B)/api.syms: dist/libuiccboot.map
	@mkdir -p $(dir $@)
	sed -n 's/^[[:space:]]*\(ub_[a-z0-9_]*\);.*/\1/p' $< >$@

$(B)/dist/libuiccboot.a: $(LIB_OBJS) $(B)/api.syms
	@mkdir -p $(dir $@)
	@rm -f $@
	$(LD) -r -o $(B)/dist/libuiccboot.o $(LIB_OBJS)
	$(OBJCOPY) --keep-global-symbols=$(B)/api.syms $(B)/dist/libuiccboot.o
	ar rcs $@ $(B)/dist/libuiccboot.o

$(B)/uiccboot: $(call obj,$(CLI_SRCS)) $(B)/libuiccboot.a
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(PKG_LIBS) $(LDFLAGS)

# The simulator shares no code with the host library, on purpose.
$(B)/uicc-sim: $(call obj,$(SIM_SRCS))
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(PKG_LIBS) $(LDFLAGS)

# The test modem (AT on a pseudo-terminal, the card through PC/SC): a test
# tool, sharing no code with the library either.
$(B)/uicc-modem: $(call obj,$(MODEM_SRCS))
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(PKG_LIBS) $(LDFLAGS)

# The lab's wait for a card, or for none, in a reader (tests/lab.sh).
$(B)/pcsc-wait: $(call obj,$(WAIT_SRCS))
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(PKG_LIBS) $(LDFLAGS)

# Unit tests link the library archive; libpcsclite is replaced by a
# link-time seam (tests/unit/scard_fake.c), so no test needs pcscd.  A
# "// LIBS:" line in a test adds link flags of its own.
TEST_LIBS := $(filter-out -lpcsclite,$(PKG_LIBS)) -lcmocka -pthread
$(B)/tests/%: tests/unit/%.c $(B)/libuiccboot.a $(SEAM_OBJ)
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	@$(CC) $(ALL_CFLAGS) -Itests/unit -o $@ $< $(SEAM_OBJ) $(B)/libuiccboot.a $(TEST_LIBS) \
	  $(shell sed -n 's|^// LIBS: *||p' $<) $(LDFLAGS)

# The examples of the public API, built in the unit tier as an integrator
# would (public headers only, the installed archive that exports the API
# alone), so that a broken example fails make check-unit; the C++ client
# with every public header included.
EXAMPLE_BINS := $(patsubst examples/%.c,$(B)/examples/%,$(wildcard examples/*.c)) \
	$(B)/examples/cxxclient
EX_FLAGS = -Wall -Wextra $(filter -Werror,$(WARN)) $(CFLAGS) $(EXTRA_CFLAGS) -Iinclude
$(B)/examples/%: examples/%.c $(B)/dist/libuiccboot.a
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	@$(CC) -std=gnu11 $(EX_FLAGS) -o $@ $< $(B)/dist/libuiccboot.a $(PKG_LIBS) $(LDFLAGS)

$(B)/examples/cxxclient: tests/integration/cxxclient.cc $(B)/dist/libuiccboot.a $(wildcard include/uiccboot/*.h)
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	@printf '#include <uiccboot/%s>\n' $(notdir $(wildcard include/uiccboot/*.h)) >$@-all.h
	@$(CXX) -std=c++11 $(EX_FLAGS) -include $@-all.h -o $@ $< $(B)/dist/libuiccboot.a \
	  $(PKG_LIBS) $(LDFLAGS)

-include $(shell find $(B)/obj -name '*.d' 2>/dev/null)

deps:
	@tests/deps.sh

check: deps
	@tests/check.sh

unit-bins: $(UNIT_BINS) $(EXAMPLE_BINS)

check-unit: $(UNIT_BINS) $(EXAMPLE_BINS)
	@tests/run-unit.sh $(UNIT_BINS)

# the exports of libuiccboot.so against the public headers (tests/abi.sh)
check-abi: $(B)/libuiccboot.so $(B)/dist/libuiccboot.a
	@B=$(B) tests/abi.sh

check-integration: all
	@tests/run-integration.sh

demo: deps
	@$(MAKE) --no-print-directory all
	@tests/demo.sh

# for tests/fuzz/run.sh: the include flags and the libraries
print-incs:
	@echo $(INCS)
print-libs:
	@echo $(PKG_LIBS)

lab-stop:
	@tests/lab.sh stop

FORMAT_FILES = $(shell git ls-files --cached --others --exclude-standard '*.c' '*.h' 2>/dev/null || find . -name '*.[ch]' -not -path './build/*')
format:
	clang-format -i $(FORMAT_FILES)

format-check:
	@clang-format --dry-run --Werror $(FORMAT_FILES) && echo "format: ok"

fuzz:
	@tests/fuzz/run.sh $(FUZZ_SECONDS)

bench: deps
	@$(MAKE) --no-print-directory all
	@tests/bench/run.sh

stress: deps
	@$(MAKE) --no-print-directory all
	@tests/stress.sh

valgrind: deps
	@tests/valgrind.sh

# --- install: PREFIX, DESTDIR, and the usual directory variables ---
PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
LIBDIR ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
DATADIR ?= $(PREFIX)/share
MANDIR ?= $(DATADIR)/man
# the modem's AT port for uiccboot-sms.service
MODEM ?= /dev/ttyUSB2
UNITDIR ?= $(if $(filter /usr,$(PREFIX)),/lib/systemd/system,$(PREFIX)/lib/systemd/system)
SUBST = sed -e 's|@PREFIX@|$(PREFIX)|g; s|@BINDIR@|$(BINDIR)|g; s|@LIBDIR@|$(LIBDIR)|g' \
	-e 's|@INCLUDEDIR@|$(INCLUDEDIR)|g; s|@VERSION@|$(VERSION)|g; s|@MODEM@|$(MODEM)|g'

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBDIR)/pkgconfig $(DESTDIR)$(INCLUDEDIR)/uiccboot \
	  $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man3 $(DESTDIR)$(MANDIR)/man5 \
	  $(DESTDIR)$(UNITDIR) \
	  $(DESTDIR)$(DATADIR)/uiccboot/profiles/boot $(DESTDIR)$(DATADIR)/uiccboot/fixtures
	install -m 0755 $(B)/uiccboot $(B)/uicc-sim $(DESTDIR)$(BINDIR)/
	install -m 0644 $(B)/dist/libuiccboot.a $(DESTDIR)$(LIBDIR)/
	install -m 0755 $(B)/libuiccboot.so.$(ABI_VERSION) $(DESTDIR)$(LIBDIR)/
	ln -sf libuiccboot.so.$(ABI_VERSION) $(DESTDIR)$(LIBDIR)/libuiccboot.so.$(SOVERSION)
	ln -sf libuiccboot.so.$(SOVERSION) $(DESTDIR)$(LIBDIR)/libuiccboot.so
	install -m 0644 include/uiccboot/*.h $(DESTDIR)$(INCLUDEDIR)/uiccboot/
	$(SUBST) dist/libuiccboot.pc.in >$(DESTDIR)$(LIBDIR)/pkgconfig/libuiccboot.pc
	$(SUBST) dist/uiccboot.service.in >$(DESTDIR)$(UNITDIR)/uiccboot.service
	$(SUBST) dist/uiccboot-sms.service.in >$(DESTDIR)$(UNITDIR)/uiccboot-sms.service
	chmod 0644 $(DESTDIR)$(UNITDIR)/uiccboot.service $(DESTDIR)$(UNITDIR)/uiccboot-sms.service \
	  $(DESTDIR)$(LIBDIR)/pkgconfig/libuiccboot.pc
	install -m 0644 man/uiccboot.1 man/uicc-sim.1 $(DESTDIR)$(MANDIR)/man1/
	install -m 0644 man/uiccboot-policy.5 $(DESTDIR)$(MANDIR)/man5/
	install -m 0644 man/libuiccboot.3 $(DESTDIR)$(MANDIR)/man3/
	install -m 0644 dist/policy.conf.example $(DESTDIR)$(DATADIR)/uiccboot/
	install -m 0644 tests/profiles/*.conf $(DESTDIR)$(DATADIR)/uiccboot/profiles/
	install -m 0644 tests/profiles/boot/*.wbxml $(DESTDIR)$(DATADIR)/uiccboot/profiles/boot/
	install -m 0644 tests/fixtures/factory-image.xml tests/fixtures/seed-connmo.xml \
	  $(DESTDIR)$(DATADIR)/uiccboot/fixtures/

clean:
	rm -rf build
.SECONDARY:
