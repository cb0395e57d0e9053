#!/usr/bin/perl
#
# 108-many-subs.t: 100,000 subscriptions from one client, sent in one
# burst (about 2 MB of SUB lines). The server takes them all without
# closing the connection, a PUB to one of them reaches exactly that
# sid, a PUB matching none reaches nothing, another client is served
# meanwhile, and UNSUB of them all leaves a working connection.

use strict;
use warnings;

use Test::More tests => 8;

use Natsd;

my $N = 100_000;
my $srv = Natsd->start;
my $c = $srv->client;

my $subs = join '', map { "SUB many.$_ $_\r\n" } 1 .. $N;
ok($c->send($subs, 30), "$N SUBs sent");
ok($c->ping_pong(timeout => 20), 'PONG after all of them');

my $o = $srv->client;
ok($o->ping_pong, 'another client is served');
$o->send("PUB many.77777 2\r\nhi\r\nPUB many.0 2\r\nno\r\n" .
    "PUB many.$N 3\r\nend\r\n");
ok($o->ping_pong, 'publishes from the other client');
is($c->read_bytes(length "MSG many.77777 77777 2\r\nhi\r\n" .
    "MSG many.$N $N 3\r\nend\r\n"),
    "MSG many.77777 77777 2\r\nhi\r\nMSG many.$N $N 3\r\nend\r\n",
    'exactly the matching sids receive');

ok($c->send(join('', map { "UNSUB $_\r\n" } 1 .. $N), 30),
    "$N UNSUBs sent");
ok($c->ping_pong(timeout => 20), 'PONG after all of them');
$o->send("PUB many.5 1\r\nx\r\n");
ok($o->ping_pong && $c->ping_pong,
    'after UNSUB of all, nothing is delivered');
