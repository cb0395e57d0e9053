# Copyright (c) 2026 The natsd authors.
# Licensed under the ISC licence; see LICENSE.
#
# t/lib/Natsd.pm: integration-test harness. Starts natsd (or nats-server,
# for comparison) on a random loopback port in a temporary directory,
# hands out raw protocol clients whose every read has a timeout, and
# stops every server it started when the script ends, dies or is
# interrupted. Core Perl modules only.
#
#	my $srv = Natsd->start(conf => { max_payload => '64KB' });
#	my $c = $srv->client(connect => '{"verbose":false}');
#	$c->send("SUB foo 1\r\nPUB foo 2\r\nhi\r\n");
#	is($c->line, "MSG foo 1 2\r\n");
#
# Environment: NATSD_BIN (binary; default $top_builddir/natsd),
# NATSD_TEST_ADDR=host:port (use a running server, start nothing),
# NATSD_KEEP=1 (keep each server's directory and log; they are also
# kept when a test has failed).

package Natsd;

use strict;
use warnings;

use Carp qw(croak);
use Cwd qw(abs_path);
use File::Basename qw(dirname);
use File::Spec;
use File::Temp qw(tempdir);
use IO::Select;
use IO::Socket::INET;
use JSON::PP;
use POSIX qw(WNOHANG);
use Time::HiRes qw(time sleep);

our $DEFAULT_TIMEOUT = 5;	# seconds, every read
our $START_TIMEOUT = 10;	# seconds, until the port is printed
our $STOP_TIMEOUT = 10;		# seconds, SIGTERM to SIGKILL

my @servers;			# every server started and not yet reaped
my $owner = $$;			# forked children must not clean up
my $flavour_cache;

$SIG{PIPE} = 'IGNORE';
for my $sig (qw(INT TERM)) {
	$SIG{$sig} = sub {
		Natsd::_cleanup();
		$SIG{$sig} = 'DEFAULT';
		kill $sig, $$;
		exit 1;
	};
}

END {
	local $?;
	_cleanup();
}

sub _cleanup {
	return unless $$ == $owner;
	my @all = grep { defined } @servers;
	for my $s (@all) {
		eval { $s->stop; 1 } or print STDERR "# stop: $@";
	}
	@servers = ();
}

# Directories: the automake TAP driver exports top_builddir/top_srcdir;
# by hand, t/lib/Natsd.pm's grandparent is the source tree.
sub top_srcdir {
	return $ENV{top_srcdir} if defined $ENV{top_srcdir};
	return abs_path(dirname(__FILE__) . '/../..');
}

sub top_builddir {
	return $ENV{top_builddir} if defined $ENV{top_builddir};
	return top_srcdir();
}

sub bin {
	return $ENV{NATSD_BIN} if defined $ENV{NATSD_BIN} &&
	    length $ENV{NATSD_BIN};
	return top_builddir() . '/natsd';
}

# Returns true when scripts point at an already running server
# (NATSD_TEST_ADDR=host:port): nothing is started, signals are skipped.
sub external {
	return defined $ENV{NATSD_TEST_ADDR} && length $ENV{NATSD_TEST_ADDR};
}

# Returns 'nats-server' or 'natsd', from the binary's --version output,
# asked once. With NATSD_TEST_ADDR it is unknown: 'external'.
sub flavour {
	return 'external' if external();
	return $flavour_cache if defined $flavour_cache;
	my $bin = bin();
	my $out = '';
	if (-x $bin && open(my $fh, '-|', $bin, '--version')) {
		local $/;
		$out = <$fh> // '';
		close $fh;
	}
	$flavour_cache = $out =~ /^nats-server/m ? 'nats-server' : 'natsd';
	return $flavour_cache;
}

sub is_nats_server { return flavour() eq 'nats-server' }

# Returns a TCP port that was free on 127.0.0.1 a moment ago.
sub free_port {
	my $s = IO::Socket::INET->new(LocalAddr => '127.0.0.1',
	    LocalPort => 0, Proto => 'tcp', Listen => 1, ReuseAddr => 1)
	    or croak "free_port: $!";
	my $port = $s->sockport;
	close $s;
	return $port;
}

