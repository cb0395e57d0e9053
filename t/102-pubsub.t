#!/usr/bin/perl
#
# 102-pubsub.t: SUB, PUB, MSG, UNSUB, HPUB and HMSG, exact bytes. Plain
# and reply subjects, the * and > wildcards, several subscriptions on
# one connection, a reused sid, echo false, UNSUB and UNSUB with a
# maximum, queue groups spread over connections, headers (and their
# removal for a subscriber that did not ask for them), empty payloads,
# payloads holding CRLF, sizes of every digit count, a max_payload-sized
# payload.
#
# Delivery order among several subscriptions of one connection that
# match one message is not part of the protocol, so those are compared
# as sorted sets; everything else is compared byte for byte.

use strict;
use warnings;

use Test::More tests => 37;

use Natsd;

my $srv = Natsd->start;
my $HDR = '{"verbose":false,"pedantic":false,"headers":true}';

# Subscribes on a fresh client (default CONNECT unless given) and waits
# until the server has processed the SUBs.
sub subscriber {
	my ($subs, $connect) = @_;
	my $c = $srv->client(defined $connect ? (connect => $connect) : ());
	$c->send($subs);
	$c->ping_pong or die 'subscriber: no PONG after SUB';
	return $c;
}

sub raw { return join '', map { $_->{raw} } @_ }

# Basic delivery, same connection and another one.
my $a = subscriber("SUB foo 1\r\n");
$a->send("PUB foo 5\r\nhello\r\n");
is($a->read_bytes(length "MSG foo 1 5\r\nhello\r\n"),
    "MSG foo 1 5\r\nhello\r\n", 'PUB to own subscription: exact MSG');
my $b = $srv->client;
$b->send("PUB foo bar 5\r\nhello\r\n");
ok($b->ping_pong, 'publisher gets nothing but PONG');
is($a->read_bytes(length "MSG foo 1 bar 5\r\nhello\r\n"),
    "MSG foo 1 bar 5\r\nhello\r\n", 'PUB with reply: reply in MSG');
$b->send("PUB Foo 1\r\nx\r\nPUB foo.bar 1\r\nx\r\nPUB fo 1\r\nx\r\n");
ok($b->ping_pong, 'publish to near misses');
ok($a->ping_pong, 'subjects are case-sensitive, exact tokens');

# Zero-length payload and a payload holding CRLF.
$b->send("PUB foo 0\r\n\r\n");
is($a->read_bytes(length "MSG foo 1 0\r\n\r\n"), "MSG foo 1 0\r\n\r\n",
    'zero-length payload');
$b->send("PUB foo 8\r\na\r\nb\r\n\r\n\r\n");
is($a->read_bytes(length "MSG foo 1 8\r\na\r\nb\r\n\r\n\r\n"),
    "MSG foo 1 8\r\na\r\nb\r\n\r\n\r\n", 'payload holding CRLFs is opaque');

# Extra blanks between arguments are accepted.
$b->send("PUB  foo\t  2\r\nhi\r\n");
is($a->read_bytes(length "MSG foo 1 2\r\nhi\r\n"), "MSG foo 1 2\r\nhi\r\n",
    'spaces and tabs between PUB arguments');

# Wildcards.
my $w = subscriber("SUB wc.* 1\r\nSUB wc.> 2\r\nSUB * 3\r\nSUB > 4\r\n");
$b->send("PUB wc 1\r\na\r\nPUB wc.bar 1\r\nb\r\n" .
    "PUB wc.bar.baz 1\r\nc\r\nPUB x.y.z 1\r\nd\r\n");
ok($b->ping_pong, 'wildcard publishes sent');
my ($wm) = Natsd::collect([$w], 8);
is_deeply([ sort map { $_->{raw} } @$wm ], [ sort
    "MSG wc 3 1\r\na\r\n", "MSG wc 4 1\r\na\r\n",
    "MSG wc.bar 1 1\r\nb\r\n", "MSG wc.bar 2 1\r\nb\r\n",
    "MSG wc.bar 4 1\r\nb\r\n",
    "MSG wc.bar.baz 2 1\r\nc\r\n", "MSG wc.bar.baz 4 1\r\nc\r\n",
    "MSG x.y.z 4 1\r\nd\r\n",
    ], '* matches one token, > one or more');
