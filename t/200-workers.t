#!/usr/bin/perl
# t/200-workers.t: natsd forks the number of workers asked for, and the
# supervisor spreads connections over them (the one with the fewest
# connections gets the next).
use strict;
use warnings;
use Test::More;
use Natsd;

plan skip_all => 'natsd only: workers' if Natsd::is_nats_server() ||
    Natsd::external();
plan tests => 6;

my $srv = Natsd->start(workers => 3);
my @kids = $srv->workers(3);
is(scalar @kids, 3, '-w 3 forks three workers');

my %before = map { $_ => Natsd::sockets($_) } @kids;
my @clients = map { $srv->client } 1 .. 20;
ok((grep { $_->ping_pong } @clients) == 20, '20 clients get PONG');
my %delta = map { $_ => Natsd::sockets($_) - $before{$_} } @kids;
my $sum = 0;
$sum += $_ for values %delta;
is($sum, 20, 'the workers hold the 20 connections between them');
ok((grep { $delta{$_} >= 5 } @kids) == 3,
    'each worker got a fair share: ' . join(',', values %delta));

$_->close for @clients;
is($srv->stop, 0, 'SIGTERM: exit status 0');
unlike($srv->{final_log} // '', qr/\[(FTL|ERR)\]/, 'no fatal or error lines');
