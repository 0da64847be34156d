// Read-model checkpoint bytes through the checkpoint decoder. The input is the part after the
// header (magic, format version); the target adds the header and the SHA-256 check so that
// mutations reach the model's decoder instead of stopping at the checksum.

#include "events/sha256.hpp"
#include "projections/read_model_checkpoint.hpp"

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace tascade;
  std::string bytes = "TSCDRMCK";
  uint32_t version = read_model_checkpoint::format_version;
  bytes.append(reinterpret_cast<const char*>(&version), sizeof version);
  bytes.append(reinterpret_cast<const char*>(data), size);
  auto check = sha256(bytes);
  bytes.append(reinterpret_cast<const char*>(check.data()), check.size());
  (void)read_model_checkpoint::decode(bytes);
  return 0;
}
