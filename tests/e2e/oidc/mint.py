"""A toy OpenID provider's key set and tokens for tests/e2e/auth_oidc.sh: the standard library
and the `openssl` command only (keys made with `openssl genpkey`, signatures with
`openssl dgst -sign`).

  mint.py jwks RSA_PEM EC_PEM                  the public keys as a JWKS (kids rsa1, ec1)
  mint.py token --key PEM --alg RS256|ES256 --kid KID --iss ISS --aud AUD --sub NAME
          [--ttl SECONDS] [--groups a,b] [--mode none|tamper]
"""
import argparse
import base64
import json
import subprocess
import sys
import time


def b64(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def openssl(*args, data=None):
    return subprocess.run(["openssl", *args], input=data, capture_output=True, check=True).stdout


def jwks(rsa_pem, ec_pem):
    modulus = openssl("rsa", "-in", rsa_pem, "-noout", "-modulus").decode().strip()
    n = bytes.fromhex(modulus.split("=", 1)[1])
    # The last 65 bytes of a P-256 SubjectPublicKeyInfo are the point 04 || x || y.
    point = openssl("pkey", "-in", ec_pem, "-pubout", "-outform", "DER")[-65:]
    assert point[0] == 4, point
    return {"keys": [
        {"kty": "RSA", "kid": "rsa1", "use": "sig", "alg": "RS256", "n": b64(n), "e": "AQAB"},
        {"kty": "EC", "kid": "ec1", "use": "sig", "crv": "P-256",
         "x": b64(point[1:33]), "y": b64(point[33:])},
    ]}


def der_to_raw(der):
    """An ECDSA-Sig-Value (SEQUENCE of INTEGER r, s) as the JWS form r || s, 32 bytes each."""
    assert der[0] == 0x30 and der[1] < 0x80, der
    out, i = b"", 2
    for _ in range(2):
        assert der[i] == 0x02
        length = der[i + 1]
        out += int.from_bytes(der[i + 2:i + 2 + length], "big").to_bytes(32, "big")
        i += 2 + length
    return out


def token(args):
    now = int(time.time())
    claims = {"iss": args.iss, "aud": args.aud, "sub": args.sub, "preferred_username": args.sub,
              "iat": now, "nbf": now, "exp": now + args.ttl}
    if args.groups:
        claims["groups"] = args.groups.split(",")
    alg = "none" if args.mode == "none" else args.alg
    header = {"alg": alg, "kid": args.kid, "typ": "JWT"}
    signing_input = b64(json.dumps(header).encode()) + "." + b64(json.dumps(claims).encode())
    if args.mode == "none":
        return signing_input + "."
    signature = openssl("dgst", "-sha256", "-sign", args.key, data=signing_input.encode())
    if args.alg == "ES256":
        signature = der_to_raw(signature)
    if args.mode == "tamper":  # the same signature over other claims: an admin's
        claims["groups"] = ["ferry-admins"]
        signing_input = signing_input.split(".")[0] + "." + b64(json.dumps(claims).encode())
    return signing_input + "." + b64(signature)


def main():
    if sys.argv[1] == "jwks":
        print(json.dumps(jwks(sys.argv[2], sys.argv[3])))
        return
    p = argparse.ArgumentParser()
    p.add_argument("what")
    for name in ("--key", "--alg", "--kid", "--iss", "--aud", "--sub"):
        p.add_argument(name, required=True)
    p.add_argument("--ttl", type=int, default=600)
    p.add_argument("--groups", default="")
    p.add_argument("--mode", default="")
    print(token(p.parse_args()))


main()
