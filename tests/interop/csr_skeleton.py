#!/usr/bin/env python3
"""Print the normalized skeleton of a PKCS#10 certificate request.

Usage: csr_skeleton.py [--section NAME]... [--drop-attribute OID]... FILE

FILE is DER, PEM with any BEGIN/END label (LF or CRLF) or bare Base64.
The output is one line per ASN.1 element, "section: text", the sections
being version, subject, spki, attributes, extensions, sigalg, signature.
It keeps what makes two requests "shaped alike": tags, classes and
nesting, OIDs, string TYPES, BOOLEANs (criticality), small INTEGERs, the
BIT STRINGs inside extensions and attributes (the KeyUsage bytes), the
size of an RSA modulus and of an EC point.  It masks (prints "*") what
differs from one request to the next: names and other string values,
key material, digests and signatures; and it never prints lengths,
except the byte count of an EC point and of an OCTET STRING (the SKI).

Attributes are a DER SET OF, whose order follows the encoded bytes: they
are printed sorted by OID (a set), after a line saying whether the
encoding had them in DER order.  The extensionRequest attribute's
extensions are printed, in their order, in the extensions section.
The provider name in the enrollment-CSP attribute (1.3.6.1.4.1.311.13.2.2)
is a constant, not a name, so it is shown.

The DER walker is strict: indefinite or non-minimal lengths, trailing
bytes and truncated elements are errors (exit 2).  It is test code for
mkcsr's interop tests, not a general ASN.1 library.
"""

import base64
import binascii
import re
import sys

OID_NAMES = {
    "2.5.4.3": "commonName",
    "2.5.4.5": "serialNumber",
    "2.5.4.6": "countryName",
    "2.5.4.7": "localityName",
    "2.5.4.8": "stateOrProvinceName",
    "2.5.4.9": "streetAddress",
    "2.5.4.10": "organizationName",
    "2.5.4.11": "organizationalUnitName",
    "1.2.840.113549.1.9.1": "emailAddress",
    "0.9.2342.19200300.100.1.25": "domainComponent",
    "1.2.840.113549.1.1.1": "rsaEncryption",
    "1.2.840.113549.1.1.10": "rsassaPss",
    "1.2.840.113549.1.1.11": "sha256WithRSAEncryption",
    "1.2.840.113549.1.1.12": "sha384WithRSAEncryption",
    "1.2.840.113549.1.1.13": "sha512WithRSAEncryption",
    "1.2.840.10045.2.1": "id-ecPublicKey",
    "1.2.840.10045.3.1.7": "prime256v1",
    "1.3.132.0.34": "secp384r1",
    "1.3.132.0.35": "secp521r1",
    "1.2.840.10045.4.3.2": "ecdsa-with-SHA256",
    "1.2.840.10045.4.3.3": "ecdsa-with-SHA384",
    "1.2.840.10045.4.3.4": "ecdsa-with-SHA512",
    "1.2.840.113549.1.1.8": "mgf1",
    "2.16.840.1.101.3.4.2.1": "sha256",
    "1.2.840.113549.1.9.14": "extensionRequest",
    "1.3.6.1.4.1.311.13.2.3": "msOSVersion",
    "1.3.6.1.4.1.311.21.20": "msClientInfo",
    "1.3.6.1.4.1.311.13.2.2": "msEnrollmentCSP",
    "1.3.6.1.4.1.311.21.10": "msApplicationPolicies",
    "1.3.6.1.4.1.311.20.2.3": "msUPN",
    "2.5.29.14": "subjectKeyIdentifier",
    "2.5.29.15": "keyUsage",
    "2.5.29.17": "subjectAltName",
    "2.5.29.37": "extKeyUsage",
    "1.3.6.1.5.5.7.3.1": "serverAuth",
    "1.3.6.1.5.5.7.3.2": "clientAuth",
    "1.3.6.1.5.5.8.2.2": "ikeIntermediate",
}

