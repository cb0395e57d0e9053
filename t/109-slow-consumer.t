#!/usr/bin/perl
# t/109-slow-consumer.t: a subscriber that stops reading is cut off once
# max_pending bytes wait for it, while a fast subscriber on the same
# subject receives every message, in order, and the publisher is never
# slowed or disconnected.
use strict;
use warnings;
use Test::More tests => 6;
use Natsd;

my $N = 20000;
my $SIZE = 1024;
my $srv = Natsd->start(conf => { max_pending => '512KB',
    max_payload => '64KB' });

my $slow = $srv->client;
$slow->send("SUB sc 1\r\n");
ok($slow->ping_pong, 'slow subscriber registered');
# From here on the slow client never reads again.
my $fast = $srv->client;
$fast->send("SUB sc 1\r\n");
ok($fast->ping_pong, 'fast subscriber registered');

my $pub = $srv->client;
my ($buf, $next, $bad) = ('', 0, 0);
my $hdr = "MSG sc 1 $SIZE\r\n";
my $reclen = length($hdr) + $SIZE + 2;
sub take {
	$fast->pump;
	$buf .= $fast->drain(0);
	while (length $buf >= $reclen) {
		my $rec = substr($buf, 0, $reclen, '');
		my ($seq) = $rec =~ /^\Q$hdr\E(\d{8})/;
		$bad++ unless defined $seq && $seq == $next;
		$next++;
	}
}
for (my $i = 0; $i < $N; $i += 50) {
	my $batch = '';
	$batch .= "PUB sc $SIZE\r\n" . sprintf('%08d', $_) .
	    ('x' x ($SIZE - 8)) . "\r\n" for $i .. $i + 49;
	$pub->send($batch) or last;
	# The fast subscriber really is fast: it never lags by more than
	# 200 messages (well under max_pending).
	for (1 .. 2000) {
		take();
		last if $next >= $i + 50 - 200;
		select(undef, undef, undef, 0.002);
	}
}
ok($pub->ping_pong(timeout => 20), 'the publisher is served throughout');
for (1 .. 400) {
	last if $next >= $N;
	take();
	select(undef, undef, undef, 0.05);
}
is($next, $N, "the fast subscriber got all $N messages");
is($bad, 0, 'in order, none lost or mangled');
ok($slow->closed(15), 'the slow subscriber was disconnected');
