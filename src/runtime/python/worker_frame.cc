#include "runtime/python/worker_frame.h"

#include <algorithm>
#include <cstdio>
#include <cstring>

#include "common/strings.h"

namespace ferry::runtime::python {
namespace {

constexpr DataType kCodeTable[] = {
    DataType::kBool, DataType::kUint8, DataType::kUint16, DataType::kUint32, DataType::kUint64,
    DataType::kInt8, DataType::kInt16, DataType::kInt32,  DataType::kInt64,  DataType::kFp16,
    DataType::kFp32, DataType::kFp64,  DataType::kBytes,  DataType::kBf16,
};

template <typename T>
void Put(std::string& out, T value) {
  char raw[sizeof(T)];
  std::memcpy(raw, &value, sizeof(T));  // the hosts Ferry runs on are little-endian
  out.append(raw, sizeof(T));
}

void PutString(std::string& out, std::string_view s) {
  Put<uint32_t>(out, static_cast<uint32_t>(s.size()));
  out.append(s);
}

void PadTo8(std::string& out) { out.append((8 - out.size() % 8) % 8, '\0'); }

bool GoesToArena(const Tensor& t) {
  return t.datatype != DataType::kBytes && t.data.size() >= kArenaMinBytes;
}

uint64_t Aligned8(uint64_t n) { return (n + 7) / 8 * 8; }

// `arena_used` is where the next bulk tensor goes; null when the frame goes inline.
void PutTensor(std::string& out, const Tensor& t, ArenaSpan arena, uint64_t* arena_used) {
  const bool to_arena = arena_used != nullptr && GoesToArena(t);
  PutString(out, t.name);
  Put<uint8_t>(out, DataTypeCode(t.datatype) | (to_arena ? kArenaFlag : 0));
  Put<uint8_t>(out, static_cast<uint8_t>(t.shape.size()));
  for (int64_t d : t.shape) Put<int64_t>(out, d);
  if (to_arena) {
    Put<uint64_t>(out, t.data.size());
    Put<uint64_t>(out, *arena_used);
    std::memcpy(arena.base + *arena_used, t.data.data(), t.data.size());
    *arena_used += Aligned8(t.data.size());
    return;
  }
  if (t.datatype == DataType::kBytes) {
    uint64_t total = 0;
    for (const std::string& s : t.strings) total += 4 + s.size();
    Put<uint64_t>(out, total);
    PadTo8(out);
    for (const std::string& s : t.strings) PutString(out, s);
  } else {
    Put<uint64_t>(out, t.data.size());
    PadTo8(out);
    out.append(t.data);
  }
}

// A bounds-checked cursor over a frame; every error names the offset where it happened.
class Reader {
 public:
  explicit Reader(std::string_view bytes) : bytes_(bytes) {}

  size_t offset() const { return pos_; }
  size_t left() const { return bytes_.size() - pos_; }

  absl::Status Error(std::string_view what) const {
    return absl::InvalidArgumentError(StrCat("worker frame: offset ", pos_, ": ", what));
  }

  template <typename T>
  absl::StatusOr<T> Get(std::string_view what) {
    if (left() < sizeof(T)) return Error(StrCat("truncated ", what));
    T value;
    std::memcpy(&value, bytes_.data() + pos_, sizeof(T));
    pos_ += sizeof(T);
    return value;
  }

  absl::StatusOr<std::string_view> Bytes(uint64_t n, std::string_view what) {
    if (n > left()) {
      return Error(StrCat(what, " of ", n, " bytes runs past the end (", left(), " left)"));
    }
    std::string_view s = bytes_.substr(pos_, n);
    pos_ += n;
    return s;
  }

  absl::StatusOr<std::string> String(std::string_view what) {
    ASSIGN_OR_RETURN(uint32_t n, Get<uint32_t>(what));
    ASSIGN_OR_RETURN(std::string_view s, Bytes(n, what));
    return std::string(s);
  }

  absl::Status SkipPadding() {
    size_t pad = (8 - pos_ % 8) % 8;
    if (pad > left()) return Error("truncated padding");
    pos_ += pad;
    return absl::OkStatus();
  }

