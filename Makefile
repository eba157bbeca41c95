# libl2c: plain Makefile. Respects CC, CFLAGS, LDFLAGS, PREFIX, DESTDIR.
VERSION_MAJOR := 0
VERSION_MINOR := 1
VERSION_PATCH := 0
VERSION := $(VERSION_MAJOR).$(VERSION_MINOR).$(VERSION_PATCH)

PREFIX ?= /usr/local
LIBDIR ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
BINDIR ?= $(PREFIX)/bin
PKGCONFIGDIR ?= $(LIBDIR)/pkgconfig

CC ?= cc
PKG_CONFIG ?= pkg-config
CFLAGS ?= -O2 -g
WARN := -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
        -Wno-unused-parameter -Wformat=2 -Wvla
CJSON_CFLAGS := $(shell $(PKG_CONFIG) --cflags libcjson 2>/dev/null || echo -I/usr/include/cjson)
CJSON_LIBS := $(shell $(PKG_CONFIG) --libs libcjson 2>/dev/null || echo -lcjson)
SQLITE_CFLAGS := $(shell $(PKG_CONFIG) --cflags sqlite3 2>/dev/null)
SQLITE_LIBS := $(shell $(PKG_CONFIG) --libs sqlite3 2>/dev/null || echo -lsqlite3)
CHECK_CFLAGS = $(shell $(PKG_CONFIG) --cflags check)
CHECK_LIBS = $(shell $(PKG_CONFIG) --libs check)

# BUILD lets `make check` rebuild everything with sanitizers in its own tree.
BUILD ?= build
SAN ?=
ALL_CFLAGS := -std=c11 -D_POSIX_C_SOURCE=200809L $(WARN) $(CFLAGS) $(SAN) -Iinclude -Ilib $(CJSON_CFLAGS) $(SQLITE_CFLAGS)
LIB_CFLAGS := $(ALL_CFLAGS) -fPIC -fvisibility=hidden -DL2C_BUILDING
LIBS := $(CJSON_LIBS) $(SQLITE_LIBS) -lm

