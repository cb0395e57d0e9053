#!/usr/bin/perl
# t/208-lameduck.t: SIGUSR2 puts natsd in lame duck mode: clients get an
# INFO with "ldm":true (reconnect elsewhere), new connections are
# refused, existing clients are served through the grace period, then
# closed one by one, at most a second apart in each worker, so that the
# last goes within lame_duck_duration, and natsd exits 0.
use strict;
use warnings;
use Test::More;
use IO::Socket::INET;
use Time::HiRes qw(time);
use Natsd;

plan skip_all => 'natsd only' if Natsd::is_nats_server() || Natsd::external();
plan tests => 7;

my $srv = Natsd->start(workers => 2, conf => {
    lame_duck_grace_period => '1s', lame_duck_duration => '30s' });
my @c = map { $srv->client } 1 .. 4;
ok((grep { $_->ping_pong } @c) == 4, 'four clients served');
my $t0 = time;
$srv->signal('USR2');
my @ldm = grep { ($_->expect_line(qr/^INFO /) // '') =~ /"ldm":true/ } @c;
is(scalar @ldm, 4, 'every client gets INFO with "ldm":true');
ok($srv->wait_log(qr/Entering lame duck mode/), 'lame duck logged');
my $new = IO::Socket::INET->new(PeerAddr => '127.0.0.1',
    PeerPort => $srv->port, Timeout => 2);
ok(!$new, 'new connections are refused');
ok($c[0]->ping_pong(skip => 1), 'clients are still served in the grace period');
ok((grep { $_->closed(10) } @c) == 4, 'all clients closed');
my $st;
for (1 .. 200) {
	last unless $srv->alive;
	select(undef, undef, undef, 0.05);
}
is($srv->{status}, 0, sprintf('natsd exits 0 after %.1f s', time - $t0));
$srv->stop;
