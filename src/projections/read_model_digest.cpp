// The digest of the read models: one canonical line per entity, in a fixed order, hashed.
// Live servers and `tascade replay rebuild` compute it the same way, so equal histories give
// equal digests and any divergence of a projection shows.

#include "events/sha256.hpp"
#include "projections/read_model.hpp"

#include <boost/json.hpp>

namespace tascade {

namespace {

boost::json::array strings(const std::vector<std::string>& items) {
  return boost::json::array(items.begin(), items.end());
}

}  // namespace

std::string read_model::digest() const {
  sha256_stream hash;
  auto line = [&](const boost::json::value& v) {
    hash.update(boost::json::serialize(v));
    hash.update("\n");
  };
  for (auto& pid : projects_in_order_) {
    const auto& index = projects_.at(pid);
    const auto& p = index.project;
    line({{"project", p.id.str()}, {"name", p.name}, {"created_at", p.created_at.micros},
          {"plan_version", p.plan_version}});
    for (auto& [sequence, id] : index.phases_by_sequence) {
      const auto& ph = phases_.at(id);
      line({{"phase", ph.id.str()}, {"short_id", ph.short_id}, {"name", ph.name},
            {"sequence", ph.sequence}, {"created_at", ph.created_at.micros}});
    }
    for (auto& [sequence, id] : index.milestones_by_sequence) {
      const auto& m = milestones_.at(id);
      line({{"milestone", m.id.str()}, {"phase", m.phase.str()}, {"short_id", m.short_id},
            {"name", m.name}, {"sequence", m.sequence}, {"created_at", m.created_at.micros}});
    }
    for (auto& id : index.tasks_in_order) {
      const auto& t = tasks_.at(id);
      boost::json::value description = nullptr;
      if (t.description)
        description = *t.description;
      line({{"task", t.id.str()},
            {"phase", t.phase.str()},
            {"milestone", t.milestone.str()},
            {"short_id", t.short_id},
            {"title", t.title},
            {"description", description},
            {"state", to_string(t.state)},
            {"priority", t.priority},
            {"work_spec", t.work_spec.object()},
            {"task_class", to_string(t.klass)},
            {"capability_tags", strings(t.capability_tags)},
            {"expected_touches", strings(t.expected_touches)},
            {"exclusive_paths", strings(t.exclusive_paths)},
            {"shared_paths", strings(t.shared_paths)},
            {"created_at", t.created_at.micros},
            {"updated_at", t.updated_at.micros},
            {"unmet", t.unmet},
            {"timeline", boost::json::array(t.timeline.begin(), t.timeline.end())},
            {"drifted", strings(t.drifted_files)},
            {"material_version", t.material_version},
            {"gate_approved", t.gate_approved}});
      if (t.lease)
        line({{"lease", t.lease->id.str()}, {"agent", t.lease->agent}, {"token", t.lease->token},
              {"status", t.lease->status}, {"expires_at", t.lease->expires_at.micros},
              {"heartbeat_at", t.lease->heartbeat_at.micros}, {"fencing", t.lease->fencing},
              {"released_at", t.lease->released_at ? t.lease->released_at->micros : -1}});
      if (t.reservation)
        line({{"reservation", t.reservation->id.str()}, {"assignee", t.reservation->assignee},
              {"status", t.reservation->status}, {"expires_at", t.reservation->expires_at.micros},
              {"released_at",
               t.reservation->released_at ? t.reservation->released_at->micros : -1}});
      for (auto& snap : t.snapshots)
        line({{"snapshot", snap.id.str()}, {"lease", snap.lease.str()},
              {"hash", snap.work_spec_hash}, {"by", snap.captured_by},
              {"at", snap.captured_at.micros}});
      for (auto& a : t.artifacts)
        line({{"artifact", a.id.str()}, {"short_id", a.short_id}, {"agent", a.agent},
              {"check_status", a.check_status}, {"touched", strings(a.touched_files)},
              {"at", a.created_at.micros}});
      for (auto& id : t.attempts) {
        const auto& a = attempts_.at(id);
        line({{"attempt", a.id.str()}, {"short_id", a.short_id}, {"result", a.result},
              {"diagnostics", a.diagnostics}, {"started_at", a.started_at.micros},
              {"ended_at", a.ended_at ? a.ended_at->micros : -1}});
      }
    }
    for (auto& id : index.edges) {
      const auto& e = edges_.at(id);
      line({{"edge", e.id.str()}, {"from", e.from.str()}, {"to", e.to.str()},
            {"unlock_on", to_string(e.unlock)}, {"created_at", e.created_at.micros}});
    }
  }
  for (auto& pid : projects_in_order_)
    governance_digest(pid, line);
  plans_digest(line);
  for (auto& id : keys_in_order_) {
    const auto& k = keys_.at(id);
    line({{"key", k.id.str()}, {"project", k.project}, {"name", k.name},
          {"roles", strings(k.roles)}, {"status", k.status}, {"hash", k.hash},
          {"created_at", k.created_at.micros},
          {"revoked_at", k.revoked_at ? k.revoked_at->micros : -1}});
  }
  metrics_.digest(line);
  return to_hex(hash.finish());
}

}  // namespace tascade
