// Writes the generated seeds: for event_codec_fuzz the stored bytes of a small history (one
// file per event, one of them zstd-compressed), for checkpoint_fuzz the read model after that
// history (without the header and check the target adds), and for operation_input_fuzz and
// http_request_fuzz one valid call of every catalogue operation, its fields filled from their
// specs. Usage: fuzz_seed_maker <corpus dir>.

#include "events/codec/envelope_codec.hpp"
#include "events/codec/payload_codec.hpp"
#include "events/events.hpp"
#include "events/key_events.hpp"
#include "fuzz/stub_catalogue.hpp"
#include "projections/read_model.hpp"
#include "projections/read_model_checkpoint.hpp"

#include <boost/json.hpp>

#include <cstdio>
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

namespace {

using namespace tascade;
namespace fs = std::filesystem;

std::vector<events::event> history() {
  auto p = project_id::random();
  auto ph = phase_id::random();
  auto m = milestone_id::random();
  std::vector<events::event> h;
  h.push_back(events::project_created{p, "Alpha", plan_version_id::random()});
  h.push_back(events::phase_created{ph, p, "Build", 0, 1, "P1"});
  h.push_back(events::milestone_created{m, p, ph, "First", 0, 1, "P1.M1"});
  std::vector<task_id> tasks;
  for (int i = 0; i < 2; ++i) {
    events::task_created t;
    t.id = task_id::random();
    t.project = p;
    t.phase = ph;
    t.milestone = m;
    t.number = i + 1;
    t.short_id = "P1.M1.T" + std::to_string(i + 1);
    t.title = "task " + std::to_string(i);
    // The second description is long enough for the payload to be stored compressed.
    t.description = std::string(i == 0 ? 20 : 2000, 'd');
    t.klass = task_class::backend;
    t.capability_tags = {"backend"};
    t.expected_touches = {"src/a" + std::to_string(i) + ".cpp"};
    t.work_spec = boost::json::object{{"goal", "g"}, {"n", i}, {"x", 1.5}};
    tasks.push_back(t.id);
    h.push_back(std::move(t));
  }
  h.push_back(events::dependency_added{edge_id::random(), p, tasks[0], tasks[1],
                                       unlock_on::implemented});
  events::task_claimed c;
  c.task = tasks[0];
  c.project = p;
  c.lease = uuid::random();
  c.token = "tok1";
  c.agent = "agent-a";
  c.fencing = 1;
  c.ttl_micros = 30'000'000;
  c.expires_at = timestamp{31'000'000};
  c.snapshot = uuid::random();
  c.work_spec_hash = "hash1";
  h.push_back(c);
  h.push_back(events::key_created{uuid::random(), p.str(), "agent-a", {"agent"},
                                  std::string(64, 'b'), "admin"});
  return h;
}

// A value the field accepts: its first enum value, its minimum, a UUID for an id.
boost::json::value sample(const field_spec& f) {
  if (!f.enum_values.empty())
    return boost::json::string(f.enum_values.front());
  switch (f.type) {
    case field_type::string:
      if (f.name.ends_with("_id"))
        return "00000000-0000-4000-8000-000000000001";
      return boost::json::string(std::max<size_t>(f.min_length.value_or(1), 1), 'x');
    case field_type::integer:
      return int64_t(f.minimum.value_or(1));
    case field_type::number:
      return f.minimum.value_or(1.5);
    case field_type::boolean:
      return true;
    case field_type::object:
      return boost::json::object{};
    case field_type::string_array:
    case field_type::string_list:
      return boost::json::array{"a"};
    case field_type::array:
      return boost::json::array{};
  }
  return nullptr;
}

// The operation's call as a REST request: path parameters filled in, query parameters in the
// query string, body fields in a JSON body.
std::string http_request(const operation& op) {
  std::string path, query, sep = "?";
  boost::json::object body;
  for (auto& f : op.input) {
    auto v = sample(f);
    auto text = v.is_string() ? std::string(v.get_string()) : boost::json::serialize(v);
    if (f.in == param_in::query)
      query += std::exchange(sep, "&") + f.name + "=" + text;
    else if (f.in == param_in::body)
      body[f.name] = v;
  }
  for (size_t at = 0; at < op.path.size();) {
    auto open = op.path.find('{', at);
    if (open == std::string::npos) {
      path += op.path.substr(at);
      break;
    }
    auto close = op.path.find('}', open);
    path += op.path.substr(at, open - at) + "00000000-0000-4000-8000-000000000001";
    at = close + 1;
  }
  auto text = body.empty() ? std::string{} : boost::json::serialize(body);
  return op.method + " " + path + query + " HTTP/1.1\r\nHost: localhost\r\n" +
         (text.empty() ? "" : "Content-Type: application/json\r\n") +
         "Content-Length: " + std::to_string(text.size()) + "\r\n\r\n" + text;
}

void write(const fs::path& file, const std::string& bytes) {
  fs::create_directories(file.parent_path());
  std::ofstream(file, std::ios::binary) << bytes;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: fuzz_seed_maker <corpus dir>\n");
    return 2;
  }
  fs::path corpus = argv[1];
  read_model model;
  sha256_digest prev{};
  global_seq seq = 0;
  for (auto& ev : history()) {
    event_record rec;
    rec.seq = ++seq;
    rec.stream = "seed:" + std::to_string(seq);
    rec.version = 1;
    rec.type = std::string(events::type_of(ev));
    rec.schema = events::schema_of(ev);
    rec.time = timestamp{1'000'000 * int64_t(seq)};
    rec.principal = "admin";
    rec.correlation = "req-" + std::to_string(seq);
    rec.payload = events::encode_payload(ev);
    rec.prev_hash = prev;
    auto bytes = events::encode_record(rec);
    auto decoded = events::decode_record(bytes);
    if (!decoded)
      return 1;
    prev = decoded->hash;
    model.apply(*decoded);
    write(corpus / "event_codec_fuzz" / (rec.type + "-" + std::to_string(seq)), bytes);
  }
  // The checkpoint target adds the 8-byte magic, the 4-byte version and the 32-byte check.
  auto checkpoint = read_model_checkpoint::encode(model, prev);
  write(corpus / "checkpoint_fuzz" / "seed-history",
        checkpoint.substr(12, checkpoint.size() - 12 - 32));
  write(corpus / "checkpoint_fuzz" / "seed-empty",
        [] {
          auto empty = read_model_checkpoint::encode(read_model{}, sha256_digest{});
          return empty.substr(12, empty.size() - 12 - 32);
        }());
  const auto& ops = fuzz::stub_catalogue();
  for (size_t i = 0; i < ops.size(); ++i) {
    boost::json::object input;
    for (auto& f : ops[i].input)
      if (f.required || i % 2)
        input[f.name] = sample(f);
    write(corpus / "operation_input_fuzz" / ops[i].name,
          std::string{char(i), char(0)} + boost::json::serialize(input));
    if (!ops[i].mcp_only)
      write(corpus / "http_request_fuzz" / ops[i].name, http_request(ops[i]));
  }
  return 0;
}
