// A test OpenID provider for tests only: the stand-in for a real IdP (none is installable from
// Debian here), enough of OpenID Connect Core's authorization code flow with PKCE (RFC 7636)
// for Ferry's browser sign-in (e2e.ui_oidc_login):
//   GET  /.well-known/openid-configuration   issuer, authorization_endpoint, token_endpoint,
//                                            jwks_uri
//   GET  /jwks.json                          the public key (RS256), from a PEM made by
//                                            `openssl genpkey` as tests/e2e/auth_oidc.sh does
//   GET  /authorize                          auto-approves: checks client_id, response_type and
//                                            code_challenge_method=S256, records the
//                                            code_challenge, nonce and redirect_uri under a new
//                                            code, and redirects back with code and state
//   POST /token                              checks grant_type, the code (single use),
//                                            redirect_uri, client_id, client_secret (if one is
//                                            configured) and the PKCE verifier
//                                            (BASE64URL(SHA256(verifier)) == challenge), and
//                                            answers an id_token signed with the key, carrying
//                                            the nonce it got
//   POST /control?next=MODE                  the next sign-in misbehaves: `wrong_nonce` (the
//                                            id_token carries another nonce) or `bad_pkce` (the
//                                            recorded challenge is not the one sent, so the
//                                            verifier will not match)
//   POST /control?user=NAME&groups=A,B       the next sign-in's id_token names NAME (else
//                                            USERNAME) with groups A and B (`groups=` for none;
//                                            else ["staff"]); either may come alone, with or
//                                            without `next`
//   GET  /log                                what the token endpoint saw (JSON lines), no secrets
// Usage: node test_provider.js PORT KEY.pem CLIENT_ID USERNAME [CLIENT_SECRET]
// Prints "ready" once listening.
const crypto = require("node:crypto");
const http = require("node:http");

const [port, keyFile, clientId, username, clientSecret] = process.argv.slice(2);
const issuer = `http://127.0.0.1:${port}`;
const privateKey = crypto.createPrivateKey(require("node:fs").readFileSync(keyFile));
const jwk = { ...crypto.createPublicKey(privateKey).export({ format: "jwk" }), kid: "test1", alg: "RS256", use: "sig" };
const codes = new Map(); // code -> {challenge, nonce, redirect_uri, client_id}
const log = [];
let nextMode = "";
let nextIdentity = {}; // {username, groups} for the next sign-in, else the defaults

const b64url = (buf) => Buffer.from(buf).toString("base64url");

function idToken({ nonce, user, groups }) {
  const now = Math.floor(Date.now() / 1000);
  const header = b64url(JSON.stringify({ alg: "RS256", kid: "test1", typ: "JWT" }));
  const claims = b64url(JSON.stringify({
    iss: issuer, aud: clientId, sub: "sub-" + user, preferred_username: user,
    groups, nonce, iat: now, exp: now + 300,
  }));
  const signature = crypto.sign("sha256", Buffer.from(`${header}.${claims}`), privateKey);
  return `${header}.${claims}.${b64url(signature)}`;
}

function send(res, status, body, headers = {}) {
  res.writeHead(status, { "Content-Type": "application/json", ...headers });
  res.end(typeof body === "string" ? body : JSON.stringify(body));
}

function authorize(q, res) {
  const fail = (error) => send(res, 400, { error });
  if (q.get("client_id") !== clientId) return fail("unauthorized_client");
  if (q.get("response_type") !== "code") return fail("unsupported_response_type");
  if (q.get("code_challenge_method") !== "S256" || !q.get("code_challenge")) return fail("invalid_request: PKCE S256 required");
  if (!(q.get("scope") || "").split(" ").includes("openid")) return fail("invalid_scope");
  const code = b64url(crypto.randomBytes(24));
  const mode = nextMode;
  const identity = nextIdentity;
  nextMode = "";
  nextIdentity = {};
  codes.set(code, {
    challenge: mode === "bad_pkce" ? b64url(crypto.randomBytes(32)) : q.get("code_challenge"),
    nonce: mode === "wrong_nonce" ? "not-the-nonce-" + b64url(crypto.randomBytes(8)) : q.get("nonce"),
    redirect_uri: q.get("redirect_uri"),
    user: identity.username || username,
    groups: identity.groups || ["staff"],
  });
  const back = new URL(q.get("redirect_uri"));
  back.searchParams.set("code", code);
  back.searchParams.set("state", q.get("state") || "");
  res.writeHead(302, { Location: back.toString() });
  res.end();
}

function token(form, res) {
  const refuse = (error, description) => {
    log.push({ endpoint: "token", error, description });
    send(res, 400, { error, error_description: description });
  };
  if (form.get("grant_type") !== "authorization_code") return refuse("unsupported_grant_type", "");
  const entry = codes.get(form.get("code") || "");
  codes.delete(form.get("code") || "");
  if (!entry) return refuse("invalid_grant", "unknown or used code");
  if (form.get("redirect_uri") !== entry.redirect_uri) return refuse("invalid_grant", "redirect_uri differs");
  if (form.get("client_id") !== clientId) return refuse("invalid_client", "client_id differs");
  if (clientSecret && form.get("client_secret") !== clientSecret) return refuse("invalid_client", "wrong client_secret");
  const verifier = form.get("code_verifier") || "";
  if (!/^[A-Za-z0-9._~-]{43,128}$/.test(verifier)) return refuse("invalid_grant", "malformed code_verifier");
  if (b64url(crypto.createHash("sha256").update(verifier).digest()) !== entry.challenge) {
    return refuse("invalid_grant", "PKCE verification failed");
  }
  log.push({ endpoint: "token", ok: true, pkce: "S256", secret: Boolean(form.get("client_secret")) });
  send(res, 200, { access_token: b64url(crypto.randomBytes(24)), token_type: "Bearer", expires_in: 300, id_token: idToken(entry) },
       { "Cache-Control": "no-store" });
}

http.createServer((req, res) => {
  const url = new URL(req.url, issuer);
  let body = "";
  req.on("data", (chunk) => (body += chunk));
  req.on("end", () => {
    if (req.method === "GET" && url.pathname === "/.well-known/openid-configuration") {
      return send(res, 200, {
        issuer, authorization_endpoint: issuer + "/authorize", token_endpoint: issuer + "/token",
        jwks_uri: issuer + "/jwks.json", response_types_supported: ["code"],
        code_challenge_methods_supported: ["S256"], id_token_signing_alg_values_supported: ["RS256"],
      });
    }
    if (req.method === "GET" && url.pathname === "/jwks.json") return send(res, 200, { keys: [jwk] });
    if (req.method === "GET" && url.pathname === "/authorize") return authorize(url.searchParams, res);
    if (req.method === "POST" && url.pathname === "/token") return token(new URLSearchParams(body), res);
    if (req.method === "POST" && url.pathname === "/control") {
      nextMode = url.searchParams.get("next") || "";
      nextIdentity = {};
      if (url.searchParams.has("user")) nextIdentity.username = url.searchParams.get("user");
      if (url.searchParams.has("groups")) {
        nextIdentity.groups = url.searchParams.get("groups").split(",").filter(Boolean);
      }
      return send(res, 200, { next: nextMode, ...nextIdentity });
    }
    if (req.method === "GET" && url.pathname === "/log") return send(res, 200, log.map((l) => JSON.stringify(l)).join("\n"));
    send(res, 404, { error: "not_found" });
  });
}).listen(Number(port), "127.0.0.1", () => console.log("ready"));
