// SPDX-License-Identifier: Apache-2.0
#include "reliability/safety_harness_source.hpp"

#include <algorithm>
#include <fstream>
#include <iomanip>
#include <iterator>
#include <sstream>

namespace mobisync::test::safety {

namespace {

// The lists rows move between; "" is the job's own list.
const char* const kLists[] = {"contacts:1", "contacts:2", "contacts:1;contacts:2", ""};

const char* const kSyllables[] = {"an", "bel", "cor", "da", "el",  "fin", "gra", "ho",
                                  "is", "jo",  "ka",  "lu", "mar", "ne",  "ol",  "pe",
                                  "ri", "sa",  "ta",  "ul", "vi",  "wen", "yo",  "zi"};

int pick(std::mt19937_64& rng, int n) {
  return static_cast<int>(std::uniform_int_distribution<int>(0, n - 1)(rng));
}

bool chance(std::mt19937_64& rng, double p) {
  return std::uniform_real_distribution<double>(0.0, 1.0)(rng) < p;
}

std::string word(std::mt19937_64& rng) {
  std::string w;
  const int n = 1 + pick(rng, 3);
  for (int i = 0; i < n; ++i) w += kSyllables[pick(rng, std::size(kSyllables))];
  w[0] = static_cast<char>(w[0] - 'a' + 'A');
  return w;
}

/// Names as CRMs hold them: mostly plain, some with valid non-ASCII letters, some holding the
/// delimiter or a quote (which a correct export quotes). Never blank at either end (the reader
/// trims cells).
std::string randomName(std::mt19937_64& rng) {
  std::string name = word(rng) + " " + word(rng);
  const int kind = pick(rng, 20);
  if (kind == 0) name += " Zo\xc3\xab";           // "Zoë", valid UTF-8
  if (kind == 1) name = "\xc5\x81ukasz " + name;  // "Łukasz"
  if (kind == 2) name = word(rng) + ", " + name;  // quoted by the writer when ',' delimits
  if (kind == 3) name = "O\"" + name;             // a quote inside: doubled in a quoted field
  return name;
}

std::string randomReference(std::mt19937_64& rng, int id) {
  if (chance(rng, 0.8)) return "R" + std::to_string(id);
  return "CRM-" + std::to_string(std::uniform_int_distribution<int>(1000, 99999)(rng));
}

Contact newContact(std::mt19937_64& rng, int id) {
  Contact c;
  c.id = id;
  c.name = randomName(rng);
  c.reference = randomReference(rng, id);
  c.applications = kLists[pick(rng, std::size(kLists))];
  c.spelling = pick(rng, 3);
  return c;
}

std::string digits5(int id) {
  std::ostringstream s;
  s << std::setw(5) << std::setfill('0') << id;
  return s.str();
}

/// The number as a person typed it; all normalise to msisdnOf(id) with region GB.
std::string spelled(const Contact& c) {
  switch (c.spelling) {
    case 1:
      return "+44 7930 0" + digits5(c.id);
    case 2:
      return "07930-0" + digits5(c.id);
    default:
      return "07930 0" + digits5(c.id);
  }
}

/// A number cell no reader can turn into a number.
std::string unreadableNumber(std::mt19937_64& rng) {
  switch (pick(rng, 6)) {
    case 0:
      return "";
    case 1:
      return "n/a";
    case 2:
      return "#REF!";
    case 3:
      return "unknown";
    case 4:
      return "\xff\xfe\xe9";
    default:
      return "see notes";
  }
}

/// A cell as a correct writer emits it: quoted when it holds the delimiter, a quote or a line
/// break.
std::string cell(const std::string& value, char delimiter) {
  if (value.find_first_of(std::string("\"\r\n") + delimiter) == std::string::npos) return value;
  std::string out = "\"";
  for (char ch : value) {
    if (ch == '"') out += '"';
    out += ch;
  }
  return out + "\"";
}

/// The damaged spelling of a name or reference cell; written as is, never quoted.
std::string damaged(const std::string& value, Damage d, char delimiter, std::mt19937_64& rng) {
  std::string plain;
  for (char ch : value) {
    if (ch != '"' && ch != delimiter) plain += ch;
  }
  if (plain.empty()) plain = "X";
  const std::size_t at = 1 + static_cast<std::size_t>(pick(rng, static_cast<int>(plain.size())));
  switch (d) {
    case Damage::Latin1:
      // As Excel saves "René" in Windows-1252: one byte that is not UTF-8.
      return plain.substr(0, at) + "\xe9" + plain.substr(at);
    case Damage::ExtraDelimiter:
      // "Smith, John" written without quotes: one field too many.
      return plain.substr(0, at) + delimiter + " " + plain.substr(at);
    case Damage::Nul:
      return plain.substr(0, at) + std::string(1, '\0') + plain.substr(at);
    case Damage::Overlong:
      return plain + std::string(static_cast<std::size_t>(70000 + pick(rng, 30000)), 'x');
    default:
      return value;
  }
}

std::string notes(std::mt19937_64& rng) {
  return "called " + std::to_string(pick(rng, 28) + 1) + "/" + std::to_string(pick(rng, 12) + 1);
}

}  // namespace

std::set<std::string> applicationsOf(const Contact& c) {
  std::set<std::string> out;
  std::string token;
  std::istringstream in(c.applications);
  while (std::getline(in, token, ';')) {
    if (!token.empty()) out.insert(token);
  }
  if (out.empty()) out.insert(kJobApplication);
  return out;
}

PairSet desiredPairs(const SourceVersion& v) {
  PairSet out;
  for (const auto& c : v.contacts) {
    for (const auto& a : applicationsOf(c)) out.insert(msisdnOf(c.id) + " " + a);
  }
  return out;
}

SourceVersion initialVersion(std::mt19937_64& rng, int rows, int& next_id) {
  SourceVersion v;
  for (int i = 0; i < rows; ++i) v.contacts.push_back(newContact(rng, next_id++));
  return v;
}

SourceVersion mutate(const SourceVersion& v, std::mt19937_64& rng, int& next_id, Mutation& what) {
  what = Mutation{};
  const int n = static_cast<int>(v.contacts.size());
  // Mostly small changes, now and then a large one (a re-export of another list), so the
  // max_delete gate sees both sides of its limit.
  const double scale = chance(rng, 0.15) ? 0.3 : 0.08;
  auto count = [&] { return pick(rng, std::max(1, static_cast<int>(n * scale)) + 1); };
  SourceVersion out;
  std::vector<bool> removed(static_cast<std::size_t>(n), false);
  for (int k = count(); k > 0 && n - what.removed > 20; --k) {
    const int i = pick(rng, n);
    if (!removed[static_cast<std::size_t>(i)]) {
      removed[static_cast<std::size_t>(i)] = true;
      ++what.removed;
    }
  }
  for (int i = 0; i < n; ++i) {
    if (!removed[static_cast<std::size_t>(i)])
      out.contacts.push_back(v.contacts[static_cast<std::size_t>(i)]);
  }
  const int moves = count();
  for (int k = 0; k < moves && !out.contacts.empty(); ++k) {
    Contact& c =
        out.contacts[static_cast<std::size_t>(pick(rng, static_cast<int>(out.contacts.size())))];
    const std::string before = c.applications;
    c.applications = kLists[pick(rng, std::size(kLists))];
    if (applicationsOf(c) != applicationsOf(Contact{0, "", "", before, 0})) {
      if (what.moved_ids.insert(c.id).second) ++what.moved;
    }
  }
  const int renames = count();
  for (int k = 0; k < renames && !out.contacts.empty(); ++k) {
    Contact& c =
        out.contacts[static_cast<std::size_t>(pick(rng, static_cast<int>(out.contacts.size())))];
    if (chance(rng, 0.7)) {
      c.name = randomName(rng);
    } else {
      c.reference = randomReference(rng, c.id);
    }
    ++what.renamed;
  }
  const int adds = count();
  for (int k = 0; k < adds; ++k) {
    Contact c = newContact(rng, next_id++);
    what.moved_ids.insert(c.id);
    const auto at =
        static_cast<std::ptrdiff_t>(pick(rng, static_cast<int>(out.contacts.size()) + 1));
    out.contacts.insert(out.contacts.begin() + at, std::move(c));
    ++what.added;
  }
  // A few rows swap places, as a re-sorted export does.
  for (int k = pick(rng, 4); k > 0 && out.contacts.size() > 1; --k) {
    const int a = pick(rng, static_cast<int>(out.contacts.size()));
    const int b = pick(rng, static_cast<int>(out.contacts.size()));
    std::swap(out.contacts[static_cast<std::size_t>(a)], out.contacts[static_cast<std::size_t>(b)]);
  }
  return out;
}

Layout randomLayout(std::mt19937_64& rng) {
  Layout l;
  l.columns = {"msisdn", "name", "reference", "applications"};
  if (chance(rng, 0.3)) l.columns.push_back("notes");
  // Column order matters: an unquoted delimiter in a cell before the number shifts the number.
  if (chance(rng, 0.5)) std::shuffle(l.columns.begin(), l.columns.end(), rng);
  const char delimiters[] = {',', ',', ';', '\t'};
  l.delimiter = delimiters[pick(rng, 4)];
  l.crlf = chance(rng, 0.3);
  l.bom = chance(rng, 0.2);
  return l;
}

std::string sourceConfig(const Layout& layout, bool with_encoding) {
  std::string s = "plugin = \"csv\"\npath = \"people.csv\"\n";
  if (layout.delimiter == '\t') {
    s += "delimiter = \"\\t\"\n";
  } else if (layout.delimiter != ',') {
    s += std::string("delimiter = \"") + layout.delimiter + "\"\n";
  }
  if (with_encoding) s += "encoding = \"utf-8\"\n";
  return s;
}

const char* damageName(Damage d) {
  switch (d) {
    case Damage::Latin1:
      return "latin1";
    case Damage::ExtraDelimiter:
      return "extra-delimiter";
    case Damage::Nul:
      return "nul";
    case Damage::Overlong:
      return "overlong";
    case Damage::UnreadableNumber:
      return "unreadable-number";
    case Damage::None:
      break;
  }
  return "none";
}

DamagePlan randomDamage(const SourceVersion& v, const std::set<int>& eligible, double rate,
                        int unreadable, std::mt19937_64& rng) {
  DamagePlan plan;
  const Damage kinds[] = {Damage::Latin1, Damage::ExtraDelimiter, Damage::Nul, Damage::Overlong};
  for (const auto& c : v.contacts) {
    if (eligible.count(c.id) != 0 && chance(rng, rate)) {
      // Overlong fields are rarer: each costs 70-100 KB of file.
      Damage d = kinds[pick(rng, 4)];
      if (d == Damage::Overlong && chance(rng, 0.5)) d = Damage::Latin1;
      plan[c.id] = d;
    }
  }
  const int n = static_cast<int>(v.contacts.size());
  for (int k = 0; k < unreadable && k < n; ++k) {
    plan[v.contacts[static_cast<std::size_t>(pick(rng, n))].id] = Damage::UnreadableNumber;
  }
  return plan;
}

int unreadableCount(const DamagePlan& damage) {
  return static_cast<int>(std::count_if(damage.begin(), damage.end(), [](const auto& e) {
    return e.second == Damage::UnreadableNumber;
  }));
}

std::string render(const SourceVersion& v, const Layout& layout, const DamagePlan& damage,
                   std::mt19937_64& rng, LineMap* lines) {
  long line = 1;
  const std::string eol = layout.crlf ? "\r\n" : "\n";
  const std::string pad = std::string(layout.columns.size() - 1, layout.delimiter) + eol;
  const std::size_t pads_per_row =
      v.contacts.empty() ? 0 : layout.padding_bytes / pad.size() / v.contacts.size();
  std::string out = layout.bom ? "\xef\xbb\xbf" : "";
  for (std::size_t i = 0; i < layout.columns.size(); ++i) {
    out += (i == 0 ? "" : std::string(1, layout.delimiter)) + layout.columns[i];
  }
  out += eol;
  for (const auto& c : v.contacts) {
    ++line;
    if (lines != nullptr) (*lines)[c.id] = line;
    auto it = damage.find(c.id);
    const Damage d = it == damage.end() ? Damage::None : it->second;
    // Name or reference carries the damage (the name more often, as in real exports).
    const bool in_reference =
        d != Damage::None && d != Damage::UnreadableNumber && chance(rng, 0.25);
    for (std::size_t i = 0; i < layout.columns.size(); ++i) {
      const std::string& col = layout.columns[i];
      if (i != 0) out += layout.delimiter;
      if (col == "msisdn") {
        out += d == Damage::UnreadableNumber ? unreadableNumber(rng) : spelled(c);
      } else if (col == "name") {
        out += d != Damage::None && d != Damage::UnreadableNumber && !in_reference
                   ? damaged(c.name, d, layout.delimiter, rng)
                   : cell(c.name, layout.delimiter);
      } else if (col == "reference") {
        out += in_reference ? damaged(c.reference, d, layout.delimiter, rng)
                            : cell(c.reference, layout.delimiter);
      } else if (col == "applications") {
        out += cell(c.applications, layout.delimiter);
      } else {
        out += cell(notes(rng), layout.delimiter);
      }
    }
    out += eol;
    for (std::size_t k = 0; k < pads_per_row; ++k) out += pad;
    line += static_cast<long>(pads_per_row);
  }
  return out;
}

std::vector<RejectLine> readRejects(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  // RFC 4180 as the reject writer emits it: quoted fields may hold commas, quotes, line breaks.
  std::vector<std::vector<std::string>> records(1);
  std::string field;
  bool quoted = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char ch = text[i];
    if (quoted) {
      if (ch == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (ch == '"') {
        quoted = false;
      } else {
        field += ch;
      }
    } else if (ch == '"') {
      quoted = true;
    } else if (ch == ',') {
      records.back().push_back(std::move(field));
      field.clear();
    } else if (ch == '\n') {
      records.back().push_back(std::move(field));
      field.clear();
      records.emplace_back();
    } else {
      field += ch;
    }
  }
  std::vector<RejectLine> out;
  for (std::size_t r = 1; r < records.size(); ++r) {  // records[0] is the header
    auto& f = records[r];
    if (f.size() < 3) continue;
    out.push_back(RejectLine{f[0], f[1], f[2]});
  }
  return out;
}

}  // namespace mobisync::test::safety
