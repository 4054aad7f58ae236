// SPDX-License-Identifier: Apache-2.0
// readSource(): the sink between a source plugin and the planner.
#include "sync/source_reader.hpp"

#include <algorithm>
#include <deque>
#include <future>
#include <memory>
#include <optional>
#include <thread>
#include <unordered_map>

#include "mobisync/text.hpp"
#include "model/application_token.hpp"
#include "model/msisdn.hpp"
#include "plugin_host/plugin_instance.hpp"
#include "sync/normaliser_processes.hpp"

namespace mobisync::sync {

namespace {

/// One row on its way from the source to the desired set: a contact to normalise, or a row the
/// source already rejected (kept in the stream so the reject file keeps the source's order).
struct Item {
  Contact contact;
  std::optional<RejectedRow> source_reject;
  /// Cells that may hold the number of a row the source rejected (rejectWithNumber).
  std::vector<std::string> number_cells;
  std::string msisdn;
  Status error;
  MemoLesson lesson = MemoLesson::None;  ///< what the normaliser's answer teaches the memos
};

/// Longest name or reference sent to the provider: the call carries them in its URL, and a cell
/// this long is a damaged export (a quote left open, a column run together), not a name.
constexpr std::size_t kMaxDetailBytes = 1024;

/// Why a name or reference cell cannot be sent as it is, or empty when it can.
std::string badDetail(const std::string& value, const char* what) {
  if (value.size() > kMaxDetailBytes) {
    return std::string(what) + " is " + std::to_string(value.size()) + " bytes long, over " +
           std::to_string(kMaxDetailBytes) + " (a damaged cell?)";
  }
  for (std::size_t i = 0; i < value.size(); ++i) {
    // A control byte would be stored, sent and compared differently by each side.
    if (text::isControlByte(static_cast<unsigned char>(value[i]))) {
      return std::string(what) + " holds a control character (byte " + std::to_string(i + 1) +
             ")";
    }
  }
  return {};
}

using Batch = std::vector<Item>;

/// Normalises numbers on worker threads while the source keeps reading: libphonenumber's regex
/// matching costs tens of microseconds per number, far more than reading and planning. The
/// number fast path (about a microsecond, no lock) answers numbers in plain spellings, and the
/// memo the spellings earlier runs had to ask the library about. libphonenumber's regex cache
/// takes a lock, so the threads hand the rest to forked processes (NormaliserProcesses, one per
/// thread, started with the first full batch so small sources never fork). Batches come back in
/// the order they went out, so "first row wins" and the reject file follow the source.
/// Everything else (tokens, the desired set, rejects) stays on the source's thread.
class NormalisingSink : public plugin::ContactSink {
 public:
  static constexpr std::size_t kBatchSize = 2048;

  NormalisingSink(const config::JobConfig& job, const model::MsisdnNormalizer& normalizer,
                  SourceReadResult& out, RejectWriter& rejects,
                  const std::function<void(std::int64_t)>& on_row, unsigned threads,
                  const NumberMemo& memo)
      : job_(job), normalizer_(normalizer), out_(out), rejects_(rejects), on_row_(on_row),
        threads_(threads), memo_(memo) {
    for (const auto& t : job.applications) job_apps_.push_back(out_.desired.tokenId(t));
    batch_.reserve(kBatchSize);
  }

  Status accept(Contact&& c) override {
    tick();
    batch_.push_back(Item{std::move(c), std::nullopt, {}, {}, {}});
    if (batch_.size() == kBatchSize) submit();
    return Status::ok();
  }

  void reject(RejectedRow&& row) override {
    tick();
    batch_.push_back(Item{{}, std::move(row), {}, {}, {}});
    if (batch_.size() == kBatchSize) submit();
  }

  void rejectWithNumber(RejectedRow&& row, std::vector<std::string> number_cells) override {
    tick();
    batch_.push_back(Item{{}, std::move(row), std::move(number_cells), {}, {}});
    if (batch_.size() == kBatchSize) submit();
  }

  std::optional<plugin::Cursor> storedCursor() const override { return stored_cursor_; }

  void markIncremental() override { out_.incremental = true; }

  Status tombstone(std::string msisdn, std::string position) override {
    tick();
    if (!out_.incremental) {
      return Status::invalidConfig(
          "the source sent a tombstone in a full read; only an incremental read may");
    }
    // Tombstones are few (deleted rows since the last run), so they are normalised here rather
    // than on the workers.
    auto n = normalizer_.normalize(msisdn);
    if (!n) {
      // Not counted as unreadable: a tombstone that cannot be read removes nothing.
      reject(position, "tombstone msisdn \"" + text::excerpt(msisdn) + "\": " + n.error().message(),
             msisdn);
      return Status::ok();
    }
    out_.tombstones.push_back(std::move(n).value());
    return Status::ok();
  }

  void reportCursor(plugin::Cursor cursor) override { out_.cursor = std::move(cursor); }

