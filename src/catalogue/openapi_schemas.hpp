#pragma once
/// Builders for the JSON Schemas of the OpenAPI document's components (openapi*.cpp).

#include <boost/json.hpp>

#include <string>
#include <string_view>

namespace tascade::catalogue::schemas {

inline boost::json::object ref(std::string_view name) {
  return {{"$ref", "#/components/schemas/" + std::string(name)}};
}
inline boost::json::object str() { return {{"type", "string"}}; }
inline boost::json::object nullable_str() {
  return {{"type", boost::json::array{"string", "null"}}};
}
inline boost::json::object integer() { return {{"type", "integer"}}; }
inline boost::json::object boolean() { return {{"type", "boolean"}}; }
inline boost::json::object object() { return {{"type", "object"}}; }
inline boost::json::object strings() { return {{"type", "array"}, {"items", str()}}; }
inline boost::json::object array_of(boost::json::object item) {
  return {{"type", "array"}, {"items", std::move(item)}};
}
/// `{items: [item]}`, the shape of every list answer.
inline boost::json::object list_of(std::string_view item) {
  return {{"type", "object"},
          {"required", {"items"}},
          {"properties", {{"items", {{"type", "array"}, {"items", ref(item)}}}}}};
}
/// An object whose properties are all required.
inline boost::json::object object_with(boost::json::object props) {
  boost::json::array required;
  for (auto& [k, v] : props)
    required.emplace_back(k);
  return {{"type", "object"}, {"required", required}, {"properties", std::move(props)}};
}

}  // namespace tascade::catalogue::schemas
