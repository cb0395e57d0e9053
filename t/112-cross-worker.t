#!/usr/bin/perl
# t/112-cross-worker.t: messages that cross to another worker, under a
# subscriber that cannot keep up. Two subscribers on one worker and the
# publisher on the other; payloads of 0 bytes to 70 KB interleaved,
# with a reply subject and with headers (which the subscriber that did
# not ask for them must not get). One subscriber reads at once; the
# other, with a small receive buffer, only after the publisher is done,
# so the server's writes to it fall short and the rest waits in the
# server while the publisher is held back. Both must see every message,
# whole and in order.
use strict;
use warnings;
use Test::More;
use Natsd;
use Socket qw(SOL_SOCKET SO_RCVBUF);

plan skip_all => 'natsd only: workers' if Natsd::is_nats_server() ||
    Natsd::external();
plan tests => 9;

# The late subscriber reads nothing for seconds while the publisher is
# held back: no write deadline cuts it off meanwhile.
my $srv = Natsd->start(workers => 2, conf => { write_deadline => '60s' });
my @kids = $srv->workers(2);
is(scalar @kids, 2, 'two workers');
sub client_on { return $srv->client_on(\@kids, @_) }

# New connections go to the worker with the fewest: clients that land
# on the wrong one stay open as fillers until the right one comes.
my $hdrs = '{"verbose":false,"pedantic":false,"headers":true}';
my ($fast, $wf) = client_on(connect => $hdrs);
my (@fillers, $slow, $ws, $pub, $wp);
for (1 .. 10) {
	my ($c, $w) = client_on();
	# A receive buffer far smaller than what is sent, so the server's
	# writes fall short; still several segments, or a window this
	# small only reopens on the sender's zero-window probes.
	$c->sock->setsockopt(SOL_SOCKET, SO_RCVBUF, 256 * 1024);
	($slow, $ws) = ($c, $w), last if $w eq $wf;
	push @fillers, $c;
}
for (1 .. 10) {
	my ($c, $w) = client_on(connect => $hdrs);
	($pub, $wp) = ($c, $w), last if $w ne $wf;
	push @fillers, $c;
}
SKIP: {
	skip 'could not place the clients on two workers', 8
	    unless $slow && $pub;
	pass('subscribers on one worker, publisher on the other');

	$fast->send("SUB big.* 1\r\n");
	$slow->send("SUB big.* 2\r\n");
	ok($fast->ping_pong && $slow->ping_pong, 'subscribed');

	# Payloads from empty to 70 KB, and runs of 1 KB.
	my @sizes = (0, 1, 100, 511, 512, 513, 4000, 20000, 70000,
	    (1024) x 40);
	my $N = 6000;
	my (@want, $out);
	for my $i (1 .. $N) {
		my $size = $sizes[$i % @sizes];
		my $body = substr(sprintf('%06d:', $i) x (1 + $size / 7), 0,
		    $size);
		my $subj = 'big.' . ($i % 3);
		if ($i % 5 == 0) {
			my $h = "NATS/1.0\r\nSeq: $i\r\n\r\n";
			$out .= sprintf("HPUB %s %d %d\r\n%s%s\r\n", $subj,
			    length $h, length($h) + $size, $h, $body);
			push @want, [$subj, undef, $body, $h];
		} elsif ($i % 7 == 0) {
			$out .= "PUB $subj reply.$i $size\r\n$body\r\n";
			push @want, [$subj, "reply.$i", $body, ''];
		} else {
			$out .= "PUB $subj $size\r\n$body\r\n";
			push @want, [$subj, undef, $body, ''];
		}
		if (length $out > 1 << 20) {
			$pub->send($out) or last;
			$out = '';
			$fast->pump;
		}
	}
	$pub->send($out);
	# The fast one reads while the publisher finishes; the slow one
	# has read nothing yet.
	my @f = Natsd::collect([$fast], $N, 60);
	ok($pub->ping_pong(timeout => 60), 'publisher done');
	my @s = Natsd::collect([$slow], $N, 60);

	for my $t ([$f[0], 'reading subscriber', 1],
	    [$s[0], 'late subscriber', 0]) {
		my ($got, $name, $hdrs) = @$t;
		is(scalar @$got, $N, "$name: every message");
		my $bad = 0;
		for my $k (0 .. $#want) {
			my ($w, $m) = ($want[$k], $got->[$k]);
			my $h = $hdrs ? $w->[3] : '';
			if (!$m || $m->{subject} ne $w->[0] ||
			    ($m->{reply} // '') ne ($w->[1] // '') ||
			    $m->{payload} ne $w->[2] ||
			    ($m->{headers} // '') ne $h ||
			    $m->{op} ne ($h ne '' ? 'HMSG' : 'MSG')) {
				diag("$name: message " . ($k + 1) . ' differs');
				$bad++;
				last;
			}
		}
		is($bad, 0, "$name: whole, in order, headers as asked");
	}
	ok($srv->alive, 'server alive');
}
