#include "tools/bench/server_launch.hpp"

#include <csignal>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace tascade::bench {

namespace {

constexpr std::string_view marker = "listening on http://127.0.0.1:";

std::string read_all(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

std::string server_binary(const std::string& given) {
  if (!given.empty())
    return given;
  return (std::filesystem::read_symlink("/proc/self/exe").parent_path() / "tascaded").string();
}

launched_server::launched_server(const std::string& binary, const std::string& data,
                                 const std::string& log_file, std::chrono::seconds limit) {
  auto start = std::chrono::steady_clock::now();
  std::vector<std::string> args{binary,  "--data",          data,       "--port", "0",
                                "--auth-disabled", "--log-level", "info"};
  // Emptied before the child starts, so a previous run's startup line is never read as this one's.
  std::ofstream(log_file, std::ios::trunc).close();
  pid_ = fork();
  if (pid_ < 0)
    throw std::runtime_error("fork failed");
  if (pid_ == 0) {
    int fd = open(log_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd >= 0) {
      dup2(fd, STDOUT_FILENO);
      dup2(fd, STDERR_FILENO);
    }
    std::vector<char*> argv;
    for (auto& a : args)
      argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    execv(binary.c_str(), argv.data());
    _exit(127);
  }
  while (std::chrono::steady_clock::now() - start < limit) {
    auto text = read_all(log_file);
    if (auto pos = text.find(marker); pos != std::string::npos) {
      pos += marker.size();
      auto end = pos;
      while (end < text.size() && std::isdigit(static_cast<unsigned char>(text[end])))
        ++end;
      if (end < text.size() && end > pos) {
        port_ = uint16_t(std::stoi(text.substr(pos, end - pos)));
        to_listen_ = std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
                       .count();
        return;
      }
    }
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      throw std::runtime_error("tascaded exited during start-up:\n" + text);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  kill(pid_, SIGKILL);
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
  throw std::runtime_error("tascaded printed no port in time:\n" + read_all(log_file));
}

launched_server::~launched_server() {
  if (pid_ <= 0)
    return;
  kill(pid_, SIGTERM);
  for (int i = 0; i < 1000; ++i) {
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_)
      return;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  kill(pid_, SIGKILL);
  int status = 0;
  waitpid(pid_, &status, 0);
}

void launched_server::kill_now() {
  if (pid_ <= 0)
    return;
  kill(pid_, SIGKILL);
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
}

uint64_t launched_server::resident_bytes() const {
  std::ifstream in("/proc/" + std::to_string(pid_) + "/status");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("VmRSS:", 0) == 0)
      return std::stoull(line.substr(6)) * 1024;
  return 0;
}

}  // namespace tascade::bench
