#include "app/config.hpp"

#include "tascade/errc.hpp"
#include "tascade/text_list.hpp"

#include <charconv>
#include <cstdlib>
#include <functional>

namespace tascade {

namespace {

// Parses `text` into the setting; false when it does not parse.
using setter = std::function<bool(config&, const std::string&)>;

struct setting {
  const char* flag;
  const char* env;
  const char* fallback;
  const char* meaning;
  setter set;
};

template <class Int>
setter number(Int config::*member, Int min, Int max) {
  return [=](config& c, const std::string& text) {
    Int v{};
    auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc{} || ptr != text.data() + text.size() || v < min || v > max)
      return false;
    c.*member = v;
    return true;
  };
}

setter text(std::string config::*member) {
  return [=](config& c, const std::string& v) {
    c.*member = v;
    return !v.empty();
  };
}

bool truthy(const std::string& v) {
  std::string s;
  for (auto ch : v)
    s.push_back(char(std::tolower(static_cast<unsigned char>(ch))));
  return s == "1" || s == "true" || s == "yes";
}

const std::vector<setting>& settings() {
  static const std::vector<setting> table{
    {"--data", "TASCADE_DATA_DIR", "./data", "directory of the RocksDB event log",
     text(&config::data_dir)},
    {"--host", "TASCADE_HOST", "127.0.0.1", "address to listen on", text(&config::host)},
    {"--port", "TASCADE_PORT", "8010", "TCP port; 0 picks a free one (the startup line says which)",
     [](config& c, const std::string& v) {
       return number<uint16_t>(&config::port, 0, 65535)(c, v);
     }},
    {"--io-threads", "TASCADE_IO_THREADS", "2", "HTTP I/O threads",
     number<unsigned>(&config::io_threads, 1, 64)},
    {"--actor-threads", "TASCADE_ACTOR_THREADS", "2", "actor scheduler threads",
     number<unsigned>(&config::actor_threads, 1, 64)},
    {"--body-limit", "TASCADE_BODY_LIMIT", "1048576", "largest request body in bytes (else 413)",
     number<size_t>(&config::body_limit, 1024, size_t(1) << 30)},
    {"--auth-disabled", "TASCADE_AUTH_DISABLED", "unset",
     "1/true/yes: development mode, every request acts as an anonymous admin",
     [](config& c, const std::string& v) {
       c.auth_disabled = truthy(v);
       return true;
     }},
    {"--strict-fields", "TASCADE_STRICT_FIELDS", "unset",
     "1/true/yes: refuse unknown request fields with 422 instead of ignoring them (development)",
     [](config& c, const std::string& v) {
       c.strict_fields = truthy(v);
       return true;
     }},
    {"--log-level", "TASCADE_LOG_LEVEL", "info", "trace, debug, info, warn, error or off",
     [](config& c, const std::string& v) {
       static const char* levels[] = {"trace", "debug", "info", "warn", "error", "off"};
       for (auto* l : levels)
         if (v == l) {
           c.log_level = v;
           return true;
         }
       return false;
     }},
    {"--snapshot-every", "TASCADE_SNAPSHOT_EVERY", "1000",
     "events of a project's stream between two snapshots of its actor",
     number<uint64_t>(&config::snapshot_every, 1, 100'000'000)},
    {"--allowed-origins", "TASCADE_ALLOWED_ORIGINS", "unset",
     "comma-separated browser origins allowed on /mcp and the event streams, besides "
     "loopback ones ('*' = any); others get 403",
     [](config& c, const std::string& v) {
       c.allowed_origins = split_list(v);
       return true;
     }},
    {"--event-queue-limit", "TASCADE_EVENT_QUEUE_LIMIT", "10000",
     "events an event-stream subscriber may fall behind before it is cut off (it resumes "
     "from the cursor it is given)",
     number<size_t>(&config::event_queue_limit, 1, 10'000'000)},
    {"--checkpoint-every", "TASCADE_CHECKPOINT_EVERY", "100000",
     "events between two read-model checkpoints (one is also written at an orderly stop); a "
     "start loads the newest and replays only the events after it. 0: no checkpoints, every "
     "start replays the whole log",
     number<uint64_t>(&config::checkpoint_every, 0, 1'000'000'000'000)},
    {"--task-idle-seconds", "TASCADE_TASK_IDLE_SECONDS", "30",
     "seconds without a command after which a task actor with no lease, reservation or write "
     "in flight stops to free memory (the next command reloads it from the log); 0 = never",
     number<uint64_t>(&config::task_idle_seconds, 0, 86'400)},
    {"--disk-reserve-mb", "TASCADE_DISK_RESERVE_MB", "64",
     "free space kept on the data volume: writes are refused with 503 (retryable) below it, "
     "so the log never fails half-way; 0 = no check",
     number<uint64_t>(&config::disk_reserve_mb, 0, 1'000'000)},
    {"--idempotency-hours", "TASCADE_IDEMPOTENCY_HOURS", "168",
     "hours an Idempotency-Key's stored answer is kept; a repeat after that runs as a new "
     "request. 0 = kept forever",
     number<uint64_t>(&config::idempotency_hours, 0, 87'600)},
    {"--web-root", "TASCADE_WEB_ROOT", "web/ beside tascaded",
     "folder of the built web dashboard to serve at / (e.g. web/dist of a development copy)",
     text(&config::web_root)},
    {"--metric-alerts", "TASCADE_METRIC_ALERTS", "on",
     "on/off: after each change, compare the project's metrics with its alert thresholds and "
     "record alert_raised / alert_resolved events (acknowledging works either way)",
     [](config& c, const std::string& v) {
       if (v != "on" && v != "off")
         return false;
       c.metric_alerts = v == "on";
       return true;
     }},
  };
  return table;
}

}  // namespace

caf::expected<config> load_config(const std::vector<std::string>& args) {
  config c;
  for (auto& s : settings())
    if (const char* v = std::getenv(s.env); v && *v && !s.set(c, v))
      return make_error(errc::validation_failed,
                        std::string("bad value '") + v + "' for " + s.env);
  for (size_t i = 0; i < args.size(); ++i) {
    const auto& arg = args[i];
    if (arg == "--help" || arg == "-h") {
      c.help = true;
      continue;
    }
    auto eq = arg.find('=');
    auto flag = arg.substr(0, eq);
    const setting* found = nullptr;
    for (auto& s : settings())
      if (flag == s.flag)
        found = &s;
    if (!found)
      return make_error(errc::validation_failed, "unknown option '" + arg + "' (see --help)");
    std::string value;
    if (eq != std::string::npos)
      value = arg.substr(eq + 1);
    else if (flag == "--auth-disabled" || flag == "--strict-fields")
      value = "1";
    else if (i + 1 < args.size())
      value = args[++i];
    else
      return make_error(errc::validation_failed, "option " + flag + " needs a value");
    if (!found->set(c, value))
      return make_error(errc::validation_failed, "bad value '" + value + "' for " + flag);
  }
  return c;
}

// Spaces that bring `text` to `width` columns (at least one).
static size_t pad(std::string_view text, size_t width) {
  return text.size() < width ? width - text.size() : 1;
}

std::string config_help() {
  std::string out =
    "tascaded — the Tascade coordination server\n\n"
    "usage: tascaded [--flag value | --flag=value]...\n\n"
    "Every setting also reads an environment variable; a flag wins over it.\n\n";
  for (auto& s : settings()) {
    out += "  " + std::string(s.flag);
    out.append(pad(s.flag, 18), ' ');
    out += std::string(s.env);
    out.append(pad(s.env, 24), ' ');
    out += std::string(s.meaning) + " (default " + s.fallback + ")\n";
  }
  out += "  --help            show this text\n";
  return out;
}

}  // namespace tascade
