# man/: manual pages, mdoc; t/mandoc-lint.sh checks them.
dist_man_MANS += %D%/natsd.8 %D%/natsd.conf.5 %D%/natsd-bench.1
