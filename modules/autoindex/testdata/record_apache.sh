#!/bin/sh
# record_apache.sh re-records testdata/apache.json: TestRecordApache builds
# the fixture tree of apache_test.go in a scratch directory, starts
# Debian's Apache 2.4 (apt-get install -y apache2) on a loopback port with
# testdata/apache.conf.in (Debian's autoindex.conf plus the fixture's
# directives), fetches every listing of fixtureCases, writes them with
# Apache's version and the date, and stops Apache again. Then
# AUTOINDEX_UPDATE=1 rewrites gohttpd's side, testdata/gohttpd.json.
#
# Usage (as root, so Apache can switch to www-data):
#     sh modules/autoindex/testdata/record_apache.sh [port]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
cd "$(dirname "$here")"
AUTOINDEX_RECORD_APACHE=1 AUTOINDEX_APACHE_PORT=${1:-8174} \
    go test -count=1 -run '^TestRecordApache$' -v .
AUTOINDEX_UPDATE=1 go test -count=1 -run '^TestListingsAsApache$' . || true
