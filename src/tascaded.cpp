// tascaded: the Tascade server. Settings come from TASCADE_* variables and --flags.

#include "config.hpp"
#include "node.hpp"
#include "tascade/errc.hpp"

#include <spdlog/spdlog.h>

#include <chrono>
#include <csignal>
#include <thread>
#include <cstdio>
#include <iostream>

int main(int argc, char** argv) {
  using namespace tascade;
  auto cfg = load_config(std::vector<std::string>(argv + 1, argv + argc));
  if (!cfg) {
    std::cerr << "tascaded: " << message_of(cfg.error()) << "\n";
    return 2;
  }
  if (cfg->help) {
    std::cout << config_help();
    return 0;
  }
  spdlog::set_level(spdlog::level::from_str(cfg->log_level));

  // Block the stop signals before any thread starts, so only sigwait below receives them.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  auto started = node::start(*cfg);
  if (!started) {
    spdlog::critical("cannot start: {}", message_of(started.error()));
    return 1;
  }
  auto& n = **started;
  spdlog::info("tascaded listening on http://{}:{} (data {}, {} events replayed, auth {})",
               cfg->host, n.port(), cfg->data_dir, n.replayed(),
               cfg->auth_disabled ? "disabled (development mode)" : "on");
  std::fflush(stdout);
  int sig = 0;
  sigwait(&signals, &sig);
  spdlog::info("signal {}: stopping", sig);
  n.stop();
  // An orderly stop takes milliseconds. Should an actor wait on a reply that a stopped actor
  // dropped (CAF 0.17 does not break dropped promises), do not hang: every acknowledged write
  // is already fsynced, so leaving now is as safe as the crash the log is built to survive.
  std::thread([] {
    std::this_thread::sleep_for(std::chrono::seconds(5));
    spdlog::warn("stopping takes too long; exiting now (acknowledged writes are durable)");
    std::_Exit(0);
  }).detach();
  started->reset();
  return 0;
}
