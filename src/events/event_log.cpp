#include "events/event_log.hpp"

#include "events/codec/envelope_codec.hpp"
#include "events/sha256.hpp"
#include "tascade/errc.hpp"

#include <rocksdb/cache.h>
#include <rocksdb/db.h>
#include <rocksdb/options.h>
#include <rocksdb/table.h>
#include <rocksdb/write_batch.h>
#include <sys/statvfs.h>
#include <spdlog/spdlog.h>
#include <zstd.h>

#include <charconv>
#include <cstring>
#include <unordered_set>

namespace tascade {

namespace {

constexpr std::string_view format_key = "format";
constexpr std::string_view head_key = "head";
constexpr std::string_view format_value = "1";

// RocksDB's status text names files of the data directory; clients get the kind of failure
// only (the server's log keeps the whole status for the operator).
caf::error storage_error(const rocksdb::Status& s) {
  if (s.IsNoSpace())
    return make_error(errc::storage_failure,
                      "The server's disk is full; writes resume once space is freed");
  if (s.IsIOError())
    return make_error(errc::storage_failure, "The event log could not write to its disk");
  std::string kind = s.ToString();
  kind = kind.substr(0, kind.find(':'));
  return make_error(errc::storage_failure, "The event log failed (" + kind + ")");
}

// Bytes an unprivileged writer may still use on the filesystem holding `dir`.
std::optional<uint64_t> free_bytes(const std::string& dir) {
  struct statvfs fs {};
  if (::statvfs(dir.c_str(), &fs) != 0)
    return std::nullopt;
  return uint64_t(fs.f_bavail) * fs.f_frsize;
}

uint64_t read_u64(std::string_view bytes) {
  uint64_t v = 0;
  for (size_t i = 0; i < 8; ++i)
    v = (v << 8) | uint8_t(bytes[i]);
  return v;
}

std::string stream_prefix(std::string_view stream) {
  std::string key(stream);
  key.push_back('\0');
  return key;
}

}  // namespace

std::string seq_key(uint64_t seq) {
  std::string key(8, '\0');
  for (int i = 7; i >= 0; --i, seq >>= 8)
    key[size_t(i)] = char(seq & 0xff);
  return key;
}

std::string stream_key(std::string_view stream, stream_version version) {
  return stream_prefix(stream) + seq_key(version);
}

caf::expected<std::unique_ptr<event_log>> event_log::open(const std::string& dir,
                                                         bool read_only) {
  rocksdb::Options options;
  options.create_if_missing = true;
  options.create_missing_column_families = true;
  options.IncreaseParallelism(2);
  options.max_open_files = 256;
  // One block cache for every family (each would otherwise get its own), and a small write
  // buffer for snapshots: a read-model checkpoint is one value of tens of MB, and in a large
  // buffer it would stay in memory until the family next fills up; in a small one it is
  // flushed to a table at once.
  rocksdb::BlockBasedTableOptions table;
  table.block_cache = rocksdb::NewLRUCache(16 << 20);
  rocksdb::ColumnFamilyOptions family;
  family.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
  auto snapshots = family;
  snapshots.write_buffer_size = 4 << 20;
  std::vector<rocksdb::ColumnFamilyDescriptor> families{
    {rocksdb::kDefaultColumnFamilyName, family}, {"events", family},      {"streams", family},
    {"snapshots", snapshots},                    {"idempotency", family}, {"meta", family}};
  std::unique_ptr<event_log> log{new event_log};
  rocksdb::DB* raw = nullptr;
  auto status = read_only
                  ? rocksdb::DB::OpenForReadOnly(options, dir, families, &log->handles_, &raw)
                  : rocksdb::DB::Open(options, dir, families, &log->handles_, &raw);
  if (!status.ok())
    return storage_error(status);
  log->db_.reset(raw);
  log->dir_ = dir;
  log->events_ = log->handles_[1];
  log->streams_ = log->handles_[2];
  log->snapshots_ = log->handles_[3];
  log->idempotency_ = log->handles_[4];
  log->meta_ = log->handles_[5];

  std::string value;
  status = raw->Get({}, log->meta_, format_key, &value);
  if (status.IsNotFound() && !read_only) {
    status = raw->Put(rocksdb::WriteOptions{}, log->meta_, format_key, format_value);
    if (!status.ok())
      return storage_error(status);
  } else if (status.IsNotFound()) {
    // A read-only open of a log that was never written: nothing to read, nothing wrong.
  } else if (!status.ok()) {
    return storage_error(status);
  } else if (value != format_value) {
    return make_error(errc::storage_failure, "unknown log format '" + value + "'");
  }
  status = raw->Get({}, log->meta_, head_key, &value);
  if (status.ok() && value.size() == 8 + 32) {
    log->head_seq_ = read_u64(value);
    std::memcpy(log->head_hash_.data(), value.data() + 8, 32);
  } else if (!status.IsNotFound()) {
    return status.ok() ? make_error(errc::storage_failure, "corrupt log head")
                       : storage_error(status);
  }
  return log;
}

event_log::~event_log() {
  if (db_) {
    // After an orderly stop the next start finds every event in tables and has no WAL to replay
    // (read-only logs refuse the flush, which is fine).
    (void)db_->Flush(rocksdb::FlushOptions{}, handles_);
    for (auto* h : handles_)
      db_->DestroyColumnFamilyHandle(h);
    db_->Close();
  }
}

caf::expected<stream_version> event_log::cached_stream_head(const std::string& stream) {
  if (auto it = stream_heads_.find(stream); it != stream_heads_.end())
    return it->second;
  auto head = stream_head(stream);
  if (head)
    stream_heads_.emplace(stream, *head);
  return head;
}

std::vector<caf::expected<std::vector<event_record>>> event_log::append(
  std::vector<std::vector<new_event>> commands) {
  std::vector<caf::expected<std::vector<event_record>>> results;
  results.reserve(commands.size());
  rocksdb::WriteBatch batch;
  auto seq = head_seq_;
  auto prev = head_hash_;
  // Versions this batch advances, applied to the cache only once the batch is durable.
  std::unordered_map<std::string, stream_version> advanced;
  std::unordered_set<std::string> marked;  // idempotency scopes marked by this batch
  for (auto& command : commands) {
    // Check that every event continues its stream before taking any of them.
    std::unordered_map<std::string, stream_version> local;
    caf::error refused;
    for (auto& ev : command) {
      stream_version head;
      if (auto it = local.find(ev.stream); it != local.end()) {
        head = it->second;
      } else if (auto jt = advanced.find(ev.stream); jt != advanced.end()) {
        head = jt->second;
      } else {
        auto h = cached_stream_head(ev.stream);
        if (!h) {
          refused = h.error();
          break;
        }
        head = *h;
      }
      if (ev.version != head + 1) {
        refused = make_error(errc::invariant_violation,
                             "stream " + ev.stream + " is at version " + std::to_string(head) +
                               ", not " + std::to_string(ev.version - 1));
        break;
      }
      local[ev.stream] = ev.version;
    }
    if (refused) {
      results.emplace_back(std::move(refused));
      continue;
    }
    std::vector<event_record> records;
    records.reserve(command.size());
    // The request's "committed" marker rides in the same batch as its events: once they are
    // durable a retry finds it, even if the server dies before the answer is stored. A command
    // of several appends (a changeset and its task invalidations) keeps its first marker, and a
    // stored answer is never overwritten.
    if (!command.empty() && !command.front().idempotency_scope.empty()) {
      auto& scope = command.front().idempotency_scope;
      std::string existing;
      if (marked.insert(scope).second &&
          db_->Get({}, idempotency_, scope, &existing).IsNotFound())
        batch.Put(idempotency_, scope,
                  "{\"committed_seq\":" + std::to_string(seq + 1) +
                    ",\"at\":" + std::to_string(command.front().time.micros) + "}");
    }
    for (auto& ev : command) {
      event_record rec;
      rec.seq = ++seq;
      rec.stream = std::move(ev.stream);
      rec.version = ev.version;
      rec.type = std::move(ev.type);
      rec.schema = ev.schema;
      rec.time = ev.time;
      rec.principal = std::move(ev.principal);
      rec.correlation = std::move(ev.correlation);
      rec.idempotency_key = std::move(ev.idempotency_key);
      rec.payload = std::move(ev.payload);
      rec.prev_hash = prev;
      auto bytes = events::encode_record(rec);
      rec.hash = sha256(bytes);
      prev = rec.hash;
      batch.Put(events_, seq_key(rec.seq), bytes);
      batch.Put(streams_, stream_key(rec.stream, rec.version), seq_key(rec.seq));
      advanced[rec.stream] = rec.version;
      records.push_back(std::move(rec));
    }
    results.emplace_back(std::move(records));
  }
  if (seq == head_seq_)
    return results;
  // After a failed write RocksDB refuses every write until it is resumed (it first flushes what
  // it holds, so this fails while the disk is still full): try again with each new batch, so
  // writes work again once space is freed, without a restart.
  if (write_failed_) {
    if (auto status = db_->Resume(); !status.ok()) {
      for (auto& r : results)
        if (r)
          r = storage_error(status);
      return results;
    }
    write_failed_ = false;
    spdlog::info("event log: writes resumed after a storage failure");
  }
  std::string head_value = seq_key(seq);
  head_value.append(reinterpret_cast<const char*>(prev.data()), prev.size());
  batch.Put(meta_, head_key, head_value);
  // Old idempotency records leave a few at a time, with the writes that keep coming.
  if (idempotency_age_.count() > 0 &&
      std::chrono::steady_clock::now() - last_expiry_ >= std::chrono::seconds{1}) {
    last_expiry_ = std::chrono::steady_clock::now();
    (void)expire_idempotent_results(
      {system_now().micros - int64_t(idempotency_age_.count())}, 256, &batch);
  }
  // Refused before RocksDB runs out of space: a write that fails inside it can leave its log
  // file unusable (Debian's build then aborts on the next write), and flushes need room too.
  if (disk_reserve_ > 0) {
    auto free = free_bytes(dir_);
    if (free && *free < disk_reserve_ + batch.GetDataSize()) {
      if (!disk_low_)
        spdlog::error("event log: {} MB free on the data volume, {} MB are kept in reserve; "
                      "refusing writes until space is freed",
                      *free >> 20, disk_reserve_ >> 20);
      disk_low_ = true;
      for (auto& r : results)
        if (r)
          r = storage_error(rocksdb::Status::NoSpace());
      return results;
    }
    if (disk_low_)
      spdlog::info("event log: space was freed, writes resume");
    disk_low_ = false;
  }
  rocksdb::WriteOptions sync;
  sync.sync = true;
  auto status = db_->Write(sync, &batch);
  if (!status.ok()) {
    write_failed_ = true;
    spdlog::error("event log: write failed, refusing writes until it works again: {}",
                  status.ToString());
    for (auto& r : results)
      if (r)
        r = storage_error(status);
    return results;
  }
  head_seq_ = seq;
  head_hash_ = prev;
  for (auto& [stream, version] : advanced)
    stream_heads_[stream] = version;
  return results;
}

caf::expected<void> event_log::scan(
  global_seq from, global_seq to,
  const std::function<bool(global_seq, std::string_view)>& visit) const {
  rocksdb::ReadOptions options;
  // Scans read runs of the log once (replay, verification, feeds catching up): keep their blocks
  // out of the block cache, which serves point reads. (No fixed readahead: it would read far
  // past the short ranges a parallel rebuild scans; RocksDB's own grows with a long scan.)
  options.fill_cache = false;
  auto upper = seq_key(to == UINT64_MAX ? to : to + 1);
  rocksdb::Slice upper_slice{upper};
  if (to != UINT64_MAX)
    options.iterate_upper_bound = &upper_slice;
  std::unique_ptr<rocksdb::Iterator> it{db_->NewIterator(options, events_)};
  for (it->Seek(seq_key(from)); it->Valid(); it->Next()) {
    auto key = it->key();
    if (key.size() != 8)
      return make_error(errc::storage_failure, "malformed event key");
    if (!visit(read_u64({key.data(), 8}), {it->value().data(), it->value().size()}))
      break;
  }
  if (!it->status().ok())
    return storage_error(it->status());
  return {};
}

caf::expected<event_record> event_log::read(global_seq seq) const {
  std::string value;
  auto status = db_->Get({}, events_, seq_key(seq), &value);
  if (status.IsNotFound())
    return make_error(errc::invariant_violation, "no event " + std::to_string(seq));
  if (!status.ok())
    return storage_error(status);
  return events::decode_record(value);
}

caf::expected<std::vector<event_record>> event_log::read_stream(const std::string& stream,
                                                                stream_version after) const {
  std::vector<event_record> out;
  auto prefix = stream_prefix(stream);
  std::unique_ptr<rocksdb::Iterator> it{db_->NewIterator({}, streams_)};
  for (it->Seek(stream_key(stream, after + 1)); it->Valid(); it->Next()) {
    if (!it->key().starts_with(prefix))
      break;
    auto rec = read(read_u64({it->value().data(), 8}));
    if (!rec)
      return std::move(rec.error());
    out.push_back(std::move(*rec));
  }
  if (!it->status().ok())
    return storage_error(it->status());
  return out;
}

caf::expected<stream_version> event_log::stream_head(const std::string& stream) const {
  std::unique_ptr<rocksdb::Iterator> it{db_->NewIterator({}, streams_)};
  it->SeekForPrev(stream_key(stream, UINT64_MAX));
  if (!it->status().ok())
    return storage_error(it->status());
  auto prefix = stream_prefix(stream);
  if (!it->Valid() || !it->key().starts_with(prefix))
    return stream_version{0};
  return read_u64({it->key().data() + prefix.size(), 8});
}

caf::expected<void> event_log::put_snapshot(const std::string& stream, stream_version version,
                                            std::string_view state) {
  std::string packed(ZSTD_compressBound(state.size()), '\0');
  auto n = ZSTD_compress(packed.data(), packed.size(), state.data(), state.size(), 3);
  if (ZSTD_isError(n))
    return make_error(errc::storage_failure, "snapshot compression failed");
  packed.resize(n);
  rocksdb::WriteOptions sync;
  sync.sync = true;
  auto status = db_->Put(sync, snapshots_, stream_key(stream, version), packed);
  if (!status.ok())
    return storage_error(status);
  return {};
}

caf::expected<void> event_log::drop_snapshots_before(const std::string& stream,
                                                     stream_version version) {
  auto status = db_->DeleteRange(rocksdb::WriteOptions{}, snapshots_, stream_key(stream, 0),
                                 stream_key(stream, version));
  if (!status.ok())
    return storage_error(status);
  return {};
}

caf::expected<std::optional<std::string>> event_log::idempotent_result(
  std::string_view key) const {
  std::string value;
  auto status = db_->Get({}, idempotency_, key, &value);
  if (status.IsNotFound())
    return std::optional<std::string>{};
  if (!status.ok())
    return storage_error(status);
  return std::optional<std::string>{std::move(value)};
}

caf::expected<void> event_log::put_idempotent_result(std::string_view key,
                                                     std::string_view result) {
  rocksdb::WriteOptions sync;
  sync.sync = true;
  auto status = db_->Put(sync, idempotency_, key, result);
  if (!status.ok())
    return storage_error(status);
  return {};
}

caf::expected<void> event_log::put_note(std::string_view key, std::string_view value) {
  auto status = db_->Put(rocksdb::WriteOptions{}, meta_, "x/" + std::string(key), value);
  if (!status.ok())
    return storage_error(status);
  return {};
}

caf::expected<std::vector<std::pair<std::string, std::string>>> event_log::notes(
  std::string_view prefix) const {
  std::vector<std::pair<std::string, std::string>> out;
  auto full = "x/" + std::string(prefix);
  std::unique_ptr<rocksdb::Iterator> it{db_->NewIterator({}, meta_)};
  for (it->Seek(full); it->Valid() && it->key().starts_with(full); it->Next())
    out.emplace_back(it->key().ToString().substr(2), it->value().ToString());
  if (!it->status().ok())
    return storage_error(it->status());
  return out;
}

caf::expected<size_t> event_log::expire_idempotent_results(timestamp cutoff, size_t limit,
                                                          rocksdb::WriteBatch* batch) {
  rocksdb::WriteBatch own;
  auto* into = batch ? batch : &own;
  size_t examined = 0, expired = 0;
  std::unique_ptr<rocksdb::Iterator> it{db_->NewIterator({}, idempotency_)};
  for (it->Seek(expiry_cursor_); it->Valid() && examined < limit; it->Next(), ++examined) {
    // The value is JSON with a top-level "at"; records without one are kept.
    auto value = it->value().ToStringView();
    auto at = value.rfind("\"at\":");
    if (at == std::string_view::npos)
      continue;
    int64_t micros = 0;
    auto digits = value.substr(at + 5);
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), micros);
    if (ec != std::errc{} || end == digits.data() || micros >= cutoff.micros)
      continue;
    into->Delete(idempotency_, it->key());
    ++expired;
  }
  if (!it->status().ok())
    return storage_error(it->status());
  // Resume after the last record examined next time; from the start once the end was reached.
  expiry_cursor_ = it->Valid() ? it->key().ToString() : std::string{};
  if (!batch && expired > 0) {
    rocksdb::WriteOptions sync;
    sync.sync = true;
    if (auto status = db_->Write(sync, &own); !status.ok())
      return storage_error(status);
  }
  return expired;
}

caf::expected<std::optional<stored_snapshot>> event_log::latest_snapshot(
  const std::string& stream) const {
  std::unique_ptr<rocksdb::Iterator> it{db_->NewIterator({}, snapshots_)};
  it->SeekForPrev(stream_key(stream, UINT64_MAX));
  if (!it->status().ok())
    return storage_error(it->status());
  auto prefix = stream_prefix(stream);
  if (!it->Valid() || !it->key().starts_with(prefix))
    return std::optional<stored_snapshot>{};
  stored_snapshot snap;
  snap.version = read_u64({it->key().data() + prefix.size(), 8});
  auto packed = it->value();
  auto size = ZSTD_getFrameContentSize(packed.data(), packed.size());
  if (size == ZSTD_CONTENTSIZE_ERROR || size == ZSTD_CONTENTSIZE_UNKNOWN)
    return make_error(errc::storage_failure, "corrupt snapshot of " + stream);
  snap.state.resize(size);
  auto n = ZSTD_decompress(snap.state.data(), size, packed.data(), packed.size());
  if (ZSTD_isError(n) || n != size)
    return make_error(errc::storage_failure, "corrupt snapshot of " + stream);
  return std::optional<stored_snapshot>{std::move(snap)};
}

}  // namespace tascade
