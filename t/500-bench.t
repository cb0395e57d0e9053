#!/usr/bin/perl
# t/500-bench.t: natsd-bench in each mode against a server, for short
# counts: exit 0, the counts published and received, no loss, no
# reordering, latency percentiles in order; and against a fake server
# that drops one message and swaps two, that it reports exactly that
# and fails, and that a run that cannot progress ends.
use strict;
use warnings;
use File::Temp qw(tempfile);
use IO::Select;
use IO::Socket::INET;
use POSIX ();
use Test::More;
use Time::HiRes qw(time sleep);
use Natsd;

my $bin = Natsd::top_builddir() . '/natsd-bench';
plan skip_all => "$bin not built" unless -x $bin;
plan tests => 47;

# Starts natsd-bench with @args; returns (pid, stdout handle, stderr
# file name).
sub spawn {
	my (@args) = @_;
	my (undef, $err) = tempfile('natsd-bench-err-XXXXXX', TMPDIR => 1,
	    UNLINK => 1);
	my $pid = open(my $out, '-|') // die "fork: $!";
	if ($pid == 0) {
		open(STDERR, '>', $err) or POSIX::_exit(126);
		{ no warnings 'exec'; exec { $bin } $bin, @args; }
		POSIX::_exit(127);
	}
	return ($pid, $out, $err);
}

