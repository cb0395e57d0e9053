#!/usr/bin/perl
#
# Copyright (c) 2026 The natsd authors.
# Licensed under the ISC licence; see LICENSE.
#
# 300-libnats.t: the official C client (libnats) against the server.
# Starts the server with 4 workers and runs t/natsc, re-emitting each
# of its TAP results here: pub/sub, wildcards, queue groups,
# request/reply, no responders, headers, auto-unsubscribe, flush, 500
# connections, per-publisher ordering, a 1 MB - 1 KB payload. Skipped
# when t/natsc was not built (no libnats).
#
# NATSC_TESTS="queue order" runs only those scenarios (t/natsc -l lists
# them); NATSD_BIN=/usr/sbin/nats-server checks the test itself.

use strict;
use warnings;

use Test::More;

use Natsd;

my $TIMEOUT = 150;	# seconds for the whole run; natsc fails a
			# scenario after 10 and gives up after 20

my $natsc = Natsd::top_builddir() . '/t/natsc';
plan skip_all => "$natsc not built (libnats missing)" unless -x $natsc;

my $srv = Natsd->start(workers => 4);
my @cmd = ($natsc, '-s', 'nats://' . $srv->host . ':' . $srv->port);
push @cmd, map { ('-t', $_) } split /[\s,]+/, ($ENV{NATSC_TESTS} // '');

my $pid = open(my $fh, '-|', @cmd) or BAIL_OUT("run $natsc: $!");
local $SIG{ALRM} = sub {
	kill 'KILL', $pid;
	diag("natsc still running after ${TIMEOUT}s: killed");
};
alarm $TIMEOUT;

my ($planned, $seen, $bailed) = (undef, 0, 0);
while (my $l = <$fh>) {
	chomp $l;
	if ($l =~ /^1\.\.(\d+)$/) {
		$planned = $1;
	} elsif ($l =~ /^(not )?ok \d+ - (\S+)(?: # (.*))?$/) {
		$seen++;
		ok(!defined $1, "libnats: $2") or diag("$2: " . ($3 // '?'));
	} elsif ($l =~ /^# ?(.*)$/) {
		note($1);
	} elsif ($l =~ /^Bail out!/) {
		$bailed = 1;
		diag($l);
	} else {
		diag("natsc: $l");
	}
}
close $fh;
my $status = $?;
alarm 0;

ok(defined $planned && $seen == $planned && !$bailed && !($status & 127),
    'natsc reported every scenario and exited') or
    diag(sprintf('natsc: plan %s, %d results, %s, wait status %d',
    $planned // 'none', $seen, $bailed ? 'bailed out' : 'no bail out',
    $status));
SKIP: {
	skip 'external server', 1 if $srv->is_external;
	ok($srv->alive, 'server survived the client library');
}
$srv->stop;
done_testing();
