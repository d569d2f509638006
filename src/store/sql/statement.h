#pragma once
// The driver seam of the SQL metadata stores: one Statement and one Connection shape that the
// SQLite driver (store/sqlite/sqlite_db.h) and the PostgreSQL driver (store/postgres/) both
// implement, so that the same store code serves both (docs/ARCHITECTURE.md, "SQL drivers").
//
// A Statement is a move-only handle on a backend's StatementImpl, which usually lives in its
// Connection's prepared-statement cache: preparing a cached statement allocates nothing, and
// each call below is one virtual call into the driver (the ingest hot path binds and runs a
// cached statement ~2M times a second; see the figures in ARCHITECTURE).
//
// Thread safety: a Connection and the Statements borrowed from it are used by one thread at a
// time.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"

namespace ferry::store::sql {

// What a driver implements for one prepared statement. Parameters are bound in call order
// (the first Bind* call is ?1). A binding error is remembered and reported by Step().
class StatementImpl {
 public:
  virtual ~StatementImpl() = default;
  virtual void BindInt(int64_t v) = 0;
  virtual void BindDouble(double v) = 0;
  // `copy` false: `v` stays valid until the statement is stepped to completion and reset.
  virtual void BindText(std::string_view v, bool copy) = 0;
  virtual void BindNull() = 0;
  // Rewinds the statement and clears its bindings.
  virtual void Reset() = 0;
  // Steps once: true when a row is available, false when the statement is done.
  virtual absl::StatusOr<bool> Step() = 0;
  virtual int64_t Int(int col) const = 0;
  virtual double Double(int col) const = 0;
  virtual bool IsNull(int col) const = 0;
  // Valid until the next Step(), Reset() or release; empty for NULL.
  virtual std::string_view TextView(int col) const = 0;
  // The handle is done with the statement: reset it and return it to its connection's cache,
  // or delete it when it was prepared for one use.
  virtual void Release() = 0;
};

class Statement {
 public:
  explicit Statement(StatementImpl* impl) : impl_(impl) {}
  Statement(Statement&& other) noexcept : impl_(other.impl_) { other.impl_ = nullptr; }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  Statement& operator=(Statement&&) = delete;
  ~Statement() {
    if (impl_ != nullptr) impl_->Release();
  }

  // Binds the next positional parameter (?1, ?2, ... in call order).
  Statement& BindInt(int64_t v) {
    impl_->BindInt(v);
    return *this;
  }
  // NaN: SQLite stores NULL, PostgreSQL stores NaN; callers map it first (is_nan columns).
  Statement& BindDouble(double v) {
    impl_->BindDouble(v);
    return *this;
  }
  Statement& BindText(std::string_view v) {
    impl_->BindText(v, /*copy=*/true);
    return *this;
  }
  // Binds without copying: `v` must stay valid until the statement is stepped to completion
  // and Reset() or destroyed. For hot loops over caller-owned data.
  Statement& BindTextRef(std::string_view v) {
    impl_->BindText(v, /*copy=*/false);
    return *this;
  }
  Statement& BindNull() {
    impl_->BindNull();
    return *this;
  }
  Statement& BindOptionalText(const std::optional<std::string>& v) {
    return v ? BindText(*v) : BindNull();
  }
  Statement& BindOptionalInt(const std::optional<int64_t>& v) {
    return v ? BindInt(*v) : BindNull();
  }

  // Rewinds the statement and clears its bindings, for executing it again.
  Statement& Reset() {
    impl_->Reset();
    return *this;
  }

  // Steps once: true when a row is available, false when the statement is done.
  absl::StatusOr<bool> Step() { return impl_->Step(); }
  // Steps to completion, discarding any rows.
  absl::Status Run();

  int64_t Int(int col) const { return impl_->Int(col); }
  double Double(int col) const { return impl_->Double(col); }
  bool IsNull(int col) const { return impl_->IsNull(col); }
  std::string Text(int col) const { return std::string(impl_->TextView(col)); }
  std::string_view TextView(int col) const { return impl_->TextView(col); }
  std::optional<std::string> OptionalText(int col) const;
  std::optional<int64_t> OptionalInt(int col) const;

 private:
  StatementImpl* impl_;
};

}  // namespace ferry::store::sql