ok($w->ping_pong, 'and nothing more');
$w->close;

# Several subscriptions to one subject on one connection; a reused sid.
my $m = subscriber("SUB dup 1\r\nSUB dup 2\r\nSUB one 9\r\nSUB one 9\r\n");
$b->send("PUB dup 1\r\nx\r\nPUB one 1\r\ny\r\n");
my ($mm) = Natsd::collect([$m], 3);
is_deeply([ sort map { $_->{raw} } @$mm ], [ sort
    "MSG dup 1 1\r\nx\r\n", "MSG dup 2 1\r\nx\r\n", "MSG one 9 1\r\ny\r\n",
    ], 'one message per matching sid; a second SUB with a used sid is '
    . 'ignored');
ok($m->ping_pong, 'and no more');

# echo false: no copy of its own messages, others' still arrive.
my $e = subscriber("SUB echo 1\r\n",
    '{"verbose":false,"pedantic":false,"echo":false}');
$e->send("PUB echo 4\r\nself\r\n");
ok($e->ping_pong, 'echo false: own message not delivered');
$b->send("PUB echo 5\r\nother\r\n");
is($e->read_bytes(length "MSG echo 1 5\r\nother\r\n"),
    "MSG echo 1 5\r\nother\r\n", 'echo false: others\' messages delivered');

# UNSUB.
my $u = subscriber("SUB u 1\r\nSUB u2 2\r\n");
$u->send("UNSUB 1\r\n");
ok($u->ping_pong, 'UNSUB is silent');
$b->send("PUB u 1\r\nx\r\nPUB u2 1\r\ny\r\n");
ok($b->ping_pong, 'publish after UNSUB');
is($u->read_bytes(length "MSG u2 2 1\r\ny\r\n"), "MSG u2 2 1\r\ny\r\n",
    'unsubscribed sid gets nothing, the other still does');

# UNSUB with a maximum: auto-unsubscribe after N messages.
my $n = subscriber("SUB n 5\r\nUNSUB 5 2\r\n");
$b->send("PUB n 1\r\na\r\nPUB n 1\r\nb\r\nPUB n 1\r\nc\r\n");
ok($b->ping_pong, 'three publishes to an UNSUB-after-2 subscription');
is($n->read_bytes(length "MSG n 5 1\r\na\r\nMSG n 5 1\r\nb\r\n"),
    "MSG n 5 1\r\na\r\nMSG n 5 1\r\nb\r\n", 'exactly two delivered');
ok($n->ping_pong, 'the third is not');
$n->send("SUB n2 6\r\nPUB n2 1\r\na\r\nPUB n2 1\r\nb\r\nUNSUB 6 1\r\n" .
    "PUB n2 1\r\nc\r\nSUB n3 7\r\nUNSUB 7 0\r\nPUB n3 1\r\nd\r\n");
is($n->read_bytes(length "MSG n2 6 1\r\na\r\nMSG n2 6 1\r\nb\r\n"),
    "MSG n2 6 1\r\na\r\nMSG n2 6 1\r\nb\r\n",
    'UNSUB with a max already reached ends the subscription at once');
ok($n->ping_pong, 'as does UNSUB with max 0');

# Queue groups: three members on three connections, one plain
# subscriber; each message goes to exactly one member, the plain one
# gets all, in order.
my @q = map { subscriber("SUB q.work workers $_\r\n") } 1 .. 3;
my $plain = subscriber("SUB q.work 9\r\n");
my $N = 30;
$b->send(join '', map { sprintf "PUB q.work 3\r\nm%02d\r\n", $_ } 1 .. $N);
ok($b->ping_pong, "$N messages to a queue subject");
my @got = Natsd::collect(\@q, $N);
my @payloads = sort map { $_->{payload} } map { @$_ } @got;
is_deeply(\@payloads, [ map { sprintf 'm%02d', $_ } 1 .. $N ],
    'queue: every message delivered to exactly one member');
