#include "fuzz/stub_catalogue.hpp"

#include "catalogue/catalogue.hpp"
#include "catalogue/invoke.hpp"

#include <boost/json.hpp>

#include <cstdlib>

namespace tascade::fuzz {

const std::vector<operation>& stub_catalogue() {
  static const std::vector<operation> ops = [] {
    static const catalogue::services none;  // no actor system: handlers never reach it
    auto made = catalogue::make_catalogue(none);
    for (auto& op : made)
      op.handler = [](call_context ctx, boost::json::object input) {
        ctx.reply({200, std::move(input)});
      };
    return made;
  }();
  return ops;
}

void invoke_inline(const operation& op, const principal& who, boost::json::object input,
                   std::vector<catalogue::input_problem> problems) {
  bool answered = false;
  catalogue::invocation context;
  context.problems = std::move(problems);
  catalogue::invoke(op, who, std::move(input), std::move(context), [&](catalogue::outcome out) {
    answered = true;
    (void)boost::json::serialize(out.body);
  });
  if (!answered)
    std::abort();  // every path of invoke answers; an echo handler answers inline
}

principal fuzz_principal(bool scoped) {
  if (!scoped)
    return {};
  principal agent;
  agent.key_id = "fuzz-key";
  agent.project = "00000000-0000-4000-8000-000000000001";
  agent.name = "fuzz-agent";
  agent.roles = {role::agent};
  return agent;
}

}  // namespace tascade::fuzz
