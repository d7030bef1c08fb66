#!/usr/bin/env python3
"""Checks of mkcsr batch's output for the CLI tests.

  batch_check.py pairs DIR     every NAME.key in DIR is 0600, has NAME.csr beside
                               it, and the request is signed by that key and
                               carries its public key; prints the number of pairs
  batch_check.py same A B      requests A and B say the same thing field by field
                               (version, subject with string types, attributes,
                               extensions but the SKI's value, signature algorithm,
                               key type): everything but the key and the signature
Exit 1 with the first difference on stderr.
"""

import os
import stat
import sys

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.x509.oid import ExtensionOID


def load_csr(path):
    data = open(path, "rb").read()
    if data.lstrip().startswith(b"-----"):
        data = data.replace(b"NEW CERTIFICATE REQUEST", b"CERTIFICATE REQUEST")
        return x509.load_pem_x509_csr(data)
    return x509.load_der_x509_csr(data)


def spki(key):
    return key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)


def pairs(directory):
    count = 0
    for name in sorted(os.listdir(directory)):
        if not name.endswith(".key"):
            continue
        key_path = os.path.join(directory, name)
        csr_path = key_path[:-4] + ".csr"
        mode = stat.S_IMODE(os.lstat(key_path).st_mode)
        if mode != 0o600:
            sys.exit("%s has mode %o, expected 600" % (key_path, mode))
        if not os.path.exists(csr_path):
            sys.exit("%s has no request beside it" % key_path)
        key = serialization.load_pem_private_key(open(key_path, "rb").read(), None)
        csr = load_csr(csr_path)
        if not csr.is_signature_valid:
            sys.exit("%s: the signature does not verify" % csr_path)
        if spki(csr.public_key()) != spki(key.public_key()):
            sys.exit("%s does not carry the public key of %s" % (csr_path, key_path))
        count += 1
    for name in os.listdir(directory):
        if name.endswith(".csr") and not os.path.exists(os.path.join(directory, name[:-4] + ".key")):
            sys.exit("%s has no key beside it" % name)
    print(count)


def describe(path):
    csr = load_csr(path)
    key = csr.public_key()
    out = [
        "encoding: %s" % ("der" if not open(path, "rb").read().lstrip().startswith(b"-----") else
                          open(path, "rb").read().split(b"\n")[0].strip().decode() +
                          (" crlf" if b"\r\n" in open(path, "rb").read() else " lf")),
        "subject: %r" % [(a.oid.dotted_string, a.value, a._type) for a in csr.subject],
        "key: %s %s" % (type(key).__name__.lstrip("_"), getattr(getattr(key, "curve", None), "name", key.key_size)),
        "sigalg: %s" % csr.signature_algorithm_oid.dotted_string,
    ]
    for attr in sorted(csr.attributes, key=lambda a: a.oid.dotted_string):
        if attr.oid.dotted_string == "1.2.840.113549.1.9.14":
            continue  # the extension request: its extensions follow, one by one
        out.append("attribute: %s %r %r" % (attr.oid.dotted_string, attr.value, attr._type))
    for ext in csr.extensions:
        if ext.oid == ExtensionOID.SUBJECT_KEY_IDENTIFIER:
            out.append("extension: SKI critical=%s %d bytes" % (ext.critical, len(ext.value.digest)))
        else:
            value = ext.value.value if isinstance(ext.value, x509.UnrecognizedExtension) else ext.value.public_bytes()
            out.append("extension: %s critical=%s %s" % (ext.oid.dotted_string, ext.critical, value.hex()))
    return out


def same(a, b):
    da, db = describe(a), describe(b)
    if da != db:
        for la, lb in zip(da + [""] * len(db), db + [""] * len(da)):
            if la != lb:
                sys.exit("%s and %s differ:\n  %s\n  %s" % (a, b, la, lb))
    print("same")


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "pairs":
        pairs(sys.argv[2])
    elif len(sys.argv) == 4 and sys.argv[1] == "same":
        same(sys.argv[2], sys.argv[3])
    else:
        sys.exit(__doc__)
