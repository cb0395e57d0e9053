#!/usr/bin/perl
# t/203-stop.t: SIGTERM and SIGINT stop natsd gracefully: exit status 0,
# the pid file removed, no worker left behind; SIGUSR1 reopens the log.
use strict;
use warnings;
use Test::More;
use POSIX ();
use File::Temp qw(tempdir);
use Natsd;

plan skip_all => 'natsd only' if Natsd::is_nats_server() || Natsd::external();
plan tests => 9;

my $dir = tempdir('natsd-stop-XXXXXX', TMPDIR => 1, CLEANUP => 1);
my $pidf = "$dir/natsd.pid";
my $srv = Natsd->start(args => ['-P', $pidf], workers => 2);
ok(-s $pidf, 'pid file written');
open(my $fh, '<', $pidf) or die;
chomp(my $pid = <$fh>);
is($pid, $srv->pid, 'it names the supervisor');
my @kids = $srv->children;
my $c = $srv->client;
ok($c->ping_pong, 'a client is served');
is($srv->stop, 0, 'SIGTERM: exit status 0');
ok(!-e $pidf, 'pid file removed');
ok(!grep({ kill 0, $_ } @kids), 'no worker left behind');
ok($c->closed(5), 'the client was disconnected');

# With -l the log goes to a file, which the harness does not read: run
# this one by hand.
my $logf = "$dir/natsd.log";
my $port = Natsd::free_port();
my $pid2 = fork // die "fork: $!";
if ($pid2 == 0) {
	open(STDERR, '>', '/dev/null');
	exec(Natsd::bin(), '-a', '127.0.0.1', '-p', $port, '-w', '1',
	    '-l', $logf) or POSIX::_exit(127);
}
sub wait_for(&) {
	my ($cond) = @_;
	for (1 .. 200) {
		return 1 if $cond->();
		select(undef, undef, undef, 0.05);
	}
	return 0;
}
sub slurp { open(my $f, '<', $_[0]) or return ''; local $/; return <$f> }
wait_for { slurp($logf) =~ /Server is ready/ };
rename($logf, "$logf.1") or die "rename: $!";
kill 'USR1', $pid2;
ok(wait_for { slurp($logf) =~ /Reopening log files/ },
    'SIGUSR1 reopens the log file after it was moved');
kill 'INT', $pid2;
my $st;
wait_for { waitpid($pid2, POSIX::WNOHANG()) == $pid2 and $st = $?, 1 };
is($st, 0, 'SIGINT: exit status 0');
