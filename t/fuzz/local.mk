# t/fuzz/: libFuzzer targets for the protocol parser and the YAML
# configuration loader. In a tree configured with --enable-fuzzing
# CC=clang (every object then carries the fuzzer's coverage and ASan and
# UBSan), `make fuzz` builds them and `make fuzz-run` runs each for
# FUZZ_TIME seconds, starting from the seeds in t/fuzz/corpus/ (and, for
# the loader, t/conf/*.yaml and etc/natsd.yaml). What they learn
# collects in t/fuzz/run/<target>/, crashes in t/fuzz/run/crash/.
FUZZ_TARGETS = t/fuzz/fuzz_proto t/fuzz/fuzz_config
FUZZ_TIME = 60
FUZZ_OPTS = -timeout=10 -rss_limit_mb=2048 -print_final_stats=1
FUZZ_RUN = t/fuzz/run
EXTRA_DIST += %D%/corpus %D%/proto.dict %D%/yaml.dict

if ENABLE_FUZZING
EXTRA_PROGRAMS += $(FUZZ_TARGETS)
t_fuzz_fuzz_proto_SOURCES = %D%/fuzz_proto.c worker/proto.c worker/proto.h
t_fuzz_fuzz_proto_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/worker
t_fuzz_fuzz_proto_CFLAGS = $(AM_CFLAGS) $(DEPS_CFLAGS)
t_fuzz_fuzz_proto_LDFLAGS = $(AM_LDFLAGS) -fsanitize=fuzzer
t_fuzz_fuzz_proto_LDADD = libnatsd.a $(DEPS_LIBS)
t_fuzz_fuzz_config_SOURCES = %D%/fuzz_config.c
t_fuzz_fuzz_config_CFLAGS = $(AM_CFLAGS) $(DEPS_CFLAGS)
t_fuzz_fuzz_config_LDFLAGS = $(AM_LDFLAGS) -fsanitize=fuzzer
t_fuzz_fuzz_config_LDADD = libnatsd.a $(DEPS_LIBS)

fuzz: $(FUZZ_TARGETS)

# Each target in turn; the first corpus directory, the one libFuzzer
# writes to, is in the build tree, the seeds stay read-only.
fuzz-run: fuzz
	$(MKDIR_P) $(FUZZ_RUN)/proto $(FUZZ_RUN)/config $(FUZZ_RUN)/crash
	cp $(srcdir)/t/conf/*.yaml $(srcdir)/etc/natsd.yaml $(FUZZ_RUN)/config/
	t/fuzz/fuzz_proto $(FUZZ_OPTS) -max_total_time=$(FUZZ_TIME) \
	    -max_len=8192 -dict=$(srcdir)/%D%/proto.dict \
	    -artifact_prefix=$(FUZZ_RUN)/crash/proto- \
	    $(FUZZ_RUN)/proto $(srcdir)/%D%/corpus/proto
	t/fuzz/fuzz_config $(FUZZ_OPTS) -max_total_time=$(FUZZ_TIME) \
	    -dict=$(srcdir)/%D%/yaml.dict \
	    -artifact_prefix=$(FUZZ_RUN)/crash/config- \
	    $(FUZZ_RUN)/config $(srcdir)/%D%/corpus/config
else
fuzz fuzz-run:
	@echo "$@: configure with --enable-fuzzing CC=clang" >&2; exit 1
endif

clean-local:
	rm -rf $(FUZZ_RUN)

.PHONY: fuzz fuzz-run
