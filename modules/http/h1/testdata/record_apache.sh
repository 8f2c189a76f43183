#!/bin/sh
# record_apache.sh re-records testdata/apache_cases.txt: it starts Debian's
# Apache 2.4 (apt-get install -y apache2) on a loopback port with the minimal
# configuration in apache.conf.in, sends every raw case of the table in
# cases_test.go to it through TestRecordApache, writes the status lines it
# answered to apache_cases.txt, and stops Apache again.
#
# Usage (from anywhere, as root so Apache can switch to www-data):
#     sh modules/http/h1/testdata/record_apache.sh [port]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
pkg=$(dirname "$here")
port=${1:-8099}
dir=$(mktemp -d /tmp/h1-apache.XXXXXX)
mkdir -p "$dir/htdocs/small"
printf '<html><body>index</body></html>\n' > "$dir/htdocs/index.html"
printf 'hello\n' > "$dir/htdocs/file.txt"
printf 'small\n' > "$dir/htdocs/small/index.html"
chmod -R a+rX "$dir"
sed -e "s#@DIR@#$dir#g" -e "s#@PORT@#$port#g" "$here/apache.conf.in" > "$dir/httpd.conf"
stop() {
    /usr/sbin/apache2 -f "$dir/httpd.conf" -k stop 2>/dev/null || true
    i=0
    while [ -f "$dir/httpd.pid" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i+1)); done
    rm -rf "$dir"
}
trap stop EXIT
/usr/sbin/apache2 -f "$dir/httpd.conf" -k start
i=0
until [ -f "$dir/httpd.pid" ] || [ $i -ge 50 ]; do sleep 0.1; i=$((i+1)); done
version=$(/usr/sbin/apache2 -v | sed -n 's/^Server version: //p')
cd "$pkg"
H1_APACHE_ADDR="127.0.0.1:$port" H1_APACHE_VERSION="$version" \
    go test -count=1 -run '^TestRecordApache$' -v . 
