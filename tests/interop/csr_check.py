#!/usr/bin/env python3
"""Check a request mkcsr wrote with Python's cryptography package.

Usage: csr_check.py CHECK FILE [ARG...] [-- CHECK FILE [ARG...]]...

FILE ending in .der is read with x509.load_der_x509_csr, any other with
x509.load_pem_x509_csr (mkcsr's default is the Windows header with CRLF
line ends).  Every check asserts that the self-signature verifies and
that the SubjectKeyIdentifier is SHA-1 of the public key BIT STRING (the
value x509.SubjectKeyIdentifier.from_public_key gives), then:

  default FILE HOST      mkcsr new --host HOST: P-256, ecdsa-with-SHA256,
                         subject CN=HOST (UTF8String), extensions SAN,
                         EKU serverAuth, Application Policies, SKI in that
                         order, all non-critical; no attribute but the
                         extension request
  p384 FILE HOST         ... --key-type ec:P-384: secp384r1,
                         ecdsa-with-SHA384, same extensions
  subject FILE HOST      ... --subject "O=Org, OU=IT, L=City, ST=State, C=US":
                         RDNs C, ST, L, OU, O, CN in that encoded order,
                         one attribute each, UTF8String except C
  rsa FILE HOST BITS     ... --key-type rsa:BITS --ms-attributes
                         --key-usage digitalSignature,keyEncipherment
                         --eku serverAuth --eku clientAuth: key size,
                         e = 65537, sha256WithRSAEncryption, SAN, critical
                         KeyUsage, EKU, Application Policies for both, SKI;
                         attributes client info (clientId 5 and three
                         UTF8Strings), enrollment CSP (the exact bytes
                         certlm writes) and the extension request
  names FILE HOST UPN IP...  ... --san upn:UPN --san ip:IP...: SAN is DNS
                         HOST, a UPN otherName, then the IP addresses
  windows FILE           a Windows-made sample: signature and SKI only
  certlm FILE            a sample made with the Software KSP (certlm or
                         CertEnroll): also its enrollment-CSP attribute is
                         the very bytes the rsa check expects of mkcsr,
                         and its client info has clientId 5

Checks separated by "--" run in one process, each to its first failed
assertion.  Exits 0 when every assertion holds, 1 with a message for each
check that fails, 2 on a usage error.
"""

import ipaddress
import sys

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, ExtensionOID, NameOID

OID_APP_POLICIES = x509.ObjectIdentifier("1.3.6.1.4.1.311.21.10")
OID_UPN = x509.ObjectIdentifier("1.3.6.1.4.1.311.20.2.3")
OID_CLIENT_INFO = "1.3.6.1.4.1.311.21.20"
OID_ENROLLMENT_CSP = "1.3.6.1.4.1.311.13.2.2"
OID_EXTENSION_REQUEST = "1.2.840.113549.1.9.14"
SERVER_AUTH = ExtendedKeyUsageOID.SERVER_AUTH
CLIENT_AUTH = ExtendedKeyUsageOID.CLIENT_AUTH

# SEQUENCE OF SEQUENCE { policyIdentifier } holding the EKU OIDs, as certlm writes it.
APP_POLICIES_SERVER_AUTH = bytes.fromhex("300c300a06082b06010505070301")
APP_POLICIES_SERVER_CLIENT_AUTH = bytes.fromhex("3018300a06082b06010505070301300a06082b06010505070302")
# keySpec 0, BMPString "Microsoft Software Key Storage Provider", empty BIT STRING.
ENROLLMENT_CSP_CONTENT = (bytes.fromhex("0201001e4e") + "Microsoft Software Key Storage Provider".encode("utf-16-be")
                          + bytes.fromhex("030100"))


class CheckFailed(Exception):
    pass


def check(condition, message):
    if not condition:
        raise CheckFailed(message)


def equal(got, expected, what):
    check(got == expected, "%s: got %r, expected %r" % (what, got, expected))


def load(path):
    with open(path, "rb") as f:
        data = f.read()
    if path.endswith(".der"):
        return x509.load_der_x509_csr(data)
    return x509.load_pem_x509_csr(data)


def common(csr):
    """The self-signature verifies; the SKI, if present, is RFC 5280 method 1."""
    check(csr.is_signature_valid, "the request's self-signature does not verify")
    try:
        ski = csr.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
    except x509.ExtensionNotFound:
        return
    equal(ski.digest.hex(), x509.SubjectKeyIdentifier.from_public_key(csr.public_key()).digest.hex(),
          "SubjectKeyIdentifier digest")


