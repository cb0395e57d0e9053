#!/usr/bin/perl
#
# 105-auth-timeout.t: authorization and the authorization timeout.
# With authorization configured, INFO says auth_required; a client that
# sends no CONNECT within authorization.timeout gets
# "-ERR 'Authentication Timeout'" and is closed; a wrong or missing
# token or password, or any command before CONNECT (even PING), gets
# "-ERR 'Authorization Violation'" and is closed; the right credentials
# work and are not timed out. Without authorization there is no such
# timeout at all: a silent client stays connected.

use strict;
use warnings;

use Test::More;
use Time::HiRes qw(time);

use Natsd;

plan skip_all => 'needs its own configuration' if Natsd->external;
plan tests => 27;

my $AV = "-ERR 'Authorization Violation'\r\n";

# Connects with $connect (undef: no CONNECT), sends $more, and checks
# that the server answers exactly $AV and closes.
sub refused {
	my ($srv, $connect, $more, $name) = @_;
	my $c = $srv->client(defined $connect ? (connect => $connect) :
	    (no_connect => 1));
	$c->send($more) if defined $more;
	ok($c->closed, "$name: closed");
	is($c->drain(0), $AV, "$name: exact -ERR first");
}

my $srv = Natsd->start(conf => { authorization => { token => 's3cr3t',
    timeout => 1 } });
my $GOOD = '{"verbose":false,"pedantic":false,"auth_token":"s3cr3t"}';

# The silent client.
my $t0 = time;
my $silent = $srv->client(no_connect => 1);
ok($silent->info->{auth_required}, 'INFO has auth_required true');
my $l = $silent->line(4);
my $dt = time - $t0;
is($l, "-ERR 'Authentication Timeout'\r\n",
    'silent client: Authentication Timeout');
cmp_ok($dt, '>=', 0.8, 'not before the 1 s timeout');
cmp_ok($dt, '<', 3.5, 'soon after it');
ok($silent->closed, 'silent client: closed');

refused($srv, '{"verbose":false,"auth_token":"wrong"}', undef,
    'wrong token');
refused($srv, '{"verbose":false}', undef, 'no token');
refused($srv, undef, "PING\r\n", 'PING before CONNECT');
refused($srv, undef, "SUB foo 1\r\n", 'SUB before CONNECT');

my $ok = $srv->client(connect => $GOOD);
ok($ok->ping_pong, 'right token: PONG');
my $v = $srv->client(connect =>
    '{"verbose":true,"pedantic":false,"auth_token":"s3cr3t"}');
is($v->line, "+OK\r\n", 'right token, verbose: +OK');
is($ok->drain(1.5), '', 'authorized client not timed out');
ok($ok->ping_pong, 'still served after the timeout passed');
ok($srv->round_trip(connect => $GOOD), 'round trip with the token');

# User and password.
my $up = Natsd->start(conf => { authorization => { user => 'alice',
    password => 'pw' } });
refused($up, '{"verbose":false,"user":"alice","pass":"nope"}', undef,
    'wrong password');
ok($up->client(connect => '{"verbose":false,"user":"alice","pass":"pw"}')
    ->ping_pong, 'right user and password: PONG');

# --auth on the command line.
my $fl = Natsd->start(args => ['--auth', 'fl4g']);
refused($fl, '{"verbose":false,"auth_token":"s3cr3t"}', undef,
    '--auth, wrong token');
ok($fl->client(connect => '{"verbose":false,"auth_token":"fl4g"}')
    ->ping_pong, '--auth, right token: PONG');

# No authorization: no timeout for a client that never sends CONNECT
# (nats-server's default auth timeout would be 2 s).
my $open = Natsd->start;
my $quiet = $open->client(no_connect => 1);
ok(!$quiet->info->{auth_required}, 'no authorization: no auth_required');
ok(!$quiet->closed(2.5), 'no authorization: silent client kept');
ok($quiet->ping_pong, 'and answered');
