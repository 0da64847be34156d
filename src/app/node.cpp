#include "app/node.hpp"

#include "projections/governance_facts.hpp"
#include "app/heap_trimmer.hpp"
#include "actors/registry.hpp"
#include "actors/alert_desk.hpp"
#include "telemetry/server_metrics.hpp"
#include "planner/plan_book.hpp"
#include "events/log_writer.hpp"
#include "actors/keyring.hpp"
#include "http/authentication.hpp"
#include "catalogue/catalogue.hpp"
#include "catalogue/openapi.hpp"
#include "http/server.hpp"
#include "http/extra_routes.hpp"
#include "http/static_files.hpp"
#include "http/stream_routes.hpp"
#include "mcp/dispatcher.hpp"
#include "mcp/http_transport.hpp"
#include "mcp/message_session.hpp"
#include "events/subscription_hub.hpp"
#include "projections/rebuild.hpp"
#include "projections/checkpointer.hpp"
#include "projections/read_model_checkpoint.hpp"
#include "tascade/errc.hpp"

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>

#include <boost/json.hpp>
#include <spdlog/spdlog.h>

#include <malloc.h>

#include <algorithm>
#include <charconv>

#include <iostream>

namespace tascade {

void configure_actor_system(caf::actor_system_config& cfg, unsigned threads) {
  cfg.add_error_category(error_category, render_error);
  cfg.set("scheduler.max-threads", size_t(threads));
  cfg.set("logger.console-verbosity", caf::atom("quiet"));
  cfg.set("logger.verbosity", caf::atom("quiet"));
}

facts facts_of(const projection_hub& hub) {
  const auto* h = &hub;
  facts f;
  f.locate = [h](const task_id& id) {
    return h->read([&](const read_model& m) -> std::optional<project_id> {
      auto* t = m.task(id);
      return t ? std::optional<project_id>(t->project) : std::nullopt;
    });
  };
  f.creation = [h](const task_id& id) {
    return h->read([&](const read_model& m) -> std::optional<global_seq> {
      auto* t = m.task(id);
      return t ? std::optional<global_seq>(t->seq) : std::nullopt;
    });
  };
  f.unmet = [h](const task_id& id) {
    return h->read([&](const read_model& m) {
      std::vector<unmet_dependency> out;
      for (auto* e : m.unmet_edges(id)) {
        auto* from = m.task(e->from);
        out.push_back({e->from, from ? from->short_id : "", from ? from->state : task_state::ready,
                       e->unlock});
      }
      return out;
    });
  };
  f.unlocked_dependents = [h](const task_id& id, task_state before) {
    return h->read([&](const read_model& m) { return m.unlocked_dependents(id, before); });
  };
  f.plan_version = [h](const project_id& id) {
    return h->read([&](const read_model& m) {
      auto* p = m.project(id);
      return p ? p->plan_version : int64_t{1};
    });
  };
  f.project_exists = [h](const std::string& ref) {
    auto id = project_id::parse(ref);
    return id && h->read([&](const read_model& m) { return m.project(*id) != nullptr; });
  };
  f.attempt_task = [h](const uuid& id) {
    return h->read([&](const read_model& m) -> std::optional<task_id> {
      auto* a = m.attempt(id);
      return a ? std::optional<task_id>(a->task) : std::nullopt;
    });
  };
  f.claim_candidates = [h](const project_id& project, const std::string& agent,
                           const std::vector<std::string>& caps, size_t limit) {
    return h->read([&](const read_model& m) {
      // The agent's own reservations first, then the rest in priority and age order.
      std::vector<task_id> mine, others;
      for (auto* t : m.ready_tasks(project, agent, caps, limit)) {
        auto& bucket = t->state == task_state::reserved ? mine : others;
        bucket.push_back(t->id);
      }
      mine.insert(mine.end(), others.begin(), others.end());
      if (mine.size() > limit)
        mine.resize(limit);
      return mine;
    });
  };
  f.why_not_claimable = [h](const project_id& project, const std::string& agent) {
    return h->read([&](const read_model& m) {
      boost::json::array candidates;
      for (auto& b : m.blocked_candidates(project, agent, 5)) {
        boost::json::object c{{"task_id", b.task->id.str()},
                              {"short_id", b.task->short_id},
                              {"state", to_string(b.task->state)},
                              {"reason", b.reason}};
        if (b.reason == "waiting_on_dependencies") {
          boost::json::array waiting;
          for (auto* e : m.unmet_edges(b.task->id)) {
            auto* from = m.task(e->from);
            waiting.push_back({{"task_id", e->from.str()},
                               {"short_id", from ? from->short_id : ""},
                               {"state", from ? to_string(from->state) : "missing"},
                               {"unlock_on", to_string(e->unlock)}});
          }
          c["waiting_on"] = waiting;
        } else if (b.reason == "reserved_for_other") {
          c["reserved_for"] = b.task->reservation->assignee;
        } else if (b.reason == "held" && b.task->live_lease()) {
          c["held_by"] = b.task->lease->agent;
        }
        candidates.push_back(std::move(c));
      }
      return boost::json::object{{"candidates", candidates}};
    });
  };
  add_governance_facts(f, hub);
  return f;
}

// Whether the server listens on loopback only: then GET /metrics needs no key.
static bool is_loopback(const std::string& host) {
  return host == "localhost" || host == "::1" || host.rfind("127.", 0) == 0;
}

caf::expected<std::unique_ptr<node>> node::start(const config& cfg) {
  std::unique_ptr<node> n{new node};
  n->cfg_ = cfg;
  auto log = event_log::open(cfg.data_dir);
  if (!log)
    return std::move(log.error());
  n->log_ = std::move(*log);
  auto idempotency_age = std::chrono::microseconds(std::chrono::hours(cfg.idempotency_hours));
  n->log_->expire_idempotent_results_after(idempotency_age);
  n->log_->keep_disk_reserve(cfg.disk_reserve_mb << 20);

  // With authentication on, an empty log gets a global admin key, so someone can get in.
  if (!cfg.auth_disabled && n->log_->head() == 0) {
    auto key = issue_key_offline(*n->log_, "*", "admin", {"admin"}, "bootstrap", system_now());
    if (!key)
      return std::move(key.error());
    // Printed now: if the start fails later, the key is already in the log and would be lost.
    std::cout << "admin key (shown once, keep it): " << *key << std::endl;
  }

  // A read-model checkpoint spares replaying the events it covers (a cache: any doubt, from 1).
  global_seq checkpoint_loaded = 0;
  if (cfg.checkpoint_every > 0)
    checkpoint_loaded = restore_checkpoint(*n->log_, n->hub_);
  auto replayed = rebuild_projections(*n->log_, n->hub_);
  if (!replayed)
    return std::move(replayed.error());
  n->replayed_ = *replayed;
  // The rebuild's decoding garbage is freed but interleaved with the read model's memory;
  // hand the free pages back so resident memory is what the projections hold.
  malloc_trim(0);
  // From here on, big transient work (project rehydration and snapshots, checkpoints, large
  // replies) leaves freed pages in per-thread arenas; give them back once they add up.
  n->trimmer_ = std::make_unique<heap_trimmer>();
  if (cfg.checkpoint_every > 0)
    n->checkpointer_ = std::make_unique<checkpointer>(*n->log_, n->hub_, cfg.checkpoint_every,
                                                      checkpoint_loaded);

  n->actor_cfg_ = std::make_unique<caf::actor_system_config>();
  configure_actor_system(*n->actor_cfg_, cfg.actor_threads);
  n->sys_ = std::make_unique<caf::actor_system>(*n->actor_cfg_);

  auto* hub = &n->hub_;
  n->events_ = std::make_unique<subscription_hub>(cfg.event_queue_limit);
  n->events_->start_at(n->log_->head());
  auto* events = n->events_.get();
  // The alert desk is spawned after the writer it appends through; the writer reaches it here
  // (set before any actor can send an append, so before any batch).
  auto desk_slot = std::make_shared<caf::actor>();
  n->writer_ = n->sys_->spawn<caf::detached>(
    log_writer_behavior, n->log_.get(),
    commit_listener{[hub, events, desk_slot,
                     alerts = cfg.metric_alerts](const std::vector<event_record>& batch) {
      hub->apply(batch);
      events->publish(batch);  // only queues: a slow subscriber never holds the writer
      std::vector<std::string> changed;
      for (auto& rec : batch) {
        if (rec.type == tascade::events::lease_expired::type)
          server_metrics::global().lease_expired();
        if (!alerts || rec.stream == alert_stream)
          continue;  // the desk's own events never trigger it again
        if (auto* p = rec.payload.if_contains("project_id"); p && p->is_string()) {
          std::string_view id = p->get_string();
          if (std::find(changed.begin(), changed.end(), id) == changed.end())
            changed.emplace_back(id);
        }
      }
      if (*desk_slot)
        for (auto& text : changed)
          if (auto id = project_id::parse(text))
            caf::anon_send(*desk_slot, check_alerts{*id});
    }});

  actor_deps deps;
  deps.log_writer = n->writer_;
  deps.log = n->log_.get();
  deps.snapshot_every = cfg.snapshot_every;
  deps.idle_after = std::chrono::seconds(cfg.task_idle_seconds);
  deps.known = facts_of(*hub);
  n->registry_ = n->sys_->spawn(registry_behavior, deps);
  n->alert_desk_ = n->sys_->spawn(
    alert_desk_behavior, deps, [hub](const project_id& id, timestamp now) {
      return hub->read([&](const read_model& m) {
        auto* p = m.metrics().project(id);
        return p ? m.metrics().readings(*p, now.micros)
                 : std::vector<std::pair<std::string, double>>{};
      });
    });
  *desk_slot = n->alert_desk_;
  n->plan_book_ = n->sys_->spawn(
    plan_book_behavior, deps, planner::planner_settings{},
    std::function<bool(const std::string&, const std::string&)>(
      [hub](const std::string& project_ref, const std::string& run_id) {
        return hub->read([&](const read_model& m) {
          return m.plan_by_run(project_ref, run_id) != nullptr;
        });
      }));

  // Leases and reservations outlive restarts: their actors re-arm the timers.
  auto sleeping = hub->read([](const read_model& m) { return m.tasks_with_deadlines(); });
  for (auto& id : sleeping)
    caf::anon_send(n->registry_, wake_task{id});

  // A key's last use survives restarts as a note beside the log (at most one write a minute).
  http::key_usage_store usage;
  auto* notes_log = n->log_.get();
  usage.load = [notes_log] {
    std::unordered_map<std::string, timestamp> out;
    if (auto found = notes_log->notes("last_used/"))
      for (auto& [key, value] : *found) {
        int64_t micros = 0;
        auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), micros);
        if (ec == std::errc{} && end == value.data() + value.size())
          out.emplace(key.substr(std::string_view("last_used/").size()), timestamp{micros});
      }
    return out;
  };
  usage.save = [notes_log](const std::string& key_id, timestamp at) {
    if (auto ok = notes_log->put_note("last_used/" + key_id, std::to_string(at.micros)); !ok)
      spdlog::debug("last use of key {} not stored: {}", key_id, message_of(ok.error()));
  };
  n->auth_ = std::make_unique<http::authenticator>(hub, cfg.auth_disabled, std::move(usage));
  auto* auth = n->auth_.get();
  n->asker_ = std::make_shared<asker>(*n->sys_, n->sys_->scheduler().num_workers());
  catalogue::services services{n->sys_.get(), n->registry_, hub, n->log_.get(),
                          [auth](const std::string& key) { return auth->last_used(key); },
                          n->asker_, n->alert_desk_, is_loopback(cfg.host), n->plan_book_};
  n->ops_ = catalogue::make_catalogue(services);
  for (auto& op : n->ops_)
    op.strict_fields = cfg.strict_fields;
  for (auto& op : n->ops_)
    if (!op.roles)
      return make_error(errc::invariant_violation,
                        "operation " + op.name + " declares no role; refusing to start");
  // The document describes every operation, itself included, so add it before generating.
  auto document = std::make_shared<boost::json::value>();
  n->ops_.push_back({"get_openapi", "This server's OpenAPI 3.1 document.", "GET",
                     "/openapi.json", std::vector<role>{}, true, 200, "Health", {},
                     [document](call_context ctx, boost::json::object) {
                       ctx.reply({200, *document});
                     }});
  *document = catalogue::openapi_document(n->ops_);

  http::server_options options;
  options.host = cfg.host;
  options.port = cfg.port;
  options.io_threads = cfg.io_threads;
  options.body_limit = cfg.body_limit;
  auto* log_ptr = n->log_.get();
  options.idempotency.load = [log_ptr](const std::string& key) -> std::optional<std::string> {
    auto found = log_ptr->idempotent_result(key);
    return found ? *found : std::nullopt;
  };
  options.idempotency.save = [log_ptr](const std::string& key, const std::string& record) {
    if (auto ok = log_ptr->put_idempotent_result(key, record); !ok)
      spdlog::warn("idempotency record lost: {}", message_of(ok.error()));
  };
  options.idempotency.max_age = idempotency_age;
  options.authenticate = [auth](std::string_view header) { return auth->authenticate(header); };
  // Refusals become aggregated auth_denied events, written by the keyring actor.
  options.record_denial = [registry = n->registry_](denial d) {
    caf::anon_send(registry, record_denial{std::move(d)});
  };
  // MCP meets HTTP here, so neither folder includes the other.
  mcp::dispatcher_options mcp_options;
  mcp_options.record_denial = options.record_denial;
  n->mcp_ = std::make_unique<mcp::dispatcher>(n->ops_, std::move(mcp_options));
  mcp::http_transport_options mcp_http_options;
  mcp_http_options.origin_allowed = [origins = cfg.allowed_origins](std::string_view origin) {
    return http::origin_allowed(origin, origins);
  };
  mcp::http_transport::authenticate_fn mcp_auth;
  if (options.authenticate)
    mcp_auth = [auth = options.authenticate](const mcp::http_request& req) {
      return auth(http::authorization_of(req));
    };
  n->mcp_http_ = std::make_unique<mcp::http_transport>(*n->mcp_, std::move(mcp_auth),
                                                       std::move(mcp_http_options));
  http::mcp_routes mcp_routes;
  mcp_routes.streamable_http = [transport = n->mcp_http_.get()](
                                 const http::raw_request& req,
                                 std::function<void(http::raw_response)> respond) {
    transport->handle(req, std::move(respond));
  };
  mcp_routes.websocket.subprotocol = "mcp";
  mcp_routes.websocket.open = [dispatcher = n->mcp_.get()]() -> http::text_handler {
    auto session = std::make_shared<mcp::message_session>(*dispatcher);
    return [session](const caf::expected<principal>& who, std::string text,
                     http::text_reply_fn reply) {
      return session->on_text(who, text, std::move(reply));
    };
  };
  n->streams_ = std::make_unique<http::stream_routes>(
    std::move(mcp_routes), *n->log_, *events, options.authenticate,
    http::stream_routes_options{cfg.allowed_origins, cfg.body_limit, options.record_denial});
  auto web = std::make_shared<const http::static_files>(http::default_web_root(cfg.web_root));
  if (web->built())
    spdlog::info("dashboard: serving {} at /", web->root().string());
  else
    spdlog::warn("dashboard not built (no index.html in {}): run tools/run-server.sh, or npm ci "
                 "&& npm run build in web/ and pass --web-root web/dist", web->root().string());
  options.extra = http::with_static_files(n->streams_->hooks(), std::move(web), n->ops_);
  n->server_ = std::make_unique<http::server>(n->ops_, options);
  if (auto ok = n->server_->start(); !ok)
    return std::move(ok.error());
  return n;
}

