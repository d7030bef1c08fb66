#!/bin/sh
# mkcsr's requests have the structure of the ones Windows makes: each is
# compared, as a normalized skeleton (csr_skeleton.py: tags, nesting, OIDs,
# string types, criticality, KeyUsage bytes; names, keys, signatures and
# lengths masked), with the real Windows requests in tests/data/windows-csr
# (see /work/shared/samples/windows-csr/README.md for where they come from).
. "$TESTS_SRCDIR/cli/lib.sh"
need_python

SAMPLES=$DATA/windows-csr
OS_VERSION=1.3.6.1.4.1.311.13.2.3

# skeleton FILE OUT [OPTION...]: csr_skeleton.py's skeleton of FILE in OUT.
skeleton() {
	skeleton_in=$1
	skeleton_out=$2
	shift 2
	"$PYTHON" "$TESTS_SRCDIR/interop/csr_skeleton.py" "$@" "$skeleton_in" > "$skeleton_out" ||
		fail "csr_skeleton.py cannot read $skeleton_in"
}

# sections SKELETON SECTION...: those sections' lines.
sections() {
	sections_file=$1
	shift
	for sections_name in "$@"; do
		grep "^$sections_name: " "$sections_file"
	done
}

# extension SKELETON OID: the lines of that extension, without its position.
extension() {
	awk -v oid="$2" '$1 == "extensions:" && $2 ~ /^#/ { on = ($3 == oid) } on' "$1" |
		sed 's/^extensions: #[0-9]* /extensions: /'
}

# same WHAT WINDOWS OURS: the two excerpts are equal, or a diff says how not.
# WINDOWS and OURS are file names, chosen to read well in the diff.
same() {
	[ -s "$2" ] || fail "$1: nothing to compare in $2"
	diff -u "$2" "$3" >&2 || fail "$1: mkcsr's request differs from Windows' (diff above: - Windows, + mkcsr)"
}

# has SKELETON LINE: the skeleton has that exact line.
has() {
	grep -qxF -- "$2" "$1" || { cat "$1" >&2; fail "$1 lacks the line: $2"; }
}

# base64_layout FILE: header, 64-character lines, a last shorter one, footer
# (CRs ignored); prints the header and footer for comparison.
base64_layout() {
	tr -d '\r' < "$1" | awk -v f="$1" '
		NR == 1 { print; next }
		/^-----END / { print; end = 1; next }
		end || length($0) == 0 || length($0) > 64 || short { print f ": bad line " NR; exit }
		length($0) < 64 { short = 1 }'
}

# (a) certlm's RSA-2048 request (sample1) against mkcsr --ms-attributes.
# sample1's subject is encoded street, ST, O, C, CN.  mkcsr, like Windows,
# encodes the RDNs of its subject string in reverse (RFC 4514) order, with
# the CN from --host first in that string: "CN=host, C=IN, O=devlab, ST=TS,
# STREET=Hyderabad" gives that order, so --subject lists C, O, ST, STREET.
# ("STREET=Hyderabad, ST=TS, O=devlab, C=IN" would encode C, O, ST, street, CN.)
run 0 new --host pvwacpm03.corp.devlab --subject "C=IN, O=devlab, ST=TS, STREET=Hyderabad" \
	--key-type rsa:2048 --ms-attributes --csr a.csr --key a.key
skeleton "$SAMPLES/sample1.csr" sample1.all
skeleton "$SAMPLES/sample1.csr" sample1.skel --drop-attribute "$OS_VERSION"
skeleton a.csr mkcsr.skel
# The OS version attribute is the one difference: Windows writes it, mkcsr
# never does (it would have to invent a Windows version).
has sample1.all "attributes: attribute $OS_VERSION (msOSVersion)"
grep -q "attribute $OS_VERSION" mkcsr.skel && fail "mkcsr wrote the OS version attribute"
for part in version subject spki attributes extensions sigalg signature; do
	sections sample1.skel "$part" > "sample1.$part"
	sections mkcsr.skel "$part" > "mkcsr.$part"
	same "sample1 $part" "sample1.$part" "mkcsr.$part"
done
# The attributes are a DER SET OF: sorted by their encodings in both.
has sample1.skel "attributes: SET OF in DER order: yes"
has mkcsr.skel "attributes: SET OF in DER order: yes"
# And the Base64 file is laid out as certlm lays it out.
base64_layout "$SAMPLES/sample1.csr" > sample1.layout
base64_layout a.csr > mkcsr.layout
same "sample1 Base64 layout" sample1.layout mkcsr.layout

