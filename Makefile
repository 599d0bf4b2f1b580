# SPDX-License-Identifier: GPL-2.0-or-later
#
# osprey build, in the libbpf-bootstrap style:
#   bpf/X.bpf.c --clang -target bpf--> .output/X.tmp.bpf.o
#               --bpftool gen object--> .output/X.bpf.o
#               --bpftool gen skeleton--> .output/X.skel.h
# Userspace links the system libbpf (pkg-config), libelf, zlib and libpcap.
# The engine (user/engine/) links none of them so it is unit-tested alone.
#
# Everything generated lives under $(OUTPUT). `make V=1` shows commands.

OUTPUT ?= .output
PREFIX ?= /usr/local
DESTDIR ?=
BINDIR := $(PREFIX)/sbin
MANDIR := $(PREFIX)/share/man
DATADIR := $(PREFIX)/share/osprey
SYSCONFDIR ?= /etc
UNITDIR ?= /lib/systemd/system

CLANG ?= clang
BPFTOOL ?= bpftool
CC ?= cc
PKG_CONFIG ?= pkg-config

UNAME_M := $(shell uname -m)
ARCH := $(shell uname -m | sed -e 's/x86_64/x86/' -e 's/aarch64/arm64/' \
	-e 's/ppc64le/powerpc/' -e 's/mips.*/mips/' -e 's/riscv64/riscv/' \
	-e 's/loongarch64/loongarch/' -e 's/s390x/s390/')
VMLINUX := vmlinux/$(UNAME_M)/vmlinux.h

ifeq ($(V),1)
	Q =
	msg =
else
	Q = @
	msg = @printf '  %-8s %s\n' "$(1)" "$(2)";
	MAKEFLAGS += --no-print-directory
endif

# Only ask pkg-config once the dependency check passed, so a missing
# package is reported by name rather than as a compiler error.
DEPS_OK := $(shell tools/check-deps.sh >/dev/null 2>&1 && echo yes)
ifeq ($(DEPS_OK),yes)
LIBBPF_CFLAGS := $(shell $(PKG_CONFIG) --cflags libbpf)
LIBBPF_LIBS := $(shell $(PKG_CONFIG) --libs libbpf libelf zlib)
PCAP_LIBS := $(shell $(PKG_CONFIG) --libs libpcap 2>/dev/null || echo -lpcap)
# the HTTP API (user/http_api.c), libxdp's dispatcher (user/xdp_multi.c)
HTTP_LIBS := $(shell $(PKG_CONFIG) --libs libmicrohttpd libxdp)
# the engine's own libraries (TLS hashes, HPACK): everything linking it
ENGINE_LDLIBS := $(shell $(PKG_CONFIG) --libs nettle libnghttp2)
else ifeq ($(filter deps clean check-deps vmlinux,$(MAKECMDGOALS)),)
$(error $(shell tools/check-deps.sh 2>&1 | head -1); install them with: sudo bash tools/install-deps.sh)
endif

WARN := -Wall -Wextra -Wno-unused-parameter -Wno-missing-field-initializers \
	-Werror
CFLAGS ?= -g -O2
CFLAGS += $(WARN) -std=gnu11 -D_GNU_SOURCE -I. -Iuser -I$(OUTPUT)
# Installed paths compiled in and written into the unit, man page and
# example config; $(PATHS) records them so a new PREFIX rebuilds what
# uses them.
PATH_CFLAGS := -DOSPREY_DEFAULT_DB='"$(DATADIR)/osprey.fp"'
PATHS := $(OUTPUT)/paths
SUBST := sed -e 's|@SBINDIR@|$(BINDIR)|g' -e 's|@SYSCONFDIR@|$(SYSCONFDIR)|g' \
	-e 's|/usr/local/share/osprey|$(DATADIR)|g'
