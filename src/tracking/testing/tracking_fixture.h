#pragma once
// A TrackingService over a fresh SQLite store in a temp dir, for tests beside tracking/.

#include <gtest/gtest.h>

#include <memory>

#include "common/testing/test_dir.h"
#include "store/sqlite/sqlite_store.h"
#include "tracking/tracking_service.h"

namespace ferry::tracking::testing {

class TrackingFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = store::sqlite::SqliteStore::Create(tmp_.path() + "/ferry.db");
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = std::move(*store);
    service_ = std::make_unique<TrackingService>(*store_, SystemClock(), SystemRandom());
  }

  ferry::testing::TestDir tmp_;
  store::MetadataBackendPtr store_;
  std::unique_ptr<TrackingService> service_;
};

}  // namespace ferry::tracking::testing
