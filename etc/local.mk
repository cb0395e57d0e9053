# etc/: the sample configuration; build-aux/ is generated.
EXTRA_DIST += %D%/natsd.yaml
