#pragma once
/// The append-only event log on RocksDB.
///
/// Column families and keys:
///
///   family       key                                     value
///   -----------  --------------------------------------  ---------------------------------------
///   events       global seq (u64 big-endian)             encoded event (codec/envelope_codec.hpp)
///   streams      stream id, 0x00, version (u64 BE)       global seq (u64 BE)
///   snapshots    stream id, 0x00, version (u64 BE)       zstd-compressed state (snapshot_codec)
///                "$read-model", 0x00, global seq (BE)    zstd-compressed read-model checkpoint
///   idempotency  scoped idempotency key                  {"committed_seq":N,"at":µs} (marker,
///                                                        written with the command's events), then
///                                                        {"fingerprint","status","body","at"}
///   meta         "format"                                "1"
///                "head"                                  head seq (u64 BE) + head hash (32 bytes)
///                "x/" + note key                         note (e.g. "x/last_used/<key id>" → µs)
///
/// Appends are only made by the log writer (one thread); reads are safe from any thread.

#include "tascade/event_record.hpp"

#include <caf/expected.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace rocksdb {
class DB;
class ColumnFamilyHandle;
class WriteBatch;
}  // namespace rocksdb

namespace tascade {

/// A stored snapshot of one stream's state at a stream version.
struct stored_snapshot {
  stream_version version = 0;
  std::string state;  ///< decompressed bytes
};

class event_log {
 public:
  /// Opens (creating if needed) the log in directory `dir`. With `read_only` the log must exist,
  /// may be open in a running server at the same time, and refuses appends.
  /// Errors: `errc::storage_failure` when RocksDB cannot open it or the format is unknown.
  static caf::expected<std::unique_ptr<event_log>> open(const std::string& dir,
                                                        bool read_only = false);
  ~event_log();

  event_log(const event_log&) = delete;
  event_log& operator=(const event_log&) = delete;

  /// Appends several commands' events in one synced WriteBatch (group commit). Each inner vector
  /// is one command: all its events are written or none. A command whose stream versions do not
  /// continue their streams gets `errc::invariant_violation` and is left out; the others commit.
  /// A storage failure fails every command with `errc::storage_failure`.
  /// Log writer thread only.
  std::vector<caf::expected<std::vector<event_record>>> append(
    std::vector<std::vector<new_event>> commands);

  /// The last global sequence written (0 for an empty log) and its hash.
  global_seq head() const { return head_seq_; }
  const sha256_digest& head_hash() const { return head_hash_; }

  /// Calls `visit(seq, bytes)` for every stored event with seq in [from, to], in order, until
  /// `visit` returns false. Errors: `errc::storage_failure`.
  caf::expected<void> scan(global_seq from, global_seq to,
                           const std::function<bool(global_seq, std::string_view)>& visit) const;

  /// The decoded event at `seq`. Errors: `errc::storage_failure`, or `errc::invariant_violation`
  /// when there is no such event.
  caf::expected<event_record> read(global_seq seq) const;

  /// The events of `stream` with version > `after`, in stream order.
  caf::expected<std::vector<event_record>> read_stream(const std::string& stream,
                                                       stream_version after = 0) const;

  /// The last version written to `stream` (0 when the stream is empty).
  caf::expected<stream_version> stream_head(const std::string& stream) const;

  /// Stores a snapshot of `stream`'s state at `version` (zstd-compressed); synced.
  caf::expected<void> put_snapshot(const std::string& stream, stream_version version,
                                   std::string_view state);

  /// Deletes the snapshots of `stream` older than `version`.
  caf::expected<void> drop_snapshots_before(const std::string& stream, stream_version version);

  /// The newest snapshot of `stream`, if any.
  caf::expected<std::optional<stored_snapshot>> latest_snapshot(const std::string& stream) const;

  /// The stored result for an idempotency key, if any.
  caf::expected<std::optional<std::string>> idempotent_result(std::string_view key) const;
  /// Stores the result for an idempotency key (synced, so a replay after a crash finds it).
  caf::expected<void> put_idempotent_result(std::string_view key, std::string_view result);
  /// Idempotency records older than `age` (by their "at") are deleted a few at a time by later
  /// appends (in their WriteBatch). Zero (the default): kept forever. Records without "at"
  /// (written before markers existed) are kept. Call before the first append.
  void expire_idempotent_results_after(std::chrono::microseconds age) { idempotency_age_ = age; }
  /// Appends are refused (`storage_failure`, retryable) while the data volume has less than
  /// `bytes` free beyond the batch, so RocksDB itself never runs out. Zero: no check.
  void keep_disk_reserve(uint64_t bytes) { disk_reserve_ = bytes; }
  /// Deletes up to `limit` expired idempotency records into `batch` (or at once, synced, when
  /// `batch` is null), continuing where the last call stopped; returns how many. Writer only.
  caf::expected<size_t> expire_idempotent_results(timestamp cutoff, size_t limit,
                                                  rocksdb::WriteBatch* batch = nullptr);

  /// Small values of the server beside the log (the `meta` family, under "x/" + `key`), not
  /// synced: they are coarse by nature (a key's last use). Any thread.
  caf::expected<void> put_note(std::string_view key, std::string_view value);
  /// Every note whose key starts with `prefix`, as (key without "x/", value).
  caf::expected<std::vector<std::pair<std::string, std::string>>> notes(
    std::string_view prefix) const;

  /// Raw access for tools and tests that must damage or inspect the store.
  rocksdb::DB* db() const { return db_.get(); }
  rocksdb::ColumnFamilyHandle* events_family() const { return events_; }

 private:
  event_log() = default;
  caf::expected<stream_version> cached_stream_head(const std::string& stream);

  std::unique_ptr<rocksdb::DB> db_;
  std::vector<rocksdb::ColumnFamilyHandle*> handles_;
  rocksdb::ColumnFamilyHandle* events_ = nullptr;
  rocksdb::ColumnFamilyHandle* streams_ = nullptr;
  rocksdb::ColumnFamilyHandle* snapshots_ = nullptr;
  rocksdb::ColumnFamilyHandle* idempotency_ = nullptr;
  rocksdb::ColumnFamilyHandle* meta_ = nullptr;
  global_seq head_seq_ = 0;
  sha256_digest head_hash_{};
  // Stream heads seen by the writer, so a second writer of one stream is caught, not merged.
  std::unordered_map<std::string, stream_version> stream_heads_;
  std::chrono::microseconds idempotency_age_{0};
  std::chrono::steady_clock::time_point last_expiry_{};
  std::string expiry_cursor_;  ///< where the next expiry pass resumes
  std::string dir_;
  uint64_t disk_reserve_ = 0;
  bool disk_low_ = false;  ///< the last append was refused for want of space
  bool write_failed_ = false;  ///< the last write failed: resume RocksDB before the next
};

/// Big-endian u64 key bytes.
std::string seq_key(uint64_t seq);
/// `stream`, 0x00, big-endian version.
std::string stream_key(std::string_view stream, stream_version version);

}  // namespace tascade
