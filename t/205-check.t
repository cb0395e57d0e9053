#!/usr/bin/perl
# t/205-check.t: natsd -t checks a file and exits 0, or 1 with a message
# naming the file, the line and the key; bad flags exit 1 too.
use strict;
use warnings;
use Test::More;
use File::Temp qw(tempdir);
use Natsd;

plan skip_all => 'natsd only' if Natsd::is_nats_server() || Natsd::external();

my $dir = tempdir('natsd-check-XXXXXX', TMPDIR => 1, CLEANUP => 1);
my @bad = (
	[ "port: 4222\nmax_payload: abc\n", qr/:2: max_payload: / ],
	[ "port: 70000\n", qr/:1: port: / ],
	[ "listen: 0.0.0.0:4222\nbogus: 1\n", qr/:2: bogus: unknown key/ ],
	[ "cluster:\n  listen: 0.0.0.0:6222\n  nope: 2\n",
	    qr/:3: cluster\.nope: / ],
	[ "ping_interval: forever\n", qr/:1: ping_interval: / ],
	[ "port: [1, 2]\n", qr/:1: port: / ],
	[ "a: b: c\n", qr/:1: / ],
);
plan tests => 2 * @bad + 5;

my $n = 0;
for my $case (@bad) {
	my $f = "$dir/bad" . $n++ . ".yaml";
	open(my $fh, '>', $f) or die;
	print $fh $case->[0];
	close $fh;
	my $out = `'${\ Natsd::bin()}' -t -c '$f' 2>&1`;
	is($? >> 8, 1, "-t exits 1 for: " . ($case->[0] =~ s/\n/\\n/gr));
	like($out, qr/\Q$f\E$case->[1]/, "and names file, line and key");
}

my $good = Natsd::top_srcdir() . '/etc/natsd.yaml';
my $out = `'${\ Natsd::bin()}' -t -c '$good' 2>&1`;
is($? >> 8, 0, '-t accepts etc/natsd.yaml') or diag $out;
$out = `'${\ Natsd::bin()}' -t -c '$dir/missing.yaml' 2>&1`;
is($? >> 8, 1, '-t exits 1 for a missing file');
like($out, qr/missing\.yaml/, 'and names it');
$out = `'${\ Natsd::bin()}' --no-such-flag 2>&1`;
is($? >> 8, 1, 'an unknown flag exits 1');
$out = `'${\ Natsd::bin()}' -p notaport 2>&1`;
is($? >> 8, 1, 'a bad port exits 1');
