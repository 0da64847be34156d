#pragma once
/// The real operation catalogue for the fuzz targets, without the actor world: every row keeps
/// its route, input fields, roles and scope, and its handler is replaced by one that answers
/// 200 with the validated input. Validation and authorization run as in the server.

#include "catalogue/schema.hpp"
#include "tascade/operation.hpp"

#include <vector>

namespace tascade::fuzz {

/// The catalogue of `catalogue::make_catalogue`, with echo handlers. Built once per process.
const std::vector<operation>& stub_catalogue();

/// Runs `op` through `catalogue::invoke` for `who`, with the transport's `problems`; the echo
/// handler answers inline, so the call returns after the outcome (its body serialized).
void invoke_inline(const operation& op, const principal& who, boost::json::object input,
                   std::vector<catalogue::input_problem> problems = {});

/// A global anonymous administrator, or an agent key scoped to one project (`scoped`).
principal fuzz_principal(bool scoped);

}  // namespace tascade::fuzz
