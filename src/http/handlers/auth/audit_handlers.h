#pragma once
// The audit log of `ferry server --auth` over HTTP: the RequestObserver that records every
// write (what access_rules.h's Audited() says) with its final status, and the admins' listing
// GET /api/ferry/v1/audit (docs/AUTH.md, "Audit log").

#include <vector>

#include "http/request_observer.h"
#include "http/router.h"

namespace ferry::auth {
class AuditLog;
}

namespace ferry::http {

// Records, through `log`, each response to an audited route: who (HttpRequest::user, "-"
// when refused before authentication), from where (peer), the method, path, status, request
// id and the resource the access check found. The entry is committed before the response is
// written, so an answered write is in the log even if the server is killed right after.
class AuditObserver : public RequestObserver {
 public:
  // Reads `router`'s routes now: build it once every route is in. `log` outlives it.
  AuditObserver(const Router& router, auth::AuditLog& log);
  void OnResponse(const HttpRequest& request, int route_index, int status) override;

 private:
  std::vector<bool> audited_;  // by route index
  auth::AuditLog& log_;
};

// GET /api/ferry/v1/audit?user=&since_ms=&until_ms=&max_results=&page_token= (admins, by
// its access rule): {"entries": [...], "next_page_token": "..."}, newest first.
void RegisterAuditRoute(Router& router, auth::AuditLog& log);

}  // namespace ferry::http