def expect_extensions(csr, expected):
    """expected: [(oid, critical, value check)], in encoded order."""
    got = [(e.oid.dotted_string, e.critical) for e in csr.extensions]
    want = [(oid.dotted_string, critical) for oid, critical, _ in expected]
    equal(got, want, "extensions (OID, critical) in order")
    for ext, (oid, _, value_check) in zip(csr.extensions, expected):
        value_check(ext.value, oid.dotted_string)


def san_is(*names):
    def value_check(value, what):
        equal(list(value), list(names), what + " (SubjectAlternativeName)")
    return value_check


def eku_is(*oids):
    def value_check(value, what):
        equal([o.dotted_string for o in value], [o.dotted_string for o in oids], what + " (ExtendedKeyUsage)")
    return value_check


def unrecognized_is(der):
    def value_check(value, what):
        check(isinstance(value, x509.UnrecognizedExtension), "%s: parsed as %r" % (what, value))
        equal(value.value.hex(), der.hex(), what + " (UnrecognizedExtension value)")
    return value_check


def ski_present(value, what):
    check(isinstance(value, x509.SubjectKeyIdentifier), "%s: parsed as %r" % (what, value))
    equal(len(value.digest), 20, what + " digest length")


def key_usage_is(**flags):
    def value_check(value, what):
        names = ("digital_signature", "content_commitment", "key_encipherment", "data_encipherment",
                 "key_agreement", "key_cert_sign", "crl_sign")
        got = {n: getattr(value, n) for n in names}
        equal(got, {n: flags.get(n, False) for n in names}, what + " (KeyUsage)")
    return value_check


def expect_subject(csr, expected):
    """expected: [(NameOID, value, ASN.1 string type name)], one per RDN, in encoded order."""
    got = []
    for rdn in csr.subject.rdns:
        attrs = list(rdn)
        check(len(attrs) == 1, "subject RDN %s has %d attributes" % (rdn.rfc4514_string(), len(attrs)))
        got.append((attrs[0].oid.dotted_string, attrs[0].value, attrs[0]._type.name))
    equal(got, [(oid.dotted_string, value, kind) for oid, value, kind in expected], "subject RDNs in encoded order")


def expect_attributes(csr, expected):
    """expected: {OID: content bytes or None (any)}: exactly those attributes."""
    attrs = {a.oid.dotted_string: a.value for a in csr.attributes}
    equal(sorted(attrs), sorted(expected), "request attributes")
    for oid, content in expected.items():
        if content is not None:
            equal(attrs[oid].hex(), content.hex(), "attribute " + oid)


def expect_ec(csr, curve, hash_name, sig_oid):
    key = csr.public_key()
    check(isinstance(key, ec.EllipticCurvePublicKey), "the key is %s, not EC" % type(key).__name__)
    equal(key.curve.name, curve, "EC curve")
    equal(csr.signature_algorithm_oid.dotted_string, sig_oid, "signature algorithm")
    equal(csr.signature_hash_algorithm.name, hash_name, "signature hash")


def default_extensions(host):
    return [
        (ExtensionOID.SUBJECT_ALTERNATIVE_NAME, False, san_is(x509.DNSName(host))),
        (ExtensionOID.EXTENDED_KEY_USAGE, False, eku_is(SERVER_AUTH)),
        (OID_APP_POLICIES, False, unrecognized_is(APP_POLICIES_SERVER_AUTH)),
        (ExtensionOID.SUBJECT_KEY_IDENTIFIER, False, ski_present),
    ]


def check_default(csr, host):
    expect_ec(csr, "secp256r1", "sha256", "1.2.840.10045.4.3.2")
    expect_subject(csr, [(NameOID.COMMON_NAME, host, "UTF8String")])
    expect_extensions(csr, default_extensions(host))
    expect_attributes(csr, {OID_EXTENSION_REQUEST: None})


def check_p384(csr, host):
    expect_ec(csr, "secp384r1", "sha384", "1.2.840.10045.4.3.3")
    expect_subject(csr, [(NameOID.COMMON_NAME, host, "UTF8String")])
    expect_extensions(csr, default_extensions(host))


def check_subject(csr, host):
    expect_subject(csr, [
        (NameOID.COUNTRY_NAME, "US", "PrintableString"),
        (NameOID.STATE_OR_PROVINCE_NAME, "State", "UTF8String"),
        (NameOID.LOCALITY_NAME, "City", "UTF8String"),
        (NameOID.ORGANIZATIONAL_UNIT_NAME, "IT", "UTF8String"),
        (NameOID.ORGANIZATION_NAME, "Org", "UTF8String"),
        (NameOID.COMMON_NAME, host, "UTF8String"),
    ])
    equal(csr.subject.rfc4514_string(), "CN=%s,O=Org,OU=IT,L=City,ST=State,C=US" % host, "RFC 4514 subject")
    expect_extensions(csr, default_extensions(host))


