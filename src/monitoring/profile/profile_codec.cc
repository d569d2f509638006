#include "monitoring/profile/profile_codec.h"

#include <cmath>
#include <set>

#include "monitoring/profile/byte_io.h"

namespace ferry::monitoring {

constexpr size_t kMaxNameBytes = 4096;
// The smallest encoded column (empty name, empty sketches), to bound the column count.
constexpr size_t kMinColumnBytes = 4 + 1 + 5 * 8 + 4 * 8 + 21 + 2 + 4 + 21;

class ProfileCodec {
 public:
  static void EncodeColumn(ByteWriter& w, const ColumnProfile& c);
  static absl::StatusOr<ColumnProfile> DecodeColumn(ByteReader& r);
  static absl::Status DecodeMoments(ByteReader& r, Moments& m);
  static absl::Status CheckColumn(ByteReader& r, size_t at, const ColumnProfile& c);
  static DatasetProfile& Add(DatasetProfile& p, std::string name, ColumnProfile c) {
    p.columns_.emplace_back(std::move(name), std::move(c));
    return p;
  }
  static void SetRows(DatasetProfile& p, uint64_t rows) { p.rows_ = rows; }
};

void ProfileCodec::EncodeColumn(ByteWriter& w, const ColumnProfile& c) {
  w.U8(static_cast<uint8_t>(c.type_));
  w.U64(c.count_);
  w.U64(c.missing_);
  w.U64(c.types_.integral);
  w.U64(c.types_.fractional);
  w.U64(c.types_.string);
  const Moments& m = c.moments_;
  w.U64(m.n);
  if (m.n > 0) {
    w.F64(m.mean);
    w.F64(m.m2);
    w.F64(m.min);
    w.F64(m.max);
  }
  w.U64(m.nan);
  w.U64(m.pos_inf);
  w.U64(m.neg_inf);
  c.kll_.EncodeTo(w);
  c.hll_.EncodeTo(w);
  c.items_.EncodeTo(w);
}

absl::Status ProfileCodec::DecodeMoments(ByteReader& r, Moments& m) {
  RETURN_IF_ERROR(r.U64(&m.n, "moments.n"));
  if (m.n > 0) {
    const size_t at = r.offset();
    RETURN_IF_ERROR(r.F64(&m.mean, "moments.mean"));
    RETURN_IF_ERROR(r.F64(&m.m2, "moments.m2"));
    RETURN_IF_ERROR(r.F64(&m.min, "moments.min"));
    RETURN_IF_ERROR(r.F64(&m.max, "moments.max"));
    if (!std::isfinite(m.mean) || !std::isfinite(m.m2) || m.m2 < 0 || !std::isfinite(m.min) ||
        !std::isfinite(m.max) || m.min > m.max) {
      return r.InvalidAt(at, "moments", "mean, m2, min or max not finite, m2 < 0 or min > max");
    }
  }
  RETURN_IF_ERROR(r.U64(&m.nan, "moments.nan"));
  RETURN_IF_ERROR(r.U64(&m.pos_inf, "moments.pos_inf"));
  RETURN_IF_ERROR(r.U64(&m.neg_inf, "moments.neg_inf"));
  return absl::OkStatus();
}

// The counts must agree with each other and with the sketches.
absl::Status ProfileCodec::CheckColumn(ByteReader& r, size_t at, const ColumnProfile& c) {
  const TypeCounts& t = c.types_;
  const Moments& m = c.moments_;
  const uint64_t kMax = ~uint64_t{0} / 8;
  if (c.count_ > kMax || t.integral > kMax || t.fractional > kMax || t.string > kMax ||
      m.n > kMax || m.nan > kMax || m.pos_inf > kMax || m.neg_inf > kMax) {
    return r.InvalidAt(at, "column counts", "implausibly large");
  }
  if (c.missing_ + t.integral + t.fractional + t.string != c.count_) {
    return r.InvalidAt(at, "column counts", "missing + type counts != count");
  }
  if (c.type_ == ProfileColumnType::kText) {
    if (t.integral + t.fractional + m.n + m.nan + m.pos_inf + m.neg_inf != 0 || !c.kll_.empty()) {
      return r.InvalidAt(at, "column counts", "numbers in a text column");
    }
    if (c.items_.stream_weight() > t.string) {
      return r.InvalidAt(at, "items", "more items than strings");
    }
    return absl::OkStatus();
  }
  if (t.string != 0 || m.nan != c.missing_ ||
      m.n + m.pos_inf + m.neg_inf != t.integral + t.fractional) {
    return r.InvalidAt(at, "column counts", "numeric counts disagree with the moments");
  }
  if (c.kll_.n() != m.n || (m.n > 0 && (c.kll_.min() != m.min || c.kll_.max() != m.max))) {
    return r.InvalidAt(at, "kll", "n, min or max disagree with the moments");
  }
  if (c.items_.stream_weight() > t.integral) {
    return r.InvalidAt(at, "items", "more items than integral values");
  }
  for (const FrequentItem& f : c.items_.AllItems()) {
    if (f.item.size() != 8) return r.InvalidAt(at, "items", "numeric item keys must be 8 bytes");
  }
  return absl::OkStatus();
}

absl::StatusOr<ColumnProfile> ProfileCodec::DecodeColumn(ByteReader& r) {
  const size_t at = r.offset();
  uint8_t type = 0;
  RETURN_IF_ERROR(r.U8(&type, "column.type"));
  if (type > 1) return r.InvalidAt(at, "column.type", "unknown type " + std::to_string(type));
  uint64_t count = 0, missing = 0;
  TypeCounts t;
  RETURN_IF_ERROR(r.U64(&count, "column.count"));
  RETURN_IF_ERROR(r.U64(&missing, "column.missing"));
  RETURN_IF_ERROR(r.U64(&t.integral, "column.integral"));
  RETURN_IF_ERROR(r.U64(&t.fractional, "column.fractional"));
  RETURN_IF_ERROR(r.U64(&t.string, "column.string"));
  Moments m;
  RETURN_IF_ERROR(DecodeMoments(r, m));
  ASSIGN_OR_RETURN(KllSketch kll, KllSketch::DecodeFrom(r));
  ASSIGN_OR_RETURN(HllSketch hll, HllSketch::DecodeFrom(r));
  ASSIGN_OR_RETURN(FrequentItems items, FrequentItems::DecodeFrom(r));
  ColumnProfile c(static_cast<ProfileColumnType>(type), std::move(kll), std::move(hll),
                  std::move(items));
  c.count_ = count;
  c.missing_ = missing;
  c.types_ = t;
  c.moments_ = m;
  RETURN_IF_ERROR(CheckColumn(r, at, c));
  return c;
}

std::string EncodeProfile(const DatasetProfile& p) {
  ByteWriter w;
  w.Raw(kProfileMagic);
  w.U16(kProfileVersion);
  w.U16(p.options().kll_k);
  w.U8(p.options().hll_lg_k);
  w.U8(p.options().items_lg_max_k);
  w.U64(p.options().seed);
  w.U64(p.rows());
  w.U32(static_cast<uint32_t>(p.columns().size()));
  for (const auto& [name, column] : p.columns()) {
    w.Bytes(name);
    ProfileCodec::EncodeColumn(w, column);
  }
  return w.Take();
}

absl::StatusOr<DatasetProfile> DecodeProfile(std::string_view bytes) {
  ByteReader r(bytes);
  std::string_view magic;
  RETURN_IF_ERROR(r.Raw(&magic, kProfileMagic.size(), "magic"));
  if (magic != kProfileMagic) return r.InvalidAt(0, "magic", "not a Ferry profile");
  uint16_t version = 0;
  RETURN_IF_ERROR(r.U16(&version, "version"));
  if (version != kProfileVersion) {
    return r.InvalidAt(4, "version",
                       "unsupported version " + std::to_string(version) + " (this build reads " +
                           std::to_string(kProfileVersion) + ")");
  }
  ProfileOptions o;
  RETURN_IF_ERROR(r.U16(&o.kll_k, "options.kll_k"));
  RETURN_IF_ERROR(r.U8(&o.hll_lg_k, "options.hll_lg_k"));
  RETURN_IF_ERROR(r.U8(&o.items_lg_max_k, "options.items_lg_max_k"));
  RETURN_IF_ERROR(r.U64(&o.seed, "options.seed"));
  if (o.kll_k < KllSketch::kMinK || o.hll_lg_k < HllSketch::kMinLgK ||
      o.hll_lg_k > HllSketch::kMaxLgK || o.items_lg_max_k < 3 || o.items_lg_max_k > 16) {
    return r.InvalidAt(6, "options", "kll_k, hll_lg_k or items_lg_max_k out of range");
  }
  DatasetProfile profile(o);
  uint64_t rows = 0;
  uint32_t num_columns = 0;
  RETURN_IF_ERROR(r.U64(&rows, "rows"));
  RETURN_IF_ERROR(r.U32(&num_columns, "columns"));
  RETURN_IF_ERROR(r.Need(num_columns, kMinColumnBytes, "columns"));
  ProfileCodec::SetRows(profile, rows);
  std::set<std::string_view> names;
  for (uint32_t i = 0; i < num_columns; ++i) {
    const size_t at = r.offset();
    std::string_view name;
    RETURN_IF_ERROR(r.Bytes(&name, kMaxNameBytes, "column.name"));
    if (!names.insert(name).second) {
      return r.InvalidAt(at, "column.name", "column '" + std::string(name) + "' repeated");
    }
    ASSIGN_OR_RETURN(ColumnProfile column, ProfileCodec::DecodeColumn(r));
    if (column.hll().lg_k() != o.hll_lg_k) {
      return r.InvalidAt(at, "hll.lg_k", "differs from the profile's options");
    }
    ProfileCodec::Add(profile, std::string(name), std::move(column));
  }
  if (r.remaining() != 0) {
    return r.Invalid("end", std::to_string(r.remaining()) + " trailing bytes");
  }
  return profile;
}

}  // namespace ferry::monitoring
