#!/usr/bin/perl
# t/202-reload.t: SIGHUP reloads the file. A broken file is logged and
# the running configuration stays; a good one is applied in every worker
# (new clients see the new max_payload); a port change needs a restart.
use strict;
use warnings;
use Test::More;
use File::Temp qw(tempdir);
use Natsd;

plan skip_all => 'natsd only: signals and YAML' if Natsd::is_nats_server() ||
    Natsd::external();
plan tests => 9;

my $dir = tempdir('natsd-reload-XXXXXX', TMPDIR => 1, CLEANUP => 1);
my $conf = "$dir/natsd.yaml";
sub write_conf {
	open(my $fh, '>', $conf) or die "$conf: $!";
	print $fh @_;
	close $fh or die "$conf: $!";
}

write_conf("max_payload: 1MB\n");
my $srv = Natsd->start(conf => $conf, workers => 2);
is($srv->client->info->{max_payload}, 1048576, 'max_payload from the file');

write_conf("max_payload: 1MB\nno_such_key: 1\n");
$srv->signal('HUP');
ok($srv->wait_log(qr/reload: .*natsd\.yaml:2: no_such_key: .*keeping the running configuration/),
    'a broken file is logged with file, line and key');
is($srv->client->info->{max_payload}, 1048576, 'the old configuration stays');
ok($srv->round_trip, 'and clients are served');

write_conf("max_payload: 2KB\n");
$srv->signal('HUP');
ok($srv->wait_log(qr/Reloaded server configuration/), 'a good file is reloaded');
# Every worker applies it: ask enough new clients to reach both.
my @info = map { $srv->client->info->{max_payload} } 1 .. 6;
is_deeply(\@info, [(2048) x 6], 'new clients on every worker see 2KB');
my $c = $srv->client;
$c->send("PUB big 3000\r\n" . ('x' x 3000) . "\r\n");
is($c->line, "-ERR 'Maximum Payload Violation'\r\n",
    'the new limit is enforced');

write_conf("max_payload: 2KB\nshm_size: 128MB\n");
$srv->signal('HUP');
ok($srv->wait_log(qr/shm_size changed: it takes effect at the next restart/),
    'a shm_size change is logged as needing a restart');
ok($srv->round_trip, 'and the server keeps serving');
$srv->stop;
