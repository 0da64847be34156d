#include "planner/contract_synthesis.hpp"

#include <boost/json.hpp>

#include <set>
#include <string>
#include <unordered_set>
#include <vector>

namespace tascade::planner {

namespace json = boost::json;

namespace {

bool alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

std::vector<std::string> runs(std::string_view x) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : x) {
    if (alnum(c)) {
      cur.push_back(c);
    } else if (!cur.empty()) {
      out.push_back(std::move(cur));
      cur.clear();
    }
  }
  if (!cur.empty())
    out.push_back(std::move(cur));
  return out;
}

std::string capitalise(std::string w) {
  w = ascii_lower(w);
  if (!w.empty() && w[0] >= 'a' && w[0] <= 'z')
    w[0] = static_cast<char>(w[0] - 'a' + 'A');
  return w;
}

std::string pascal(std::string_view x) {
  std::string out;
  for (auto& r : runs(x))
    out += capitalise(r);
  return out.empty() ? "Resource" : out;
}

std::string camel(std::string_view x) {
  auto p = pascal(x);
  if (!p.empty() && p[0] >= 'A' && p[0] <= 'Z')
    p[0] = static_cast<char>(p[0] - 'A' + 'a');
  return p;
}

std::string slug(std::string_view x) {
  std::string out;
  for (auto& r : runs(ascii_lower(x))) {
    if (!out.empty())
      out.push_back('-');
    out += r;
  }
  return out.empty() ? "resource" : out;
}

class unique_names {
 public:
  explicit unique_names(std::string sep) : sep_(std::move(sep)) {}
  std::string take(const std::string& v) {
    if (used_.insert(v).second)
      return v;
    for (int n = 2;; ++n) {
      auto candidate = v + sep_ + std::to_string(n);
      if (used_.insert(candidate).second)
        return candidate;
    }
  }

 private:
  std::string sep_;
  std::unordered_set<std::string> used_;
};

bool generic_heading(std::string_view h) {
  static const std::set<std::string> generic = {
    "overview", "introduction", "summary", "goals", "objectives", "requirements", "scope",
    "non-goals", "appendix", "future work", "out of scope"};
  return generic.count(ascii_lower(py_strip(h))) > 0;
}

std::set<std::string> token_set(std::string_view x) {
  std::set<std::string> out;
  for (auto& r : runs(ascii_lower(x)))
    out.insert(r);
  return out;
}

struct entity {
  std::string disp, pl, schema_name, segment, param, tag, description;
  std::vector<std::string> constraints;
};

std::string join(const std::vector<std::string>& items, std::string_view sep) {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) {
    if (i)
      out += sep;
    out += items[i];
  }
  return out;
}

json::object json_content(json::value schema) {
  return json::object{{"application/json", json::object{{"schema", std::move(schema)}}}};
}

}  // namespace

std::string synth_display(std::string_view x) {
  std::vector<std::string> words;
  for (auto& r : runs(x))
    words.push_back(capitalise(r));
  return join(words, " ");
}

std::string synth_plural(std::string_view display) {
  std::string d(display);
  auto space = d.rfind(' ');
  std::string w = ascii_lower(space == std::string::npos ? d : d.substr(space + 1));
  if (w.size() > 1 && w.back() == 'y' &&
      std::string_view("aeiou").find(w[w.size() - 2]) == std::string_view::npos)
    return d.substr(0, d.size() - 1) + "ies";
  if (w.ends_with("s") || w.ends_with("x") || w.ends_with("z") || w.ends_with("ch") ||
      w.ends_with("sh"))
    return d + "es";
  return d + "s";
}