OID_EXTENSION_REQUEST = "1.2.840.113549.1.9.14"
OID_MS_ENROLLMENT_CSP = "1.3.6.1.4.1.311.13.2.2"
OID_RSA = "1.2.840.113549.1.1.1"
OID_EC = "1.2.840.10045.2.1"

UNIVERSAL = {
    1: "BOOLEAN", 2: "INTEGER", 3: "BIT STRING", 4: "OCTET STRING", 5: "NULL",
    6: "OID", 12: "UTF8String", 16: "SEQUENCE", 17: "SET", 18: "NumericString",
    19: "PrintableString", 20: "T61String", 22: "IA5String", 23: "UTCTime",
    24: "GeneralizedTime", 26: "VisibleString", 28: "UniversalString", 30: "BMPString",
}
STRING_TAGS = {12, 18, 19, 20, 22, 23, 24, 26, 28, 30}
SECTIONS = ("version", "subject", "spki", "attributes", "extensions", "sigalg", "signature")


class DerError(Exception):
    pass


class Node:
    """One TLV: tag class (0 universal, 1 application, 2 context, 3 private)."""

    def __init__(self, cls, constructed, number, raw, content):
        self.cls = cls
        self.constructed = constructed
        self.number = number
        self.raw = raw
        self.content = content
        self.children = parse_all(content) if constructed else None

    def is_universal(self, number):
        return self.cls == 0 and self.number == number


def parse_one(data, pos):
    """Reads the TLV at data[pos:], returns (Node, next position)."""
    start = pos
    if pos >= len(data):
        raise DerError("truncated: no tag at offset %d" % pos)
    first = data[pos]
    pos += 1
    cls, constructed, number = first >> 6, bool(first & 0x20), first & 0x1F
    if number == 0x1F:
        number = 0
        while True:
            if pos >= len(data):
                raise DerError("truncated tag at offset %d" % start)
            b = data[pos]
            pos += 1
            number = (number << 7) | (b & 0x7F)
            if not b & 0x80:
                break
    if pos >= len(data):
        raise DerError("truncated: no length at offset %d" % start)
    length = data[pos]
    pos += 1
    if length == 0x80:
        raise DerError("indefinite length at offset %d (not DER)" % start)
    if length & 0x80:
        count = length & 0x7F
        if count > 4 or pos + count > len(data):
            raise DerError("bad length at offset %d" % start)
        length = int.from_bytes(data[pos:pos + count], "big")
        if length < 0x80 or data[pos] == 0:
            raise DerError("non-minimal length at offset %d (not DER)" % start)
        pos += count
    if pos + length > len(data):
        raise DerError("element at offset %d runs past the end" % start)
    content = data[pos:pos + length]
    return Node(cls, constructed, number, data[start:pos + length], content), pos + length


def parse_all(data):
    nodes, pos = [], 0
    while pos < len(data):
        node, pos = parse_one(data, pos)
        nodes.append(node)
    return nodes


def parse_single(data):
    node, pos = parse_one(data, 0)
    if pos != len(data):
        raise DerError("%d bytes after the element" % (len(data) - pos))
    return node