LIB_SRC := $(sort $(wildcard lib/*/*.c))
LIB_OBJ := $(LIB_SRC:%.c=$(BUILD)/%.o)
HEADERS := include/l2c.h $(wildcard include/l2c/*.h)
INTERNAL_HEADERS := $(wildcard lib/*/*.h)

SONAME := libl2c.so.$(VERSION_MAJOR)
SHLIB := $(BUILD)/libl2c.so.$(VERSION)
STLIB := $(BUILD)/libl2c.a

CLI := $(BUILD)/l2c
EXAMPLES := $(BUILD)/hello
TEST_SRC := $(sort $(wildcard tests/check_*.c))
TESTS := $(TEST_SRC:tests/%.c=$(BUILD)/tests/%) $(if $(wildcard tests/run_scenario.c),$(BUILD)/tests/run_scenario)
TEST_SUPPORT := $(wildcard tests/support/*.c)
BENCH := $(BUILD)/bench_fire $(if $(wildcard bench/bench_store.c),$(BUILD)/bench_store)

.PHONY: docs-svg all lib cli tests check check-fast check-asan check-long bench install uninstall clean demo

all: lib cli $(EXAMPLES) $(BUILD)/libl2c.pc

lib: $(SHLIB) $(STLIB)
cli: $(CLI)

$(BUILD)/%.o: %.c $(HEADERS) $(INTERNAL_HEADERS)
	@mkdir -p $(dir $@)
	$(CC) $(LIB_CFLAGS) -c $< -o $@

$(SHLIB): $(LIB_OBJ)
	$(CC) -shared -Wl,-soname,$(SONAME) $(SAN) $(LDFLAGS) -o $@ $(LIB_OBJ) $(LIBS)
	ln -sf libl2c.so.$(VERSION) $(BUILD)/$(SONAME)
	ln -sf $(SONAME) $(BUILD)/libl2c.so

$(STLIB): $(LIB_OBJ)
	rm -f $@
	ar rcs $@ $(LIB_OBJ)

$(BUILD)/libl2c.pc: pkg-config/libl2c.pc.in Makefile
	@mkdir -p $(BUILD)
	sed -e 's|@PREFIX@|$(PREFIX)|g' -e 's|@LIBDIR@|$(LIBDIR)|g' \
	    -e 's|@INCLUDEDIR@|$(INCLUDEDIR)|g' -e 's|@VERSION@|$(VERSION)|g' $< > $@

$(CLI): examples/l2c.c $(wildcard examples/cli/*.c) $(wildcard examples/cli/*.h) $(STLIB)
	$(CC) $(ALL_CFLAGS) -Iexamples -o $@ examples/l2c.c $(wildcard examples/cli/*.c) $(STLIB) $(LDFLAGS) $(LIBS)

$(BUILD)/hello: examples/hello.c $(STLIB)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(STLIB) $(LDFLAGS) $(LIBS)

$(BUILD)/tests/%: tests/%.c $(TEST_SUPPORT) $(wildcard tests/support/*.h) $(STLIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(CHECK_CFLAGS) -Itests -o $@ $< $(TEST_SUPPORT) $(STLIB) $(LDFLAGS) $(LIBS) $(CHECK_LIBS)

$(BUILD)/bench_%: bench/bench_%.c $(STLIB)
	$(CC) $(ALL_CFLAGS) -O2 -o $@ $< $(STLIB) $(LDFLAGS) $(LIBS)

tests: $(TESTS) $(CLI)

# Fast pass: unit suites, scenarios through the CLI, header and export checks.
check-fast: all tests
	@sh tests/run_all.sh $(BUILD)

# make check: everything, then again under ASan+UBSan, then under valgrind.
check: check-fast
	$(MAKE) check-asan
	$(MAKE) check-valgrind

check-asan:
	$(MAKE) BUILD=build/asan SAN="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" CFLAGS="-O1 -g" check-fast

check-valgrind: all tests
	@L2C_VALGRIND=1 sh tests/run_all.sh $(BUILD)

# Longer loops, and the randomized tests again with a seed that changes
# every run (printed: replay a failure with L2C_SEED=...). Never gates CI.
check-long: all tests
	@L2C_LONG=1 sh tests/run_all.sh $(BUILD)
	@seed=$$(od -An -N4 -tu4 /dev/urandom | tr -d ' '); echo "random seed: L2C_SEED=$$seed"; \
	  L2C_SEED=$$seed L2C_LONG=1 $(BUILD)/tests/check_property && \
	  L2C_SEED=$$seed $(BUILD)/tests/check_crash

bench: $(BENCH) $(CLI)
	@for b in $(BENCH); do echo "== $$b"; $$b || exit 1; done

# Diagrams of the built-in processes (needs Graphviz's `dot`).
PROCESS_TYPES := account lead opportunity quote order invoice payment credit_note
docs-svg: $(CLI)
	@command -v dot >/dev/null || { echo "docs-svg: Graphviz 'dot' is not installed"; exit 1; }
	@mkdir -p docs/img
	@for t in $(PROCESS_TYPES); do $(CLI) process dot $$t | dot -Tsvg -o docs/img/$$t.svg || exit 1; echo "docs/img/$$t.svg"; done

demo: all
	$(CLI) demo

install: all
	install -d $(DESTDIR)$(INCLUDEDIR)/l2c $(DESTDIR)$(LIBDIR) $(DESTDIR)$(PKGCONFIGDIR) $(DESTDIR)$(BINDIR)
	install -m 644 include/l2c.h $(DESTDIR)$(INCLUDEDIR)/
	install -m 644 include/l2c/*.h $(DESTDIR)$(INCLUDEDIR)/l2c/
	install -m 755 $(SHLIB) $(DESTDIR)$(LIBDIR)/
	ln -sf libl2c.so.$(VERSION) $(DESTDIR)$(LIBDIR)/$(SONAME)
	ln -sf $(SONAME) $(DESTDIR)$(LIBDIR)/libl2c.so
	install -m 644 $(STLIB) $(DESTDIR)$(LIBDIR)/
	sed -e 's|@PREFIX@|$(PREFIX)|g' -e 's|@LIBDIR@|$(LIBDIR)|g' \
	    -e 's|@INCLUDEDIR@|$(INCLUDEDIR)|g' -e 's|@VERSION@|$(VERSION)|g' \
	    pkg-config/libl2c.pc.in > $(DESTDIR)$(PKGCONFIGDIR)/libl2c.pc
	chmod 644 $(DESTDIR)$(PKGCONFIGDIR)/libl2c.pc
	install -m 755 $(CLI) $(DESTDIR)$(BINDIR)/

uninstall:
	rm -rf $(DESTDIR)$(INCLUDEDIR)/l2c $(DESTDIR)$(INCLUDEDIR)/l2c.h
	rm -f $(DESTDIR)$(LIBDIR)/libl2c.* $(DESTDIR)$(PKGCONFIGDIR)/libl2c.pc $(DESTDIR)$(BINDIR)/l2c

clean:
	rm -rf build
