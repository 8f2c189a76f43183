#!/bin/sh
# record_apache.sh re-records testdata/apache_static.json: TestRecordApache
# builds the document tree of apache_test.go in a scratch directory, starts
# Debian's Apache 2.4 (apt-get install -y apache2) on a loopback port with
# testdata/apache.conf.in, sends every case of apacheCases to it, writes the
# answers with Apache's version and the date, and stops Apache again.
#
# Usage (as root, so Apache can switch to www-data and the tree can hold
# files of two owners):
#     sh modules/core/testdata/record_apache.sh [port]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
cd "$(dirname "$here")"
CORE_RECORD_APACHE=1 CORE_APACHE_PORT=${1:-8173} \
    go test -count=1 -run '^TestRecordApache$' -v .