def decode_oid(content):
    if not content or content[-1] & 0x80:
        raise DerError("malformed OID")
    arcs, value = [], 0
    for b in content:
        value = (value << 7) | (b & 0x7F)
        if not b & 0x80:
            arcs.append(value)
            value = 0
    first = min(arcs[0] // 40, 2)
    return ".".join(str(a) for a in [first, arcs[0] - 40 * first] + arcs[1:])


def oid_text(node):
    oid = decode_oid(node.content)
    name = OID_NAMES.get(oid)
    return "%s (%s)" % (oid, name) if name else oid


def tag_name(node):
    if node.cls == 0:
        return UNIVERSAL.get(node.number, "UNIVERSAL %d" % node.number)
    prefix = {1: "APPLICATION ", 2: "", 3: "PRIVATE "}[node.cls]
    return "[%s%d]" % (prefix, node.number)


def hexbytes(data):
    return " ".join("%02X" % b for b in data)


def primitive_text(node, show_strings):
    """The masked or shown value of a primitive element."""
    if node.cls != 0:
        return "*"
    n, c = node.number, node.content
    if n == 1:
        return {b"\xff": "TRUE", b"\x00": "FALSE"}.get(c, "non-DER " + hexbytes(c))
    if n == 2:
        if len(c) <= 8:
            return str(int.from_bytes(c, "big", signed=True))
        return "<%d-bit>" % int.from_bytes(c, "big", signed=True).bit_length()
    if n == 3:
        return hexbytes(node.raw)
    if n == 4:
        return "(%d bytes) *" % len(c)
    if n == 5:
        return "" if not c else "non-empty " + hexbytes(c)
    if n == 6:
        return oid_text(node)
    if n in STRING_TAGS:
        if not show_strings:
            return "*"
        codec = {30: "utf-16-be", 28: "utf-32-be"}.get(n, "utf-8")
        return repr(c.decode(codec, errors="replace"))
    return "*"


def render(node, depth=0, show_strings=False):
    """The skeleton lines of node and everything inside it."""
    pad = "  " * depth
    if node.constructed:
        if not node.children:
            return ["%s%s (empty: %s)" % (pad, tag_name(node), hexbytes(node.raw))]
        lines = [pad + tag_name(node)]
        for child in node.children:
            lines.extend(render(child, depth + 1, show_strings))
        return lines
    text = primitive_text(node, show_strings)
    return [(pad + tag_name(node) + (" " + text if text else "")).rstrip()]


def expect(node, number, what):
    if not node.is_universal(number):
        raise DerError("%s: expected %s, found %s" % (what, UNIVERSAL[number], tag_name(node)))
    return node


def spki_lines(spki):
    expect(spki, 16, "SubjectPublicKeyInfo")
    if len(spki.children) != 2:
        raise DerError("SubjectPublicKeyInfo: expected 2 elements")
    alg, key = spki.children
    expect(key, 3, "subjectPublicKey")
    oid = decode_oid(alg.children[0].content) if alg.children else ""
    lines = ["SEQUENCE"] + render(alg, 1)
    unused, bits = key.content[:1], key.content[1:]
    if oid == OID_RSA:
        lines.append("  BIT STRING unused=%s, holding:" % hexbytes(unused))
        lines.extend(render(parse_single(bits), 2))
    elif oid == OID_EC:
        form = {4: "uncompressed 04", 2: "compressed 02", 3: "compressed 03"}.get(
            bits[0] if bits else -1, "unknown")
        lines.append("  BIT STRING (%d bytes) unused=%s point=%s *" % (len(key.content), hexbytes(unused), form))
    else:
        lines.append("  BIT STRING *")
    return lines


def der_sorted(nodes):
    width = max((len(n.raw) for n in nodes), default=0)
    keys = [n.raw.ljust(width, b"\0") for n in nodes]
    return keys == sorted(keys)


def attribute_parts(attr):
    expect(attr, 16, "Attribute")
    if len(attr.children) != 2:
        raise DerError("Attribute: expected 2 elements")
    oid_node, values = attr.children
    expect(oid_node, 6, "Attribute type")
    expect(values, 17, "Attribute values")
    return decode_oid(oid_node.content), values


def extension_lines(ext_request_values):
    lines = []
    if len(ext_request_values.children) != 1:
        lines.append("extensionRequest holds %d values" % len(ext_request_values.children))
    exts = expect(ext_request_values.children[0], 16, "Extensions")
    order = []
    for index, ext in enumerate(exts.children, 1):
        expect(ext, 16, "Extension")
        parts = list(ext.children)
        oid = oid_text(expect(parts.pop(0), 6, "extnID"))
        order.append(oid.split(" ")[0])
        critical = "absent (FALSE)"
        if len(parts) == 2:
            critical = primitive_text(expect(parts.pop(0), 1, "critical"), False)
            if critical == "FALSE":
                critical = "FALSE, explicit (not DER)"
        value = expect(parts[0], 4, "extnValue")
        lines.append("#%d %s critical=%s" % (index, oid, critical))
        try:
            inner = parse_single(value.content)
        except DerError as e:
            lines.append("  value is not DER (%s) *" % e)
            continue
        lines.extend(render(inner, 1))
    return ["order: " + ", ".join(order)] + lines


def skeleton(der, drop_attributes=()):
    """{section: [lines]} for a DER-encoded request."""
    top = expect(parse_single(der), 16, "CertificationRequest")
    if len(top.children) != 3:
        raise DerError("CertificationRequest: expected 3 elements")
    info, sigalg, signature = top.children
    expect(info, 16, "CertificationRequestInfo")
    parts = list(info.children)
    if len(parts) not in (3, 4):
        raise DerError("CertificationRequestInfo: expected 3 or 4 elements")
    out = {s: [] for s in SECTIONS}
    out["version"] = render(expect(parts[0], 2, "version"))
    out["subject"] = render(expect(parts[1], 16, "subject"))
    out["spki"] = spki_lines(parts[2])

    if len(parts) == 3:
        out["attributes"] = ["absent (not PKCS#10: the [0] is required)"]
        out["extensions"] = ["none"]
    else:
        attrs = parts[3]
        if not (attrs.cls == 2 and attrs.number == 0 and attrs.constructed):
            raise DerError("attributes: expected [0], found %s" % tag_name(attrs))
        children = attrs.children or []
        blocks, ext_values = [], None
        for attr in children:
            oid, values = attribute_parts(attr)
            if oid == OID_EXTENSION_REQUEST:
                ext_values = values
            if oid in drop_attributes:
                continue
            name = OID_NAMES.get(oid)
            head = "attribute %s%s" % (oid, " (%s)" % name if name else "")
            if oid == OID_EXTENSION_REQUEST:
                body = ["  SET (the extensions section)"]
            else:
                body = render(values, 1, show_strings=(oid == OID_MS_ENROLLMENT_CSP))
            blocks.append((oid, [head] + body))
        out["attributes"] = ["SET OF in DER order: %s" % ("yes" if der_sorted(children) else "NO")]
        for _, lines in sorted(blocks):
            out["attributes"].extend(lines)
        out["extensions"] = extension_lines(ext_values) if ext_values is not None else ["none"]

    out["sigalg"] = render(expect(sigalg, 16, "signatureAlgorithm"))
    expect(signature, 3, "signature")
    out["signature"] = ["BIT STRING unused=%s *" % hexbytes(signature.content[:1])]
    return out


def read_request(path):
    with open(path, "rb") as f:
        data = f.read()
    text = data.lstrip()
    if text.startswith(b"-----BEGIN "):
        m = re.match(rb"-----BEGIN ([A-Z0-9 ]+)-----\r?\n(.*?)-----END \1-----", text, re.S)
        if m is None:
            raise DerError("%s: PEM without a matching END line" % path)
        return base64.b64decode(re.sub(rb"\s", b"", m.group(2)), validate=True)
    if re.fullmatch(rb"[A-Za-z0-9+/=\s]+", data):
        return base64.b64decode(re.sub(rb"\s", b"", data), validate=True)
    return data


def main(argv):
    sections, drop, path = [], [], None
    args = list(argv)
    while args:
        arg = args.pop(0)
        if arg in ("--section", "--drop-attribute") and args:
            (sections if arg == "--section" else drop).append(args.pop(0))
        elif arg.startswith("-") or path is not None:
            sys.stderr.write(__doc__.split("\n\n")[1] + "\n")
            return 2
        else:
            path = arg
    if path is None or any(s not in SECTIONS for s in sections):
        sys.stderr.write(__doc__.split("\n\n")[1] + "\n")
        return 2
    try:
        out = skeleton(read_request(path), drop)
    except (DerError, binascii.Error, ValueError, IndexError) as e:
        sys.stderr.write("csr_skeleton: %s: %s\n" % (path, e))
        return 2
    for section in SECTIONS:
        if not sections or section in sections:
            for line in out[section]:
                print("%s: %s" % (section, line))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
