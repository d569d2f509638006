// A token service for docker-registry's `auth: token` in tests (distribution's token auth):
// GET /token?service=S&scope=repository:NAME:ACTIONS with Basic credentials answers
// {"token", "access_token", "expires_in"}: an RS256 JWT whose x5c header carries the signing
// certificate (the registry trusts it through rootcertbundle). Only node's built-ins.
//
// Usage: node registry_token_server.js PORT TLS_CERT TLS_KEY SIGN_CERT SIGN_KEY ISSUER USER PASS
// Serves https on 127.0.0.1:PORT and prints "listening" once it does. Wrong credentials get
// 401; no credentials get 401 too (no anonymous access). Every request is logged to stderr
// as "METHOD PATH user=NAME" (never the password).
"use strict";
const crypto = require("crypto");
const fs = require("fs");
const https = require("https");

const [port, tlsCert, tlsKey, signCert, signKey, issuer, user, pass] = process.argv.slice(2);
const signingKey = crypto.createPrivateKey(fs.readFileSync(signKey));
const certDer = new crypto.X509Certificate(fs.readFileSync(signCert)).raw.toString("base64");

const b64url = (buf) => Buffer.from(buf).toString("base64url");

function jwt(claims) {
  const header = { typ: "JWT", alg: "RS256", x5c: [certDer] };
  const input = b64url(JSON.stringify(header)) + "." + b64url(JSON.stringify(claims));
  return input + "." + b64url(crypto.sign("sha256", Buffer.from(input), signingKey));
}

function credentials(req) {
  const m = /^Basic (.+)$/.exec(req.headers.authorization || "");
  if (!m) return null;
  const text = Buffer.from(m[1], "base64").toString();
  const colon = text.indexOf(":");
  return colon < 0 ? null : { user: text.slice(0, colon), pass: text.slice(colon + 1) };
}

function equal(a, b) {
  const x = Buffer.from(a), y = Buffer.from(b);
  return x.length === y.length && crypto.timingSafeEqual(x, y);
}

const server = https.createServer(
  { cert: fs.readFileSync(tlsCert), key: fs.readFileSync(tlsKey) },
  (req, res) => {
    const url = new URL(req.url, "https://localhost");
    const who = credentials(req);
    process.stderr.write(`${req.method} ${url.pathname} user=${who ? who.user : "-"}\n`);
    if (url.pathname !== "/token") {
      res.writeHead(404).end();
      return;
    }
    if (!who || !equal(who.user, user) || !equal(who.pass, pass)) {
      res.writeHead(401, { "Content-Type": "application/json" });
      res.end('{"details":"invalid credentials"}');
      return;
    }
    const access = url.searchParams.getAll("scope").map((scope) => {
      const [type, ...rest] = scope.split(":");
      const actions = rest.pop().split(",");
      return { type, name: rest.join(":"), actions };
    });
    const now = Math.floor(Date.now() / 1000);
    const token = jwt({
      iss: issuer, sub: who.user, aud: url.searchParams.get("service"),
      exp: now + 300, nbf: now - 10, iat: now, jti: crypto.randomUUID(), access,
    });
    res.writeHead(200, { "Content-Type": "application/json" });
    res.end(JSON.stringify({ token, access_token: token, expires_in: 300 }));
  });
server.listen(Number(port), "127.0.0.1", () => console.log("listening"));
