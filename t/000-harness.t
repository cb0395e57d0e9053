#!/usr/bin/perl
#
# 000-harness.t: t/lib/Natsd.pm itself. The configuration writers (YAML
# for natsd, checked by parsing it back with core CPAN::Meta::YAML;
# nats-server's format, checked by nats-server when it is the binary),
# start with a monitoring port, log access, signals, stop and its
# status, and that a script killed by SIGTERM still stops its server.

use strict;
use warnings;

use CPAN::Meta::YAML;
use JSON::PP;
use Test::More;
use Time::HiRes qw(time sleep);

use Natsd;

plan skip_all => 'starts its own servers' if Natsd->external;
plan tests => 21;

my $conf = {
	max_payload => '64KB',
	ping_interval => '1s',
	ping_max => 2,
	debug => JSON::PP::false,
	server_name => 'n "1"',
	authorization => {
		users => [
			{ user => 'alice', password => 'pw' },
			{ user => 'bob', password => 'x:y' },
		],
		timeout => 1,
	},
	empty => {},
};

my $yaml = Natsd->yaml_text($conf);
my $back = eval { CPAN::Meta::YAML->read_string($yaml)->[0] };
ok($back, 'YAML parses') or diag($@, $yaml);
is_deeply($back, { %$conf, debug => 'false' },
    'YAML round-trips (booleans as true/false)') or diag($yaml);
like(Natsd->nats_conf_text($conf),
    qr/^max_payload: 64KB$/m, 'nats conf: sizes stay bare');
like(Natsd->nats_conf_text($conf),
    qr/^authorization \{\n(  .*\n)+\}$/m, 'nats conf: maps are blocks');
like(Natsd->nats_conf_text($conf),
    qr/^server_name: "n \\"1\\""$/m, 'nats conf: strings quoted, escaped');

delete $conf->{empty};
$conf->{debug} = JSON::PP::false;
my $srv = Natsd->start(conf => $conf, http => 1);
ok($srv->pid, 'started: pid ' . $srv->pid);
ok($srv->port > 0 && $srv->port != 4222, 'random client port ' . $srv->port);
ok($srv->http_port && $srv->http_port != $srv->port,
    'random monitoring port ' . ($srv->http_port // 'none'));
like($srv->log_text, qr/Listening for client connections on 127\.0\.0\.1:/,
    'log_text has the listening line');
ok($srv->client(connect => '{"verbose":false,"user":"bob","pass":"x:y"}')
    ->ping_pong, 'configured users work');
is($srv->wait_log(qr/no such line/, 0.2), undef,
    'wait_log times out on a line that never comes');
if (Natsd::is_nats_server()) {
	is_deeply([ $srv->children ], [], 'nats-server has no child processes');
} else {
	my @kids = $srv->children;
	ok(@kids >= 1, 'children lists natsd\'s workers');
}
my $mark = $srv->log_size;
ok($srv->signal('HUP'), 'HUP delivered');
# nats-server refuses logins while it reloads: wait for the reload.
ok($srv->wait_log(qr/reloaded/i, 5, $mark), 'reload logged after the mark');
is($srv->wait_log(qr/Listening for client/, 0.1, $mark), undef,
    'wait_log ignores lines before the mark');
ok($srv->client(connect => '{"verbose":false,"user":"bob","pass":"x:y"}')
    ->ping_pong, 'server still serves after HUP');
my $pid = $srv->pid;
my $st = $srv->stop;
ok(defined $st, "stop returns a wait status ($st)");
ok(!kill(0, $pid), 'process is gone');
is($srv->stop, $st, 'a second stop returns the same status');

# A script killed with SIGTERM stops its server on the way out.
my $lib = $INC{'Natsd.pm'} =~ s{/Natsd\.pm$}{}r;
my $kid = open(my $out, '-|') // die "fork: $!";
if ($kid == 0) {
	exec $^X, "-I$lib", '-MNatsd', '-e',
	    '$| = 1; my $s = Natsd->start; print $s->pid, "\n"; ' .
	    'sleep 1 for 1 .. 30; exit 0';
	exit 127;
}
my $spid = <$out>;
chomp $spid if defined $spid;
ok($spid && kill(0, $spid), 'child script started a server');
kill 'TERM', $kid;
close $out;
my $gone = 0;
my $deadline = time + 15;
while (!$gone && time < $deadline) {
	$gone = !kill(0, $spid);
	sleep 0.05 unless $gone;
}
ok($gone, 'SIGTERM to the script stopped its server');