# Configuration writers. A test gives its configuration as a hash;
# natsd reads YAML, nats-server its own format. Values: numbers and
# size strings ("1MB") stay bare, other strings are quoted, booleans
# are JSON::PP::true/false (or \1/\0), arrays and hashes nest.
sub _is_bool {
	my ($v) = @_;
	return 1 if ref $v eq 'JSON::PP::Boolean';
	return 1 if ref $v eq 'SCALAR' && defined $$v && $$v =~ /^[01]$/;
	return 0;
}

sub _quote {
	my ($s) = @_;
	$s =~ s/(["\\])/\\$1/g;
	$s =~ s/\n/\\n/g;
	$s =~ s/\t/\\t/g;
	return "\"$s\"";
}

sub _scalar {
	my ($v, $fmt) = @_;
	return ($$v ? 'true' : 'false') if _is_bool($v);
	return $v if $v =~ /^-?\d+(\.\d+)?$/;
	return $v if $fmt eq 'nats' && $v =~ /^\d+(K|M|G|T)I?B?$/i;
	return _quote($v);
}

sub _yaml {
	my ($v, $ind) = @_;
	my $pad = '  ' x $ind;
	my $out = '';
	if (ref $v eq 'HASH') {
		for my $k (sort keys %$v) {
			my $x = $v->{$k};
			if (ref $x eq 'HASH' && !%$x) {
				$out .= "$pad$k: {}\n";
			} elsif (ref $x eq 'ARRAY' && !@$x) {
				$out .= "$pad$k: []\n";
			} elsif (ref $x eq 'HASH' || ref $x eq 'ARRAY') {
				$out .= "$pad$k:\n" . _yaml($x, $ind + 1);
			} else {
				$out .= "$pad$k: " . _scalar($x, 'yaml') . "\n";
			}
		}
	} elsif (ref $v eq 'ARRAY') {
		for my $x (@$v) {
			if (ref $x eq 'HASH' || ref $x eq 'ARRAY') {
				my $sub = _yaml($x, $ind + 1);
				$sub =~ s/^\s+//;
				$out .= "$pad- $sub";
			} else {
				$out .= "$pad- " . _scalar($x, 'yaml') . "\n";
			}
		}
	}
	return $out;
}

sub _nats {
	my ($v, $ind) = @_;
	my $pad = '  ' x $ind;
	if (ref $v eq 'HASH') {
		my $out = '';
		for my $k (sort keys %$v) {
			my $x = $v->{$k};
			if (ref $x eq 'HASH') {
				$out .= "$pad$k {\n" . _nats($x, $ind + 1) .
				    "$pad}\n";
			} else {
				$out .= "$pad$k: " . _nats_value($x, $ind) .
				    "\n";
			}
		}
		return $out;
	}
	croak 'nats configuration: top level must be a hash';
}

sub _nats_value {
	my ($v, $ind) = @_;
	if (ref $v eq 'ARRAY') {
		return '[' . join(', ', map { _nats_value($_, $ind + 1) } @$v)
		    . ']';
	}
	if (ref $v eq 'HASH') {
		return '{' . join(', ', map { "$_: " .
		    _nats_value($v->{$_}, $ind + 1) } sort keys %$v) . '}';
	}
	return _scalar($v, 'nats');
}

# Return the configuration text for a hash: as YAML for natsd, in
# nats-server's format, or in the format the binary under test reads.
sub yaml_text { return _yaml($_[-1], 0) }
sub nats_conf_text { return _nats($_[-1], 0) }

sub config_text {
	my ($class, $conf) = @_;
	return is_nats_server() ? _nats($conf, 0) : _yaml($conf, 0);
}

# Natsd->start(%opt): starts the server and returns its handle once it
# has printed its client port, or dies with the log. Options:
#   conf => { ... }     configuration hash, written in the binary's format
#   conf => 'path'      configuration file used as is (relative to srcdir)
#   args => [ ... ]     extra command-line arguments
#   workers => N        -w N (natsd only; ignored for nats-server)
#   http => 1           -m -1, and parse the monitoring port
#   env => { ... }      extra environment for the server
# With NATSD_TEST_ADDR nothing is started and only host/port are set.
sub start {
	my ($class, %opt) = @_;
	my $self = bless { %opt }, $class;
	if (external()) {
		my ($h, $p) = $ENV{NATSD_TEST_ADDR} =~ /^(.*):(\d+)$/
		    or croak "NATSD_TEST_ADDR: want host:port";
		@$self{qw(host port external)} = ($h, $p, 1);
		return $self;
	}
	$self->{dir} = tempdir('natsd-test-XXXXXX', TMPDIR => 1,
	    CLEANUP => 0);
	$self->{log} = "$self->{dir}/server.log";
	my @cmd = (bin(), '-a', '127.0.0.1', '-p', '-1');
	push @cmd, '-w', $opt{workers}
	    if defined $opt{workers} && !is_nats_server();
	push @cmd, '-m', '-1' if $opt{http};
	if (ref $opt{conf} eq 'HASH') {
		my $f = "$self->{dir}/" .
		    (is_nats_server() ? 'nats.conf' : 'natsd.yaml');
		open(my $fh, '>', $f) or croak "$f: $!";
		print $fh $class->config_text($opt{conf});
		close $fh or croak "$f: $!";
		push @cmd, '-c', $f;
	} elsif (defined $opt{conf}) {
		my $f = File::Spec->rel2abs($opt{conf}, top_srcdir());
		push @cmd, '-c', $f;
	}
	push @cmd, @{ $opt{args} || [] };
	$self->{cmd} = \@cmd;
	$self->_spawn;
	push @servers, $self;
	$self->_wait_ready;
	return $self;
}

sub _spawn {
	my ($self) = @_;
	my $pid = fork;
	croak "fork: $!" unless defined $pid;
	if ($pid == 0) {
		# Own process group: a terminal's ^C reaches only us, and
		# stop() can SIGKILL the server with everything it forked.
		POSIX::setpgid(0, 0);
		chdir $self->{dir} or POSIX::_exit(126);
		open(STDIN, '<', '/dev/null');
		open(STDOUT, '>>', $self->{log}) or POSIX::_exit(126);
		open(STDERR, '>&', \*STDOUT) or POSIX::_exit(126);
		$ENV{$_} = $self->{env}{$_} for keys %{ $self->{env} || {} };
		{
			no warnings 'exec';
			exec { $self->{cmd}[0] } @{ $self->{cmd} };
		}
		print STDERR "exec $self->{cmd}[0]: $!\n";
		POSIX::_exit(127);
	}
	$self->{pid} = $pid;
}

sub _wait_ready {
	my ($self) = @_;
	my $re = qr/Listening for client connections on (\S+):(\d+)/;
	my $m = $self->wait_log($re, $START_TIMEOUT);
	if (!$m) {
		my $why = !$self->{pid} ? "exited, status $self->{status}" :
		    "printed no port within ${START_TIMEOUT}s";
		my $cmd = join ' ', @{ $self->{cmd} };
		my $log = $self->log_text;
		$self->stop;
		croak "server ($cmd) $why; log:\n$log";
	}
	@$self{qw(host port)} = ($1, $2) if $m =~ $re;
	if ($self->{http}) {
		my $hre = qr/Starting http monitor on (\S+):(\d+)/;
		my $h = $self->wait_log($hre, $START_TIMEOUT)
		    or croak "no monitoring port in log:\n" . $self->log_text;
		@$self{qw(http_host http_port)} = ($1, $2) if $h =~ $hre;
	}
}

sub host { return $_[0]{host} }
sub port { return $_[0]{port} }
sub pid { return $_[0]{pid} }
sub dir { return $_[0]{dir} }
sub http_port { return $_[0]{http_port} }
sub is_external { return $_[0]{external} ? 1 : 0 }

# Returns the whole log written so far ('' for an external server).
sub log_text {
	my ($self) = @_;
	return $self->{final_log} if defined $self->{final_log};
	return _slurp($self->{log});
}

# Returns the log's size in bytes now: a mark for wait_log's $from.
sub log_size {
	my ($self) = @_;
	return length $self->log_text;
}

sub _slurp {
	my ($f) = @_;
	return '' unless $f && open(my $fh, '<', $f);
	local $/;
	my $t = <$fh>;
	return $t // '';
}

# Waits up to $timeout seconds (default 5) for a log line matching $re,
# looking only past byte $from (a log_size() taken earlier; default 0).
# Returns the first matching line, or undef on timeout or when the
# server exits first (its status is then in {status}).
sub wait_log {
	my ($self, $re, $timeout, $from) = @_;
	return undef if $self->{external};
	my $deadline = time + ($timeout // $DEFAULT_TIMEOUT);
	for (;;) {
		my $all = $self->log_text;
		my $text = length $all > ($from // 0) ?
		    substr($all, $from // 0) : '';
		for my $l (split /\n/, $text) {
			return "$l\n" if $l =~ $re;
		}
		return undef if time >= $deadline || !$self->_alive;
		sleep 0.02;
	}
}

sub _alive {
	my ($self) = @_;
	return 0 unless $self->{pid};
	my $r = waitpid($self->{pid}, WNOHANG);
	return 1 if $r == 0;
	$self->{status} = $? if $r == $self->{pid};
	delete $self->{pid};
	return 0;
}

sub alive { return $_[0]->_alive }

# Sends a signal by name ('HUP') to the server's pid. Returns the
# number of processes signalled; 0 for an external server.
sub signal {
	my ($self, $sig) = @_;
	return 0 if $self->{external} || !$self->{pid};
	return kill $sig, $self->{pid};
}

# Returns the pids whose parent is the server (natsd's workers and
# JetStream process; none for nats-server), read from /proc.
sub children {
	my ($self) = @_;
	return () if $self->{external} || !$self->{pid};
	my @kids;
	opendir(my $d, '/proc') or return ();
	for my $p (grep { /^\d+$/ } readdir $d) {
		open(my $fh, '<', "/proc/$p/stat") or next;
		my $st = <$fh> // '';
		close $fh;
		# pid (comm) state ppid ...; comm may hold ')'.
		my ($rest) = $st =~ /\)\s(.*)$/s or next;
		my (undef, $ppid) = split ' ', $rest;
		push @kids, $p + 0 if $ppid == $self->{pid};
	}
	closedir $d;
	return sort { $a <=> $b } @kids;
}

# Waits (up to 5 s) until the server has $n children, and returns them.
sub workers {
	my ($self, $n) = @_;
	my @kids;
	for (1 .. 100) {
		@kids = $self->children;
		last if @kids == $n;
		select(undef, undef, undef, 0.05);
	}
	return @kids;
}

# A new client (%opt as for client), once it got PONG, and the pid of
# the worker among @$kids that took its connection (0 if none is seen
# to): the one whose socket count grew.
sub client_on {
	my ($self, $kids, %opt) = @_;
	my %before = map { $_ => sockets($_) } @$kids;
	my $c = $self->client(%opt);
	$c->ping_pong;
	my ($w) = grep { sockets($_) > $before{$_} } @$kids;
	return ($c, $w // 0);
}

# Natsd::sockets($pid): how many sockets process $pid has open, from
# /proc ($pid's descriptors that are sockets); -1 if it is gone. Tests
# use it to see which worker a new connection was handed to.
sub sockets {
	my ($pid) = @_;
	opendir(my $d, "/proc/$pid/fd") or return -1;
	my $n = grep { (readlink("/proc/$pid/fd/$_") // '') =~ /^socket:/ }
	    readdir $d;
	closedir $d;
	return $n;
}

# Stops the server: SIGTERM, wait up to 10 s, then SIGKILL to its
# process group. Returns the wait status ($?-style), or undef for an
# external server. Safe to call twice; the second call returns the
# first call's status.
sub stop {
	my ($self) = @_;
	return undef if $self->{external};
	if ($self->{pid}) {
		my $pid = $self->{pid};
		kill 'TERM', $pid;
		my $deadline = time + $STOP_TIMEOUT;
		while ($self->_alive && time < $deadline) {
			sleep 0.02;
		}
		if ($self->{pid}) {
			kill 'KILL', -$pid;
			kill 'KILL', $pid;
			waitpid($pid, 0);
			$self->{status} = $?;
			delete $self->{pid};
		}
		# Workers left behind by a dead supervisor share its group;
		# while any lives, the group id cannot be reused.
		kill 'KILL', -$pid;
	}
	@servers = grep { $_ != $self } @servers;
	$self->_cleanup_dir;
	return $self->{status};
}

sub _cleanup_dir {
	my ($self) = @_;
	my $dir = delete $self->{dir} or return;
	$self->{final_log} = _slurp("$dir/server.log");
	my $failed = eval { !Test::More->builder->is_passing };
	if ($ENV{NATSD_KEEP} || $failed) {
		print STDERR "# server directory kept: $dir\n";
		return;
	}
	require File::Path;
	File::Path::remove_tree($dir);
}

# $srv->client(%opt): a raw protocol client connected to the server.
#   connect => '{...}'  CONNECT payload (default {"verbose":false,
#                       "pedantic":false})
#   no_connect => 1     send no CONNECT
#   read_info => 0      do not read the INFO line (default: read it)
#   timeout => S        default read timeout for this client
sub client {
	my ($self, %opt) = @_;
	return Natsd::Client->new(host => $self->{host},
	    port => $self->{port}, %opt);
}

# Returns true if a fresh subscriber and a fresh publisher can do a
# pub/sub round trip, exact bytes: proof that the server still serves
# others after one client misbehaved. %opt: connect => CONNECT payload.
sub round_trip {
	my ($self, %opt) = @_;
	my $subj = 'rt.' . int(rand(1e9));
	my %c = defined $opt{connect} ? (connect => $opt{connect}) : ();
	my $sub = $self->client(%c);
	$sub->send("SUB $subj 1\r\n");
	return 0 unless $sub->ping_pong;
	my $pub = $self->client(%c);
	$pub->send("PUB $subj 5\r\nhello\r\n");
	return 0 unless $pub->ping_pong;
	my $got = $sub->read_bytes(length("MSG $subj 1 5\r\nhello\r\n"));
	$sub->close;
	$pub->close;
	return defined $got && $got eq "MSG $subj 1 5\r\nhello\r\n";
}

# Natsd::collect(\@clients, $n, $timeout): reads MSG/HMSG messages
# from several clients at once until $n have arrived in all, or the
# timeout (default 5 s) passes. Returns a list of array references, one
# per client, of the hashes msg() returns. A line that is not a message
# stops collection from that client (it stays in its {skipped}).
sub collect {
	my ($clients, $n, $timeout) = @_;
	my $deadline = time + ($timeout // $DEFAULT_TIMEOUT);
	my @got = map { [] } @$clients;
	my @bad = map { 0 } @$clients;
	my $total = 0;
	for (;;) {
		for my $i (0 .. $#$clients) {
			next if $bad[$i];
			while ($total < $n) {
				my $m = $clients->[$i]->msg(0);
				if (!$m) {
					$bad[$i] = 1 if $clients->[$i]->skipped;
					last;
				}
				push @{ $got[$i] }, $m;
				$total++;
			}
		}
		last if $total >= $n;
		my $left = $deadline - time;
		last if $left <= 0;
		my $sel = IO::Select->new(map { $_->sock } grep { !$_->eof }
		    @$clients);
		last unless $sel->count;
		# No client holds a whole message: wait for more bytes.
		$sel->can_read($left);
		$_->pump for @$clients;
	}
	return @got;
}

package Natsd::Client;

use strict;
use warnings;

use Carp qw(croak);
use Errno qw(EAGAIN EINTR EWOULDBLOCK);
use IO::Select;
use IO::Socket::INET;
use JSON::PP;
use Socket qw(IPPROTO_TCP TCP_NODELAY);
use Time::HiRes qw(time);

sub new {
	my ($class, %opt) = @_;
	my $self = bless { buf => '', eof => 0, %opt }, $class;
	$self->{timeout} //= $Natsd::DEFAULT_TIMEOUT;
	$self->{sock} = IO::Socket::INET->new(PeerAddr => $opt{host},
	    PeerPort => $opt{port}, Proto => 'tcp',
	    Timeout => $self->{timeout})
	    or croak "connect $opt{host}:$opt{port}: $!";
	$self->{sock}->blocking(0);
	$self->{sock}->setsockopt(IPPROTO_TCP, TCP_NODELAY, 1);
	$self->{sel} = IO::Select->new($self->{sock});
	if ($opt{read_info} // 1) {
		my $l = $self->line;
		croak 'no INFO from server' . (defined $l ? ": $l" : '')
		    unless defined $l && $l =~ /^INFO (.*)\r\n$/;
		$self->{info_line} = $l;
		$self->{info} = JSON::PP->new->decode($1);
	}
	unless ($opt{no_connect}) {
		my $c = $opt{connect} // '{"verbose":false,"pedantic":false}';
		$self->send("CONNECT $c\r\n");
	}
	return $self;
}

sub sock { return $_[0]{sock} }
sub info { return $_[0]{info} }
sub info_line { return $_[0]{info_line} }

# Writes all of $bytes, reading whatever the server sends meanwhile
# into the buffer so that neither side can block the other. Returns
# true, or false if the connection failed or the timeout passed.
sub send {
	my ($self, $bytes, $timeout) = @_;
	my $deadline = time + ($timeout // $self->{timeout} * 4);
	my $off = 0;
	while ($off < length $bytes) {
		my $left = $deadline - time;
		return 0 if $left <= 0;
		my ($r, $w) = IO::Select::select($self->{sel}, $self->{sel},
		    undef, $left);
		$self->_fill if $r && @$r;
		next unless $w && @$w;
		my $n = syswrite($self->{sock}, $bytes, 65536, $off);
		if (!defined $n) {
			next if $! == EAGAIN || $! == EWOULDBLOCK ||
			    $! == EINTR;
			return 0;
		}
		$off += $n;
	}
	return 1;
}

# Reads what is available into the buffer. Returns bytes read, 0 at
# EOF (and sets {eof}), undef when nothing was ready.
sub _fill {
	my ($self) = @_;
	my $n = sysread($self->{sock}, my $chunk, 1 << 16);
	if (!defined $n) {
		return undef if $! == EAGAIN || $! == EWOULDBLOCK ||
		    $! == EINTR;
		$self->{eof} = 1;	# ECONNRESET and friends
		return 0;
	}
	if ($n == 0) {
		$self->{eof} = 1;
		return 0;
	}
	$self->{buf} .= $chunk;
	return $n;
}

# Waits until $want->() is true, data being read meanwhile. Returns
# true when it is, false on timeout or EOF.
sub _wait {
	my ($self, $want, $timeout) = @_;
	my $deadline = time + ($timeout // $self->{timeout});
	for (;;) {
		return 1 if $want->();
		return 0 if $self->{eof};
		my $left = $deadline - time;
		return 0 if $left <= 0;
		$self->_fill if $self->{sel}->can_read($left);
	}
}

# Returns the next line including "\r\n" (or a bare "\n"), or undef on
# timeout or EOF.
sub line {
	my ($self, $timeout) = @_;
	$self->_wait(sub { index($self->{buf}, "\n") >= 0 }, $timeout)
	    or return undef;
	my $i = index($self->{buf}, "\n");
	return substr($self->{buf}, 0, $i + 1, '');
}

# Returns exactly $n bytes, or undef on timeout or EOF.
sub read_bytes {
	my ($self, $n, $timeout) = @_;
	$self->_wait(sub { length($self->{buf}) >= $n }, $timeout)
	    or return undef;
	return substr($self->{buf}, 0, $n, '');
}

# Reads whatever is available now, without waiting. Returns the number
# of bytes read.
sub pump {
	my ($self) = @_;
	my $n = 0;
	while (!$self->{eof} && $self->{sel}->can_read(0)) {
		my $r = $self->_fill or last;
		$n += $r;
	}
	return $n;
}

sub eof { return $_[0]{eof} }

# Returns whatever has arrived within $timeout (default: nothing more
# is awaited), leaving the buffer empty.
sub drain {
	my ($self, $timeout) = @_;
	$self->_wait(sub { 0 }, $timeout // 0);
	my $b = $self->{buf};
	$self->{buf} = '';
	return $b;
}

# Reads lines until one matches $re, within $timeout in all. Returns
# the matching line, or undef; lines skipped on the way are kept in
# {skipped} for diagnostics.
sub expect_line {
	my ($self, $re, $timeout) = @_;
	my $deadline = time + ($timeout // $self->{timeout});
	$self->{skipped} = [];
	for (;;) {
		my $left = $deadline - time;
		return undef if $left <= 0;
		my $l = $self->line($left);
		return undef unless defined $l;
		return $l if $l =~ $re;
		push @{ $self->{skipped} }, $l;
	}
}

sub skipped { return @{ $_[0]{skipped} || [] } }

# Returns true if the server closes the connection within $timeout.
# Data arriving before the close stays in the buffer for line().
sub closed {
	my ($self, $timeout) = @_;
	return $self->_wait(sub { $self->{eof} }, $timeout) ||
	    $self->{eof};
}

# Sends PING and waits for PONG. With skip => 1 other lines are skipped
# (and kept in {skipped}); otherwise any other line first is a failure.
# Returns true on PONG.
sub ping_pong {
	my ($self, %opt) = @_;
	$self->send("PING\r\n") or return 0;
	if ($opt{skip}) {
		return defined $self->expect_line(qr/^PONG\r\n$/,
		    $opt{timeout});
	}
	my $l = $self->line($opt{timeout});
	$self->{skipped} = [ defined $l ? $l : () ];
	return defined $l && $l eq "PONG\r\n";
}

# Reads one message: an MSG or HMSG line and its payload. Returns a
# hash (op, subject, sid, reply, hdr_len, len, headers, payload, raw),
# or undef on timeout, EOF or another line (kept in {skipped}).
sub msg {
	my ($self, $timeout) = @_;
	my $l = $self->line($timeout);
	$self->{skipped} = [];
	return undef unless defined $l;
	my %m = (raw => $l);
	if ($l =~ /^MSG (\S+) (\S+) (?:(\S+) )?(\d+)\r\n$/) {
		@m{qw(op subject sid reply len hdr_len)} =
		    ('MSG', $1, $2, $3, $4, 0);
	} elsif ($l =~ /^HMSG (\S+) (\S+) (?:(\S+) )?(\d+) (\d+)\r\n$/) {
		@m{qw(op subject sid reply hdr_len len)} =
		    ('HMSG', $1, $2, $3, $4, $5);
	} else {
		$self->{skipped} = [$l];
		return undef;
	}
	my $body = $self->read_bytes($m{len} + 2, $timeout);
	if (!defined $body) {
		$self->{buf} = $l . $self->{buf};	# retry later
		return undef;
	}
	$m{raw} .= $body;
	$m{headers} = substr($body, 0, $m{hdr_len});
	$m{payload} = substr($body, $m{hdr_len}, $m{len} - $m{hdr_len});
	return \%m;
}

sub close {
	my ($self) = @_;
	CORE::close($self->{sock}) if $self->{sock};
	delete $self->{sock};
}

1;
