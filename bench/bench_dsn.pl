#!/usr/bin/perl
# bench/bench_dsn.pl - the Sisimai side of bench/bench_dsn.sh: parses every
# file given on the command line REPS times (from memory, as the SQL side
# parses values already in the table) and prints the seconds it took and
# the number of rows (bounces) Sisimai found per pass.
use strict;
use warnings;
use Time::HiRes qw(time);
use Sisimai;

my $reps = shift @ARGV;
my @mails;
for my $f (@ARGV) {
    open(my $fh, '<:raw', $f) or die "$f: $!";
    local $/;
    push @mails, scalar <$fh>;
    close $fh;
}
my $rows = 0;
my $t0 = time;
for my $r (1 .. $reps) {
    for my $m (@mails) {
        my $data = Sisimai->make(\$m, 'delivered' => 1, 'vacation' => 1);
        $rows += scalar @$data if $data;
    }
}
printf "%.6f %d\n", time - $t0, $rows / $reps;
