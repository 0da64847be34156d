#include "planner/contract_input.hpp"

#include "planner/graphql_contract.hpp"
#include "planner/graphql_sdl.hpp"
#include "planner/openapi_contract.hpp"
#include "planner/planner_errors.hpp"
#include "planner/yaml_document.hpp"

#include <boost/json.hpp>

namespace tascade::planner {

namespace json = boost::json;

namespace {

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

std::string line_column(std::string_view text, size_t at) {
  size_t line = 1, col = 1;
  for (size_t i = 0; i < at && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      col = 1;
    } else {
      ++col;
    }
  }
  return "line " + std::to_string(line) + ", column " + std::to_string(col);
}

caf::expected<json::value> parse_json_text(std::string_view text) {
  json::stream_parser p;
  boost::system::error_code ec;
  size_t used = p.write(text.data(), text.size(), ec);
  if (!ec)
    p.finish(ec);
  if (ec)
    return contract_invalid(line_column(text, used), "not valid JSON (" + ec.message() + ")");
  return p.release();
}

}  // namespace

contract_syntax detect_contract_syntax(std::string_view text, std::string_view file_name) {
  if (ends_with(file_name, ".graphql") || ends_with(file_name, ".gql") ||
      ends_with(file_name, ".graphqls"))
    return contract_syntax::graphql;
  if (ends_with(file_name, ".json"))
    return contract_syntax::json;
  if (ends_with(file_name, ".yaml") || ends_with(file_name, ".yml"))
    return contract_syntax::yaml;
  if (looks_like_graphql_sdl(text))
    return contract_syntax::graphql;
  auto first = text.find_first_not_of(" \t\r\n");
  if (first != std::string_view::npos && text[first] == '{')
    return contract_syntax::json;
  return contract_syntax::yaml;
}

caf::expected<contract> load_contract_text(std::string_view text, contract_syntax syntax) {
  switch (syntax) {
    case contract_syntax::graphql: return contract_from_sdl_text(text);
    case contract_syntax::json: {
      auto doc = parse_json_text(text);
      if (!doc)
        return std::move(doc.error());
      return contract_from_openapi(std::move(*doc), contract_syntax::json);
    }
    case contract_syntax::yaml:
    case contract_syntax::synthesized: {
      auto doc = parse_yaml_document(text);
      if (!doc)
        return std::move(doc.error());
      return contract_from_openapi(std::move(*doc), contract_syntax::yaml);
    }
  }
  return contract_invalid("document", "unknown contract syntax");
}

caf::expected<contract> load_contract_text(std::string_view text) {
  return load_contract_text(text, detect_contract_syntax(text));
}

caf::expected<contract> load_contract_document(const json::value& document) {
  if (auto* s = document.if_string())
    return load_contract_text(*s);
  return contract_from_openapi(document, contract_syntax::json);
}

}  // namespace tascade::planner
