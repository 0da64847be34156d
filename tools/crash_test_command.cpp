// `tascade crash-test`: crashes a real tascaded under write load, again and again, and checks
// after every crash that nothing acknowledged was lost, that a retried request never ran twice,
// and that the log still verifies.
//
// One cycle: start the server on the data directory (the same one every cycle), create a
// project, phase and milestone, let N writers create tasks over HTTP (each request with its own
// Idempotency-Key), SIGKILL the server at a random moment, start it again, retry each writer's
// unanswered request with the same key, then list the project's tasks: every acknowledged task
// must be there, and no title twice. Finally the whole log is verified (hash chain, sequences).

#include "events/event_log.hpp"
#include "events/log_verifier.hpp"
#include "tascade/errc.hpp"
#include "tools/bench/flags.hpp"
#include "tools/bench/server_launch.hpp"
#include "tools/commands.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace tascade::tools {

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
namespace json = boost::json;
namespace fs = std::filesystem;

struct answer {
  int status = 0;  ///< 0: no answer (the connection failed)
  std::string body;
};

// One keep-alive connection; reopened after a failure.
class client {
 public:
  explicit client(uint16_t port) : port_(port) {}

  answer call(bhttp::verb method, const std::string& target, const std::string& body = {},
              const std::string& idempotency_key = {}) {
    beast::error_code ec;
    if (!stream_) {
      stream_.emplace(io_);
      stream_->connect(asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), port_), ec);
      if (ec) {
        stream_.reset();
        return {};
      }
    }
    bhttp::request<bhttp::string_body> req{method, target, 11};
    req.set(bhttp::field::host, "127.0.0.1");
    if (!idempotency_key.empty())
      req.set("Idempotency-Key", idempotency_key);
    if (!body.empty()) {
      req.set(bhttp::field::content_type, "application/json");
      req.body() = body;
    }
    req.prepare_payload();
    bhttp::write(*stream_, req, ec);
    bhttp::response_parser<bhttp::string_body> parser;
    parser.body_limit(boost::none);
    if (!ec)
      bhttp::read(*stream_, buffer_, parser, ec);
    if (ec) {
      stream_.reset();
      buffer_.clear();
      return {};
    }
    return {int(parser.get().result_int()), parser.get().body()};
  }

 private:
  asio::io_context io_;
  uint16_t port_;
  std::optional<beast::tcp_stream> stream_;
  beast::flat_buffer buffer_;
};

std::string id_of(const answer& a) {
  boost::system::error_code ec;
  auto v = json::parse(a.body, ec);
  if (ec || !v.is_object() || !v.as_object().contains("id"))
    throw std::runtime_error("no id in answer " + std::to_string(a.status) + ": " + a.body);
  return std::string(v.as_object().at("id").as_string());
}

std::string must_create(client& c, const std::string& target, const json::object& body) {
  auto a = c.call(bhttp::verb::post, target, json::serialize(body));
  if (a.status != 201 && a.status != 200)
    throw std::runtime_error("POST " + target + " answered " + std::to_string(a.status) + ": " +
                             a.body);
  return id_of(a);
}

json::object task_body(const std::string& project, const std::string& milestone,
                       const std::string& title) {
  return {{"project_id", project},
          {"milestone_id", milestone},
          {"title", title},
          {"task_class", "backend"},
          {"work_spec", {{"objective", title}, {"acceptance_criteria", json::array{"done"}}}}};
}

// What one writer did in one cycle.
struct writer_log {
  std::vector<std::string> acknowledged;  ///< titles of tasks the server acknowledged
  std::optional<std::string> unanswered;  ///< the title sent when the server died (if any)
  std::string key;                        ///< its Idempotency-Key
};

struct figures {
  uint64_t cycles = 0, acknowledged = 0, lost = 0, duplicated = 0, retried = 0,
           retry_ran = 0, retry_replayed = 0, retry_refused_committed = 0, retry_failed = 0;
  double restart_total = 0, restart_max = 0;
  uint64_t log_events = 0;
  bool verified = true;
  std::string problem;
};

