#include "projections/projection_hub.hpp"

#include <mutex>

namespace tascade {

void projection_hub::apply(const std::vector<event_record>& batch) {
  std::unique_lock lock{mutex_};
  for (auto& rec : batch)
    model_.apply(rec);
}

void projection_hub::apply(const event_record& rec) {
  std::unique_lock lock{mutex_};
  model_.apply(rec);
}

void projection_hub::restore(read_model&& model) {
  std::unique_lock lock{mutex_};
  model_ = std::move(model);
}

}  // namespace tascade
