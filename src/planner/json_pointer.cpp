#include "planner/json_pointer.hpp"

#include <boost/json.hpp>

#include <charconv>
#include <string>

namespace tascade::planner {

namespace json = boost::json;

namespace {

int hex_digit(char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

// A URI fragment may percent-encode characters such as "{" in a path key.
bool percent_decode(std::string_view in, std::string& out) {
  out.clear();
  for (size_t i = 0; i < in.size(); ++i) {
    if (in[i] != '%') {
      out.push_back(in[i]);
      continue;
    }
    if (i + 2 >= in.size())
      return false;
    int hi = hex_digit(in[i + 1]), lo = hex_digit(in[i + 2]);
    if (hi < 0 || lo < 0)
      return false;
    out.push_back(static_cast<char>(hi * 16 + lo));
    i += 2;
  }
  return true;
}

}  // namespace

const json::value* resolve_local_ref(const json::value& root, std::string_view ref) {
  if (ref.empty() || ref.front() != '#')
    return nullptr;
  std::string pointer;
  if (!percent_decode(ref.substr(1), pointer))
    return nullptr;
  if (pointer.empty())
    return &root;
  if (pointer.front() != '/')
    return nullptr;
  const json::value* at = &root;
  size_t pos = 1;
  std::string token;
  while (true) {
    size_t end = pointer.find('/', pos);
    std::string_view raw(pointer.data() + pos,
                         (end == std::string::npos ? pointer.size() : end) - pos);
    token.clear();
    for (size_t i = 0; i < raw.size(); ++i) {
      if (raw[i] == '~' && i + 1 < raw.size() && (raw[i + 1] == '0' || raw[i + 1] == '1')) {
        token.push_back(raw[i + 1] == '0' ? '~' : '/');
        ++i;
      } else {
        token.push_back(raw[i]);
      }
    }
    if (auto* obj = at->if_object()) {
      auto it = obj->find(token);
      if (it == obj->end())
        return nullptr;
      at = &it->value();
    } else if (auto* arr = at->if_array()) {
      size_t index = 0;
      auto [p, ec] = std::from_chars(token.data(), token.data() + token.size(), index);
      if (ec != std::errc{} || p != token.data() + token.size() || index >= arr->size())
        return nullptr;
      at = &(*arr)[index];
    } else {
      return nullptr;
    }
    if (end == std::string::npos)
      return at;
    pos = end + 1;
  }
}

std::string pointer_token(std::string_view key) {
  std::string out;
  for (char c : key) {
    if (c == '~')
      out += "~0";
    else if (c == '/')
      out += "~1";
    else
      out.push_back(c);
  }
  return out;
}

}  // namespace tascade::planner