// Titles of every task of `project`, with their counts.
std::map<std::string, int> titles_of(client& c, const std::string& project) {
  std::map<std::string, int> out;
  for (int64_t offset = 0;; offset += 1000) {
    auto a = c.call(bhttp::verb::get, "/v1/tasks?project_id=" + project +
                                        "&limit=1000&offset=" + std::to_string(offset));
    if (a.status != 200)
      throw std::runtime_error("listing tasks answered " + std::to_string(a.status));
    auto v = json::parse(a.body);
    auto& items = v.as_object().at("items").as_array();
    for (auto& t : items)
      ++out[std::string(t.as_object().at("title").as_string())];
    if (items.size() < 1000)
      return out;
  }
}

void run_cycle(uint64_t cycle, const std::string& binary, const std::string& data,
               const std::string& log_file, int writers, std::mt19937_64& rng, figures& f) {
  bench::launched_server first(binary, data, log_file);
  client setup(first.port());
  auto name = "crash " + std::to_string(cycle);
  auto project = must_create(setup, "/v1/projects", {{"name", name}});
  auto phase = must_create(setup, "/v1/projects/" + project + "/phases",
                           {{"name", "P"}, {"sequence", 0}});
  auto milestone = must_create(setup, "/v1/projects/" + project + "/milestones",
                               {{"name", "M"}, {"sequence", 0}, {"phase_id", phase}});

  std::vector<writer_log> logs(size_t(writers), writer_log{});
  std::vector<std::thread> threads;
  std::atomic<bool> dead{false};
  for (int w = 0; w < writers; ++w)
    threads.emplace_back([&, w] {
      client c(first.port());
      auto& log = logs[size_t(w)];
      for (uint64_t n = 0; !dead.load(); ++n) {
        auto title = "c" + std::to_string(cycle) + "-w" + std::to_string(w) + "-" +
                     std::to_string(n);
        auto key = "crash-" + title;
        auto a = c.call(bhttp::verb::post, "/v1/tasks",
                        json::serialize(task_body(project, milestone, title)), key);
        if (a.status == 201) {
          log.acknowledged.push_back(title);
        } else {
          // No answer: the server died while this request was in flight (or before it).
          log.unanswered = title;
          log.key = key;
          return;
        }
      }
    });
  // A random moment: between 50 ms and 1.5 s of load.
  std::uniform_int_distribution<int> delay(50, 1500);
  std::this_thread::sleep_for(std::chrono::milliseconds(delay(rng)));
  first.kill_now();
  dead = true;
  for (auto& t : threads)
    t.join();

  auto restart_began = std::chrono::steady_clock::now();
  bench::launched_server second(binary, data, log_file);
  auto restart = std::chrono::duration<double>(std::chrono::steady_clock::now() - restart_began)
                   .count();
  f.restart_total += restart;
  f.restart_max = std::max(f.restart_max, restart);
  client check(second.port());

  // Retry what got no answer, with the same key: it must run at most once in all.
  for (auto& log : logs) {
    if (!log.unanswered)
      continue;
    ++f.retried;
    auto a = check.call(bhttp::verb::post, "/v1/tasks",
                        json::serialize(task_body(project, milestone, *log.unanswered)), log.key);
    if (a.status == 201 && a.body.find("\"title\"") != std::string::npos) {
      ++f.retry_ran;
      log.acknowledged.push_back(*log.unanswered);
    } else if (a.status == 422 && a.body.find("committed_seq") != std::string::npos) {
      ++f.retry_refused_committed;  // it had committed; its answer was lost with the crash
    } else {
      ++f.retry_failed;
      f.problem = "retry answered " + std::to_string(a.status) + ": " + a.body;
    }
  }
  auto titles = titles_of(check, project);
  for (auto& log : logs) {
    f.acknowledged += log.acknowledged.size();
    for (auto& t : log.acknowledged)
      if (!titles.count(t)) {
        ++f.lost;
        f.problem = "acknowledged task " + t + " is missing after the restart";
      }
  }
  for (auto& [title, count] : titles)
    if (count > 1) {
      f.duplicated += uint64_t(count - 1);
      f.problem = "task " + title + " exists " + std::to_string(count) + " times";
    }
  second.kill_now();  // the next cycle starts from a crash too
  ++f.cycles;
}

}  // namespace

