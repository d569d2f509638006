// Walks every route `ferry serve` registers against the access rules of `ferry serve --auth`:
// a route added without a rule fails here (and would stop `ferry serve --auth` at start-up).

#include "app/serve_routes.h"

#include "app/monitoring/live_monitoring.h"
#include "auth/serve_tokens.h"
#include "common/clock.h"
#include "gtest/gtest.h"
#include "http/handlers/auth/serve_guard.h"
#include "http/handlers/auth/serve_rules.h"
#include "http/handlers/blocking_worker.h"
#include "http/router.h"
#include "serving/serving_service.h"

namespace ferry::app {
namespace {

serving::VersionLoader NoModels() {
  return [](const serving::VersionRef&) -> absl::StatusOr<serving::LoadedModel> {
    return absl::NotFoundError("no models in this test");
  };
}

TEST(ServeRoutesTest, EveryRouteOfFerryServeHasAServeAccessRule) {
  serving::ServingService service(NoModels(), SystemClock(), SystemRandom());
  http::BlockingWorker worker("test", 1, 1);
  cli::LiveMonitorConfig monitor;
  monitor.mode = cli::MonitorMode::kOn;
  LiveMonitoring monitoring(monitor, SystemClock(), SystemRandom());
  http::Router router;
  AddServeRoutes(router, {&service, &worker, &monitoring, nullptr, {}});

  ASSERT_GT(router.route_count(), 15u);
  for (size_t i = 0; i < router.route_count(); ++i) {
    EXPECT_NE(http::FindServeRule(router.route_method(i), router.route_pattern(i)), nullptr)
        << router.route_method(i) << " " << router.route_pattern(i);
  }
  auto tokens = auth::ParseServeTokens("infer infer infer-token-0123456789\n");
  ASSERT_TRUE(tokens.ok());
  auth::ServeTokens serve_tokens(*std::move(tokens));
  EXPECT_TRUE(router.Guard(http::ServeAuthPolicy(router, serve_tokens, {})).ok());
}

}  // namespace
}  // namespace ferry::app
