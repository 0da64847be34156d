#pragma once
/// The actor world of Tascade on CAF's deterministic scheduler, over a real log in a temporary
/// directory: the log writer and a registry started by the test. Messages run when the test
/// calls `sched->run()`; timers fire on `sched->trigger_timeouts()`.

#include "actors/registry.hpp"
#include "events/log_writer.hpp"
#include "tascade/errc.hpp"
#include "tests/support/temp_dir.hpp"

#include <caf/all.hpp>
#include <gtest/gtest.h>

#include <optional>

namespace tascade::test {

struct actor_fixture : ::testing::Test {
  actor_fixture() : log(std::move(*event_log::open(dir.str()))) {
    cfg.set("scheduler.policy", caf::atom("testing"));
    cfg.add_error_category(error_category, render_error);
    sys.emplace(cfg);
    sched = &dynamic_cast<caf::scheduler::test_coordinator&>(sys->scheduler());
    writer = sys->spawn(log_writer_behavior, log.get(), commit_listener{});
  }
  ~actor_fixture() override {
    if (registry)
      caf::anon_send_exit(registry, caf::exit_reason::user_shutdown);
    caf::anon_send_exit(writer, caf::exit_reason::user_shutdown);
    sched->run();
    sys.reset();
  }

  /// A registry over this log with `deps` (the log writer and log are filled in).
  caf::actor start_registry(actor_deps deps) {
    deps.log_writer = writer;
    deps.log = log.get();
    return sys->spawn(registry_behavior, deps);
  }

  /// Stops the registry (and every actor it started), as a restart would.
  void stop_registry() {
    caf::anon_send_exit(registry, caf::exit_reason::user_shutdown);
    sched->run();
    registry = nullptr;
  }

  /// Sends a command to the registry and runs the scheduler until it is answered.
  template <class Command>
  caf::expected<command_done> send(Command cmd) {
    std::optional<caf::expected<command_done>> out;
    sys->spawn([&, cmd](caf::event_based_actor* client) {
      client->request(registry, caf::infinite, cmd)
        .then([&](command_done& d) { out = std::move(d); }, [&](caf::error& e) { out = e; });
    });
    sched->run();
    EXPECT_TRUE(out.has_value()) << "no reply";
    return out ? std::move(*out) : caf::expected<command_done>{make_error(errc::unavailable)};
  }

  temp_dir dir;
  std::unique_ptr<event_log> log;
  caf::actor_system_config cfg;
  std::optional<caf::actor_system> sys;
  caf::scheduler::test_coordinator* sched = nullptr;
  caf::actor writer;
  caf::actor registry;
};

}  // namespace tascade::test
