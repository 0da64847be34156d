#pragma once
/// The OpenAPI 3.1 document synthesized from a PRD when no contract is given (spec §2.6).

#include "planner/prd.hpp"

#include <boost/json/value.hpp>

namespace tascade::planner {

/// Entities from the glossary (else the non-generic headings, else "Core Resource"), four CRUD
/// operations each, tags from the headings, PRD constraints attached as the spec describes.
boost::json::value synthesize_contract(const prd_facts& prd);

/// `display(x)`: each ASCII alphanumeric run capitalised, joined by single spaces.
std::string synth_display(std::string_view x);
/// `plural(display)`: the last word pluralised (Category→Categories, Box→Boxes, Key→Keys).
std::string synth_plural(std::string_view display);

}  // namespace tascade::planner
