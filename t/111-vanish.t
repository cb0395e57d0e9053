#!/usr/bin/perl
# t/111-vanish.t: clients that vanish without closing (the connection
# reset, no UNSUB, no goodbye) while messages flow to them. The server
# drops them, their subscriptions stop matching, and everyone else is
# served as before.
use strict;
use warnings;
use Test::More tests => 4;
use Socket qw(SOL_SOCKET SO_LINGER);
use Natsd;

my $srv = Natsd->start;
my $HDR = '{"verbose":false,"pedantic":false,"headers":true,' .
    '"no_responders":true}';
my @gone = map { $srv->client } 1 .. 5;
$_->send("SUB vanish.here 1\r\n") for @gone;
ok((grep { $_->ping_pong } @gone) == 5, 'five subscribers registered');

my $pub = $srv->client;
$pub->send(join '', map { "PUB vanish.here 5\r\nhello\r\n" } 1 .. 200);
# Reset each connection: SO_LINGER 0 makes close() send RST.
for my $c (@gone) {
	setsockopt($c->{sock}, SOL_SOCKET, SO_LINGER, pack('ii', 1, 0));
	close($c->{sock});
}
$pub->send(join '', map { "PUB vanish.here 5\r\nhello\r\n" } 1 .. 200);
ok($pub->ping_pong, 'the publisher is served while they vanish');

# Their subscriptions are gone: a request there finds no one.
my $req = $srv->client(connect => $HDR);
$req->send("SUB _INBOX.v 7\r\n");
$req->ping_pong;
my $ok = 0;
for (1 .. 50) {
	$req->send("PUB vanish.here _INBOX.v 2\r\nhi\r\n");
	if (($req->line(1) // '') eq "HMSG _INBOX.v 7 16 16\r\n") {
		$ok = 1;
		last;
	}
	$req->drain(0.05);
}
ok($ok, 'their subscriptions no longer match (no responders)');
ok($srv->round_trip, 'others are served as before');