# (b) The closest ECDSA reference, sample4 (CertEnroll, P-256), against
# mkcsr's default key with --key-usage digitalSignature: the same key
# info, signature algorithm, critical KeyUsage 03 02 07 80 and SKI.
run 0 new --host ec.example.net --key-usage digitalSignature --csr b.csr --key b.key
skeleton "$SAMPLES/sample4.csr" sample4.skel
skeleton b.csr mkcsr-ec.skel
has mkcsr-ec.skel "spki:     OID 1.2.840.10045.2.1 (id-ecPublicKey)"
has mkcsr-ec.skel "spki:     OID 1.2.840.10045.3.1.7 (prime256v1)"
has mkcsr-ec.skel "spki:   BIT STRING (66 bytes) unused=00 point=uncompressed 04 *"
has mkcsr-ec.skel "sigalg:   OID 1.2.840.10045.4.3.2 (ecdsa-with-SHA256)"
has mkcsr-ec.skel "extensions:   BIT STRING 03 02 07 80"
sections sample4.skel spki sigalg signature > sample4.key
sections mkcsr-ec.skel spki sigalg signature > mkcsr-ec.key
same "sample4 key and signature algorithm" sample4.key mkcsr-ec.key
extension sample4.skel 2.5.29.15 > sample4.keyusage
extension mkcsr-ec.skel 2.5.29.15 > mkcsr-ec.keyusage
same "sample4 KeyUsage" sample4.keyusage mkcsr-ec.keyusage
extension sample4.skel 2.5.29.14 > sample4.ski
extension mkcsr-ec.skel 2.5.29.14 > mkcsr-ec.ski
same "sample4 SubjectKeyIdentifier" sample4.ski mkcsr-ec.ski
# certlm puts KeyUsage after the SAN and before the EKU (sample3).
has mkcsr-ec.skel "extensions: order: 2.5.29.17, 2.5.29.15, 2.5.29.37, 1.3.6.1.4.1.311.21.10, 2.5.29.14"

# (c) The plain default request asks for the extensions certlm asks for.
run 0 new --host vpn.example.net --csr c.csr --key c.key
skeleton c.csr mkcsr-default.skel
sections sample1.skel extensions > sample1.extensions
sections mkcsr-default.skel extensions > mkcsr-default.extensions
same "sample1 extensions, default request" sample1.extensions mkcsr-default.extensions
# ... and no attribute besides them (the Microsoft ones need --ms-attributes).
sections mkcsr-default.skel attributes > mkcsr-default.attributes
printf '%s\n' "attributes: SET OF in DER order: yes" "attributes: attribute 1.2.840.113549.1.9.14 (extensionRequest)" \
	"attributes:   SET (the extensions section)" > default.attributes
same "attributes of the default request" default.attributes mkcsr-default.attributes

# (d) An empty subject (sample2, certlm): 30 00, and the SAN stays non-critical.
skeleton "$SAMPLES/sample2.csr" sample2.skel
has sample2.skel "subject: SEQUENCE (empty: 30 00)"
has sample2.skel "extensions: #1 2.5.29.17 (subjectAltName) critical=absent (FALSE)"
run 0 new --san dns:x.example.com --csr d.csr --key d.key
skeleton d.csr mkcsr-empty.skel
sections sample2.skel subject > sample2.subject
sections mkcsr-empty.skel subject > mkcsr-empty.subject
same "sample2 empty subject" sample2.subject mkcsr-empty.subject
extension sample2.skel 2.5.29.17 > sample2.san
extension mkcsr-empty.skel 2.5.29.17 > mkcsr-empty.san
same "sample2 SAN" sample2.san mkcsr-empty.san

# (e) certlm's RSA request with KeyUsage keyEncipherment+dataEncipherment
# (sample3, Server 2019): the same subject types and order, attributes and
# extensions (its RSA-4096 key and RSA-PSS signature are not compared).
run 0 new --host qsec.example.net --subject "O=Bund, OU=BKA, C=DE, L=Wiesbaden" --key-type rsa:2048 \
	--key-usage keyEncipherment,dataEncipherment --ms-attributes --csr e.csr --key e.key
skeleton "$SAMPLES/sample3.csr" sample3.skel --drop-attribute "$OS_VERSION"
skeleton e.csr mkcsr-rsa.skel
sections sample3.skel subject attributes extensions > sample3.parts
sections mkcsr-rsa.skel subject attributes extensions > mkcsr-rsa.parts
same "sample3 subject, attributes and extensions" sample3.parts mkcsr-rsa.parts

# (f) certreq's six-part subject (sample6): C, ST, L, O, OU, CN, UTF8String but C.
run 0 new --host testserver.example.net --subject "OU=IT, O=MyCompany, L=Madison, ST=WI, C=US" --csr f.csr --key f.key
skeleton "$SAMPLES/sample6.csr" sample6.skel
skeleton f.csr mkcsr-six.skel
sections sample6.skel subject > sample6.subject
sections mkcsr-six.skel subject > mkcsr-six.subject
same "sample6 subject" sample6.subject mkcsr-six.subject

exit 0
