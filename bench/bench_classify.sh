#!/usr/bin/env bash
# bench/bench_classify.sh - speed of the smtp_status type and classifier,
# as ratios against baselines measured in the same run on the same
# 200k realistic replies:
#   classify(smtp_status) and classify(text) vs a straightforward PL/pgSQL
#   classifier (regexp_match + a few ~* phrase tests);
#   smtp_status_in(textout(x)) vs PostgreSQL's own textin(textout(x)).
# Each query runs REPS times (default 7); medians are compared.
# Usage (root, fresh Debian 12 fine): bench/bench_classify.sh [rows] [reps]
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS=${1:-200000}
REPS=${2:-7}
test/setup
# The install and pg_virtualenv's cluster name are shared by every checkout
# on this machine: hold the lock for the whole run.
exec flock /tmp/bounce-install.lock bash -c "make -s install >/dev/null &&
    test/virtualenv 15 psql -X -q -v ON_ERROR_STOP=1 -v rows=$ROWS -v reps=$REPS -f bench/bench_classify.sql"
