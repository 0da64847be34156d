#pragma once
/// Starts a real tascaded on a data directory for the benches that need one (cold start,
/// scale), finds its port from its startup line, and stops it. Its output goes to a file in
/// the data directory's parent so a full pipe can never stall it.

#include <chrono>
#include <cstdint>
#include <string>
#include <sys/types.h>

namespace tascade::bench {

class launched_server {
 public:
  /// Starts `binary --data DIR --port 0 --auth-disabled --log-level warn`; throws
  /// std::runtime_error when it exits or prints no port within `limit`.
  launched_server(const std::string& binary, const std::string& data, const std::string& log_file,
                  std::chrono::seconds limit = std::chrono::seconds(120));
  ~launched_server();
  launched_server(const launched_server&) = delete;
  launched_server& operator=(const launched_server&) = delete;

  uint16_t port() const { return port_; }
  /// SIGKILL and reap: a crash, nothing flushed or closed by the server. Idempotent.
  void kill_now();
  /// Resident memory of the server process now, bytes.
  uint64_t resident_bytes() const;
  /// From the start to the startup line (the log replayed, the listener open), seconds.
  double seconds_to_listen() const { return to_listen_; }

 private:
  pid_t pid_ = -1;
  uint16_t port_ = 0;
  double to_listen_ = 0;
};

/// tascaded next to the running tascade binary, unless `given` names one.
std::string server_binary(const std::string& given);

}  // namespace tascade::bench
