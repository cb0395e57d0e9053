#!/usr/bin/perl
#
# 103-errors.t: malformed and refused client commands. For each case:
# the exact bytes the server sends back (the -ERR text, or nothing),
# whether it then closes the connection, and that a second client on
# the same server still gets a pub/sub round trip.
#
# What nats-server v2.9 does, and natsd must do too:
#  - "-ERR 'Unknown Protocol Operation'" + close: an unknown verb, bytes
#    that are no verb, a verb with no argument (PUB, SUB, UNSUB), MSG
#    from a client, a payload not followed by CRLF.
#  - close with no -ERR at all: PUB/HPUB/SUB/UNSUB whose arguments do
#    not parse (missing or non-numeric size, negative size, too many
#    arguments, header size over total size), HPUB from a client that
#    did not CONNECT with headers:true, a CONNECT that is not JSON,
#    "-ERR" sent by a client.
#  - "-ERR 'maximum control line exceeded'" + close: a control line whose
#    arguments exceed max_control_line, even before its CRLF arrives.
#  - "-ERR 'Maximum Payload Violation'" + close: PUB size > max_payload.
#  - "-ERR 'invalid client protocol'" + close: CONNECT protocol > 1.
#  - "-ERR 'Invalid Subject'", connection kept: SUB to a bad subject.
#  - "-ERR 'Invalid Publish Subject'", connection kept: PUB to a
#    wildcard or bad subject with pedantic on (and a wildcard subject is
#    still delivered to matching subscriptions!); with pedantic off the
#    same PUB is accepted silently.
#  - silently accepted: UNSUB of an unknown sid, PING with junk after it.

use strict;
use warnings;

use Test::More;

use Natsd;

my $UPO = "-ERR 'Unknown Protocol Operation'\r\n";
my $MCL = "-ERR 'maximum control line exceeded'\r\n";
my $HDR = '{"verbose":false,"pedantic":false,"headers":true}';
my $PED = '{"verbose":false,"pedantic":true}';
my $VPED = '{"verbose":true,"pedantic":true}';
my $VERB = '{"verbose":true,"pedantic":false}';

# [ name, connect (undef: default; '' none), input, output, closes ]
# Cases that keep the connection end their input with PING, so their
# output ends with PONG.
my @default = (
	[ 'unknown operation', undef, "FOO\r\n", $UPO, 1 ],
	[ 'garbage bytes', undef, "\x00\x01\x02\xff\r\n", $UPO, 1 ],
	[ 'error after a good command', undef, "PING\r\nXYZ\r\nPING\r\n",
	    "PONG\r\n$UPO", 1 ],
	[ 'MSG from a client', undef, "MSG foo 1 1\r\nx\r\n", $UPO, 1 ],
	[ '-ERR from a client', undef, "-ERR 'x'\r\n", '', 1 ],
	[ 'PUB without arguments', undef, "PUB\r\n", $UPO, 1 ],
	[ 'PUB without size', undef, "PUB foo\r\n", '', 1 ],
	[ 'PUB non-numeric size', undef, "PUB foo abc\r\n", '', 1 ],
	[ 'PUB negative size', undef, "PUB foo -1\r\n", '', 1 ],
	[ 'PUB too many arguments', undef, "PUB foo r x 2\r\n", '', 1 ],
	[ 'payload longer than announced', undef, "PUB foo 2\r\nabc\r\n",
	    $UPO, 1 ],
	[ 'HPUB without headers:true', undef,
	    "HPUB foo 12 14\r\nNATS/1.0\r\n\r\nhi\r\n", '', 1 ],
	[ 'HPUB header size over total', $HDR, "HPUB foo 20 10\r\n", '', 1 ],
	[ 'HPUB with one size', $HDR, "HPUB foo 10\r\n", '', 1 ],
	[ 'HPUB non-numeric header size', $HDR, "HPUB foo x 10\r\n", '', 1 ],
	[ 'SUB without arguments', undef, "SUB\r\n", $UPO, 1 ],
	[ 'SUB without sid', undef, "SUB foo\r\n", '', 1 ],
	[ 'SUB too many arguments', undef, "SUB foo q 1 x\r\n", '', 1 ],
	[ 'UNSUB without arguments', undef, "UNSUB\r\n", $UPO, 1 ],
	[ 'UNSUB with a blank argument', undef, "UNSUB \r\n", '', 1 ],
	[ 'CONNECT not JSON', '', "CONNECT {bad\r\n", '', 1 ],
	[ 'CONNECT protocol 2', '', "CONNECT {\"protocol\":2}\r\n",
	    "-ERR 'invalid client protocol'\r\n", 1 ],
	[ 'SUB invalid subjects', undef,
	    "SUB foo..bar 1\r\nSUB .foo 2\r\nSUB foo. 3\r\n" .
	    "SUB foo.>.bar 4\r\nPING\r\n",
	    "-ERR 'Invalid Subject'\r\n" x 4 . "PONG\r\n", 0 ],
	[ 'SUB invalid subject, verbose', $VERB, "SUB foo..x 1\r\nPING\r\n",
	    "+OK\r\n-ERR 'Invalid Subject'\r\nPONG\r\n", 0 ],
	[ 'wildcard characters inside a token are literal', undef,
	    "SUB foo.*bar 1\r\nSUB foo.>bar 2\r\nPUB foo.*bar 1\r\nx\r\n" .
	    "PING\r\n", "MSG foo.*bar 1 1\r\nx\r\nPONG\r\n", 0 ],
	[ 'UNSUB unknown sid', undef, "UNSUB 99\r\nPING\r\n", "PONG\r\n", 0 ],
	[ 'UNSUB non-numeric max removes the subscription', undef,
	    "SUB foo 1\r\nUNSUB 1 x\r\nPUB foo 1\r\na\r\nPING\r\n",
	    "PONG\r\n", 0 ],
	[ 'PING with junk after it', undef, "PING junk\r\n", "PONG\r\n", 0 ],
	[ 'PUB to bad subjects, pedantic off', undef,
	    "SUB > 1\r\nPUB foo.* 1\r\na\r\nPUB foo..b 1\r\nb\r\n" .
	    "PUB foo.> 1\r\nc\r\nPING\r\n",
	    "MSG foo.* 1 1\r\na\r\nMSG foo.> 1 1\r\nc\r\nPONG\r\n", 0 ],
	[ 'PUB to bad subjects, pedantic on', $PED,
	    "SUB > 1\r\nPUB foo.* 1\r\na\r\nPUB foo..b 1\r\nb\r\n" .
	    "PUB foo 1\r\nc\r\nPING\r\n",
	    "-ERR 'Invalid Publish Subject'\r\nMSG foo.* 1 1\r\na\r\n" .
	    "-ERR 'Invalid Publish Subject'\r\nMSG foo 1 1\r\nc\r\n" .
	    "PONG\r\n", 0 ],
	[ 'PUB to a wildcard subject, pedantic and verbose', $VPED,
	    "PUB foo.* 1\r\na\r\nPING\r\n",
	    "+OK\r\n-ERR 'Invalid Publish Subject'\r\n+OK\r\nPONG\r\n", 0 ],
);