  /// Delivers everything still queued; call once after fetch() returned.
  void finish() {
    submit();
    while (!pending_.empty()) deliverOldest();
    std::sort(out_.tombstones.begin(), out_.tombstones.end());
    out_.tombstones.erase(std::unique(out_.tombstones.begin(), out_.tombstones.end()),
                          out_.tombstones.end());
  }

  void setStoredCursor(std::optional<plugin::Cursor> cursor) { stored_cursor_ = std::move(cursor); }

 private:
  void submit() {
    if (batch_.empty()) return;
    if (threads_ <= 1) {
      normalizeAll(normalizer_, memo_, nullptr, batch_);
      deliver(batch_);
      batch_.clear();
      return;
    }
    if (!processes_ && batch_.size() == kBatchSize) {
      processes_ = std::make_unique<NormaliserProcesses>(normalizer_, threads_);
    }
    pending_.push_back(std::async(std::launch::async,
                                  [this, p = processes_.get(), b = std::move(batch_)]() mutable {
                                    normalizeAll(normalizer_, memo_, p, b);
                                    return std::move(b);
                                  }));
    batch_ = Batch();
    batch_.reserve(kBatchSize);
    // Two batches per thread keep every core busy while bounding memory.
    while (pending_.size() > 2 * static_cast<std::size_t>(threads_)) deliverOldest();
  }

  static void normalizeAll(const model::MsisdnNormalizer& n, const NumberMemo& memo,
                           NormaliserProcesses* processes, Batch& batch) {
    std::vector<Item*> asked;
    std::vector<std::string_view> cells;
    for (auto& item : batch) {
      if (item.source_reject) continue;
      // The fast path first: it costs less than loading and probing a memo of its answers,
      // so what it answers teaches the memos nothing, and spellings an older version recorded
      // go unused and leave the memo at its next upkeep.
      if (auto quick = n.fastNormalize(item.contact.msisdn)) {
        item.msisdn = std::move(*quick);
        continue;
      }
      // The memos hold only answers this very engine gave for exactly these bytes.
      if (auto known = memoAnswer(memo, item.contact.msisdn)) {
        item.msisdn = std::move(*known);
        continue;
      }
      asked.push_back(&item);
      cells.push_back(item.contact.msisdn);
    }
    std::vector<Result<std::string>> answers;
    if (processes != nullptr && !cells.empty()) {
      answers = processes->normalize(cells);
    } else {
      answers.reserve(cells.size());
      for (std::string_view c : cells) answers.push_back(n.normalize(c));
    }
    for (std::size_t i = 0; i < asked.size(); ++i) {
      Item& item = *asked[i];
      const std::string& raw = item.contact.msisdn;
      auto& r = answers[i];
      if (r) {
        item.msisdn = std::move(r).value();
        item.lesson = lessonOf(raw, item.msisdn);
      } else {
        item.error = r.error();
      }
    }
  }

  void deliverOldest() {
    Batch b = pending_.front().get();
    pending_.pop_front();
    deliver(b);
  }

  void deliver(Batch& batch) {
    for (auto& item : batch) {
      if (item.source_reject) {
        protectCells(item.number_cells);
        reject(item.source_reject->position, item.source_reject->reason, item.source_reject->raw);
      } else {
        add(std::move(item));
      }
    }
  }

  /// A row the source could not read still names its number: every cell that reads as one
  /// keeps that number's pairs this run. A row with none counts as unreadable (max_reject).
  /// Rejected rows are few, so their cells are normalised here rather than on the workers.
  void protectCells(const std::vector<std::string>& cells) {
    bool any = false;
    for (const auto& cell : cells) {
      auto n = normalizer_.normalize(cell);
      if (!n) continue;
      out_.desired.protect(std::move(n).value());
      any = true;
    }
    if (any) {
      ++out_.protected_rows;
    } else {
      ++out_.unreadable;
    }
  }

  void add(Item&& item) {
    Contact& c = item.contact;
    if (!item.error) {
      ++out_.unreadable;
      reject(c.position, "msisdn \"" + text::excerpt(c.msisdn) + "\": " + item.error.message(),
             describe(c));
      return;
    }
    if (item.lesson == MemoLesson::Canonical) {
      out_.new_canonical.push_back(*memoDigits(item.msisdn));
    } else if (item.lesson == MemoLesson::Spelling &&
               out_.new_spellings.size() < kSpellingMemoMaxRows) {
      out_.new_spellings.add(c.msisdn, *memoDigits(item.msisdn));
    }
    // A damaged name or reference: the number is read, so it keeps its pairs; the row waits.
    for (const auto& [value, what] : {std::pair{&c.name, "name"}, {&c.reference, "reference"}}) {
      if (std::string why = badDetail(*value, what); !why.empty()) {
        ++out_.protected_rows;
        out_.desired.protect(item.msisdn);
        reject(c.position, why, text::excerpt(describe(c)));
        return;
      }
    }
    DesiredContact d;
    d.msisdn = std::move(item.msisdn);
    d.name = std::move(c.name);
    d.reference = std::move(c.reference);
    if (c.applications.empty()) {
      if (job_apps_.empty()) {
        ++out_.protected_rows;
        out_.desired.protect(d.msisdn);
        reject(c.position,
               "no applications: the row names none and job \"" + job_.name +
                   "\" sets no applications",
               describe(c));
        return;
      }
      d.apps = job_apps_;
    } else {
      for (const auto& raw : c.applications) {
        auto id = tokenId(raw);
        if (!id) {
          ++out_.protected_rows;
          out_.desired.protect(d.msisdn);
          reject(c.position, last_token_error_, describe(c));
          return;
        }
        d.apps.push_back(*id);
      }
    }
    if (!job_.notify_attributes.empty()) keepAttributes(d.msisdn, c);
    out_.desired.add(std::move(d));
  }

