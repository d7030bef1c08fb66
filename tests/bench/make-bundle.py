#!/usr/bin/env python3
"""A PEM bundle for the bundle benchmark: N distinct end-entity certificates
(host0.example.com ... with a SAN and serverAuth) issued by one small EC CA,
the CA last.  What a hostile or careless fullchain file of that size looks
like: every certificate parses, none is a duplicate, one issuer for all.

    make-bundle.py N OUT.pem
"""
import datetime
import sys

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID


def main():
    count, out = int(sys.argv[1]), sys.argv[2]
    start = datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None) - datetime.timedelta(days=1)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Bundle Bench CA")])
    ca = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name)
          .public_key(ca_key.public_key()).serial_number(1)
          .not_valid_before(start).not_valid_after(start + datetime.timedelta(days=3650))
          .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
          .sign(ca_key, hashes.SHA256()))
    # One key for every leaf: key generation is not what is measured.
    leaf_key = ec.generate_private_key(ec.SECP256R1()).public_key()
    with open(out, "wb") as f:
        for i in range(count):
            name = "host%d.example.com" % i
            cert = (x509.CertificateBuilder()
                    .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)]))
                    .issuer_name(ca_name).public_key(leaf_key).serial_number(1000 + i)
                    .not_valid_before(start).not_valid_after(start + datetime.timedelta(days=365))
                    .add_extension(x509.SubjectAlternativeName([x509.DNSName(name)]), critical=False)
                    .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
                    .sign(ca_key, hashes.SHA256()))
            f.write(cert.public_bytes(serialization.Encoding.PEM))
        f.write(ca.public_bytes(serialization.Encoding.PEM))


if __name__ == "__main__":
    main()
