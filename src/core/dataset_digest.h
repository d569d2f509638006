#pragma once
// Ferry's data digests ("sha256:<64 hex>", a file's or a directory tree's) as MLflow dataset
// digests, which MLflow limits to 36 characters: the first 32 hex digits of the SHA-256
// (128 bits). The full digest goes with the dataset input as its tag ferry.digest, so lineage
// can name the data exactly.

#include <string>
#include <string_view>

namespace ferry {

inline constexpr char kDatasetDigestTag[] = "ferry.digest";

// "sha256:<64 hex>" -> its first 32 hex digits; any other digest is returned as given.
std::string MlflowDatasetDigest(std::string_view digest);

}  // namespace ferry