json::value synthesize_contract(const prd_facts& prd) {
  std::vector<std::string> tags;
  {
    std::set<std::string> seen;
    for (auto& h : prd.headings) {
      std::string t(py_strip(h));
      if (t.empty() || generic_heading(t) || !seen.insert(t).second)
        continue;
      tags.push_back(t);
    }
    if (tags.empty())
      tags.push_back("Core");
  }

  unique_names schema_names(""), segments("-"), op_ids("");
  std::set<std::string> registered;
  std::vector<entity> entities;
  auto register_entity = [&](std::string_view t, std::string_view d) {
    entity e;
    e.disp = synth_display(t);
    if (e.disp.empty() || !registered.insert(ascii_lower(e.disp)).second)
      return;
    e.pl = synth_plural(e.disp);
    e.schema_name = schema_names.take(pascal(e.disp));
    e.segment = segments.take(slug(e.pl));
    e.param = camel(e.disp) + "Id";
    auto disp_tokens = token_set(e.disp);
    e.tag = tags.front();
    for (auto& tag : tags) {
      auto tag_tokens = token_set(tag);
      bool shares = false;
      for (auto& tok : tag_tokens)
        shares = shares || disp_tokens.count(tok);
      if (shares) {
        e.tag = tag;
        break;
      }
    }
    auto ld = ascii_lower(e.disp), lp = ascii_lower(e.pl);
    std::vector<std::string> long_tokens;
    for (auto& r : runs(ld + " " + lp))
      if (r.size() >= 3)
        long_tokens.push_back(r);
    for (auto& c : prd.constraints) {
      if (e.constraints.size() >= 4)
        break;
      auto lc = ascii_lower(c);
      bool hit = lc.find(ld) != std::string::npos || lc.find(lp) != std::string::npos;
      for (auto& tok : long_tokens)
        hit = hit || lc.find(tok) != std::string::npos;
      if (hit)
        e.constraints.push_back(c);
    }
    e.description = d.empty() ? e.disp + " entity synthesized from PRD." : std::string(d);
    entities.push_back(std::move(e));
  };

  for (auto& line : prd.glossary) {
    auto colon = line.find(':');
    std::string_view term(line), desc;
    if (colon != std::string::npos) {
      term = std::string_view(line).substr(0, colon);
      desc = std::string_view(line).substr(colon + 1);
    }
    register_entity(py_strip(term), py_strip(desc));
  }
  if (entities.empty())
    for (auto& h : prd.headings) {
      std::string t(py_strip(h));
      if (t.empty() || generic_heading(t))
        continue;
      register_entity(t, "Feature derived from PRD section '" + t + "'.");
    }
  if (entities.empty())
    register_entity("Core Resource", "Fallback entity synthesized from PRD text.");

  // Constraints no entity collected go round-robin to the entities that have none.
  {
    std::set<std::string> collected;
    for (auto& e : entities)
      for (auto& c : e.constraints)
        collected.insert(c);
    std::vector<std::string> remaining;
    for (auto& c : prd.constraints)
      if (!collected.count(c))
        remaining.push_back(c);
    std::vector<entity*> targets;
    for (auto& e : entities)
      if (e.constraints.empty())
        targets.push_back(&e);
    if (targets.empty())
      for (auto& e : entities)
        targets.push_back(&e);
    for (size_t i = 0; i < remaining.size() && i < 2 * targets.size(); ++i)
      targets[i % targets.size()]->constraints.push_back(remaining[i]);
  }

  json::object paths;
  json::object schemas;
  for (auto& e : entities) {
    auto lower_disp = ascii_lower(e.disp);
    json::object properties{
      {"id", json::object{{"type", "string"},
                          {"description", "Unique identifier for the " + lower_disp + "."}}},
      {"name", json::object{{"type", "string"},
                            {"description", "Human readable name for the " + lower_disp + "."}}},
      {"details", json::object{{"type", "string"},
                               {"description", "Narrative details captured from PRD synthesis."}}}};
    if (!e.constraints.empty())
      properties["status"] = json::object{
        {"type", "string"}, {"description", "Lifecycle state constrained by PRD requirements."}};
    json::array constraints;
    for (auto& c : e.constraints)
      constraints.emplace_back(c);
    schemas[e.schema_name] = json::object{
      {"type", "object"},
      {"description", e.description},
      {"properties", std::move(properties)},
      {"required", json::array{"id", "name"}},
      {"additionalProperties", true},
      {"x-prd-context", json::object{{"tag", e.tag}, {"constraints", constraints}}}};

    std::string description = e.description;
    if (!e.constraints.empty()) {
      description += "\n\nKey constraints:";
      for (auto& c : e.constraints)
        description += "\n- " + c;
    }
    json::array x_constraints;
    bool has_key_constraints = description.find("Key constraints:") != std::string::npos;
    if (has_key_constraints)
      for (auto line : split_python_lines(description)) {
        auto t = py_strip(line);
        if (!t.starts_with("-"))
          continue;
        auto b = t.find_first_not_of("- ");
        auto en = t.find_last_not_of("- ");
        x_constraints.emplace_back(b == std::string_view::npos ? std::string_view{}
                                                               : t.substr(b, en - b + 1));
      }
    std::string ref = "#/components/schemas/" + e.schema_name;
    auto make_op = [&](const std::string& id, const std::string& summary, json::object responses,
                       bool path_param, bool body) {
      json::object op{{"operationId", op_ids.take(id)},
                      {"summary", summary},
                      {"description", description},
                      {"tags", json::array{json::value(e.tag)}},
                      {"responses", std::move(responses)},
                      {"x-generated-from-prd", true}};
      if (path_param)
        op["parameters"] = json::array{json::object{
          {"name", e.param},
          {"in", "path"},
          {"required", true},
          {"description", "Identifier for the " + lower_disp + "."},
          {"schema", json::object{{"type", "string"}}}}};
      if (body)
        op["requestBody"] =
          json::object{{"required", true}, {"content", json_content(json::object{{"$ref", ref}})}};
      if (has_key_constraints)
        op["x-prd-constraints"] = x_constraints;
      return op;
    };
    auto response = [&](const std::string& desc, json::value schema) {
      return json::object{{"description", desc}, {"content", json_content(std::move(schema))}};
    };
    auto not_found = json::object{{"description", e.disp + " not found"}};
    json::object base, item;
    base["get"] = make_op(
      "list" + pascal(e.pl), "List " + e.pl,
      json::object{{"200", response("List of " + e.pl,
                                    json::object{{"type", "array"},
                                                 {"items", json::object{{"$ref", ref}}}})}},
      false, false);
    base["post"] = make_op(
      "create" + pascal(e.disp), "Create " + e.disp,
      json::object{{"201", response("Created " + e.disp, json::object{{"$ref", ref}})}}, false,
      true);
    item["get"] = make_op(
      "get" + pascal(e.disp), "Get " + e.disp,
      json::object{{"200", response(e.disp + " details", json::object{{"$ref", ref}})},
                   {"404", not_found}},
      true, false);
    item["patch"] = make_op(
      "update" + pascal(e.disp), "Update " + e.disp,
      json::object{{"200", response("Updated " + e.disp, json::object{{"$ref", ref}})},
                   {"404", not_found}},
      true, true);
    paths["/" + e.segment] = std::move(base);
    paths["/" + e.segment + "/{" + e.param + "}"] = std::move(item);
  }

  std::vector<std::string> first3(prd.headings.begin(),
                                  prd.headings.begin() +
                                    static_cast<long>(std::min<size_t>(3, prd.headings.size())));
  std::vector<std::string> names;
  for (auto& e : entities)
    names.push_back(e.disp);
  std::string info_description =
    "Synthesized contract derived from product requirements document. Key sections: " +
    (first3.empty() ? std::string("general requirements") : join(first3, ", ")) +
    ". Primary entities: " + join(names, ", ") + ".";
  if (prd.has_ui)
    info_description += " PRD indicates user interface considerations.";

  json::array tag_objects;
  for (auto& t : tags)
    tag_objects.push_back(
      json::object{{"name", t}, {"description", "Derived from PRD section '" + t + "'."}});
  json::array headings;
  for (auto& h : prd.headings)
    headings.emplace_back(h);

  return json::object{
    {"openapi", "3.1.0"},
    {"info", json::object{{"title", prd.headings.empty() ? std::string("Synthesized TaskMaster API")
                                                         : prd.headings.front()},
                          {"version", "0.1.0"},
                          {"description", info_description},
                          {"x-generated-by", "taskmaster.contract.synthesizer"}}},
    {"tags", std::move(tag_objects)},
    {"paths", std::move(paths)},
    {"components", json::object{{"schemas", std::move(schemas)}}},
    {"x-taskmaster-prd", json::object{{"headings", std::move(headings)},
                                      {"hasUi", prd.has_ui},
                                      {"glossaryCount", prd.glossary.size()},
                                      {"constraintCount", prd.constraints.size()}}}};
}

}  // namespace tascade::planner
