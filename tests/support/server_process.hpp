#pragma once
/// The real `tascaded` binary as a child process, for end-to-end tests; plus a helper that runs
/// any program to completion and captures its output (for `--help` and the `tascade` tool).

#include "tests/support/http_client.hpp"

#include <sys/types.h>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace tascade::test {

/// How long a server may take to print its listening line or to exit after SIGTERM.
inline constexpr std::chrono::seconds process_deadline{20};

/// Whether a server requires API keys.
enum class auth_setting : uint8_t {
  suite_default,  ///< keys when `auth_mode()` (TASCADE_TEST_AUTH=1), else development mode
  required,       ///< always keys, whatever the environment (the authentication suites)
};

/// Starts `TASCADED_PATH --port 0 --data <data_dir> --log-level info <extra_args...>` and waits
/// for the line "listening on http://127.0.0.1:<port>" on its stdout (stderr is merged in).
/// Throws `std::runtime_error`, quoting what the server printed, when the line does not come
/// within `process_deadline` or the process exits first. The destructor kills the server.
class server_process {
 public:
  explicit server_process(std::string data_dir, std::vector<std::string> extra_args = {},
                          auth_setting auth = auth_setting::suite_default);
  ~server_process();
  server_process(const server_process&) = delete;
  server_process& operator=(const server_process&) = delete;

  /// The port the server listens on.
  uint16_t port() const { return port_; }
  pid_t pid() const { return pid_; }
  /// True until the process has been reaped by `kill_hard` or `stop`.
  bool running() const { return pid_ > 0; }
  /// A new client of this server (sending the admin key when the suite runs with keys).
  http_client client() const {
    http_client c(port_);
    if (!admin_key_.empty())
      c.default_headers({{"Authorization", "Bearer " + admin_key_}});
    return c;
  }
  /// Whether this server requires API keys.
  bool requires_keys() const { return requires_keys_; }
  /// The admin key the server printed on its first start (servers with keys only).
  const std::string& admin_key() const { return admin_key_; }

  /// SIGKILL, then waitpid: the crash case, nothing is flushed or closed by the server.
  void kill_hard();
  /// SIGTERM, then waits (bounded by `process_deadline`, SIGKILL after it) for the exit.
  /// Returns the exit status, or -1 when the server had to be killed or died by a signal.
  int stop();

  /// Everything the server printed so far.
  std::string output() const;

 private:
  void read_output();  // reader thread: drains the pipe until EOF
  int reap();          // waitpid; the exit status or -1

  std::string data_dir_;
  std::string admin_key_;
  bool requires_keys_ = false;
  pid_t pid_ = -1;
  int out_fd_ = -1;
  uint16_t port_ = 0;
  std::thread reader_;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::string output_;
  bool eof_ = false;
};

/// Whether the suites run with API keys (TASCADE_TEST_AUTH=1) instead of development mode.
bool auth_mode();

/// What a finished program printed and returned.
struct process_result {
  int exit_code = -1;  ///< -1 when it died by a signal or had to be killed
  std::string out;     ///< stdout
  std::string err;     ///< stderr
};

/// Runs `path args...` to completion (killed after 60 s) and captures stdout and stderr.
process_result run_program(const std::string& path, const std::vector<std::string>& args);

}  // namespace tascade::test
