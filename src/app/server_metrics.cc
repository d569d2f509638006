#include "app/server_metrics.h"

namespace ferry::app {

void StoreTimings::OnTransaction(Kind kind, int64_t micros) {
  (kind == Kind::kRead ? read_us_ : write_us_).Observe(micros);
}

void StoreTimings::Render(std::string* out) const {
  AppendMetricHeader(out, "ferry_store_transaction_seconds", "histogram",
                     "Metadata store transactions, from asking for one to its end, by kind.");
  read_us_.Render("ferry_store_transaction_seconds", "kind=\"read\"", out);
  write_us_.Render("ferry_store_transaction_seconds", "kind=\"write\"", out);
}

void ServerMetrics::Render(std::string* out) const {
  requests_.Render(out);
  if (server_ != nullptr) server_->RenderConnectionMetrics(out);
  store_.Render(out);
}

}  // namespace ferry::app
