#include "http/admission/connection_limiter.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>

namespace ferry::http {
namespace {

// The peer's IP address bytes (4 for IPv4 and IPv4-mapped IPv6, else 16).
std::string AddressKey(const sockaddr_storage& peer) {
  if (peer.ss_family == AF_INET) {
    const auto& v4 = reinterpret_cast<const sockaddr_in&>(peer);
    return std::string(reinterpret_cast<const char*>(&v4.sin_addr), 4);
  }
  if (peer.ss_family == AF_INET6) {
    const auto& v6 = reinterpret_cast<const sockaddr_in6&>(peer);
    const char* bytes = reinterpret_cast<const char*>(&v6.sin6_addr);
    if (IN6_IS_ADDR_V4MAPPED(&v6.sin6_addr)) return std::string(bytes + 12, 4);
    return std::string(bytes, 16);
  }
  return std::string();  // e.g. a Unix socket: all such peers share one key
}

}  // namespace

std::string PeerAddressText(const sockaddr_storage& peer) {
  const std::string key = AddressKey(peer);
  char text[INET6_ADDRSTRLEN] = {};
  const int family = key.size() == 4 ? AF_INET : AF_INET6;
  if (key.empty() || inet_ntop(family, key.data(), text, sizeof(text)) == nullptr) return "";
  return text;
}

ConnectionLimiter::Slot& ConnectionLimiter::Slot::operator=(Slot&& other) noexcept {
  if (this != &other) {
    Release();
    limiter_ = other.limiter_;
    key_ = std::move(other.key_);
    other.limiter_ = nullptr;
  }
  return *this;
}

void ConnectionLimiter::Slot::Release() {
  if (limiter_ == nullptr) return;
  limiter_->Release(key_);
  limiter_ = nullptr;
}

ConnectionLimiter::Refusal ConnectionLimiter::TryAcquire(const sockaddr_storage& peer, Slot* slot) {
  std::string key = AddressKey(peer);
  std::lock_guard<std::mutex> lock(mu_);
  if (max_total_ > 0 && open_.load(std::memory_order_relaxed) >= max_total_) {
    refused_total_.fetch_add(1, std::memory_order_relaxed);
    return Refusal::kTotal;
  }
  int& count = per_client_[key];
  if (max_per_client_ > 0 && count >= max_per_client_) {
    refused_per_client_.fetch_add(1, std::memory_order_relaxed);
    return Refusal::kPerClient;
  }
  ++count;
  open_.fetch_add(1, std::memory_order_relaxed);
  *slot = Slot();
  slot->limiter_ = this;
  slot->key_ = std::move(key);
  return Refusal::kNone;
}

void ConnectionLimiter::Release(const std::string& key) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = per_client_.find(key);
  if (it != per_client_.end() && --it->second <= 0) per_client_.erase(it);
  open_.fetch_sub(1, std::memory_order_relaxed);
}

uint64_t ConnectionLimiter::refused(Refusal reason) const {
  switch (reason) {
    case Refusal::kTotal:
      return refused_total_.load(std::memory_order_relaxed);
    case Refusal::kPerClient:
      return refused_per_client_.load(std::memory_order_relaxed);
    case Refusal::kNone:
      break;
  }
  return 0;
}

void ConnectionLimiter::RenderMetrics(std::string* out) const {
  out->append(
      "# HELP ferry_http_open_connections Client connections open now.\n"
      "# TYPE ferry_http_open_connections gauge\n"
      "ferry_http_open_connections ");
  out->append(std::to_string(open()));
  out->append(
      "\n# HELP ferry_http_refused_connections_total Connections refused at accept by a "
      "connection cap.\n"
      "# TYPE ferry_http_refused_connections_total counter\n"
      "ferry_http_refused_connections_total{reason=\"per_client\"} ");
  out->append(std::to_string(refused(Refusal::kPerClient)));
  out->append("\nferry_http_refused_connections_total{reason=\"total\"} ");
  out->append(std::to_string(refused(Refusal::kTotal)));
  out->append(
      "\n# HELP ferry_http_evicted_connections_total Connections still waiting for request "
      "headers, closed at the overall cap to make room for a new one.\n"
      "# TYPE ferry_http_evicted_connections_total counter\n"
      "ferry_http_evicted_connections_total ");
  out->append(std::to_string(evicted()));
  out->push_back('\n');
}

}  // namespace ferry::http
