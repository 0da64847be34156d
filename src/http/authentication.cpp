#include "http/authentication.hpp"

#include "actors/access_rules.hpp"
#include "events/sha256.hpp"
#include "tascade/errc.hpp"

#include <openssl/crypto.h>
#include <spdlog/spdlog.h>

#include <cctype>

namespace tascade::http {

namespace {

constexpr int64_t usage_write_interval_micros = 60'000'000;  // one write per key per minute

}  // namespace

authenticator::authenticator(const projection_hub* hub, bool disabled, key_usage_store usage)
    : hub_(hub), disabled_(disabled), usage_(std::move(usage)) {
  if (usage_.load) {
    stored_ = usage_.load();
    last_used_ = stored_;
  }
}

caf::expected<principal> authenticator::authenticate(std::string_view header) {
  if (disabled_)
    return principal{};
  auto space = header.find(' ');
  auto scheme = header.substr(0, space);
  auto credential = space == std::string_view::npos ? std::string_view{} : header.substr(space + 1);
  while (!credential.empty() && credential.front() == ' ')
    credential.remove_prefix(1);
  auto is_bearer = scheme.size() == 6 && std::equal(scheme.begin(), scheme.end(), "bearer",
                                                    [](char a, char b) {
                                                      return std::tolower(static_cast<unsigned char>(a)) == b;
                                                    });
  if (!is_bearer || credential.empty()) {
    spdlog::info("authentication failed: no bearer key");
    return make_error(errc::auth_missing, "Authorization header with Bearer token is required");
  }
  auto hash = sha256_hex(credential);
  auto found = hub_->read([&](const read_model& m) -> std::optional<key_view> {
    auto* k = m.key_by_hash(hash);
    return k ? std::optional<key_view>(*k) : std::nullopt;
  });
  // The map found the key by its hash; compare the digests in constant time all the same.
  bool match = found && found->hash.size() == hash.size() &&
               CRYPTO_memcmp(found->hash.data(), hash.data(), hash.size()) == 0;
  if (!match || found->status != "active") {
    spdlog::info("authentication failed: {} key", match ? "revoked" : "unknown");
    return make_error(errc::auth_invalid, "Invalid or revoked API key");
  }
  principal who;
  who.key_id = found->id.str();
  who.project = found->project;
  who.name = found->name;
  who.roles.clear();
  for (auto& r : found->roles)
    if (auto parsed = parse_role(r))
      who.roles.push_back(*parsed);
  auto now = system_now();
  bool store = false;
  {
    std::lock_guard lock{mutex_};
    last_used_[who.key_id] = now;
    auto& stored = stored_[who.key_id];
    if (usage_.save && now.micros - stored.micros >= usage_write_interval_micros) {
      stored = now;
      store = true;
    }
  }
  if (store)
    usage_.save(who.key_id, now);
  return who;
}

std::optional<timestamp> authenticator::last_used(const std::string& key_id) const {
  std::lock_guard lock{mutex_};
  auto it = last_used_.find(key_id);
  return it == last_used_.end() ? std::nullopt : std::optional<timestamp>(it->second);
}

}  // namespace tascade::http
