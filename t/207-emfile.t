#!/usr/bin/perl
# t/207-emfile.t: the supervisor's accept survives running out of file
# descriptors. With its limit at the number it has open, accept fails
# with EMFILE: the supervisor logs it, pauses accepting instead of
# spinning, and serves the waiting client once descriptors are back.
use strict;
use warnings;
use Test::More;
use IO::Socket::INET;
use Natsd;

plan skip_all => 'natsd only' if Natsd::is_nats_server() || Natsd::external();
plan skip_all => 'prlimit(1) needed' if system('prlimit --version >/dev/null 2>&1') != 0;
plan tests => 5;

my $srv = Natsd->start(workers => 1);
my $pid = $srv->pid;
opendir(my $d, "/proc/$pid/fd") or die;
my %used = map { $_ => 1 } grep { /^\d+$/ } readdir $d;
closedir $d;
# The lowest free descriptor number: a limit there leaves none free.
my $open = 0;
$open++ while $used{$open};
my ($soft) = `prlimit --pid $pid --nofile --noheadings --output SOFT` =~ /(\d+)/;
# The soft limit at what is open: the next accept has no descriptor.
is(system('prlimit', '--pid', $pid, "--nofile=$open:"), 0,
    "supervisor limited to descriptors below $open");
my $c = IO::Socket::INET->new(PeerAddr => '127.0.0.1', PeerPort => $srv->port,
    Timeout => 5);
ok($c, 'the kernel still queues a connection');
ok($srv->wait_log(qr/accept, pausing for 250ms: Too many open files/),
    'accept failure logged, accepting paused');
is(system('prlimit', '--pid', $pid, "--nofile=$soft:"), 0,
    'descriptors back');
$c->blocking(1);
my $info;
eval {
	local $SIG{ALRM} = sub { die "timeout\n" };
	alarm 10;
	$info = <$c>;
	alarm 0;
};
like($info // '', qr/^INFO \{/, 'the waiting client is served');
$srv->stop;
