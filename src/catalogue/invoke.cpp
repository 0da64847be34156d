#include "catalogue/invoke.hpp"

#include "telemetry/server_metrics.hpp"

#include <chrono>

#include "actors/access_rules.hpp"
#include "catalogue/error_mapping.hpp"
#include "tascade/errc.hpp"
#include "tascade/finite_json.hpp"

#include <spdlog/spdlog.h>

#include <atomic>
#include <memory>

namespace tascade::catalogue {

namespace json = boost::json;

namespace {

outcome failure(caf::error err) {
  auto mapped = map_error(err);
  return {.what = outcome::kind::failed, .status = mapped.status, .body = std::move(mapped.body),
          .error = std::move(err)};
}

// Runs the handler; `done` gets its outcome once, however many times the handler answers.
void run(const operation& op, call_context ctx, json::object input, outcome_fn done) {
  auto once = std::make_shared<std::atomic<bool>>(false);
  ctx.reply = [done, once](op_result r) {
    if (!once->exchange(true))
      done({.status = r.status, .body = std::move(r.body)});
  };
  ctx.fail = [done, once](caf::error err) {
    if (!once->exchange(true))
      done(failure(std::move(err)));
  };
  // An exception must never escape into the transport's threads (Asio or an actor's).
  try {
    op.handler(std::move(ctx), std::move(input));
  } catch (const std::exception& e) {
    spdlog::error("{} failed: {}", op.name, e.what());
    if (!once->exchange(true)) {
      auto out = failure(make_error(errc::invariant_violation, "internal error"));
      out.status = 500;
      done(std::move(out));
    }
  }
}

}  // namespace

void invoke(const operation& op, principal who, json::object input, invocation context,
            outcome_fn finished) {
  // Every outcome is counted for the Prometheus scrape, by operation and status.
  auto started = std::chrono::steady_clock::now();
  outcome_fn done = [&op, started, finished = std::move(finished)](outcome out) {
    std::chrono::duration<double> spent = std::chrono::steady_clock::now() - started;
    server_metrics::global().request(op.name, out.status, spent.count());
    finished(std::move(out));
  };
  auto problems = std::move(context.problems);
  // A number beyond a double's range would be stored as an infinity, which no JSON reader can
  // read back: refuse it here, whatever the field.
  if (auto inf = find_non_finite(input); inf.found)
    problems.push_back({"finite_number", "body", inf.path,
                        "Input should be a finite number", nullptr});
  auto more = validate_input(op.input, input, op.strict_fields);
  problems.insert(problems.end(), std::make_move_iterator(more.begin()),
                  std::make_move_iterator(more.end()));
  if (!problems.empty()) {
    auto body = validation_body(problems);
    return done({.what = outcome::kind::invalid, .status = 422, .body = std::move(body),
                 .problems = std::move(problems)});
  }
  if (auto denied = authorize(who, op, input)) {
    if (context.record_denial)
      if (auto audited = audited_denial(who, op, input, denied))
        context.record_denial(std::move(*audited));
    return done(failure(std::move(denied)));
  }

  call_context ctx;
  ctx.who = std::move(who);
  ctx.correlation = std::move(context.correlation);
  ctx.idempotency_key = std::move(context.idempotency_key);

  // A result that carries a secret (a raw API key) is never kept for replay.
  if (!context.idempotency || ctx.idempotency_key.empty() || op.secret_result)
    return run(op, std::move(ctx), std::move(input), std::move(done));

  // The key a kept result is filed under: the operation, the caller's key and theirs.
  auto scoped_key = op.name + '\n' + ctx.who.key_id + '\n' + ctx.idempotency_key;
  ctx.idempotency_scope = scoped_key;  // the log marks it committed with the events
  // The guard speaks in statuses and bodies; the error of a fresh failure rides beside it.
  auto error = std::make_shared<caf::error>();
  auto execute = [&op, ctx = std::move(ctx), input = std::move(input),
                  error](idempotency_guard::respond_fn respond) mutable {
    run(op, std::move(ctx), std::move(input), [respond, error](outcome out) {
      *error = out.error;
      respond(out.status, std::move(out.body), false);
    });
  };
  auto respond = [done, error](int status, json::value body, bool replayed) {
    outcome out{.status = status, .body = std::move(body), .replayed = replayed};
    if (status >= 400) {
      out.what = outcome::kind::failed;
      if (!replayed)
        out.error = *error;
    }
    done(std::move(out));
  };
  context.idempotency->run(scoped_key, context.fingerprint, execute, std::move(respond));
}

}  // namespace tascade::catalogue
