#include "mcp/tool_table.hpp"

#include "actors/access_rules.hpp"
#include "catalogue/schema.hpp"

#include <charconv>

namespace tascade::mcp {

namespace json = boost::json;

namespace {

// Cursors are "o<offset>": opaque to clients, easy to check here.
std::string cursor_of(size_t offset) { return "o" + std::to_string(offset); }

std::optional<size_t> offset_of(std::string_view cursor) {
  if (cursor.empty())
    return 0;
  if (cursor.front() != 'o' || cursor.size() < 2)
    return std::nullopt;
  size_t value = 0;
  auto [end, ec] = std::from_chars(cursor.data() + 1, cursor.data() + cursor.size(), value);
  if (ec != std::errc{} || end != cursor.data() + cursor.size())
    return std::nullopt;
  return value;
}

std::string roles_text(const operation& op) {
  if (op.public_route)
    return "No API key needed.";
  if (!op.roles || op.roles->empty())
    return "Any API key may call it.";
  std::string text = "Roles: ";
  for (auto r : *op.roles)
    text += std::string(to_string(r)) + ", ";
  return text + "admin.";
}

}  // namespace

json::object describe_tool(const operation& op) {
  auto description = op.summary;
  if (!op.mcp_only)
    description += "\nREST counterpart: " + op.method + " " + op.path + ".";
  description += "\n" + roles_text(op);
  if (!op.identity_fields.empty()) {
    description += " Fields naming the caller (";
    for (size_t i = 0; i < op.identity_fields.size(); ++i)
      description += (i ? ", " : "") + op.identity_fields[i];
    description += ") must be the API key's name unless the key is an admin.";
  }
  bool reads = op.method == "GET" || op.mcp_only;
  return {{"name", op.name},
          {"description", description},
          {"inputSchema", catalogue::input_schema(op.input, op.strict_fields)},
          {"annotations",
           {{"readOnlyHint", reads}, {"destructiveHint", false}, {"openWorldHint", false}}}};
}

tool_table::tool_table(const std::vector<operation>& ops) {
  for (auto& op : ops) {
    if (by_name_.count(op.name))
      continue;  // names are unique in the catalogue; keep the first if not
    by_name_[op.name] = &op;
    tools_.push_back(describe_tool(op));
  }
}

const operation* tool_table::find(std::string_view name) const {
  auto it = by_name_.find(std::string(name));
  return it == by_name_.end() ? nullptr : it->second;
}

std::optional<tool_table::page> tool_table::list(std::string_view cursor,
                                                 size_t page_size) const {
  auto offset = offset_of(cursor);
  if (!offset || *offset > tools_.size())
    return std::nullopt;
  page out;
  auto end = std::min(tools_.size(), *offset + std::max<size_t>(1, page_size));
  for (auto i = *offset; i < end; ++i)
    out.tools.push_back(tools_[i]);
  if (end < tools_.size())
    out.next_cursor = cursor_of(end);
  return out;
}

}  // namespace tascade::mcp
