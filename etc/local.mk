# etc/: the sample configuration, the systemd unit, the Debian package
# list; build-aux/ is generated. The sample is installed only where no
# configuration exists yet, so an upgrade never overwrites one.
EXTRA_DIST += %D%/natsd.yaml %D%/natsd.service %D%/debian-packages

install-data-hook:
	$(MKDIR_P) '$(DESTDIR)$(sysconfdir)'
	if test ! -f '$(DESTDIR)$(sysconfdir)/natsd.yaml'; then \
	    $(INSTALL_DATA) '$(srcdir)/etc/natsd.yaml' \
	        '$(DESTDIR)$(sysconfdir)/natsd.yaml'; \
	fi

uninstall-hook:
	if cmp -s '$(srcdir)/etc/natsd.yaml' \
	    '$(DESTDIR)$(sysconfdir)/natsd.yaml'; then \
	    rm -f '$(DESTDIR)$(sysconfdir)/natsd.yaml'; \
	fi
