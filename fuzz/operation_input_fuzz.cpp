// A JSON body through one catalogue operation's input validation and authorization. The first
// byte picks the operation (index modulo the catalogue's size), the second the mode (bit 0:
// strict fields, bit 1: a project-scoped agent key instead of the administrator); the rest is
// the body.

#include "fuzz/stub_catalogue.hpp"

#include <boost/json.hpp>

#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace tascade;
  if (size < 2)
    return 0;
  const auto& ops = fuzz::stub_catalogue();
  auto op = ops[data[0] % ops.size()];
  op.strict_fields = data[1] & 1;
  std::string_view body(reinterpret_cast<const char*>(data + 2), size - 2);
  boost::system::error_code ec;
  auto parsed = boost::json::parse(body, ec);
  if (ec || !parsed.is_object())
    return 0;
  fuzz::invoke_inline(op, fuzz::fuzz_principal(data[1] & 2), std::move(parsed.get_object()));
  return 0;
}