int crash_test_command(const std::vector<std::string>& args) {
  try {
    bench::flags fl(args, {"--keep"});
    if (fl.has("--help")) {
      std::cout << "usage: tascade crash-test [--cycles 100] [--writers 8] [--data DIR] "
                   "[--server PATH] [--seed N] [--keep]\n";
      return 0;
    }
    auto cycles = fl.integer("--cycles", 100);
    auto writers = int(fl.integer("--writers", 8));
    auto seed = uint64_t(fl.integer("--seed", int64_t(std::random_device{}())));
    auto binary = bench::server_binary(fl.text("--server", ""));
    fs::path data = fl.text("--data", "");
    bool own_dir = data.empty();
    if (own_dir)
      data = fs::temp_directory_path() / ("tascade-crash-" + std::to_string(getpid()));
    fs::create_directories(data);
    auto log_file = (data.parent_path() / (data.filename().string() + ".server.log")).string();
    std::mt19937_64 rng(seed);
    figures f;
    std::fprintf(stderr, "crash-test: %lld cycles, %d writers, seed %llu, data %s\n",
                 static_cast<long long>(cycles), writers,
                 static_cast<unsigned long long>(seed), data.c_str());
    for (int64_t c = 0; c < cycles && f.problem.empty(); ++c) {
      run_cycle(uint64_t(c), binary, (data / "db").string(), log_file, writers, rng, f);
      std::fprintf(stderr, "cycle %lld: %llu acknowledged so far, %llu lost\n",
                   static_cast<long long>(c + 1), static_cast<unsigned long long>(f.acknowledged),
                   static_cast<unsigned long long>(f.lost));
    }
    {
      auto log = event_log::open((data / "db").string(), true);
      if (!log)
        throw std::runtime_error("cannot open the log: " + message_of(log.error()));
      auto report = verify_log(**log, 0);
      f.log_events = report.events;
      f.verified = !report.first_bad && report.problem.empty();
      if (!f.verified)
        f.problem = "replay verify: " + report.problem;
    }
    if (own_dir && !fl.has("--keep")) {
      fs::remove_all(data);
      fs::remove(log_file);
    }
    std::printf("cycles                 %llu\n", static_cast<unsigned long long>(f.cycles));
    std::printf("acknowledged writes    %llu\n", static_cast<unsigned long long>(f.acknowledged));
    std::printf("lost                   %llu\n", static_cast<unsigned long long>(f.lost));
    std::printf("run twice              %llu\n", static_cast<unsigned long long>(f.duplicated));
    std::printf("retried after a crash  %llu (ran %llu, already committed %llu, failed %llu)\n",
                static_cast<unsigned long long>(f.retried),
                static_cast<unsigned long long>(f.retry_ran),
                static_cast<unsigned long long>(f.retry_refused_committed),
                static_cast<unsigned long long>(f.retry_failed));
    std::printf("restart to listening   mean %.2f s, max %.2f s\n",
                f.cycles ? f.restart_total / double(f.cycles) : 0.0, f.restart_max);
    std::printf("replay verify          %s (%llu events)\n", f.verified ? "clean" : "FAILED",
                static_cast<unsigned long long>(f.log_events));
    json::object out{{"cycles", f.cycles},
                     {"writers", writers},
                     {"seed", seed},
                     {"acknowledged", f.acknowledged},
                     {"lost", f.lost},
                     {"run_twice", f.duplicated},
                     {"retried", f.retried},
                     {"retry_ran", f.retry_ran},
                     {"retry_already_committed", f.retry_refused_committed},
                     {"retry_failed", f.retry_failed},
                     {"restart_mean_s", f.cycles ? f.restart_total / double(f.cycles) : 0.0},
                     {"restart_max_s", f.restart_max},
                     {"log_events", f.log_events},
                     {"verified", f.verified}};
    if (!f.problem.empty())
      out["problem"] = f.problem;
    std::printf("%s\n", json::serialize(out).c_str());
    return f.problem.empty() ? 0 : 1;
  } catch (const std::exception& e) {
    std::cerr << "tascade crash-test: " << e.what() << "\n";
    return 2;
  }
}

}  // namespace tascade::tools
