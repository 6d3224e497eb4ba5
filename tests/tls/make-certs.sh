#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# tests/tls/make-certs.sh DIR - the certificates sockit's TLS tests use,
# made fresh at test time with the openssl command (no private key is ever
# committed).  EC P-256 keys (quick to make), PEM files in DIR:
#   ca.pem ca.key           the test CA ("sockit test CA")
#   server.pem server.key   CN=localhost, SAN localhost, 127.0.0.1, ::1,
#                           signed by the test CA
#   expired.pem expired.key the same names, valid only in January 2020
#   other.pem other.key     SAN other.example only (wrong host)
#   self.pem self.key       self-signed, SAN localhost, 127.0.0.1, ::1
#   rogue.pem rogue.key     localhost signed by another CA nobody trusts
#   client.pem client.key   CN=sockit-client, clientAuth, by the test CA
#   bundle.pem              server.pem then server.key (cert and key in one)
#   rsa.pem rsa.key         as server.pem, RSA 2048 with a PKCS#1 key
#   rsa-bundle.pem          rsa.pem then rsa.key
#   client-rsa.pem client-rsa.key  as client.pem, RSA 2048, PKCS#1 key
#                           (Wine 8's SChannel loads no PKCS#8 or EC key)
# Idempotent: a DIR/done stamp holding this script's checksum skips the
# work (a stamp from an older script, which made fewer files, does not).
set -euo pipefail
dir="${1:?usage: make-certs.sh DIR}"
stamp="$(cksum <"${BASH_SOURCE[0]}")"
[[ -f "$dir/done" && "$(cat "$dir/done")" == "$stamp" ]] && exit 0
rm -rf "$dir"
mkdir -p "$dir/ca" "$dir/rogueca"
cd "$dir"

cat >openssl.cnf <<'CNF'
[req]
distinguished_name = dn
prompt = no
[dn]
CN = unused
[ca]
default_ca = testca
[testca]
dir = ./ca
database = $dir/index.txt
new_certs_dir = $dir
serial = $dir/serial
default_md = sha256
policy = anything
unique_subject = no
copy_extensions = none
[anything]
commonName = supplied
[v3ca]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
[srv]
basicConstraints = CA:FALSE
keyUsage = digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = DNS:localhost,IP:127.0.0.1,IP:::1
[other]
basicConstraints = CA:FALSE
keyUsage = digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = DNS:other.example
[cli]
basicConstraints = CA:FALSE
keyUsage = digitalSignature,keyEncipherment
extendedKeyUsage = clientAuth
CNF

newkey=(-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes)
q() { "$@" >/dev/null 2>&1 || { echo "make-certs: $* failed" >&2; "$@" >&2; exit 1; }; }

# ca CADIR NAME : a self-signed CA in CADIR/ (key, pem, database)
ca() {
    : >"$1/index.txt"
    echo 1000 >"$1/serial"
    q openssl req -config openssl.cnf -x509 "${newkey[@]}" -keyout "$1/ca.key" -out "$1/ca.pem" \
        -days 30 -subj "/CN=$2" -extensions v3ca
}
# leaf CADIR NAME CN EXT [ca options...] : NAME.pem/NAME.key signed by CADIR
leaf() {
    local cadir="$1" name="$2" cn="$3" ext="$4"
    shift 4
    q openssl req -config openssl.cnf -new "${newkey[@]}" -keyout "$name.key" -out "$name.csr" -subj "/CN=$cn"
    q openssl ca -config openssl.cnf -batch -notext -name testca -cert "$cadir/ca.pem" -keyfile "$cadir/ca.key" \
        -outdir "$cadir" -in "$name.csr" -out "$name.pem" -extensions "$ext" "$@"
    rm -f "$name.csr"
}

ca ca "sockit test CA"
ca rogueca "sockit rogue CA"
cp ca/ca.pem ca.pem
cp ca/ca.key ca.key
leaf ca server localhost srv -days 30
leaf ca expired localhost srv -startdate 20200101000000Z -enddate 20200201000000Z
leaf ca other other.example other -days 30
leaf ca client sockit-client cli -days 30
# RSA with PKCS#1 ("traditional") keys
newkey=(-newkey rsa:2048 -nodes)
leaf ca rsa localhost srv -days 30
leaf ca client-rsa sockit-client cli -days 30
for k in rsa client-rsa; do
    q openssl rsa -in "$k.key" -traditional -out "$k.key.tmp"
    mv "$k.key.tmp" "$k.key"
done
newkey=(-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes)
# the rogue CA's database is its own
sed -i 's#^dir = ./ca$#dir = ./rogueca#' openssl.cnf
leaf rogueca rogue localhost srv -days 30
q openssl req -config openssl.cnf -x509 "${newkey[@]}" -keyout self.key -out self.pem -days 30 \
    -subj /CN=localhost -addext "subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1"
cat server.pem server.key >bundle.pem
cat rsa.pem rsa.key >rsa-bundle.pem
printf '%s\n' "$stamp" >./done
