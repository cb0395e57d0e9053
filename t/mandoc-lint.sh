#!/bin/sh
#
# Copyright (c) 2026 The natsd authors.
# Licensed under the ISC licence; see LICENSE.
#
# t/mandoc-lint.sh: runs "mandoc -Tlint -W warning" over man/*.1,
# man/*.5 and man/*.8 and fails on any warning. Exit 77 (skip) without
# mandoc.

MANDOC=${MANDOC:-mandoc}
command -v "$MANDOC" >/dev/null 2>&1 || { echo "mandoc not found"; exit 77; }

# The test harness exports srcdir, the top of the (non-recursive) tree.
mandir=${srcdir:-$(dirname "$0")/..}/man
rc=0
n=0
for page in "$mandir"/*.1 "$mandir"/*.5 "$mandir"/*.8; do
	[ -f "$page" ] || continue
	n=$((n + 1))
	if ! "$MANDOC" -Tlint -W warning "$page"; then
		echo "FAIL: $page"
		rc=1
	fi
done
[ "$n" -gt 0 ] || { echo "no manual pages in $mandir"; exit 77; }
exit $rc
