#include "projections/checkpointer.hpp"

#include "telemetry/server_metrics.hpp"

#include <chrono>

#include "projections/projection_hub.hpp"
#include "projections/read_model_checkpoint.hpp"
#include "tascade/errc.hpp"

#include <spdlog/spdlog.h>

namespace tascade {

checkpointer::checkpointer(event_log& log, const projection_hub& hub, uint64_t every,
                           global_seq written, std::chrono::milliseconds poll)
    : log_(log), hub_(hub), every_(every), poll_(poll), written_(written) {
  // One due already (a long replay at start) is written now, before the server serves:
  // encoding holds the projections' shared lock, and no request should wait on it.
  write_if_due(every_);
  thread_ = std::thread([this] { run(); });
}

checkpointer::~checkpointer() { finish(); }

global_seq checkpointer::written() const {
  std::lock_guard lock{mutex_};
  return written_;
}

void checkpointer::run() {
  std::unique_lock lock{mutex_};
  while (!stopping_) {
    wake_.wait_for(lock, poll_, [this] { return stopping_; });
    if (stopping_)
      break;
    lock.unlock();
    write_if_due(every_);
    lock.lock();
  }
}

void checkpointer::write_if_due(uint64_t every) {
  auto at = hub_.read([](const read_model& m) { return m.checkpoint(); });
  if (at < written() + every || at == written())
    return;
  auto started = std::chrono::steady_clock::now();
  auto done = write_checkpoint(log_, hub_);
  std::chrono::duration<double> spent = std::chrono::steady_clock::now() - started;
  server_metrics::global().checkpoint(spent.count());
  if (!done) {
    // Only a cache: the next start replays more, nothing is lost.
    spdlog::warn("read-model checkpoint not written: {}", message_of(done.error()));
    return;
  }
  std::lock_guard lock{mutex_};
  written_ = *done;
}

void checkpointer::finish() {
  {
    std::lock_guard lock{mutex_};
    if (finished_)
      return;
    finished_ = stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable())
    thread_.join();
  write_if_due(1);
}

}  // namespace tascade
