// SPDX-License-Identifier: Apache-2.0
// Opt-out keyword matching over seeded random spellings: case, blanks and trailing punctuation
// never change the answer; anything more than the keyword alone never matches.
#include <doctest/doctest.h>

#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "config/optout_settings.hpp"
#include "notify/optout_keywords.hpp"
#include "values/reply_text.hpp"

using mobisync::config::OptoutLanguage;
using mobisync::config::OptoutSettings;
using mobisync::notify::isKeyword;
using mobisync::notify::matchKeyword;

namespace {

std::uint32_t seed() {
  std::uint32_t s = std::random_device{}();
  std::printf("optout_keywords_test seed %u\n", s);
  return s;
}

// `word` in random case, with random blanks around it and trailing punctuation.
std::string respell(const std::string& word, std::mt19937& rng) {
  static const std::vector<std::string> kBlanks = {" ", "\t", "\n", "\r\n", "\xC2\xA0", "  "};
  static const std::string kPunct = ".!?,;:";
  auto pick = [&](int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng); };
  std::string out;
  for (int i = pick(3); i > 0; --i) out += kBlanks[pick(static_cast<int>(kBlanks.size()))];
  for (char c : word) {
    bool lower = pick(2) == 0 && c >= 'A' && c <= 'Z';
    out.push_back(lower ? static_cast<char>(c - 'A' + 'a') : c);
  }
  if (pick(2) == 0) out += kBlanks[pick(static_cast<int>(kBlanks.size()))];
  for (int i = pick(3); i > 0; --i) out.push_back(kPunct[pick(static_cast<int>(kPunct.size()))]);
  for (int i = pick(3); i > 0; --i) out += kBlanks[pick(static_cast<int>(kBlanks.size()))];
  return out;
}

OptoutSettings withSpanish() {
  OptoutSettings s;
  OptoutLanguage es;
  es.code = "es";
  es.keywords = {"BAJA"};
  es.reverse_keywords = {"ALTA"};
  es.confirmation = "Dado de baja";
  s.languages.push_back(es);
  return s;
}

}  // namespace

TEST_SUITE("core.notify") {
  TEST_CASE("every default keyword matches in any case, blanks and trailing punctuation") {
    std::mt19937 rng(seed());
    const OptoutSettings s;
    for (int round = 0; round < 200; ++round) {
      for (const auto* list : {&s.languages[0].keywords, &s.languages[0].reverse_keywords}) {
        for (const auto& k : *list) {
          const std::string body = respell(k, rng);
          auto m = matchKeyword(s, body);
          REQUIRE_MESSAGE(m.has_value(), "\"" << body << "\" should match " << k);
          CHECK(m->keyword == k);
          CHECK(m->opt_out == (list == &s.languages[0].keywords));
          CHECK(m->language->code == "default");
        }
      }
    }
  }

  TEST_CASE("a keyword with more words, or inside a word, does not match") {
    std::mt19937 rng(seed());
    const OptoutSettings s;
    const std::vector<std::string> others = {
        "stop please", "please stop", "don't stop", "STOPS", "STOPPED", "STO P", "S TOP",
        "unstoppable", "start now", "the end", "-STOP", "'STOP'", "STOP-ALL", "STOP ALL", "",
        "   ", "!!!", "QUITE", "ENDING", "cancelled", "STOP\xE2\x80\x8B", "Stop it"};
    for (const auto& body : others) {
      CHECK_MESSAGE(!matchKeyword(s, body).has_value(), "\"" << body << "\" matched");
    }
    // Random texts made of keyword letters plus one extra word never match.
    for (int round = 0; round < 500; ++round) {
      const auto& k = s.languages[0].keywords[rng() % s.languages[0].keywords.size()];
      const std::string extra = std::string(1, static_cast<char>('a' + rng() % 26)) + "x";
      const std::string body = rng() % 2 ? respell(k, rng) + " " + extra : extra + " " + k;
      CHECK_MESSAGE(!matchKeyword(s, body).has_value(), "\"" << body << "\" matched");
    }
  }

  TEST_CASE("other languages match their own keywords and answer in their own words") {
    std::mt19937 rng(seed());
    const OptoutSettings s = withSpanish();
    for (int round = 0; round < 50; ++round) {
      auto m = matchKeyword(s, respell("BAJA", rng));
      REQUIRE(m.has_value());
      CHECK(m->opt_out);
      CHECK(m->language->code == "es");
      CHECK(m->language->confirmation == "Dado de baja");
      auto back = matchKeyword(s, respell("ALTA", rng));
      REQUIRE(back.has_value());
      CHECK_FALSE(back->opt_out);
    }
    CHECK(matchKeyword(s, "stop")->language->code == "default");
  }

  TEST_CASE("disabled opt-outs match nothing") {
    OptoutSettings s;
    s.enabled = false;
    CHECK_FALSE(matchKeyword(s, "STOP").has_value());
  }

  TEST_CASE("normalizeReply trims, collapses and upper-cases ASCII only") {
    using mobisync::values::normalizeReply;
    CHECK(normalizeReply("  stop  all !! ") == "STOP ALL");
    CHECK(normalizeReply("arr\xC3\xAAt.") == "ARR\xC3\xAAT");
    CHECK(normalizeReply("\xC2\xA0Stop\xC2\xA0") == "STOP");
    CHECK(isKeyword(" Stop. ", "STOP"));
    CHECK_FALSE(isKeyword("STOP", "  "));
  }
}
