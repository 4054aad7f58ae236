// SPDX-License-Identifier: Apache-2.0
// The safety harness's model of a CSV source: seeded versions of a contact list (adds, removals,
// moves between lists, renames) and the bytes of each version as a CRM export writes them, with
// some rows damaged the way real exports damage them. The model knows, for every row, what an
// intact file would have said, so the checks can tell a legitimate removal from a lost contact.
#pragma once

#include <cstdint>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "reliability/sync_workspace.hpp"

namespace mobisync::test::safety {

/// What the job subscribes a row to when its applications cell is empty (the job's list).
inline constexpr const char* kJobApplication = "contacts:42";

/// One row of the source. The number is msisdnOf(id), written in one of several spellings.
struct Contact {
  int id = 0;
  std::string name;
  std::string reference;
  std::string applications;  ///< the cell as written: tokens joined by ';', "" for the job's list
  int spelling = 0;
};

/// One version of the source: its rows in file order, each id (so each number) at most once.
struct SourceVersion {
  std::vector<Contact> contacts;
};

/// The application tokens a contact wants.
std::set<std::string> applicationsOf(const Contact& c);
/// Every (msisdn, application) pair the intact version wants, as "msisdn application".
PairSet desiredPairs(const SourceVersion& v);

/// What one mutation did, for the case description.
struct Mutation {
  int added = 0, removed = 0, moved = 0, renamed = 0;
  std::set<int> moved_ids;  ///< rows whose applications changed, and new rows
};

/// A first version of `rows` contacts with ids from `next_id` on.
SourceVersion initialVersion(std::mt19937_64& rng, int rows, int& next_id);
/// The next version: some rows removed, some added (fresh ids), some moved between lists, some
/// renamed, and the row order shuffled a little, as a re-export does.
SourceVersion mutate(const SourceVersion& v, std::mt19937_64& rng, int& next_id, Mutation& what);

/// How a case's files are laid out; fixed for the case.
struct Layout {
  std::vector<std::string> columns;  ///< msisdn, name, reference, applications (any order), notes?
  char delimiter = ',';
  bool crlf = false;
  bool bom = false;
  /// Bytes of spreadsheet padding (rows of bare delimiters, which the reader skips) spread
  /// between the records, so that reading the file takes several reads and a writer can change
  /// it mid-read. 0 for most cases.
  std::size_t padding_bytes = 0;
};
Layout randomLayout(std::mt19937_64& rng);
/// The [[source]] lines for this layout (plugin, path, delimiter, and encoding when supported).
std::string sourceConfig(const Layout& layout, bool with_encoding);

/// How a row is damaged. The first five leave its number cell intact: the engine must protect
/// the number's subscriptions. UnreadableNumber spoils the number cell itself: such rows count
/// towards the max_reject gate.
enum class Damage { None, Latin1, ExtraDelimiter, Nul, Overlong, UnreadableNumber };
const char* damageName(Damage d);

/// Which rows of a version are damaged, and how.
using DamagePlan = std::map<int, Damage>;

/// Picks about `rate` of the rows in `eligible` for a damage that leaves the number readable,
/// and `unreadable` rows (of any) for an unreadable number cell.
DamagePlan randomDamage(const SourceVersion& v, const std::set<int>& eligible, double rate,
                        int unreadable, std::mt19937_64& rng);

/// The physical line (1-based, the header is line 1) on which each contact's record starts.
using LineMap = std::map<int, long>;

/// The file's bytes. Damage details (which byte, where) are drawn from `rng`. With `lines`, also
/// where each record starts, to match the reject file's positions.
std::string render(const SourceVersion& v, const Layout& layout, const DamagePlan& damage,
                   std::mt19937_64& rng, LineMap* lines = nullptr);

/// One line of a reject file: "people.csv:12" or "provider", the reason, the raw record.
struct RejectLine {
  std::string position;
  std::string reason;
  std::string raw;
};
/// The reject file's lines after its header; empty when it does not exist.
std::vector<RejectLine> readRejects(const std::string& path);

/// How many rows a plan makes unreadable.
int unreadableCount(const DamagePlan& damage);

}  // namespace mobisync::test::safety
