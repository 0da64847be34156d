#include "node.hpp"

#include "actors/registry.hpp"
#include "events/log_writer.hpp"
#include "http/catalogue.hpp"
#include "http/openapi.hpp"
#include "http/server.hpp"
#include "projections/rebuild.hpp"
#include "tascade/errc.hpp"

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>

#include <boost/json.hpp>
#include <spdlog/spdlog.h>

namespace tascade {

void configure_actor_system(caf::actor_system_config& cfg, unsigned threads) {
  cfg.add_error_category(error_category, render_error);
  cfg.set("scheduler.max-threads", size_t(threads));
  cfg.set("logger.console-verbosity", caf::atom("quiet"));
  cfg.set("logger.verbosity", caf::atom("quiet"));
}

caf::expected<std::unique_ptr<node>> node::start(const config& cfg) {
  std::unique_ptr<node> n{new node};
  n->cfg_ = cfg;
  auto log = event_log::open(cfg.data_dir);
  if (!log)
    return std::move(log.error());
  n->log_ = std::move(*log);

  auto replayed = rebuild_projections(*n->log_, n->hub_);
  if (!replayed)
    return std::move(replayed.error());
  n->replayed_ = *replayed;

  n->actor_cfg_ = std::make_unique<caf::actor_system_config>();
  configure_actor_system(*n->actor_cfg_, cfg.actor_threads);
  n->sys_ = std::make_unique<caf::actor_system>(*n->actor_cfg_);

  auto* hub = &n->hub_;
  n->writer_ = n->sys_->spawn<caf::detached>(
    log_writer_behavior, n->log_.get(),
    commit_listener{[hub](const std::vector<event_record>& batch) { hub->apply(batch); }});

  project_deps deps;
  deps.log_writer = n->writer_;
  deps.log = n->log_.get();
  deps.snapshot_every = cfg.snapshot_every;
  deps.locate = [hub](const task_id& id) -> std::optional<project_id> {
    return hub->read([&](const read_model& m) -> std::optional<project_id> {
      auto* t = m.task(id);
      return t ? std::optional<project_id>(t->project) : std::nullopt;
    });
  };
  n->registry_ = n->sys_->spawn(registry_behavior, deps);

  n->ops_ = http::make_catalogue({n->sys_.get(), n->registry_, hub});
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
  *document = http::openapi_document(n->ops_);

  http::server_options options;
  options.host = cfg.host;
  options.port = cfg.port;
  options.io_threads = cfg.io_threads;
  options.body_limit = cfg.body_limit;
  n->server_ = std::make_unique<http::server>(n->ops_, options);
  if (auto ok = n->server_->start(); !ok)
    return std::move(ok.error());
  return n;
}

uint16_t node::port() const { return server_ ? server_->port() : 0; }

void node::stop() {
  if (server_)
    server_->stop();
  if (sys_) {
    caf::anon_send_exit(registry_, caf::exit_reason::user_shutdown);
    caf::anon_send_exit(writer_, caf::exit_reason::user_shutdown);
  }
}

node::~node() {
  stop();
  server_.reset();
  sys_.reset();  // waits for the actors; the log closes after them
  log_.reset();
}

}  // namespace tascade
