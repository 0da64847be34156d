#pragma once
/// Event payloads as a versioned storage format: struct ⇄ JSON object. A reader handles every
/// schema version ever written, through upcasters.

#include "events/events.hpp"

#include <caf/expected.hpp>

#include <boost/json/object.hpp>

#include <string_view>

namespace tascade::events {

/// The payload of `ev` in its current schema.
boost::json::object encode_payload(const event& ev);

/// The wire type name and current schema version of `ev`.
std::string_view type_of(const event& ev);
uint16_t schema_of(const event& ev);

/// Decodes a stored payload of `type` written with `schema`; upcasts older schemas.
/// Errors: `errc::storage_failure` for an unknown type, a future schema or a malformed payload.
caf::expected<event> decode_payload(std::string_view type, uint16_t schema,
                                    const boost::json::object& payload);

}  // namespace tascade::events