my $bad = 0;
for my $i (0 .. 2) {
	$bad++ for grep { $_->{raw} ne sprintf("MSG q.work %d 3\r\n%s\r\n",
	    $i + 1, $_->{payload}) } @{ $got[$i] };
}
is($bad, 0, 'queue: MSG lines carry the member\'s own sid');
ok(!grep({ !$_->ping_pong } @q), 'queue: no duplicates follow');
my ($pm) = Natsd::collect([$plain], $N);
is_deeply([ map { $_->{raw} } @$pm ],
    [ map { sprintf "MSG q.work 9 3\r\nm%02d\r\n", $_ } 1 .. $N ],
    'plain subscriber beside a queue group gets every message in order');

# Headers.
my $h = subscriber("SUB h 1\r\n", $HDR);
my $nh = subscriber("SUB h 2\r\n");
my $hp = $srv->client(connect => $HDR);
$hp->send("HPUB h 18 23\r\nNATS/1.0\r\nA: b\r\n\r\nhello\r\n");
is($h->read_bytes(length "HMSG h 1 18 23\r\nNATS/1.0\r\nA: b\r\n\r\nhello\r\n"),
    "HMSG h 1 18 23\r\nNATS/1.0\r\nA: b\r\n\r\nhello\r\n", 'HPUB gives HMSG');
is($nh->read_bytes(length "MSG h 2 5\r\nhello\r\n"), "MSG h 2 5\r\nhello\r\n",
    'a subscriber without headers gets MSG with the payload only');
$hp->send("HPUB h r.1 12 12\r\nNATS/1.0\r\n\r\n\r\n");
is($h->read_bytes(length "HMSG h 1 r.1 12 12\r\nNATS/1.0\r\n\r\n\r\n"),
    "HMSG h 1 r.1 12 12\r\nNATS/1.0\r\n\r\n\r\n",
    'HPUB with reply and empty payload');
is($nh->read_bytes(length "MSG h 2 r.1 0\r\n\r\n"), "MSG h 2 r.1 0\r\n\r\n",
    'stripped to an empty MSG for the other');
$hp->send("PUB h 2\r\nhi\r\n");
is($h->read_bytes(length "MSG h 1 2\r\nhi\r\n"), "MSG h 1 2\r\nhi\r\n",
    'plain PUB to a headers subscriber stays MSG');
is($nh->read_bytes(length "MSG h 2 2\r\nhi\r\n"), "MSG h 2 2\r\nhi\r\n",
    'and MSG for the other');

# Sizes of every digit count, as natsd prints them itself: at the
# boundaries, plain and with headers (header and total sizes).
my $sz = subscriber("SUB sz 7\r\n", $HDR);
my $szp = $srv->client(connect => $HDR);
my $want = '';
for my $n (0, 1, 9, 10, 99, 100, 999, 1000, 9999, 10000, 65535, 100000) {
	my $p = 'y' x $n;
	$szp->send("PUB sz $n\r\n$p\r\n");
	$want .= "MSG sz 7 $n\r\n$p\r\n";
}
is($sz->read_bytes(length $want, 10), $want,
    'payload sizes of 1 to 6 digits');
$want = '';
for my $t ([17, 0], [99, 1], [100, 899], [999, 1], [1000, 8999],
    [1000, 9000], [9999, 90001]) {
	my ($hl, $bl) = @$t;
	my $hdr = "NATS/1.0\r\nX: " . ('z' x ($hl - 17)) . "\r\n\r\n";
	my $tl = $hl + $bl;
	my $p = $hdr . ('w' x $bl);
	$szp->send("HPUB sz $hl $tl\r\n$p\r\n");
	$want .= "HMSG sz 7 $hl $tl\r\n$p\r\n";
}
is($sz->read_bytes(length $want, 10), $want,
    'header and total sizes of 2 to 6 digits');

# A payload of exactly max_payload (1MB by default).
my $big = join '', map { chr(32 + $_ % 95) } 0 .. 1048575;
$b->send("PUB foo 1048576\r\n$big\r\n");
my $got_big = $a->read_bytes(length("MSG foo 1 1048576\r\n") + 1048578, 20);
ok(defined $got_big && $got_big eq "MSG foo 1 1048576\r\n$big\r\n",
    'a max_payload message arrives intact');