my $long = 'a' x 62;	# "SUB $long 1": 64 bytes of arguments
my @limits = (
	[ 'PUB at max_payload', undef,
	    "SUB p 1\r\nPUB p 16\r\n0123456789abcdef\r\nPING\r\n",
	    "MSG p 1 16\r\n0123456789abcdef\r\nPONG\r\n", 0 ],
	[ 'PUB over max_payload', undef, "PUB foo 17\r\n",
	    "-ERR 'Maximum Payload Violation'\r\n", 1 ],
	[ 'PUB over max_payload, payload sent', undef,
	    "PUB foo 17\r\n0123456789abcdefg\r\n",
	    "-ERR 'Maximum Payload Violation'\r\n", 1 ],
	[ 'HPUB over max_payload', $HDR, "HPUB foo 12 17\r\n",
	    "-ERR 'Maximum Payload Violation'\r\n", 1 ],
	[ 'control line arguments at max_control_line', undef,
	    "SUB $long 1\r\nPING\r\n", "PONG\r\n", 0 ],
	[ 'control line arguments over max_control_line', undef,
	    "SUB ${long}a 1\r\n", $MCL, 1 ],
	[ 'unterminated control line over max_control_line', undef,
	    "SUB ${long}aaaaaaaa 1", $MCL, 1 ],
	[ 'CONNECT over max_control_line', '',
	    'CONNECT {"verbose":false,"name":"' . ('x' x 40) . "\"}\r\n",
	    $MCL, 1 ],
);

plan tests => 3 * (@default + @limits) + 5;

sub run_case {
	my ($srv, $case) = @_;
	my ($name, $connect, $in, $out, $closes) = @$case;
	my %opt = !defined $connect ? () :
	    $connect eq '' ? (no_connect => 1) : (connect => $connect);
	my $c = $srv->client(%opt);
	$c->send($in);
	if ($closes) {
		ok($c->closed, "$name: connection closed");
		is($c->drain(0), $out, "$name: exact reply before close");
	} else {
		is($c->read_bytes(length $out), $out, "$name: exact reply");
		ok($c->ping_pong, "$name: connection kept, nothing more");
	}
	$c->close;
	ok($srv->round_trip, "$name: other clients unaffected");
}

my $srv = Natsd->start;
run_case($srv, $_) for @default;

# Payload shorter than announced: the server waits for the rest; what
# follows is taken as payload, and the missing CRLF is a parse error.
my $c = $srv->client;
$c->send("PUB foo 5\r\nab\r\n");
ok(!$c->closed(0.3), 'short payload: server waits for the rest');
$c->send("PING\r\n");
ok($c->closed, 'short payload: next bytes complete it, no CRLF: closed');
is($c->drain(0), $UPO, 'short payload: exact reply');
ok($srv->round_trip, 'short payload: other clients unaffected');

SKIP: {
	skip 'limits need their own configuration', 1 + 3 * @limits
	    if Natsd->external;
	my $lim = Natsd->start(conf => { max_payload => 16,
	    max_control_line => 64 });
	is($lim->client->info->{max_payload}, 16, 'INFO max_payload is 16');
	run_case($lim, $_) for @limits;
}