 private:
  void tick() {
    if (++out_.fetched % 10000 == 0 && on_row_) on_row_(out_.fetched);
  }
  void reject(const std::string& position, const std::string& reason, const std::string& raw) {
    ++out_.rejected;
    rejects_.write(position, reason, raw);
  }
  /// Only the attributes the job's templates name: a million rows must not carry every column.
  void keepAttributes(const std::string& msisdn, Contact& c) {
    std::vector<std::pair<std::string, std::string>> kept;
    for (auto& [key, value] : c.attributes) {
      const auto& wanted = job_.notify_attributes;
      if (std::find(wanted.begin(), wanted.end(), key) != wanted.end()) {
        kept.emplace_back(key, std::move(value));
      }
    }
    out_.desired.keepAttributes(msisdn, std::move(kept));
  }
  static std::string describe(const Contact& c) {
    std::string s = c.msisdn;
    if (!c.name.empty()) s += " " + c.name;
    return s;
  }
  /// Canonical token ids, cached by the raw spelling: a million rows share a handful of tokens.
  std::optional<std::uint16_t> tokenId(const std::string& raw) {
    auto it = token_cache_.find(raw);
    if (it != token_cache_.end()) {
      if (it->second < 0) {
        last_token_error_ = token_errors_[raw];
        return std::nullopt;
      }
      return static_cast<std::uint16_t>(it->second);
    }
    auto canonical = model::parseApplicationToken(raw);
    if (!canonical) {
      token_cache_.emplace(raw, -1);
      token_errors_[raw] = canonical.error().message();
      last_token_error_ = canonical.error().message();
      return std::nullopt;
    }
    auto id = out_.desired.tokenId(*canonical);
    token_cache_.emplace(raw, id);
    return id;
  }

  const config::JobConfig& job_;
  const model::MsisdnNormalizer& normalizer_;
  SourceReadResult& out_;
  RejectWriter& rejects_;
  const std::function<void(std::int64_t)>& on_row_;
  std::vector<std::uint16_t> job_apps_;
  std::unordered_map<std::string, int> token_cache_;
  std::unordered_map<std::string, std::string> token_errors_;
  std::string last_token_error_;
  unsigned threads_;
  const NumberMemo& memo_;
  Batch batch_;
  /// Declared before pending_, so it outlives every task that may use it (a future of
  /// std::async waits for its task when destroyed) and the children are reaped after.
  std::unique_ptr<NormaliserProcesses> processes_;
  std::deque<std::future<Batch>> pending_;
  std::optional<plugin::Cursor> stored_cursor_;
};

unsigned normaliserThreads() {
  unsigned n = std::thread::hardware_concurrency();
  return n == 0 ? 1 : std::min(n, 8u);
}

}  // namespace

SourceReadResult readSource(const config::AppConfig& cfg, const config::JobConfig& job,
                            plugin_host::PluginLoader& loader, RejectWriter& rejects,
                            const NumberMemo& memo,
                            const std::function<void(std::int64_t)>& on_row,
                            const std::optional<plugin::Cursor>& stored_cursor) {
  SourceReadResult out;
  const config::SourceConfig* src = cfg.findSource(job.source);
  if (src == nullptr) {
    out.status = Status::invalidConfig("job " + job.name + ": no source named " + job.source);
    return out;
  }
  std::optional<model::MsisdnNormalizer> normalizer;
  try {
    normalizer.emplace(job.default_region);
  } catch (const std::exception& e) {
    out.status = Status::invalidConfig("job " + job.name + ": default_region: " + e.what());
    return out;
  }

  std::optional<plugin_host::Instance<plugin::Source>> source;
  try {
    source.emplace(loader, src->plugin, src->name);
  } catch (const std::exception& e) {
    out.status = Status::invalidConfig(e.what());
    return out;
  }
  out.status = source->init(src->values);
  if (out.status) {
    NormalisingSink sink(job, *normalizer, out, rejects, on_row, normaliserThreads(), memo);
    sink.setStoredCursor(stored_cursor);
    out.status = source->call([&](plugin::Source& s) { return s.fetch(sink); });
    sink.finish();
  }
  source->shutdown();
  return out;
}

}  // namespace mobisync::sync
