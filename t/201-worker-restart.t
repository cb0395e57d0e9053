#!/usr/bin/perl
# t/201-worker-restart.t: a worker killed with SIGKILL is replaced, its
# clients lose their connection, and everyone else, including new
# clients, is served without a pause.
use strict;
use warnings;
use Test::More;
use Natsd;

plan skip_all => 'natsd only: workers' if Natsd::is_nats_server() ||
    Natsd::external();
plan tests => 8;

sub wait_children {
	my ($srv, $n, $not) = @_;
	my @kids;
	for (1 .. 200) {
		@kids = $srv->children;
		last if @kids == $n && !grep { defined $not && $_ == $not } @kids;
		select(undef, undef, undef, 0.05);
	}
	return @kids;
}

my $srv = Natsd->start(workers => 2);
my @kids = wait_children($srv, 2);
is(scalar @kids, 2, 'two workers');

# Clients on both workers, with subscriptions on both.
my @c = map { $srv->client } 1 .. 4;
$_->send("SUB dead.or.alive 1\r\n") for @c;
ok((grep { $_->ping_pong } @c) == 4, 'four subscribers registered');

my $victim = $kids[0];
ok(kill('KILL', $victim), "SIGKILL worker $victim");
my @after = wait_children($srv, 2, $victim);
ok(@after == 2 && !grep({ $_ == $victim } @after),
    'a new worker replaces the dead one');
ok($srv->wait_log(qr/worker \d \(pid $victim\) killed by signal 9/),
    'the supervisor logs how the worker died');

# The survivors still get messages; the dead worker's subscriptions
# no longer match (no error, no crash).
my @alive = grep { $_->ping_pong(timeout => 2) } @c;
ok(@alive >= 1 && @alive < 4, scalar(@alive) . ' of 4 clients survive');
my $pub = $srv->client;
$pub->send("PUB dead.or.alive 2\r\nok\r\n");
ok($pub->ping_pong, 'a new client publishes');
my $got = grep { ($_->line // '') eq "MSG dead.or.alive 1 2\r\n" } @alive;
is($got, scalar @alive, 'every surviving subscriber gets the message');
$srv->stop;
