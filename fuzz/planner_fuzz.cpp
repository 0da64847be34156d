// The planner's parsers. The first byte picks one: 0 the PRD line rules and the strict
// Markdown UI rule (cmark), 1 a JSON contract, 2 a YAML contract, 3 GraphQL SDL, others the
// contract with its syntax detected. The rest is the text.

#include "planner/contract_input.hpp"
#include "planner/graphql_sdl.hpp"
#include "planner/prd.hpp"

#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace tascade::planner;
  if (size < 1)
    return 0;
  std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
  switch (data[0] % 5) {
    case 0:
      (void)parse_prd(text);
      (void)prd_has_ui_strict(text);
      break;
    case 1:
      (void)load_contract_text(text, contract_syntax::json);
      break;
    case 2:
      (void)load_contract_text(text, contract_syntax::yaml);
      break;
    case 3:
      (void)parse_graphql_sdl(text);
      (void)load_contract_text(text, contract_syntax::graphql);
      break;
    default:
      (void)load_contract_text(text);
  }
  return 0;
}
