#!/usr/bin/perl
# t/204-daemon.t: --daemon detaches (the command returns at once with
# status 0), writes the pid file, serves clients, refuses a second start
# on the same live pid file, and stops on SIGTERM removing the file.
use strict;
use warnings;
use Test::More;
use File::Temp qw(tempdir);
use IO::Socket::INET;
use POSIX ();
use Natsd;

plan skip_all => 'natsd only' if Natsd::is_nats_server() || Natsd::external();
plan tests => 8;

my $dir = tempdir('natsd-daemon-XXXXXX', TMPDIR => 1, CLEANUP => 1);
my $pidf = "$dir/natsd.pid";
my $logf = "$dir/natsd.log";
my $port = Natsd::free_port();
my @cmd = (Natsd::bin(), '-a', '127.0.0.1', '-p', $port, '-w', '1',
    '--daemon', '-P', $pidf, '-l', $logf);

sub wait_for(&) {
	my ($cond) = @_;
	for (1 .. 200) {
		return 1 if $cond->();
		select(undef, undef, undef, 0.05);
	}
	return 0;
}
sub slurp { open(my $f, '<', $_[0]) or return ''; local $/; return <$f> }

is(system(@cmd), 0, '--daemon returns with status 0');
ok(wait_for { -s $pidf }, 'pid file written');
chomp(my $pid = slurp($pidf));
ok($pid =~ /^\d+$/ && kill(0, $pid), "pid file names a live process");
END { kill 'KILL', $pid if $pid && $pid =~ /^\d+$/ && kill 0, $pid }

my $s;
ok(wait_for { $s = IO::Socket::INET->new("127.0.0.1:$port") },
    'the daemon accepts connections');
my $info = <$s>;
like($info // '', qr/^INFO \{/, 'and sends INFO');
close $s;

my $out = `@cmd 2>&1`;
isnt($? >> 8, 0, 'a second daemon on a live pid file refuses to start');
kill 'TERM', $pid;
ok(wait_for { !kill(0, $pid) }, 'SIGTERM stops the daemon');
ok(wait_for { !-e $pidf }, 'and it removes its pid file');
