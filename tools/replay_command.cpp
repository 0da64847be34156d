#include "events/log_dump.hpp"
#include "events/log_verifier.hpp"
#include "projections/projection_hub.hpp"
#include "projections/rebuild.hpp"
#include "tascade/errc.hpp"
#include "tools/commands.hpp"
#include "tascade/text_list.hpp"

#include <boost/json.hpp>

#include <chrono>
#include <cstdio>
#include <iostream>
#include <unistd.h>

namespace tascade::tools {

namespace {

constexpr const char* usage =
  "usage:\n"
  "  tascade replay verify  --data DIR [--threads N]\n"
  "  tascade replay dump    --data DIR [--project UUID] [--type T[,T...]] [--since ISO]\n"
  "                         [--until ISO] [--after SEQ]\n"
  "  tascade replay rebuild --data DIR [--decoders N]\n"
  "verify checks the log in N ranges in parallel (default: one per core for a large log);\n"
  "rebuild decodes on N helper threads while one applies (default: one per core for a large\n"
  "log; 0: all on one thread).\n";

// A progress bar on stderr, only when stderr is a terminal.
struct progress_bar {
  const char* label;
  bool on = isatty(STDERR_FILENO);

  void operator()(uint64_t done, uint64_t total) const {
    if (!on || total == 0)
      return;
    int width = 40, filled = int(width * double(done) / double(total));
    std::fprintf(stderr, "\r%s [%.*s%*s] %llu/%llu", label, filled,
                 "########################################", width - filled, "",
                 static_cast<unsigned long long>(done), static_cast<unsigned long long>(total));
    if (done >= total)
      std::fprintf(stderr, "\n");
  }
};

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

int replay_command(const std::vector<std::string>& args) {
  if (args.empty()) {
    std::cerr << usage;
    return 2;
  }
  auto verb = args[0];
  std::string data;
  dump_filter filter;
  unsigned verify_threads = 0;
  rebuild_tuning tuning;
  for (size_t i = 1; i < args.size(); ++i) {
    auto need = [&](const char* flag) -> const std::string* {
      if (i + 1 >= args.size()) {
        std::cerr << "tascade replay: " << flag << " needs a value\n";
        return nullptr;
      }
      return &args[++i];
    };
    const auto& a = args[i];
    const std::string* v = nullptr;
    if (a == "--help" || a == "-h") {
      std::cout << usage;
      return 0;
    } else if (a == "--data") {
      if (!(v = need("--data")))
        return 2;
      data = *v;
    } else if (a == "--project") {
      if (!(v = need("--project")))
        return 2;
      filter.project = *v;
    } else if (a == "--type") {
      if (!(v = need("--type")))
        return 2;
      filter.types = split_list(*v);
    } else if (a == "--since" || a == "--until") {
      if (!(v = need(a.c_str())))
        return 2;
      auto t = timestamp::parse(*v);
      if (!t) {
        std::cerr << "tascade replay: " << a << " needs an ISO-8601 time, got '" << *v << "'\n";
        return 2;
      }
      (a == "--since" ? filter.since : filter.until) = *t;
    } else if (a == "--threads" || a == "--decoders") {
      if (!(v = need(a.c_str())))
        return 2;
      auto n = unsigned(std::strtoul(v->c_str(), nullptr, 10));
      if (a == "--threads")
        verify_threads = n;
      else
        tuning.decoders = n;
    } else if (a == "--after") {
      if (!(v = need("--after")))
        return 2;
      filter.after = std::strtoull(v->c_str(), nullptr, 10);
    } else {
      std::cerr << "tascade replay: unknown option '" << a << "'\n" << usage;
      return 2;
    }
  }
  if (data.empty()) {
    std::cerr << "tascade replay: --data DIR is required\n" << usage;
    return 2;
  }
  auto log = event_log::open(data, true);
  if (!log) {
    std::cerr << "tascade replay: cannot open " << data << ": " << message_of(log.error())
              << "\n";
    return 1;
  }
  auto start = std::chrono::steady_clock::now();
  if (verb == "verify") {
    auto report = verify_log(**log, progress_bar{"verify"}, verify_threads);
    auto secs = seconds_since(start);
    boost::json::object out{{"ok", report.ok()},
                            {"events", report.events},
                            {"head", report.head},
                            {"seconds", secs},
                            {"events_per_second", secs > 0 ? double(report.events) / secs : 0.0}};
    if (!report.ok()) {
      out["first_bad_seq"] = *report.first_bad;
      out["problem"] = report.problem;
    }
    std::cout << boost::json::serialize(out) << "\n";
    return report.ok() ? 0 : 1;
  }
  if (verb == "dump") {
    auto written = dump_events(**log, filter, std::cout);
    if (!written) {
      std::cerr << "tascade replay dump: " << message_of(written.error()) << "\n";
      return 1;
    }
    return 0;
  }
  if (verb == "rebuild") {
    projection_hub hub;
    auto applied = rebuild_projections(**log, hub, progress_bar{"rebuild"}, tuning);
    if (!applied) {
      std::cerr << "tascade replay rebuild: " << message_of(applied.error()) << "\n";
      return 1;
    }
    auto secs = seconds_since(start);
    auto [digest, checkpoint] = hub.read(
      [](const read_model& m) { return std::make_pair(m.digest(), m.checkpoint()); });
    boost::json::object out{{"digest", digest},
                            {"checkpoint", checkpoint},
                            {"events", *applied},
                            {"seconds", secs},
                            {"events_per_second", secs > 0 ? double(*applied) / secs : 0.0}};
    std::cout << boost::json::serialize(out) << "\n";
    return 0;
  }
  std::cerr << "tascade replay: unknown verb '" << verb << "'\n" << usage;
  return 2;
}

}  // namespace tascade::tools
