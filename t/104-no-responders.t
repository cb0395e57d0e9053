#!/usr/bin/perl
#
# 104-no-responders.t: a client that CONNECTs with headers:true and
# no_responders:true and publishes with a reply subject to a subject
# nobody listens on gets, on its own subscription matching the reply,
# exactly "HMSG <reply> <sid> 16 16\r\nNATS/1.0 503\r\n\r\n\r\n".
# Pins: PUB and HPUB both trigger it; the sid is that of the
# requester's own (possibly wildcard) subscription; without such a
# subscription, without a reply, with a responder present, or without
# no_responders nothing is sent; other clients subscribed to the reply
# subject get nothing; no_responders without headers is refused with
# "-ERR 'no responders requires headers support'" and a close.

use strict;
use warnings;

use Test::More tests => 15;

use Natsd;

my $NR = '{"verbose":false,"pedantic":false,"headers":true,' .
    '"no_responders":true}';
my $srv = Natsd->start;

my $c = $srv->client(connect => $NR);
$c->send("SUB reply.1 7\r\n");
$c->send("PUB nobody reply.1 2\r\nhi\r\n");
is($c->read_bytes(length "HMSG reply.1 7 16 16\r\nNATS/1.0 503\r\n\r\n\r\n"),
    "HMSG reply.1 7 16 16\r\nNATS/1.0 503\r\n\r\n\r\n",
    'PUB request to no one: 503 status message, exact bytes');
ok($c->ping_pong, 'and nothing else');

$c->send("HPUB nobody reply.1 12 14\r\nNATS/1.0\r\n\r\nhi\r\n");
is($c->read_bytes(length "HMSG reply.1 7 16 16\r\nNATS/1.0 503\r\n\r\n\r\n"),
    "HMSG reply.1 7 16 16\r\nNATS/1.0 503\r\n\r\n\r\n",
    'HPUB request to no one: the same');

$c->send("SUB _INBOX.abc.* 8\r\nPUB nobody _INBOX.abc.x 0\r\n\r\n");
is($c->read_bytes(length
    "HMSG _INBOX.abc.x 8 16 16\r\nNATS/1.0 503\r\n\r\n\r\n"),
    "HMSG _INBOX.abc.x 8 16 16\r\nNATS/1.0 503\r\n\r\n\r\n",
    'wildcard reply subscription: its sid, the concrete reply subject');

$c->send("PUB nobody 2\r\nhi\r\n");
ok($c->ping_pong, 'no reply subject: nothing');
$c->send("PUB nobody unwatched 2\r\nhi\r\n");
ok($c->ping_pong, 'reply subject without own subscription: nothing');

# Another client subscribed to the reply subject is not told.
my $o = $srv->client;
$o->send("SUB reply.1 1\r\n");
ok($o->ping_pong, 'other client subscribed to the reply subject');
$c->send("PUB nobody reply.1 0\r\n\r\n");
is($c->read_bytes(length "HMSG reply.1 7 16 16\r\nNATS/1.0 503\r\n\r\n\r\n"),
    "HMSG reply.1 7 16 16\r\nNATS/1.0 503\r\n\r\n\r\n",
    'requester still gets the 503');
ok($o->ping_pong, 'the other client gets nothing');

# With a responder there is no 503.
my $r = $srv->client;
$r->send("SUB svc 3\r\n");
ok($r->ping_pong, 'responder subscribed');
$c->send("PUB svc reply.1 2\r\nhi\r\n");
is($r->read_bytes(length "MSG svc 3 reply.1 2\r\nhi\r\n"),
    "MSG svc 3 reply.1 2\r\nhi\r\n", 'responder gets the request');
ok($c->ping_pong, 'requester gets no 503');

# headers without no_responders: nothing.
my $h = $srv->client(connect => '{"verbose":false,"headers":true}');
$h->send("SUB reply.2 1\r\nPUB nobody reply.2 2\r\nhi\r\n");
ok($h->ping_pong, 'no_responders not asked for: nothing');

# no_responders without headers is refused.
my $bad = $srv->client(connect => '{"verbose":false,"no_responders":true}');
ok($bad->closed, 'no_responders without headers: closed');
is($bad->drain(0), "-ERR 'no responders requires headers support'\r\n",
    'no_responders without headers: exact -ERR first');
