#pragma once
/// Settings of `tascaded`: each has a `TASCADE_*` environment variable and a `--flag`; the
/// flag wins. One table describes them, so `--help` and the README list the same things.

#include <caf/expected.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace tascade {

struct config {
  std::string data_dir = "./data";
  std::string host = "127.0.0.1";
  uint16_t port = 8010;
  unsigned io_threads = 2;
  unsigned actor_threads = 2;
  size_t body_limit = 1 << 20;
  bool auth_disabled = false;
  bool strict_fields = false;  ///< unknown request fields are a 422, not ignored (development)
  std::string log_level = "info";
  uint64_t snapshot_every = 1000;
  bool help = false;
  std::vector<std::string> allowed_origins;  ///< browser origins allowed on /mcp and events
  size_t event_queue_limit = 10000;          ///< events a subscriber may lag before cut-off
  uint64_t checkpoint_every = 100000;  ///< events between read-model checkpoints; 0: none
  uint64_t task_idle_seconds = 30;           ///< before an idle task actor stops; 0 = never
  uint64_t disk_reserve_mb = 64;  ///< free space writes leave on the data volume
  uint64_t idempotency_hours = 168;  ///< age after which Idempotency-Key records expire; 0 = never
  std::string web_root;  ///< the dashboard's built files; empty: web/ beside the executable
  bool metric_alerts = true;  ///< evaluate alert thresholds after each change (issue 13)
};

/// Reads the environment, then `args` (argv without the program name).
/// Errors: `errc::validation_failed` naming the bad flag or value.
caf::expected<config> load_config(const std::vector<std::string>& args);

/// The `--help` text: every setting with its flag, variable, default and meaning.
std::string config_help();

}  // namespace tascade