def check_rsa(csr, host, bits):
    key = csr.public_key()
    check(isinstance(key, rsa.RSAPublicKey), "the key is %s, not RSA" % type(key).__name__)
    equal(key.key_size, int(bits), "RSA key size")
    equal(key.public_numbers().e, 65537, "RSA public exponent")
    equal(csr.signature_algorithm_oid.dotted_string, "1.2.840.113549.1.1.11", "signature algorithm")
    expect_subject(csr, [(NameOID.COMMON_NAME, host, "UTF8String")])
    expect_extensions(csr, [
        (ExtensionOID.SUBJECT_ALTERNATIVE_NAME, False, san_is(x509.DNSName(host))),
        (ExtensionOID.KEY_USAGE, True, key_usage_is(digital_signature=True, key_encipherment=True)),
        (ExtensionOID.EXTENDED_KEY_USAGE, False, eku_is(SERVER_AUTH, CLIENT_AUTH)),
        (OID_APP_POLICIES, False, unrecognized_is(APP_POLICIES_SERVER_CLIENT_AUTH)),
        (ExtensionOID.SUBJECT_KEY_IDENTIFIER, False, ski_present),
    ])
    expect_attributes(csr, {OID_CLIENT_INFO: None, OID_ENROLLMENT_CSP: ENROLLMENT_CSP_CONTENT,
                            OID_EXTENSION_REQUEST: None})
    # clientId 5 (certlm's), then machine, DOMAIN\user and process as UTF8Strings.
    info = {a.oid.dotted_string: a.value for a in csr.attributes}[OID_CLIENT_INFO]
    equal(info[:3].hex(), "020105", "client-info clientId")
    pos, strings = 3, 0
    while pos < len(info):
        check(info[pos] == 0x0C and info[pos + 1] < 0x80, "client-info: not a short UTF8String at %d" % pos)
        pos += 2 + info[pos + 1]
        strings += 1
    equal((pos, strings), (len(info), 3), "client-info UTF8Strings (end, count)")


def check_names(csr, host, upn, *ips):
    utf8 = upn.encode("utf-8")
    check(len(utf8) < 128, "test UPN too long for this check")
    names = [x509.DNSName(host), x509.OtherName(OID_UPN, b"\x0c" + bytes([len(utf8)]) + utf8)]
    names += [x509.IPAddress(ipaddress.ip_address(ip)) for ip in ips]
    exts = default_extensions(host)
    exts[0] = (ExtensionOID.SUBJECT_ALTERNATIVE_NAME, False, san_is(*names))
    expect_extensions(csr, exts)


def check_certlm(csr):
    attrs = {a.oid.dotted_string: a.value for a in csr.attributes}
    check(OID_ENROLLMENT_CSP in attrs and OID_CLIENT_INFO in attrs, "no enrollment-CSP or client-info attribute")
    equal(attrs[OID_ENROLLMENT_CSP].hex(), ENROLLMENT_CSP_CONTENT.hex(), "enrollment-CSP attribute")
    equal(attrs[OID_CLIENT_INFO][:3].hex(), "020105", "client-info clientId")


CHECKS = {
    "default": (check_default, 1),
    "p384": (check_p384, 1),
    "subject": (check_subject, 1),
    "rsa": (check_rsa, 2),
    "names": (check_names, None),
    "windows": (lambda csr: None, 0),
    "certlm": (check_certlm, 0),
}


def run_check(argv):
    """One CHECK FILE ARG...: 0 when it holds, 1 when not, 2 on a usage error."""
    if len(argv) < 2 or argv[0] not in CHECKS:
        sys.stderr.write(__doc__.split("\n\n")[1] + "\n")
        return 2
    func, nargs = CHECKS[argv[0]]
    args = argv[2:]
    if (nargs is not None and len(args) != nargs) or (nargs is None and len(args) < 3):
        sys.stderr.write("csr_check: %s takes %s arguments after FILE\n" % (argv[0], nargs or "3 or more"))
        return 2
    try:
        csr = load(argv[1])
        common(csr)
        func(csr, *args)
    except CheckFailed as e:
        sys.stderr.write("csr_check %s %s: %s\n" % (argv[0], argv[1], e))
        return 1
    except ValueError as e:
        sys.stderr.write("csr_check %s %s: cannot load: %s\n" % (argv[0], argv[1], e))
        return 1
    return 0


def main(argv):
    """Runs each "--"-separated CHECK FILE ARG... (one Python start for many)."""
    checks, current = [], []
    for arg in argv:
        if arg == "--":
            checks.append(current)
            current = []
        else:
            current.append(arg)
    checks.append(current)
    status = 0
    for check_argv in checks:
        status = max(status, run_check(check_argv))
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
