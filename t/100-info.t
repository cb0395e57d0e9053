#!/usr/bin/perl
#
# 100-info.t: the INFO line a client receives on connect, before it
# sends anything. Pins its framing ("INFO {json} \r\n", with the space
# nats-server puts before CRLF), the fields every client library reads,
# their JSON types and their values for a default server on 127.0.0.1.

use strict;
use warnings;

use B;
use Test::More tests => 23;

use Natsd;

# Returns 'string', 'number', 'bool' or 'other' for a decoded JSON value.
sub jtype {
	my ($v) = @_;
	return 'bool' if JSON::PP::is_bool($v);
	return 'other' if !defined $v || ref $v;
	my $f = B::svref_2object(\$v)->FLAGS;
	return 'number' if $f & (B::SVp_IOK | B::SVp_NOK) &&
	    !($f & B::SVp_POK);
	return 'string' if $f & B::SVp_POK;
	return 'other';
}

my $srv = Natsd->start;
my $c = $srv->client(no_connect => 1);
my $line = $c->info_line;
my $info = $c->info;

like($line, qr/\AINFO \{[^\r\n]*\} \r\n\z/,
    'INFO line: "INFO ", one JSON object, a space, CRLF');

my %want = (
	server_id => 'string',
	server_name => 'string',
	version => 'string',
	proto => 'number',
	host => 'string',
	port => 'number',
	headers => 'bool',
	max_payload => 'number',
	client_id => 'number',
	client_ip => 'string',
);
for my $k (sort keys %want) {
	is(jtype($info->{$k}), $want{$k}, "INFO $k is a $want{$k}");
}

is($info->{proto}, 1, 'proto is 1');
ok($info->{headers}, 'headers is true');
SKIP: {
	skip 'addresses differ for an external server', 3
	    if $srv->is_external;
	is($info->{host}, '127.0.0.1', 'host is the -a address');
	is($info->{port}, $srv->port, 'port is the listening port');
	is($info->{client_ip}, '127.0.0.1', 'client_ip is the peer address');
}
is($info->{max_payload}, 1048576, 'max_payload defaults to 1MB');
like($info->{version}, qr/^\d+\.\d+\.\d+/, 'version looks like x.y.z');
ok(length $info->{server_id}, 'server_id is not empty');
ok(!exists $info->{auth_required} || !$info->{auth_required},
    'no auth_required without authorization');

# client_id differs per connection and INFO is sent to each.
my $d = $srv->client(no_connect => 1);
isnt($d->info->{client_id}, $info->{client_id},
    'a second connection gets another client_id');
is($d->info->{server_id}, $info->{server_id},
    'both connections see the same server_id');

# Nothing follows INFO until the client speaks.
is($c->drain(0.3), '', 'nothing after INFO while the client is silent');
