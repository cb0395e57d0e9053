#!/usr/bin/perl
#
# 106-ping-stale.t: server-initiated PINGs. With ping_interval 1s and
# ping_max 2, a client that never answers gets exactly two "PING\r\n",
# then "-ERR 'Stale Connection'\r\n", and is closed (about three
# intervals after connecting); a client that answers each PING with
# PONG, watched over the same time, stays connected.

use strict;
use warnings;

use IO::Select;
use Test::More;
use Time::HiRes qw(time);

use Natsd;

plan skip_all => 'needs its own configuration' if Natsd->external;
plan tests => 7;

my $srv = Natsd->start(conf => { ping_interval => '1s', ping_max => 2 });
my $t0 = time;
my $stale = $srv->client;
my $live = $srv->client;

my (@stale_lines, $stale_end);
my $live_pings = 0;
my $deadline = $t0 + 10;
while (time < $deadline) {
	my $sel = IO::Select->new(map { $_->sock } grep { !$_->eof }
	    $stale, $live);
	$sel->can_read($deadline - time) if $sel->count;
	$_->pump for $stale, $live;
	while (defined(my $l = $stale->line(0))) {
		push @stale_lines, $l;
	}
	while (defined(my $l = $live->line(0))) {
		next unless $l eq "PING\r\n";
		$live_pings++;
		$live->send("PONG\r\n");
	}
	if ($stale->eof) {
		$stale_end = time - $t0;
		last;
	}
	last if $live->eof;
}

is(join('', @stale_lines), "PING\r\nPING\r\n-ERR 'Stale Connection'\r\n",
    'silent client: two PINGs, then Stale Connection');
ok($stale->eof, 'silent client: closed');
ok(defined $stale_end && $stale_end >= 1.5,
    'not before the pings could go out (' . ($stale_end // 'never') . ')');
ok(defined $stale_end && $stale_end < 8, 'within a few intervals');
cmp_ok($live_pings, '>=', 2, 'answering client was pinged too');
ok(!$live->eof, 'answering client: still connected');
ok($live->ping_pong(skip => 1), 'answering client: still served');
