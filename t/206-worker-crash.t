#!/usr/bin/perl
# t/206-worker-crash.t: a worker SIGKILLed while clients publish. Clients
# on the other worker keep publishing and receiving; the dead worker's
# subscriptions stop matching (a request to a subject only it served
# gets the no-responders status).
use strict;
use warnings;
use Test::More;
use Natsd;

plan skip_all => 'natsd only: workers' if Natsd::is_nats_server() ||
    Natsd::external();
plan tests => 8;

my $srv = Natsd->start(workers => 2);
my @kids = $srv->workers(2);
sub client_on { return $srv->client_on(\@kids, @_) }
my $HDR = '{"verbose":false,"pedantic":false,"headers":true,' .
    '"no_responders":true}';
my ($svc, $victim) = client_on();
$svc->send("SUB only.there 1\r\n");
ok($svc->ping_pong, "a responder on worker $victim");
my ($pub, $pw, $sub, $sw, $req, $rw, @keep);
for (1 .. 8) {
	my ($c, $w) = client_on(connect => $HDR);
	push @keep, $c;		# closing it would skew the hand-off
	if ($w != $victim) {
		if (!$pub) { ($pub, $pw) = ($c, $w) }
		elsif (!$sub) { ($sub, $sw) = ($c, $w) }
		elsif (!$req) { ($req, $rw) = ($c, $w) }
	}
	last if $req;
}
ok($pub && $sub && $req, 'publisher, subscriber, requester on the other');
$sub->send("SUB load 1\r\n");
$req->send("SUB _INBOX.r 9\r\n");
ok($sub->ping_pong && $req->ping_pong, 'subscriptions registered');

my $sent = 0;
for my $round (1 .. 20) {
	$pub->send(join '', map { "PUB load 3\r\nabc\r\n" } 1 .. 200);
	$sent += 200;
	kill 'KILL', $victim if $round == 5;
}
ok($pub->ping_pong(timeout => 10), 'the publisher survives the crash');
my @got = Natsd::collect([$sub], $sent, 10);
is(scalar @{ $got[0] }, $sent, "its subscriber got all $sent messages");
ok($svc->closed(5), "the dead worker's client is disconnected");

# Wait until the supervisor has reaped and purged the dead worker.
ok($srv->wait_log(qr/\(pid $victim\) killed by signal 9/),
    'the supervisor saw the worker die');
my $ok = 0;
for (1 .. 50) {
	$req->send("PUB only.there _INBOX.r 2\r\nhi\r\n");
	my $l = $req->line(1) // '';
	if ($l eq "HMSG _INBOX.r 9 16 16\r\n") {
		$ok = 1;
		last;
	}
	select(undef, undef, undef, 0.1);
}
ok($ok, "the dead worker's subscription no longer matches: 503");