 private:
  std::string_view bytes_;
  size_t pos_ = 0;
};

absl::Status ReadStrings(Reader& r, std::string_view data, int64_t count, Tensor& t) {
  Reader elements(data);
  t.strings.reserve(static_cast<size_t>(std::min<int64_t>(count, kMaxFrameItems)));
  for (int64_t i = 0; i < count; ++i) {
    absl::StatusOr<std::string> s = elements.String("BYTES element");
    if (!s.ok()) {
      return r.Error(
          StrCat("tensor \"", t.name, "\": element ", i, ": ", StatusMessage(s.status())));
    }
    t.strings.push_back(*std::move(s));
  }
  if (elements.left() != 0) {
    return r.Error(StrCat("tensor \"", t.name, "\": ", elements.left(),
                          " bytes after its last BYTES element"));
  }
  return absl::OkStatus();
}

absl::StatusOr<Tensor> ReadTensor(Reader& r) {
  Tensor t;
  ASSIGN_OR_RETURN(t.name, r.String("tensor name"));
  ASSIGN_OR_RETURN(uint8_t code, r.Get<uint8_t>("datatype"));
  std::optional<DataType> type = DataTypeFromCode(code);
  if (!type) return r.Error(StrCat("tensor \"", t.name, "\": unknown datatype code ", code));
  t.datatype = *type;
  ASSIGN_OR_RETURN(uint8_t rank, r.Get<uint8_t>("rank"));
  if (rank > kMaxTensorRank) return r.Error(StrCat("tensor \"", t.name, "\": rank ", rank));
  for (int i = 0; i < rank; ++i) {
    ASSIGN_OR_RETURN(int64_t d, r.Get<int64_t>("dimension"));
    t.shape.push_back(d);
  }
  absl::StatusOr<int64_t> count = ShapeElementCount(t.shape, int64_t{1} << 40);
  if (!count.ok())
    return r.Error(StrCat("tensor \"", t.name, "\": ", StatusMessage(count.status())));
  ASSIGN_OR_RETURN(uint64_t size, r.Get<uint64_t>("data length"));
  RETURN_IF_ERROR(r.SkipPadding());
  ASSIGN_OR_RETURN(std::string_view data, r.Bytes(size, "tensor data"));
  if (t.datatype == DataType::kBytes) {
    if (*count > static_cast<int64_t>(size / 4)) {
      return r.Error(StrCat("tensor \"", t.name, "\": shape ", ShapeString(t.shape), " needs ",
                            *count, " BYTES elements, data holds at most ", size / 4));
    }
    RETURN_IF_ERROR(ReadStrings(r, data, *count, t));
  } else {
    const uint64_t want = static_cast<uint64_t>(*count) * DataTypeSize(t.datatype);
    if (want != size) {
      return r.Error(StrCat("tensor \"", t.name, "\": shape ", ShapeString(t.shape), " of ",
                            DataTypeName(t.datatype), " needs ", want, " bytes, got ", size));
    }
    t.data.assign(data);
  }
  return t;
}

absl::Status CheckHeaderStart(Reader& r) {
  ASSIGN_OR_RETURN(uint32_t magic, r.Get<uint32_t>("magic"));
  if (magic != kFrameMagic) {
    char hex[16];
    std::snprintf(hex, sizeof hex, "%08x", magic);
    return r.Error(StrCat("bad magic 0x", hex, " (not a Ferry worker frame)"));
  }
  ASSIGN_OR_RETURN(uint16_t version, r.Get<uint16_t>("version"));
  if (version != kFrameVersion) {
    return r.Error(StrCat("version ", version, ", this side speaks ", kFrameVersion));
  }
  return absl::OkStatus();
}

}  // namespace

std::string_view FrameTypeName(FrameType type) {
  switch (type) {
    case FrameType::kLoad:
      return "LOAD";
    case FrameType::kPredict:
      return "PREDICT";
    case FrameType::kPing:
      return "PING";
    case FrameType::kShutdown:
      return "SHUTDOWN";
    case FrameType::kResult:
      return "RESULT";
    case FrameType::kError:
      return "ERROR";
  }
  return "?";
}

std::string_view Frame::Param(std::string_view key) const {
  for (const auto& [k, v] : params) {
    if (k == key) return v;
  }
  return {};
}

uint8_t DataTypeCode(DataType type) {
  for (size_t i = 0; i < std::size(kCodeTable); ++i) {
    if (kCodeTable[i] == type) return static_cast<uint8_t>(i + 1);
  }
  return 0;
}

std::optional<DataType> DataTypeFromCode(uint8_t code) {
  if (code == 0 || code > std::size(kCodeTable)) return std::nullopt;
  return kCodeTable[code - 1];
}

uint64_t ArenaBytesNeeded(const Frame& frame) {
  uint64_t n = 0;
  for (const Tensor& t : frame.tensors) {
    if (GoesToArena(t)) n += Aligned8(t.data.size());
  }
  return n;
}

std::string EncodeFrame(const Frame& frame, ArenaSpan arena) {
  const uint64_t bulk = arena.base == nullptr ? 0 : ArenaBytesNeeded(frame);
  uint64_t arena_used = 0;
  uint64_t* cursor = bulk > 0 && bulk <= arena.size ? &arena_used : nullptr;
  size_t size = kFrameHeaderSize;
  for (const auto& [key, value] : frame.params) size += 8 + key.size() + value.size();
  for (const Tensor& t : frame.tensors) {
    size += 4 + t.name.size() + 2 + 8 * t.shape.size() + 8 + 7 + t.data.size();
    for (const std::string& e : t.strings) size += 4 + e.size();
  }
  std::string out;
  out.reserve(size);  // one allocation: the tensors' bytes are copied once
  Put<uint32_t>(out, kFrameMagic);
  Put<uint16_t>(out, kFrameVersion);
  Put<uint16_t>(out, static_cast<uint16_t>(frame.type));
  Put<uint64_t>(out, frame.request_id);
  Put<uint64_t>(out, frame.deadline_us);
  Put<uint64_t>(out, 0);  // the total length, patched below
  Put<uint32_t>(out, static_cast<uint32_t>(frame.params.size()));
  Put<uint32_t>(out, static_cast<uint32_t>(frame.tensors.size()));
  for (const auto& [key, value] : frame.params) {
    PutString(out, key);
    PutString(out, value);
  }
  for (const Tensor& t : frame.tensors) PutTensor(out, t, arena, cursor);
  const uint64_t total = out.size();
  std::memcpy(out.data() + 24, &total, sizeof total);
  return out;
}

absl::StatusOr<uint64_t> PeekFrameLength(std::string_view header) {
  Reader r(header.substr(0, kFrameHeaderSize));
  if (r.left() < kFrameHeaderSize) {
    return r.Error(StrCat("truncated header: ", header.size(), " of ", kFrameHeaderSize, " bytes"));
  }
  RETURN_IF_ERROR(CheckHeaderStart(r));
  (void)r.Bytes(18, "header");
  ASSIGN_OR_RETURN(uint64_t total, r.Get<uint64_t>("frame length"));
  if (total < kFrameHeaderSize || total > kMaxFrameBytes) {
    return absl::InvalidArgumentError(StrCat("worker frame: offset 24: frame length ", total,
                                             " outside [", kFrameHeaderSize, ", ", kMaxFrameBytes,
                                             "]"));
  }
  return total;
}

absl::StatusOr<Frame> DecodeFrame(std::string_view bytes) {
  ASSIGN_OR_RETURN(uint64_t total, PeekFrameLength(bytes));
  if (total != bytes.size()) {
    return absl::InvalidArgumentError(StrCat("worker frame: offset 24: header says ", total,
                                             " bytes, the frame has ", bytes.size()));
  }
  Reader r(bytes);
  RETURN_IF_ERROR(CheckHeaderStart(r));
  Frame frame;
  ASSIGN_OR_RETURN(uint16_t type, r.Get<uint16_t>("type"));
  if (type < 1 || type > 6) return r.Error(StrCat("unknown frame type ", type));
  frame.type = static_cast<FrameType>(type);
  ASSIGN_OR_RETURN(frame.request_id, r.Get<uint64_t>("request id"));
  ASSIGN_OR_RETURN(frame.deadline_us, r.Get<uint64_t>("deadline"));
  (void)r.Get<uint64_t>("frame length");
  ASSIGN_OR_RETURN(uint32_t n_params, r.Get<uint32_t>("parameter count"));
  ASSIGN_OR_RETURN(uint32_t n_tensors, r.Get<uint32_t>("tensor count"));
  if (n_params > kMaxFrameItems || n_tensors > kMaxFrameItems) {
    return r.Error(StrCat(n_params, " parameters and ", n_tensors, " tensors exceed the limit ",
                          kMaxFrameItems));
  }
  for (uint32_t i = 0; i < n_params; ++i) {
    ASSIGN_OR_RETURN(std::string key, r.String("parameter name"));
    ASSIGN_OR_RETURN(std::string value, r.String("parameter value"));
    frame.params.emplace_back(std::move(key), std::move(value));
  }
  for (uint32_t i = 0; i < n_tensors; ++i) {
    ASSIGN_OR_RETURN(Tensor t, ReadTensor(r));
    frame.tensors.push_back(std::move(t));
  }
  if (r.left() != 0) return r.Error(StrCat(r.left(), " bytes after the last tensor"));
  return frame;
}

}  // namespace ferry::runtime::python