GEN_FILES := $(OUTPUT)/osprey.service $(OUTPUT)/osprey.8 $(OUTPUT)/osprey.conf
BPF_CFLAGS := -g -O2 -target bpf -D__TARGET_ARCH_$(ARCH) -D__BPF__ \
	-Wall -Werror -I. -Ivmlinux/$(UNAME_M) -mcpu=v3
LDLIBS_APP := $(LIBBPF_LIBS) $(PCAP_LIBS) -lsystemd $(HTTP_LIBS) \
	$(ENGINE_LDLIBS) -lm

# ---------------------------------------------------------------- sources
BPF_SRCS := $(wildcard bpf/*.bpf.c)
BPF_OBJS := $(patsubst bpf/%.bpf.c,$(OUTPUT)/%.bpf.o,$(BPF_SRCS))
SKELS := $(patsubst bpf/%.bpf.c,$(OUTPUT)/%.skel.h,$(BPF_SRCS))

ENGINE_SRCS := $(wildcard user/engine/*.c)
ENGINE_OBJS := $(patsubst %.c,$(OUTPUT)/%.o,$(ENGINE_SRCS))
ENGINE_LIB := $(OUTPUT)/libengine.a

APP_SRCS := $(wildcard user/*.c)
APP_OBJS := $(patsubst %.c,$(OUTPUT)/%.o,$(APP_SRCS))
# app objects without main(), shared with bpf tests and tools
APP_LIB_OBJS := $(filter-out $(OUTPUT)/user/main.o,$(APP_OBJS))
APP_LIB := $(OUTPUT)/libapp.a
# app files that use no libbpf (options, config, policy rule text, logger):
# the unit tests link them too, built without the BPF skeletons
APP_PURE_SRCS := $(addprefix user/,log.c parse.c options.c config.c dbload.c sigtext.c hostwin.c evclock.c \
	policy_rule.c)
APP_PURE_OBJS := $(patsubst %.c,$(OUTPUT)/%.o,$(APP_PURE_SRCS))
APP_PURE_LIB := $(OUTPUT)/libapppure.a
ASAN_APP_PURE_OBJS := $(patsubst %.c,$(OUTPUT)/asan/%.o,$(APP_PURE_SRCS))

UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_BINS := $(patsubst %.c,$(OUTPUT)/%,$(UNIT_SRCS))
ASAN_BINS := $(patsubst %.c,$(OUTPUT)/asan/%,$(UNIT_SRCS))
ASAN_ENGINE_OBJS := $(patsubst %.c,$(OUTPUT)/asan/%.o,$(ENGINE_SRCS))

BPFTEST_SRCS := $(wildcard tests/bpf/test_*.c)
BPFTEST_BINS := $(patsubst %.c,$(OUTPUT)/%,$(BPFTEST_SRCS))

TOOL_SRCS := $(wildcard tools/*.c)
TOOL_BINS := $(patsubst tools/%.c,$(OUTPUT)/tools/%,$(TOOL_SRCS))

FUZZ_SRCS := $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_BINS := $(patsubst %.c,$(OUTPUT)/%,$(FUZZ_SRCS))

HEADERS := $(wildcard bpf/*.h user/*.h user/engine/*.h tests/*.h tests/bpf/*.h)

.PHONY: all deps check-deps clean vmlinux install uninstall run \
	test test-unit test-asan test-bpf test-integration test-parity test-tls \
	test-vm tests bench bench-live fuzz format db-check accuracy lab FORCE

all: check-deps $(OUTPUT)/osprey $(TOOL_BINS) $(GEN_FILES)

check-deps:
	$(Q)tools/check-deps.sh

deps:
	$(Q)tools/install-deps.sh

$(OUTPUT) $(OUTPUT)/user/engine $(OUTPUT)/tests/unit $(OUTPUT)/tests/bpf \
$(OUTPUT)/tools $(OUTPUT)/asan/user/engine $(OUTPUT)/asan/tests/unit \
$(OUTPUT)/tests/fuzz:
	$(Q)mkdir -p $@

# Rewritten only when a path changed, so its date tells make what to redo.
$(PATHS): FORCE | $(OUTPUT)
	$(Q)echo '$(BINDIR) $(DATADIR) $(SYSCONFDIR)' | cmp -s - $@ || \
		echo '$(BINDIR) $(DATADIR) $(SYSCONFDIR)' >$@

$(OUTPUT)/osprey.service: tools/osprey.service.in $(PATHS)
$(OUTPUT)/osprey.8: tools/osprey.8 $(PATHS)
$(OUTPUT)/osprey.conf: tools/osprey.conf $(PATHS)
$(GEN_FILES): | $(OUTPUT)
	$(call msg,GEN,$@)
	$(Q)$(SUBST) $< >$@.tmp && mv $@.tmp $@

# ---------------------------------------------------------------- BPF
$(OUTPUT)/%.tmp.bpf.o: bpf/%.bpf.c $(wildcard bpf/*.h) $(VMLINUX) | $(OUTPUT)
	$(call msg,BPF,$@)
	$(Q)$(CLANG) $(BPF_CFLAGS) -c $< -o $@

$(OUTPUT)/%.bpf.o: $(OUTPUT)/%.tmp.bpf.o
	$(call msg,GEN-OBJ,$@)
	$(Q)$(BPFTOOL) gen object $@ $<

$(OUTPUT)/%.skel.h: $(OUTPUT)/%.bpf.o
	$(call msg,GEN-SKEL,$@)
	$(Q)$(BPFTOOL) gen skeleton $< name $(subst -,_,$*)_bpf > $@.tmp && \
		mv $@.tmp $@

# ---------------------------------------------------------------- engine
$(OUTPUT)/user/engine/%.o: user/engine/%.c $(HEADERS) | $(OUTPUT)/user/engine
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) -c $< -o $@

$(ENGINE_LIB): $(ENGINE_OBJS)
	$(call msg,AR,$@)
	$(Q)rm -f $@ && ar rcs $@ $^

# ---------------------------------------------------------------- app
$(OUTPUT)/user/%.o: user/%.c $(HEADERS) $(SKELS) $(PATHS) | $(OUTPUT)/user/engine
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) $(PATH_CFLAGS) $(LIBBPF_CFLAGS) -c $< -o $@

$(APP_LIB): $(APP_LIB_OBJS)
	$(call msg,AR,$@)
	$(Q)rm -f $@ && ar rcs $@ $^

# (with the installed paths: dbload.c looks for the default database)
$(APP_PURE_OBJS): $(OUTPUT)/user/%.o: user/%.c $(HEADERS) $(PATHS) \
		| $(OUTPUT)/user/engine
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) $(PATH_CFLAGS) -c $< -o $@

$(APP_PURE_LIB): $(APP_PURE_OBJS)
	$(call msg,AR,$@)
	$(Q)rm -f $@ && ar rcs $@ $^

$(OUTPUT)/osprey: $(OUTPUT)/user/main.o $(APP_LIB) $(ENGINE_LIB)
	$(call msg,LD,$@)
	$(Q)$(CC) $(CFLAGS) $^ $(LDLIBS_APP) -o $@

# ---------------------------------------------------------------- tools
$(OUTPUT)/tools/%: tools/%.c $(APP_LIB) $(ENGINE_LIB) $(HEADERS) $(SKELS) \
		| $(OUTPUT)/tools
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) $(LIBBPF_CFLAGS) $< $(APP_LIB) $(ENGINE_LIB) \
		$(LDLIBS_APP) -o $@

# ---------------------------------------------------------------- tests
$(OUTPUT)/tests/unit/%: tests/unit/%.c $(APP_PURE_LIB) $(ENGINE_LIB) \
		$(HEADERS) | $(OUTPUT)/tests/unit
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) $< $(APP_PURE_LIB) $(ENGINE_LIB) $(ENGINE_LDLIBS) -lm -o $@

SAN_FLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer \
	-fno-sanitize-recover=all
$(OUTPUT)/asan/user/engine/%.o: user/engine/%.c $(HEADERS) \
		| $(OUTPUT)/asan/user/engine
	$(call msg,CC-SAN,$@)
	$(Q)$(CC) $(CFLAGS) $(SAN_FLAGS) -c $< -o $@

$(ASAN_APP_PURE_OBJS): $(OUTPUT)/asan/user/%.o: user/%.c $(HEADERS) $(PATHS) \
		| $(OUTPUT)/asan/user/engine
	$(call msg,CC-SAN,$@)
	$(Q)$(CC) $(CFLAGS) $(PATH_CFLAGS) $(SAN_FLAGS) -c $< -o $@

$(OUTPUT)/asan/tests/unit/%: tests/unit/%.c $(ASAN_APP_PURE_OBJS) \
		$(ASAN_ENGINE_OBJS) $(HEADERS) | $(OUTPUT)/asan/tests/unit
	$(call msg,CC-SAN,$@)
	$(Q)$(CC) $(CFLAGS) $(SAN_FLAGS) $< $(ASAN_APP_PURE_OBJS) \
		$(ASAN_ENGINE_OBJS) $(ENGINE_LDLIBS) -lm -o $@

$(OUTPUT)/tests/bpf/%: tests/bpf/%.c $(APP_LIB) $(ENGINE_LIB) $(HEADERS) \
		$(SKELS) $(BPF_OBJS) | $(OUTPUT)/tests/bpf
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) $(LIBBPF_CFLAGS) $< $(APP_LIB) $(ENGINE_LIB) \
		$(LDLIBS_APP) -o $@

# libFuzzer harnesses need clang
FUZZ_FLAGS := -g -O1 -fsanitize=fuzzer,address,undefined -I. -Iuser \
	-D_GNU_SOURCE
$(OUTPUT)/tests/fuzz/%: tests/fuzz/%.c $(ENGINE_SRCS) $(wildcard user/pcap_*.c) $(HEADERS) \
		| $(OUTPUT)/tests/fuzz
	$(call msg,FUZZ-CC,$@)
	$(Q)$(CLANG) $(FUZZ_FLAGS) $< $(ENGINE_SRCS) $(wildcard user/pcap_*.c) \
		$(PCAP_LIBS) $(ENGINE_LDLIBS) -lm -o $@

# TLS verification tools (tests/tls/): the module run over captures
TLSTOOL_SRCS := $(wildcard tests/tls/*.c)
TLSTOOL_BINS := $(patsubst %.c,$(OUTPUT)/%,$(TLSTOOL_SRCS))
$(OUTPUT)/tests/tls/%: tests/tls/%.c user/pcap_src.c $(ENGINE_LIB) $(HEADERS)
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(CFLAGS) $< user/pcap_src.c $(ENGINE_LIB) $(PCAP_LIBS) \
		$(ENGINE_LDLIBS) -lm -o $@

tests: all $(UNIT_BINS) $(ASAN_BINS) $(BPFTEST_BINS) $(TLSTOOL_BINS)

# Each tier alone; `make test` runs them all with one summary line.
test: check-deps tests
	$(Q)tests/run.sh unit asan bpf integration parity tls
test-unit: check-deps $(UNIT_BINS)
	$(Q)tests/run.sh unit
test-asan: check-deps $(ASAN_BINS)
	$(Q)tests/run.sh asan
test-bpf: check-deps tests
	$(Q)tests/run.sh bpf
test-integration: check-deps all
	$(Q)tests/run.sh integration
test-parity: check-deps all
	$(Q)tests/run.sh parity
test-tls: check-deps all $(TLSTOOL_BINS)
	$(Q)tests/run.sh tls

# The signature database: provenance lint, accuracy against User-Agents
# (on ../shared/pcaps when present), and the Linux lab captures (root).
SHARED_PCAPS ?= ../shared/pcaps
db-check: check-deps $(OUTPUT)/osprey
	$(Q)python3 tools/db-check.py --pcaps $(SHARED_PCAPS)
accuracy: check-deps $(OUTPUT)/osprey
	$(Q)if [ -d $(SHARED_PCAPS) ]; then \
		python3 tests/accuracy/accuracy.py $(SHARED_PCAPS); \
	else echo "SKIPPED: accuracy: no captures in $(SHARED_PCAPS)"; fi
lab:
	$(Q)tests/db/mklab.sh

# Debian 12 guests under qemu (stock and backports kernels), real systemd,
# `make install` inside; needs what tests/vm/setup.sh installs.
test-vm: check-deps tests
	$(Q)tests/vm/run.sh

fuzz: $(FUZZ_BINS)
	$(Q)tests/fuzz/run.sh $(FUZZ_BINS)

bench: all tests
	$(Q)tools/bench.sh

# The live daemon against a SYN flood and p0f -i (root; prints, no bars
# enforced by exit status).
bench-live: all
	$(Q)tools/bench_live.sh

# Interface to attach to: IFACE=eth0 overrides the default-route interface.
run: all
	$(Q)tools/run.sh

# ---------------------------------------------------------------- vmlinux
# Regenerate from the running kernel; replace only when content changed.
vmlinux:
	$(call msg,GEN,$(VMLINUX))
	$(Q)mkdir -p vmlinux/$(UNAME_M)
	$(Q)$(BPFTOOL) btf dump file /sys/kernel/btf/vmlinux format c \
		> $(OUTPUT)/vmlinux.h.new
	$(Q)if cmp -s $(OUTPUT)/vmlinux.h.new $(VMLINUX); then \
		echo "  vmlinux.h unchanged"; rm -f $(OUTPUT)/vmlinux.h.new; \
	else mv $(OUTPUT)/vmlinux.h.new $(VMLINUX); \
		echo "  vmlinux.h updated"; fi

format:
	$(Q)clang-format -i $$(git ls-files '*.c' '*.h' | grep -v '^vmlinux/')

# ---------------------------------------------------------------- install
install: all
	$(Q)install -D -m 0755 $(OUTPUT)/osprey $(DESTDIR)$(BINDIR)/osprey
	$(Q)install -D -m 0644 db/osprey.fp $(DESTDIR)$(DATADIR)/osprey.fp
	$(Q)for f in $(BPF_OBJS); do \
		install -D -m 0644 $$f $(DESTDIR)$(DATADIR)/$$(basename $$f); done
	$(Q)install -D -m 0644 $(OUTPUT)/osprey.8 $(DESTDIR)$(MANDIR)/man8/osprey.8
	$(Q)install -D -m 0644 $(OUTPUT)/osprey.service \
		$(DESTDIR)$(UNITDIR)/osprey.service
	$(Q)install -D -m 0644 tools/osprey.schema.json \
		$(DESTDIR)$(DATADIR)/osprey.schema.json
	$(Q)if [ ! -f $(DESTDIR)$(SYSCONFDIR)/osprey/osprey.conf ]; then \
		install -D -m 0644 $(OUTPUT)/osprey.conf \
		$(DESTDIR)$(SYSCONFDIR)/osprey/osprey.conf; fi
	$(Q)if [ ! -f $(DESTDIR)$(SYSCONFDIR)/logrotate.d/osprey ]; then \
		install -D -m 0644 tools/osprey.logrotate \
		$(DESTDIR)$(SYSCONFDIR)/logrotate.d/osprey; fi

uninstall:
	$(Q)rm -f $(DESTDIR)$(BINDIR)/osprey $(DESTDIR)$(MANDIR)/man8/osprey.8 \
		$(DESTDIR)$(UNITDIR)/osprey.service
	$(Q)rm -rf $(DESTDIR)$(DATADIR)

clean:
	$(call msg,CLEAN)
	$(Q)rm -rf $(OUTPUT)

# Keep generated intermediates (skeletons, objects) between runs.
.SECONDARY:
