#!/usr/bin/perl
# t/110-queue-workers.t: a queue group whose members sit on different
# workers. The test checks where each member landed (its worker's socket
# count grows), then that every message goes to exactly one member and
# that members on both workers get some: the publisher's worker picks a
# member at random across workers.
use strict;
use warnings;
use Test::More;
use Natsd;

plan skip_all => 'natsd only: workers' if Natsd::is_nats_server() ||
    Natsd::external();
plan tests => 5;

my $srv = Natsd->start(workers => 2);
my @kids = $srv->workers(2);
my (@members, %on);
for my $i (1 .. 4) {
	my ($c, $w) = $srv->client_on(\@kids);
	$c->send("SUB q.work workers $i\r\n");
	$c->ping_pong;
	push @members, $c;
	$on{$i} = $w;
}
my %workers = map { $_ => 1 } values %on;
is(scalar keys %workers, 2, 'the four members sit on both workers');

my $pub = $srv->client;
my $N = 400;
$pub->send(join '', map { "PUB q.work 4\r\n" . sprintf('%04d', $_) . "\r\n" }
    1 .. $N);
ok($pub->ping_pong, "$N messages published");
my @got = Natsd::collect(\@members, $N, 10);
my (%seen, %per_worker);
my $dups = 0;
for my $i (0 .. $#got) {
	for my $m (@{ $got[$i] }) {
		$dups++ if $seen{$m->{payload} // $m->{raw}}++;
		$per_worker{ $on{$i + 1} }++;
	}
}
is(scalar keys %seen, $N, 'every message delivered');
is($dups, 0, 'each to exactly one member');
ok((grep { ($per_worker{$_} // 0) > 0 } keys %workers) == 2,
    'members on both workers got messages: ' .
    join(', ', map { $per_worker{$_} // 0 } sort keys %workers));