# Waits for a spawned natsd-bench (killing it after $timeout seconds);
# returns its exit status, the CSV as a hash, and its stderr.
sub finish {
	my ($pid, $out, $err, $timeout) = @_;
	my $text = '';
	my $sel = IO::Select->new($out);
	my $deadline = time + ($timeout // 20);
	while (time < $deadline) {
		next unless $sel->can_read($deadline - time);
		my $n = sysread($out, my $chunk, 65536);
		last unless $n;
		$text .= $chunk;
	}
	kill 'KILL', $pid if time >= $deadline;
	close $out;		# waits for it
	my $status = $? >> 8;
	my ($h, $v) = split /\n/, $text;
	my %r;
	@r{split /,/, $h // ''} = split /,/, $v // '', -1;
	open(my $fh, '<', $err);
	local $/;
	my $e = <$fh> // '';
	return ($status, \%r, $e);
}

sub bench { return finish(spawn(@_)) }

my $srv = Natsd->start(workers => 2);
my $url = $srv->host . ':' . $srv->port;
my @b = ('-s', $url, '--csv');

my ($st, $r, $e) = bench(@b, '-n', 20000, 'pub');
is($st, 0, 'pub: exit 0') or diag($e);
is($r->{pub_msgs}, 20000, 'pub: 20000 published');
ok($r->{pub_msgs_s} > 0, 'pub: a rate');

($st, $r, $e) = bench(@b, '-n', 20000, '-P', 2, '-S', 3, '-m', 64, 'pubsub');
is($st, 0, 'pubsub 2:3: exit 0') or diag($e);
is($r->{pub_msgs}, 20000, 'pubsub: 20000 published');
is($r->{sub_msgs}, 60000, 'pubsub: each of 3 subscribers got all');
is($r->{lost}, 0, 'pubsub: none lost');
is($r->{reordered}, 0, 'pubsub: none reordered');

($st, $r, $e) = bench(@b, '-n', 5000, 'fanout');
is($st, 0, 'fanout: exit 0') or diag($e);
is($r->{subs}, 8, 'fanout: 8 subscribers by default');
is($r->{sub_msgs}, 40000, 'fanout: 8 x 5000 received');
is($r->{lost} + $r->{reordered}, 0, 'fanout: none lost or reordered');

($st, $r, $e) = bench(@b, '-n', 20000, 'queue');
is($st, 0, 'queue: exit 0') or diag($e);
is($r->{subs}, 4, 'queue: 4 members by default');
is($r->{sub_msgs}, 20000, 'queue: the group got each message once');
is($r->{lost} + $r->{reordered}, 0, 'queue: none lost or reordered');

# Payloads larger than a read, and none at all (no sequence word).
($st, $r, $e) = bench(@b, '-n', 300, '-m', '200k', 'pubsub');
is($st, 0, 'pubsub 200 KB: exit 0') or diag($e);
is($r->{sub_msgs}, 300, 'pubsub 200 KB: all received');
($st, $r, $e) = bench(@b, '-n', 2000, '-m', 0, '-S', 2, 'pubsub');
is($st, 0, 'pubsub empty payload: exit 0') or diag($e);
is($r->{sub_msgs}, 4000, 'pubsub empty payload: all received');

# A duration instead of a count.
($st, $r, $e) = bench(@b, '-d', '0.3', 'pubsub');
is($st, 0, 'pubsub -d: exit 0') or diag($e);
ok($r->{pub_msgs} > 0, "pubsub -d: published $r->{pub_msgs}");
is($r->{sub_msgs}, $r->{pub_msgs}, 'pubsub -d: received them all');

($st, $r, $e) = bench(@b, '-n', 2000, '-c', 4, '-P', 2, '-S', 2, 'reqrep');
is($st, 0, 'reqrep: exit 0') or diag($e);
is($r->{pub_msgs}, 2000, 'reqrep: 2000 requests');
is($r->{sub_msgs}, 2000, 'reqrep: 2000 replies');
my @p = @$r{qw(p50_us p90_us p99_us p999_us max_us)};
ok($p[0] > 0, "reqrep: p50 $p[0] us");
ok($p[0] <= $p[1] && $p[1] <= $p[2] && $p[2] <= $p[3] && $p[3] <= $p[4],
    'reqrep: p50 <= p90 <= p99 <= p99.9 <= max: ' . join(' ', @p));

($st, $r, $e) = bench(@b, '-n', 300, '-c', 50, 'connections');
is($st, 0, 'connections: exit 0') or diag($e);
is($r->{conns}, 300, 'connections: 300 established');
ok($r->{conns_s} > 0, "connections: $r->{conns_s} per second");

# sub mode, fed by a pub run once it says it is ready.
my ($pid, $out, $err) = spawn(@b, '-n', 5000, 'sub');
my $ready = 0;
for (1 .. 500) {
	last if $ready = (-s $err && do {
		open(my $fh, '<', $err);
		local $/;
		(<$fh> // '') =~ /subscriber ready/;
	});
	sleep 0.01;
}
ok($ready, 'sub: says when it is ready');
($st, $r, $e) = bench(@b, '-n', 5000, 'pub');
is($st, 0, 'sub: the publisher exits 0') or diag($e);
($st, $r, $e) = finish($pid, $out, $err);
is($st, 0, 'sub: exit 0') or diag($e);
is($r->{sub_msgs}, 5000, 'sub: 5000 received');
is($r->{lost}, 0, 'sub: no gaps');

# No server: fails at once.
my $closed = Natsd::free_port();
($st, $r, $e) = bench('-s', "127.0.0.1:$closed", '-n', 10, 'pub');
is($st, 1, 'no server: exit 1');

# A fake server that drops message 3 and delivers 6 before 5.
my ($fpid, $fport) = start_fake();
($st, $r, $e) = bench('-s', "127.0.0.1:$fport", '--csv', '-n', 10,
    '-f', 1, '-T', '0.3', 'pubsub');
stop_fake($fpid);
is($st, 1, 'fake server: exit 1');
is($r->{pub_msgs}, 10, 'fake server: 10 published');
is($r->{sub_msgs}, 9, 'fake server: 9 received');
is($r->{lost}, 1, 'fake server: 1 lost');
is($r->{reordered}, 1, 'fake server: 1 reordered');

# Again, with publishers held within 2 messages of the subscriber: it
# never gets message 3 or 5, so the run stalls at 5 published and the
# watchdog ends it.
($fpid, $fport) = start_fake();
($st, $r, $e) = bench('-s', "127.0.0.1:$fport", '--csv', '-n', 10,
    '-f', 1, '-l', 2, '-T', '0.3', 'pubsub');
stop_fake($fpid);
is($st, 1, 'stall: exit 1');
is($r->{pub_msgs}, 5, 'stall: publishing stopped at 5');
is($r->{sub_msgs}, 3, 'stall: 3 received');
is($r->{errors}, 1, 'stall: counted as an error');
like($e, qr/no progress/, 'stall: says so');

# Returns the pid and port of a fresh fake server.
sub start_fake {
	my $l = IO::Socket::INET->new(LocalAddr => '127.0.0.1',
	    LocalPort => 0, Listen => 8, ReuseAddr => 1) or die "listen: $!";
	my $pid = fork // die "fork: $!";
	if ($pid == 0) {
		fake_server($l);
		POSIX::_exit(0);
	}
	my $port = $l->sockport;
	close $l;
	return ($pid, $port);
}

sub stop_fake {
	my ($pid) = @_;
	kill 'KILL', $pid;
	waitpid($pid, 0);
}

# Speaks just enough NATS for one pubsub run: INFO, PONG, SUB, PUB.
# Forwards the PUBs as MSG, but for the third (dropped) and the fifth
# (held back until the sixth is sent). Runs until killed (or 20 s).
sub fake_server {
	my ($l) = @_;
	my $sel = IO::Select->new($l);
	my (%buf, $sub, $sid, $n, $held);
	my $deadline = time + 20;
	while (time < $deadline) {
		for my $s ($sel->can_read(0.5)) {
			if ($s == $l) {
				my $c = $l->accept or next;
				$sel->add($c);
				syswrite($c, "INFO {\"server_id\":\"fake\"," .
				    "\"max_payload\":1048576}\r\n");
				next;
			}
			my $got = sysread($s, my $chunk, 65536);
			if (!$got) {
				$sel->remove($s);
				next;
			}
			$buf{$s} .= $chunk;
			for (;;) {
				my $b = \$buf{$s};
				if ($$b =~ /^PUB (\S+) (\d+)\r\n/) {
					my ($subj, $len) = ($1, $2);
					my $hl = length $&;
					last if length $$b < $hl + $len + 2;
					my $pay = substr($$b, $hl, $len);
					substr($$b, 0, $hl + $len + 2, '');
					my $m = "MSG $subj $sid $len\r\n" .
					    "$pay\r\n";
					$n++;
					next if $n == 3;
					if ($n == 5) {
						$held = $m;
						next;
					}
					$m .= $held if $n == 6;
					syswrite($sub, $m);
				} elsif ($$b =~ s/^([^\n]*)\n//) {
					my $line = $1;
					syswrite($s, "PONG\r\n")
					    if $line =~ /^PING/;
					($sub, $sid) = ($s, $1)
					    if $line =~ /^SUB \S+ (\S+)/;
				} else {
					last;
				}
			}
		}
	}
}
