#include "tests/support/server_process.hpp"

#include <map>
#include <mutex>

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstring>
#include <optional>
#include <stdexcept>

extern char** environ;

namespace tascade::test {

namespace {

constexpr std::string_view listening_marker = "listening on http://127.0.0.1:";

// The caller's environment without TASCADE_* variables, so a developer's settings cannot
// change what a test starts.
std::vector<std::string> clean_environment() {
  std::vector<std::string> out;
  for (char** e = environ; e && *e; ++e)
    if (std::strncmp(*e, "TASCADE_", 8) != 0)
      out.emplace_back(*e);
  return out;
}

std::vector<char*> c_strings(std::vector<std::string>& items) {
  std::vector<char*> out;
  for (auto& s : items)
    out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

[[noreturn]] void fail_errno(const std::string& what) {
  throw std::runtime_error(what + ": " + std::strerror(errno));
}

// Spawns `argv` with its stdout on `out_fd` and stderr on `err_fd`; every other descriptor of
// ours is close-on-exec. Returns the pid.
pid_t spawn(std::vector<std::string> argv, int out_fd, int err_fd) {
  auto env = clean_environment();
  auto c_argv = c_strings(argv);
  auto c_env = c_strings(env);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, out_fd, STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, err_fd, STDERR_FILENO);
  pid_t pid = -1;
  int rc = posix_spawn(&pid, c_argv[0], &actions, nullptr, c_argv.data(), c_env.data());
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0)
    throw std::runtime_error("cannot start " + argv[0] + ": " + std::strerror(rc));
  return pid;
}

int wait_for(pid_t pid) {
  int status = 0;
  while (waitpid(pid, &status, 0) < 0)
    if (errno != EINTR)
      return -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// The port after the marker, once the digits are complete (a non-digit follows them).
std::optional<uint16_t> find_port(const std::string& output) {
  auto pos = output.find(listening_marker);
  if (pos == std::string::npos)
    return std::nullopt;
  pos += listening_marker.size();
  auto end = pos;
  while (end < output.size() && std::isdigit(static_cast<unsigned char>(output[end])))
    ++end;
  if (end == pos || end == output.size())
    return std::nullopt;
  return uint16_t(std::stoul(output.substr(pos, end - pos)));
}

}  // namespace

bool auth_mode() {
  const char* v = std::getenv("TASCADE_TEST_AUTH");
  return v && std::string_view(v) == "1";
}

// The admin key tascaded prints on its first start with authentication on.
static std::string find_admin_key(const std::string& output) {
  auto pos = output.find("tsk_");
  if (pos == std::string::npos)
    return {};
  return output.substr(pos, 4 + 64);
}

server_process::server_process(std::string data_dir, std::vector<std::string> extra_args,
                               auth_setting auth)
    : data_dir_(std::move(data_dir)),
      requires_keys_(auth == auth_setting::required || auth_mode()) {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0)
    fail_errno("pipe2");
  std::vector<std::string> argv{TASCADED_PATH, "--port",      "0",   "--data",
                                data_dir_,     "--log-level", "info"};
  if (!requires_keys_)
    argv.push_back("--auth-disabled");
  // Alert events would interleave with what other tests count on the log; the metrics tests
  // turn them back on (a later flag wins).
  argv.insert(argv.end(), {"--metric-alerts", "off"});
  argv.insert(argv.end(), extra_args.begin(), extra_args.end());
  try {
    pid_ = spawn(argv, fds[1], fds[1]);
  } catch (...) {
    ::close(fds[0]);
    ::close(fds[1]);
    throw;
  }
  ::close(fds[1]);
  out_fd_ = fds[0];
  reader_ = std::thread([this] { read_output(); });

