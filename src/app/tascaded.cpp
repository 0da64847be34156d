// tascaded: the Tascade server. Settings come from TASCADE_* variables and --flags.

#include "app/config.hpp"
#include "app/node.hpp"
#include "tascade/errc.hpp"

#include <spdlog/spdlog.h>

#include <chrono>
#include <csignal>
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
  // In order: HTTP, the actors, the log writer, then the final read-model checkpoint and the
  // log itself (node.cpp). No deadline cuts it short.
  auto began = std::chrono::steady_clock::now();
  n.stop();
  started->reset();
  spdlog::info("stopped in {:.0f} ms",
               std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - began)
                 .count());
  return 0;
}
