#include "planner/openapi_validation.hpp"

#include "planner/json_pointer.hpp"
#include "planner/planner_errors.hpp"

#include <boost/json.hpp>

#include <set>
#include <string>
#include <unordered_map>

namespace tascade::planner {

namespace json = boost::json;

namespace {

enum class version { v2, v30, v31 };

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out)
    if (c >= 'A' && c <= 'Z')
      c = static_cast<char>(c - 'A' + 'a');
  return out;
}

std::string path_part(std::string_view path) { return "/paths/" + pointer_token(path); }

// Walks every "$ref" string of the document; the first that does not resolve is the error.
caf::error check_refs(const json::value& root, const json::value& at, std::string& where) {
  if (auto* obj = at.if_object()) {
    for (auto& kv : *obj) {
      auto mark = where.size();
      where += '/';
      where += pointer_token(kv.key());
      if (kv.key() == "$ref" && kv.value().is_string()) {
        auto ref = kv.value().get_string();
        if (!resolve_local_ref(root, ref))
          return contract_invalid(where, "$ref '" + std::string(ref) + "' does not resolve" +
                                           (ref.starts_with("#") ? ""
                                                                 : " (only references inside the "
                                                                   "document are supported)"));
      } else if (auto err = check_refs(root, kv.value(), where)) {
        return err;
      }
      where.resize(mark);
    }
  } else if (auto* arr = at.if_array()) {
    for (size_t i = 0; i < arr->size(); ++i) {
      auto mark = where.size();
      where += '/';
      where += std::to_string(i);
      if (auto err = check_refs(root, (*arr)[i], where))
        return err;
      where.resize(mark);
    }
  }
  return {};
}

// Adds the names of `in: path` parameters of a parameters array, following $refs.
void collect_path_params(const json::value& root, const json::value* params,
                         std::set<std::string>& names) {
  if (!params || !params->is_array())
    return;
  for (auto& p : params->get_array()) {
    const json::value* param = &p;
    for (int hops = 0; hops < 8 && param->is_object(); ++hops) {
      auto* ref = param->get_object().if_contains("$ref");
      if (!ref || !ref->is_string())
        break;
      param = resolve_local_ref(root, ref->get_string());
      if (!param)
        return;
    }
    if (!param->is_object())
      continue;
    auto& obj = param->get_object();
    auto* in = obj.if_contains("in");
    auto* name = obj.if_contains("name");
    if (in && name && in->is_string() && name->is_string() && in->get_string() == "path")
      names.insert(std::string(name->get_string()));
  }
}

}  // namespace

bool is_operation_key(std::string_view key) {
  auto k = lower(key);
  return k == "get" || k == "post" || k == "put" || k == "patch" || k == "delete" ||
         k == "options" || k == "head";
}

caf::error validate_openapi(const json::value& document) {
  auto* doc = document.if_object();
  if (!doc)
    return contract_invalid("document", "the contract is not an object");
  version ver;
  if (auto* v = doc->if_contains("openapi")) {
    if (!v->is_string())
      return contract_invalid("/openapi", "the version is not a string");
    auto s = v->get_string();
    if (s.starts_with("3.1."))
      ver = version::v31;
    else if (s.starts_with("3.0."))
      ver = version::v30;
    else
      return contract_invalid("/openapi", "unsupported OpenAPI version '" + std::string(s) +
                                             "' (3.0.x and 3.1.x are accepted)");
  } else if (auto* w = doc->if_contains("swagger")) {
    if (!w->is_string() || w->get_string() != "2.0")
      return contract_invalid("/swagger", "unsupported Swagger version (only \"2.0\")");
    ver = version::v2;
  } else {
    return contract_invalid("document", "neither 'openapi' nor 'swagger' names a version");
  }

  auto* info = doc->if_contains("info");
  if (!info || !info->is_object())
    return contract_invalid("/info", "'info' is required and must be an object");
  for (auto field : {"title", "version"}) {
    auto* f = info->get_object().if_contains(field);
    if (!f || !f->is_string())
      return contract_invalid(std::string("/info/") + field,
                              std::string("'info.") + field + "' is required and must be a string");
  }

  auto* paths = doc->if_contains("paths");
  if (ver == version::v31) {
    if (!paths && !doc->contains("components") && !doc->contains("webhooks"))
      return contract_invalid("document",
                              "an OpenAPI 3.1 document needs 'paths', 'components' or 'webhooks'");
  } else if (!paths) {
    return contract_invalid("/paths", "'paths' is required");
  }
  if (paths && !paths->is_object())
    return contract_invalid("/paths", "'paths' must be an object");

  std::unordered_map<std::string, std::string> operation_ids;  // id → where first seen
  if (paths) {
    for (auto& item : paths->get_object()) {
      std::string path(item.key());
      auto part = path_part(path);
      if (!path.starts_with("/"))
        return contract_invalid(part, "the path '" + path + "' does not start with '/'");
      if (!item.value().is_object())
        return contract_invalid(part, "a path item must be an object");
      auto& path_item = item.value().get_object();
      std::set<std::string> path_level;
      collect_path_params(document, path_item.if_contains("parameters"), path_level);
      for (auto& op : path_item) {
        if (!is_operation_key(op.key()))
          continue;
        auto op_part = part + "/" + pointer_token(op.key());
        if (!op.value().is_object())
          return contract_invalid(op_part, "an operation must be an object");
        auto& operation = op.value().get_object();
        if (ver != version::v31 && !operation.contains("responses"))
          return contract_invalid(op_part + "/responses", "the operation has no 'responses'");
        if (auto* id = operation.if_contains("operationId")) {
          if (!id->is_string())
            return contract_invalid(op_part + "/operationId", "operationId must be a string");
          std::string op_id(id->get_string());
          auto [it, fresh] = operation_ids.emplace(op_id, op_part);
          if (!fresh)
            return contract_invalid(op_part + "/operationId",
                                    "operationId '" + op_id + "' is also used at " + it->second);
        }
        std::set<std::string> declared = path_level;
        collect_path_params(document, operation.if_contains("parameters"), declared);
        for (size_t open = path.find('{'); open != std::string::npos;
             open = path.find('{', open + 1)) {
          auto close = path.find('}', open);
          if (close == std::string::npos)
            break;
          auto name = path.substr(open + 1, close - open - 1);
          if (!declared.count(name))
            return contract_invalid(op_part + "/parameters",
                                    "the path parameter '" + name +
                                      "' has no matching 'in: path' parameter");
        }
      }
    }
  }

  std::string where;
  return check_refs(document, document, where);
}

}  // namespace tascade::planner
