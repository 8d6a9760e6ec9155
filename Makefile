# Makefile - PGXS build of the bounce extension, plus the out-of-server
# targets (C unit tests, fuzz harness replay) that need no PostgreSQL.

EXTENSION   = bounce
MODULE_big  = bounce
PGFILEDESC  = "bounce - email bounce classification and policy"

# The pure C core (no postgres.h) and the fmgr/SPI glue around it.
CORE_SRCS   = $(sort $(wildcard src/core/*.c))
GLUE_SRCS   = $(sort $(wildcard src/*.c))
OBJS        = $(CORE_SRCS:.c=.o) $(GLUE_SRCS:.c=.o)

# The version in development is bounce.control's default_version; its
# install script is assembled from one file per feature under src/sql/.
# The update scripts to it are assembled the same way, from one file per
# change under src/update/FROM--VERSION/.  Released scripts (bounce--1.0.sql)
# are committed as they are.
EXTVERSION  = $(shell sed -n "s/^default_version *= *'\(.*\)'/\1/p" $(srcdir)/bounce.control)
SQL_PARTS   = $(sort $(wildcard src/sql/*.sql))
UPDATE_DIRS = $(notdir $(wildcard src/update/*--$(EXTVERSION)))
DATA_built  = bounce--$(EXTVERSION).sql $(addprefix bounce--,$(addsuffix .sql,$(UPDATE_DIRS)))
DATA        = $(filter-out $(DATA_built),$(notdir $(wildcard $(srcdir)/bounce--*.sql)))

REGRESS     = $(patsubst sql/%.sql,%,$(sort $(wildcard sql/*.sql)))
ISOLATION   = $(patsubst specs/%.spec,%,$(sort $(wildcard specs/*.spec)))
ISOLATION_OPTS = --load-extension=bounce

EXTRA_CLEAN = test/unit/unit_tests $(addprefix test/fuzz/replay_,$(FUZZ_HARNESSES)) \
              test/fuzz/fuzz_*_bin

PG_CPPFLAGS = -I$(srcdir)/src

PG_CONFIG  ?= pg_config
PGXS       := $(shell $(PG_CONFIG) --pgxs)
include $(PGXS)

# PGXS tracks no header dependencies: a changed struct in a core header
# must rebuild every object that includes it (else objects disagree on it).
$(OBJS): $(wildcard src/core/*.h) $(wildcard src/*.h)
# The same for the LLVM bitcode of the objects, when JIT is built.
$(OBJS:.o=.bc): $(wildcard src/core/*.h) $(wildcard src/*.h)

bounce--$(EXTVERSION).sql: $(SQL_PARTS) bounce.control
	cat $(SQL_PARTS) > $@

bounce--%--$(EXTVERSION).sql: $(wildcard src/update/*/*.sql) bounce.control
	cat $(sort $(wildcard src/update/$*--$(EXTVERSION)/*.sql)) > $@

# ---------------------------------------------------------------------------
# Outside the server: the core is plain C, so it is tested and fuzzed alone.
HOST_CC     ?= cc
CORE_CFLAGS  = -std=c99 -O1 -g -Wall -Wextra -Werror -Isrc -Isrc/core
SAN_FLAGS    = -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZ_CC     ?= clang

.PHONY: unit fuzz-replay fuzz-build corpus-rows corpus-labels

test/unit/unit_tests: $(sort $(wildcard test/unit/*.c)) $(CORE_SRCS) $(wildcard src/core/*.h)
	$(HOST_CC) $(CORE_CFLAGS) $(SAN_FLAGS) -o $@ $(sort $(wildcard test/unit/*.c)) $(CORE_SRCS)

unit: test/unit/unit_tests
	test/unit/unit_tests

# One replay binary per harness test/fuzz/fuzz_NAME.c; it runs every file of
# test/fuzz/corpus/NAME/ through the harness under ASan/UBSan (and the DSN
# harness also test/crafted/mails/).
FUZZ_HARNESSES = $(patsubst test/fuzz/fuzz_%.c,%,$(sort $(wildcard test/fuzz/fuzz_*.c)))

test/fuzz/replay_%: test/fuzz/fuzz_%.c test/fuzz/replay_main.c $(CORE_SRCS) $(wildcard src/core/*.h)
	$(HOST_CC) $(CORE_CFLAGS) $(SAN_FLAGS) -o $@ test/fuzz/fuzz_$*.c test/fuzz/replay_main.c $(CORE_SRCS)

fuzz-replay: $(addprefix test/fuzz/replay_,$(FUZZ_HARNESSES))
	@for h in $(FUZZ_HARNESSES); do test/fuzz/replay_$$h test/fuzz/corpus/$$h || exit 1; done
	@test/fuzz/replay_dsn test/crafted/mails	# our crafted notices, under ASan/UBSan too

# Developer tool: the conformance figures without a cluster.
#   make corpus-rows  (prints the agreement; rows in test/out/corpus_rows.tsv)
test/corpus_rows: test/corpus_rows.c $(CORE_SRCS) $(wildcard src/core/*.h)
	$(HOST_CC) $(CORE_CFLAGS) -o $@ test/corpus_rows.c $(CORE_SRCS)

corpus-rows: test/corpus_rows
	@mkdir -p test/out
	test/corpus_rows ../shared/corpus/sisimai/emails/* >test/out/corpus_rows.tsv
	@awk -v labels=test/labels/sisimai.tsv -f test/checks/split.awk -f test/checks/conformance.awk ../shared/corpus/sisimai/expected.tsv test/out/corpus_rows.tsv >test/out/corpus_rows.report
	@grep -v '^disagree' test/out/corpus_rows.report

# libFuzzer binaries (clang): make fuzz-build, then e.g.
#   test/fuzz/fuzz_reply_bin -runs=10000000 test/fuzz/corpus/reply
test/fuzz/fuzz_%_bin: test/fuzz/fuzz_%.c $(CORE_SRCS) $(wildcard src/core/*.h)
	$(FUZZ_CC) -g -O1 -Isrc -Isrc/core -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -o $@ test/fuzz/fuzz_$*.c $(CORE_SRCS)

fuzz-build: $(addprefix test/fuzz/fuzz_,$(addsuffix _bin,$(FUZZ_HARNESSES)))

# --- policy engine (issue 3) -------------------------------------------------
# test/concurrency: N concurrent libpq writers, then a reconciliation of
# bounce.addresses with the event log (run by test/checks/concurrency).
EXTRA_CLEAN += test/concurrency test/corpus_rows

test/concurrency: test/concurrency.c
	$(HOST_CC) -std=c99 -D_POSIX_C_SOURCE=200809L -O1 -g -Wall -Wextra -Werror \
		-I$(shell $(PG_CONFIG) --includedir) -o $@ $< \
		-L$(shell $(PG_CONFIG) --libdir) -lpq -lpthread
# --- end of policy engine (issue 3) ------------------------------------------

# --- bounce-ingest (issue 4) ---
# A libpq client that parses bounce emails with the same core as the
# extension and COPYs the failed recipients into bounce.events.
INGEST       = tools/bounce-ingest
INGEST_FLAGS = -std=c99 -O2 -g -Wall -Wextra -Werror -Isrc/core \
               -I$(shell $(PG_CONFIG) --includedir)
INGEST_LIBS  = -L$(shell $(PG_CONFIG) --libdir) -lpq

all: $(INGEST)

$(INGEST): tools/bounce-ingest.c $(CORE_SRCS) $(wildcard src/core/*.h)
	$(HOST_CC) $(INGEST_FLAGS) -o $@ tools/bounce-ingest.c $(CORE_SRCS) $(INGEST_LIBS)

install: install-ingest

.PHONY: install-ingest
install-ingest: $(INGEST)
	$(MKDIR_P) '$(DESTDIR)$(bindir)'
	$(INSTALL_PROGRAM) $(INGEST) '$(DESTDIR)$(bindir)/bounce-ingest'

EXTRA_CLEAN += $(INGEST)
# --- end bounce-ingest (issue 4) ---

# Developer tool: kind and recipient agreement with our labels, per
# corpus and part, without a cluster (make corpus-labels).
corpus-labels: test/corpus_rows
	@mkdir -p test/out
	test/corpus_rows -r ../shared/corpus/sisimai/emails/* ../shared/corpus/sisimai/not-bounces/* >test/out/labels_sisimai.tsv
	test/corpus_rows -r ../shared/corpus/bounceparser/emails/* >test/out/labels_bounceparser.tsv
	test/corpus_rows -r test/crafted/mails/* >test/out/labels_crafted.tsv
	@cat test/crafted/labels-*.tsv >test/out/crafted.labels
	@for c in sisimai bounceparser crafted; do \
	    l=test/labels/$$c.tsv; [ $$c = crafted ] && l=test/out/crafted.labels; \
	    awk -f test/checks/split.awk -f test/checks/labels.awk $$l test/out/labels_$$c.tsv >test/out/labels_$$c.report; \
	    echo "== $$c"; grep -v '^disagree' test/out/labels_$$c.report; done
	@cat test/crafted/expected-*.tsv >test/out/crafted.expected
	@awk -f test/checks/split.awk -f test/checks/reasons.awk test/out/crafted.expected test/out/labels_crafted.tsv >test/out/crafted.reasons
	@echo "== crafted, status and reason per recipient"; grep -v '^disagree' test/out/crafted.reasons
