#!/usr/bin/env python3
"""Check a PFX mkcsr wrote with Python's cryptography package.

Usage: pfx_check.py PFX PASSWORD KEY CERT NAME [CA...] [-- PFX PASSWORD KEY CERT NAME [CA...]]...

Loads PFX with pkcs12.load_pkcs12 and pkcs12.load_key_and_certificates
and PASSWORD, and asserts that:

  - it does not load with another password (the MAC and encryption hold);
  - the private key is the one in KEY (a PEM file without a passphrase),
    and the key of the certificate;
  - the certificate is CERT (a PEM file), byte for byte;
  - the certificate's friendly name is NAME (UTF-8);
  - the other certificates are exactly the CA files given, in that order,
    without friendly names.

Checks separated by "--" run in one process, each to its first failed
assertion.  Exits 0 when every assertion holds, 1 with a message for each
check that fails, 2 on a usage error.
"""

import sys

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12


class CheckFailed(Exception):
    pass


def expect(condition, message):
    if not condition:
        raise CheckFailed(message)


def spki(key):
    return key.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)


def der(cert):
    return cert.public_bytes(serialization.Encoding.DER)


def load_cert(path):
    with open(path, "rb") as f:
        return x509.load_pem_x509_certificate(f.read())


def check(pfx_path, password, key_path, cert_path, name, ca_paths):
    with open(pfx_path, "rb") as f:
        data = f.read()
    with open(key_path, "rb") as f:
        want_key = serialization.load_pem_private_key(f.read(), password=None)
    want_cert = load_cert(cert_path)
    want_cas = [load_cert(p) for p in ca_paths]
    secret = password.encode("utf-8")

    for wrong in (secret + b"x", b"", None):
        try:
            pkcs12.load_pkcs12(data, wrong)
        except (ValueError, TypeError):
            pass
        else:
            raise CheckFailed("it loads with the password %r" % (wrong,))

    try:
        p = pkcs12.load_pkcs12(data, secret)
    except ValueError as e:
        raise CheckFailed("load_pkcs12 cannot load it with the password: %s" % e)
    expect(p.key is not None, "it holds no private key")
    expect(p.cert is not None, "it holds no certificate with the key")
    expect(spki(p.key) == spki(want_key), "the private key is not the one in %s" % key_path)
    expect(
        p.cert.certificate.public_key().public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        == spki(p.key),
        "the private key does not belong to the certificate",
    )
    expect(der(p.cert.certificate) == der(want_cert), "the certificate is not the one in %s" % cert_path)
    expect(
        p.cert.friendly_name == name.encode("utf-8"),
        "the friendly name is %r, expected %r" % (p.cert.friendly_name, name.encode("utf-8")),
    )
    got_cas = [c.certificate for c in p.additional_certs]
    expect(
        len(got_cas) == len(want_cas),
        "%d other certificates (%s), expected %d"
        % (len(got_cas), ", ".join(c.subject.rfc4514_string() for c in got_cas), len(want_cas)),
    )
    for i, (got, want, path) in enumerate(zip(got_cas, want_cas, ca_paths)):
        expect(
            der(got) == der(want),
            "other certificate %d is %s, expected %s (%s)"
            % (i + 1, got.subject.rfc4514_string(), want.subject.rfc4514_string(), path),
        )
    for i, c in enumerate(p.additional_certs):
        expect(c.friendly_name is None, "other certificate %d has the friendly name %r" % (i + 1, c.friendly_name))

    # The older interface reads the same.
    key, cert, cas = pkcs12.load_key_and_certificates(data, secret)
    expect(spki(key) == spki(want_key), "load_key_and_certificates: another key")
    expect(der(cert) == der(want_cert), "load_key_and_certificates: another certificate")
    expect([der(c) for c in cas] == [der(c) for c in want_cas], "load_key_and_certificates: other CA certificates")


def run_check(argv):
    if len(argv) < 5:
        print("pfx_check: usage: PFX PASSWORD KEY CERT NAME [CA...]", file=sys.stderr)
        return 2
    pfx_path, password, key_path, cert_path, name = argv[:5]
    try:
        check(pfx_path, password, key_path, cert_path, name, argv[5:])
    except CheckFailed as e:
        print("pfx_check %s: %s" % (pfx_path, e), file=sys.stderr)
        return 1
    return 0


def main(argv):
    """Runs each "--"-separated check (one Python start for many)."""
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
