#!/usr/bin/perl
#
# 101-ping.t: PING/PONG and +OK. PING is answered before and after
# CONNECT, pipelined, split across writes, in lower case and with a bare
# LF; unsolicited PONG, +OK and INFO from a client are ignored; a
# verbose CONNECT is acknowledged with +OK and so is every later
# SUB/PUB/UNSUB.

use strict;
use warnings;

use Test::More tests => 17;

use Natsd;

my $srv = Natsd->start;

# Before CONNECT: no authorization configured, so PING is allowed.
my $c = $srv->client(no_connect => 1);
$c->send("PING\r\n");
is($c->line, "PONG\r\n", 'PING before CONNECT gets PONG');

$c->send("CONNECT {\"verbose\":false,\"pedantic\":false}\r\n");
$c->send("PING\r\n");
is($c->line, "PONG\r\n", 'PING after a quiet CONNECT gets PONG only');

$c->send("PING\r\nPING\r\nPING\r\n");
is($c->read_bytes(18), "PONG\r\n" x 3, 'three pipelined PINGs, three PONGs');

# A PING split over two writes; the quiet wait between them also shows
# that half a PING is not answered.
$c->send("PI");
is($c->drain(0.2), '', 'half a PING gets no answer');
$c->send("NG\r\n");
is($c->line, "PONG\r\n", 'the rest of the PING completes it');

$c->send("ping\r\n");
is($c->line, "PONG\r\n", 'lower-case ping is accepted');

$c->send("PING\n");
is($c->line, "PONG\r\n", 'PING ended by a bare LF is accepted');

$c->send("PONG\r\n+OK\r\nINFO {}\r\nPING\r\n");
is($c->line, "PONG\r\n",
    'unsolicited PONG, +OK and INFO from a client are ignored');
is($c->drain(0.2), '', 'and nothing else is sent');

# Verbose: +OK for CONNECT, then for each SUB, PUB and UNSUB; the MSG
# for a PUB comes after that PUB's +OK.
my $v = $srv->client(connect => '{"verbose":true}');
is($v->line, "+OK\r\n", 'verbose CONNECT gets +OK');
ok($v->ping_pong, 'PING after verbose CONNECT gets PONG, no +OK');
$v->send("SUB v.1 7\r\n");
is($v->line, "+OK\r\n", 'verbose SUB gets +OK');
$v->send("PUB v.1 2\r\nhi\r\n");
is($v->line, "+OK\r\n", 'verbose PUB gets +OK');
is($v->read_bytes(length "MSG v.1 7 2\r\nhi\r\n"), "MSG v.1 7 2\r\nhi\r\n",
    'then the message');
$v->send("UNSUB 7\r\n");
is($v->line, "+OK\r\n", 'verbose UNSUB gets +OK');
$v->send("UNSUB 7\r\n");
is($v->line, "+OK\r\n", 'verbose UNSUB of an unknown sid gets +OK too');
ok($v->ping_pong, 'and nothing else was sent before PONG');