uint16_t node::port() const { return server_ ? server_->port() : 0; }

namespace {

// Sends `actor` an exit and waits until it is down. No deadline: an orderly stop must end with
// the writer stopped and the checkpoint written, so a stall is reported (every 10 s), not cut.
void stop_and_wait(caf::actor_system& sys, const caf::actor& actor, const char* what) {
  if (!actor)
    return;
  caf::scoped_actor self{sys};
  self->monitor(actor);
  self->send_exit(actor, caf::exit_reason::user_shutdown);
  for (bool down = false; !down;)
    self->receive([&](const caf::down_msg&) { down = true; },
                  caf::after(std::chrono::seconds(10)) >>
                    [&] { spdlog::warn("stopping: still waiting for the {} to stop", what); });
}

}  // namespace

void node::stop() {
  if (stopped_)
    return;
  stopped_ = true;
  if (server_)
    server_->stop();  // no new requests; the I/O threads are joined
  if (!sys_)
    return;
  if (asker_)
    asker_->stop();
  // In order: the registry quits once every project, task and keyring actor it started is
  // down, so nothing is left to send the writer an append; then the writer, which the actors
  // held. Its queued appends are written or dropped whole before it goes.
  stop_and_wait(*sys_, alert_desk_, "alert desk");
  stop_and_wait(*sys_, registry_, "registry and its actors");
  stop_and_wait(*sys_, plan_book_, "plan book");
  stop_and_wait(*sys_, writer_, "log writer");
}

node::~node() {
  stop();  // no I/O thread runs from here on
  // The actor system waits for every actor on destruction: drop our handles first. Replies
  // still in flight touch the server's idempotency guard and post to its (stopped) io_context,
  // so the server outlives the actors; the log outlives both.
  ops_.clear();
  registry_ = nullptr;
  alert_desk_ = nullptr;
  plan_book_ = nullptr;
  writer_ = nullptr;
  asker_.reset();
  sys_.reset();
  server_.reset();
  streams_.reset();
  mcp_http_.reset();
  mcp_.reset();
  events_.reset();
  checkpointer_.reset();  // writes the final checkpoint: every actor is gone, the log still open
  log_.reset();
}

}  // namespace tascade
