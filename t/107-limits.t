#!/usr/bin/perl
#
# 107-limits.t: configured limits. max_connections: 1 lets one client
# in; the next one still gets INFO, then
# "-ERR 'maximum connections exceeded'\r\n", and is closed; once the
# first leaves, a new client is let in. max_payload given as "64KB"
# shows as 65536 in INFO and is enforced at exactly that size.
# max_subscriptions: 2 answers a third SUB with
# "-ERR 'maximum subscriptions exceeded'\r\n" but keeps the connection
# and the first two subscriptions.

use strict;
use warnings;

use Test::More;
use Time::HiRes qw(time sleep);

use Natsd;

plan skip_all => 'needs its own configuration' if Natsd->external;
plan tests => 14;

my $one = Natsd->start(conf => { max_connections => 1 });
my $first = $one->client;
ok($first->ping_pong, 'first connection served');
my $second = $one->client(no_connect => 1);
like($second->info_line, qr/^INFO \{/, 'refused connection still gets INFO');
is($second->line, "-ERR 'maximum connections exceeded'\r\n",
    'then maximum connections exceeded');
ok($second->closed, 'then it is closed');
ok($first->ping_pong, 'first connection unaffected');
$first->close;

# The server notices the first close asynchronously: retry, bounded.
my $ok = 0;
my $deadline = time + 5;
while (!$ok && time < $deadline) {
	my $c = $one->client;
	$ok = $c->ping_pong(timeout => 1);
	sleep 0.05 unless $ok;
}
ok($ok, 'after the first leaves, a new connection is served');

my $lim = Natsd->start(conf => { max_payload => '64KB',
    max_subscriptions => 2 });
my $c = $lim->client;
is($c->info->{max_payload}, 65536, 'max_payload "64KB" is 65536 in INFO');
my $p = 'x' x 65536;
$c->send("SUB big 1\r\nPUB big 65536\r\n$p\r\n");
is($c->read_bytes(length("MSG big 1 65536\r\n$p\r\n")),
    "MSG big 1 65536\r\n$p\r\n", 'a max_payload message is delivered');
my $d = $lim->client;
$d->send("PUB big 65537\r\n");
ok($d->closed, 'one byte more: closed');
is($d->drain(0), "-ERR 'Maximum Payload Violation'\r\n",
    'with Maximum Payload Violation');

# $c holds one subscription; two more make three.
$c->send("SUB s2 2\r\nSUB s3 3\r\n");
is($c->line, "-ERR 'maximum subscriptions exceeded'\r\n",
    'third SUB: maximum subscriptions exceeded');
ok($c->ping_pong, 'connection kept');
$c->send("PUB s2 1\r\na\r\nPUB s3 1\r\nb\r\nPUB big 1\r\nc\r\n");
is($c->read_bytes(length "MSG s2 2 1\r\na\r\nMSG big 1 1\r\nc\r\n"),
    "MSG s2 2 1\r\na\r\nMSG big 1 1\r\nc\r\n",
    'the first two subscriptions work, the third does not exist');
ok($c->ping_pong, 'nothing more');