  std::optional<uint16_t> found;
  {
    std::unique_lock lock(mutex_);
    changed_.wait_until(lock, std::chrono::steady_clock::now() + process_deadline, [&] {
      found = find_port(output_);
      return found || eof_;
    });
  }
  if (!found) {
    kill_hard();
    throw std::runtime_error("tascaded did not print \"" + std::string(listening_marker) +
                             "<port>\" within " + std::to_string(process_deadline.count()) +
                             " s; it printed:\n" + output());
  }
  port_ = *found;
  if (requires_keys_) {
    // The key is printed on a data directory's first start only: remember it for restarts.
    static std::mutex keys_mutex;
    static std::map<std::string, std::string> keys_by_dir;
    std::lock_guard lock(keys_mutex);
    admin_key_ = find_admin_key(output());
    if (admin_key_.empty())
      admin_key_ = keys_by_dir[data_dir_];
    else
      keys_by_dir[data_dir_] = admin_key_;
  }
}

server_process::~server_process() {
  if (running())
    kill_hard();
  if (reader_.joinable())
    reader_.join();
  if (out_fd_ >= 0)
    ::close(out_fd_);
}

void server_process::read_output() {
  char chunk[4096];
  for (;;) {
    auto n = ::read(out_fd_, chunk, sizeof chunk);
    if (n < 0 && errno == EINTR)
      continue;
    std::lock_guard lock(mutex_);
    if (n <= 0) {
      eof_ = true;
      changed_.notify_all();
      return;
    }
    output_.append(chunk, size_t(n));
    changed_.notify_all();
  }
}

int server_process::reap() {
  auto status = wait_for(pid_);
  pid_ = -1;
  // The pipe reaches EOF once the process is gone, so the reader ends by itself.
  if (reader_.joinable())
    reader_.join();
  return status;
}

void server_process::kill_hard() {
  if (!running())
    return;
  ::kill(pid_, SIGKILL);
  reap();
}

int server_process::stop() {
  if (!running())
    return -1;
  ::kill(pid_, SIGTERM);
  bool exited;
  {
    std::unique_lock lock(mutex_);
    exited = changed_.wait_until(lock, std::chrono::steady_clock::now() + process_deadline,
                                 [&] { return eof_; });
  }
  if (!exited) {
    ::kill(pid_, SIGKILL);
    reap();
    return -1;
  }
  return reap();
}

std::string server_process::output() const {
  std::lock_guard lock(mutex_);
  return output_;
}

process_result run_program(const std::string& path, const std::vector<std::string>& args) {
  int out[2], err[2];
  if (pipe2(out, O_CLOEXEC) != 0)
    fail_errno("pipe2");
  if (pipe2(err, O_CLOEXEC) != 0) {
    ::close(out[0]);
    ::close(out[1]);
    fail_errno("pipe2");
  }
  std::vector<std::string> argv{path};
  argv.insert(argv.end(), args.begin(), args.end());
  pid_t pid = -1;
  try {
    pid = spawn(argv, out[1], err[1]);
  } catch (...) {
    for (int fd : {out[0], out[1], err[0], err[1]})
      ::close(fd);
    throw;
  }
  ::close(out[1]);
  ::close(err[1]);

  process_result result;
  pollfd fds[2] = {{out[0], POLLIN, 0}, {err[0], POLLIN, 0}};
  std::string* sinks[2] = {&result.out, &result.err};
  int open_fds = 2;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  bool killed = false;
  while (open_fds > 0) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
      deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      ::kill(pid, SIGKILL);
      killed = true;
      break;
    }
    int ready = ::poll(fds, 2, int(left.count()));
    if (ready < 0 && errno == EINTR)
      continue;
    if (ready < 0)
      break;
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0)
        continue;
      char chunk[4096];
      auto n = ::read(fds[i].fd, chunk, sizeof chunk);
      if (n > 0) {
        sinks[i]->append(chunk, size_t(n));
      } else if (n == 0 || errno != EINTR) {
        ::close(fds[i].fd);
        fds[i].fd = -1;
        --open_fds;
      }
    }
  }
  for (auto& f : fds)
    if (f.fd >= 0)
      ::close(f.fd);
  result.exit_code = wait_for(pid);
  if (killed)
    result.exit_code = -1;
  return result;
}

}  // namespace tascade::test
