// SPDX-License-Identifier: Apache-2.0
// CsvSource reads one consistent snapshot or fails: a file changed, replaced or cut during the
// read, a last line without its line break, or a path that is not a regular file never passes
// for a complete read (an incomplete one would unsubscribe every contact it lacks).
#include <doctest/doctest.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <functional>
#include <future>
#include <random>
#include <string>
#include <thread>

#include "csv_test_util.hpp"

namespace mobisync::plugins::csv::test {
namespace {

using namespace std::chrono_literals;

constexpr std::size_t kRows = 50000;

// Every version has the same numbers and the same size; only the names differ.
std::string contactsCsv(int version, std::size_t rows = kRows) {
  std::string text = "msisdn,name,reference\n";
  text.reserve(rows * 40);
  for (std::size_t i = 0; i < rows; ++i) {
    const std::string n = std::to_string(1000000 + i);
    text.append("0400").append(n).append(",\"Person ").append(n).append(" v");
    text.append(std::to_string(version)).append("\",R").append(n).append("\n");
  }
  return text;
}

// As an export written a while ago: a rewrite now always moves the modification time.
void ageFile(const std::string& path) {
  struct timespec times[2];
  ::clock_gettime(CLOCK_REALTIME, &times[0]);
  times[0].tv_sec -= 5;
  times[1] = times[0];
  REQUIRE(::utimensat(AT_FDCWD, path.c_str(), times, 0) == 0);
}

// Also runs on the writer thread, so it checks without throwing.
void writeAll(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n <= 0) {
      FAIL_CHECK("write failed: " << std::strerror(errno));
      return;
    }
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
}

// A length of `text` near `fraction` of it whose last byte is not a line end, so a file cut
// there ends mid-record (a cut right after a line end is indistinguishable from a shorter
// complete file, whatever the reader does).
std::size_t cutInsideLine(const std::string& text, double fraction) {
  auto at = static_cast<std::size_t>(static_cast<double>(text.size()) * fraction);
  while (text[at - 1] == '\n') ++at;
  return at;
}

/// A sink that counts contacts without keeping them and runs `hook` once, inside accept(), when
/// the `at`th contact arrives (never when `at` is 0).
void hookAt(RecordingSink& sink, std::size_t at, std::function<void()> hook) {
  sink.keep_contacts = false;
  sink.on_accept = [&sink, at, hook = std::move(hook)](const Contact&) {
    if (sink.accepted == at && hook) hook();
    return Status::ok();
  };
}

Status fetchWith(const std::string& path, plugin::ContactSink& sink, ReaderLimits limits = {}) {
  Config config;
  config.strings["path"] = path;
  const plugin::testing::TestContext context(config.values(), "csv", "test");
  CsvSource source(limits);
  REQUIRE(source.init(context).isOk());
  Status status = source.fetch(sink);
  source.shutdown();
  return status;
}

enum class Write { Truncate, RewriteInPlace, Replace, Append };
enum class Timing {
  DuringRead,  // starts at a row of the read and the read waits until it is done
  Racing,      // starts at a row of the read, which goes on meanwhile
  Free,        // starts on its own clock, before, during or after the read
};

const char* nameOf(Write w) {
  switch (w) {
    case Write::Truncate: return "truncate to 95%";
    case Write::RewriteInPlace: return "rewrite in place";
    case Write::Replace: return "replace by rename";
    case Write::Append: return "append";
  }
  return "?";
}

// What the export job does to the file, in pieces whose ends are never line ends, with short
// pauses, as a real writer's buffered writes land.
void exportJob(Write what, const std::string& path, const std::string& intact, std::mt19937& rng) {
  std::uniform_int_distribution<std::size_t> piece(1000, 200000);
  std::uniform_int_distribution<int> pause_us(0, 300);
  const auto write_in_pieces = [&](int fd, const std::string& text) {
    std::size_t at = 0;
    while (at < text.size()) {
      std::size_t next = std::min(text.size(), at + piece(rng));
      while (next < text.size() && text[next - 1] == '\n') ++next;
      writeAll(fd, std::string_view(text).substr(at, next - at));
      at = next;
      std::this_thread::sleep_for(std::chrono::microseconds(pause_us(rng)));
    }
  };
  switch (what) {
    case Write::Truncate:
      CHECK(::truncate(path.c_str(), static_cast<off_t>(cutInsideLine(intact, 0.95))) == 0);
      break;
    case Write::RewriteInPlace: {
      const int fd = ::open(path.c_str(), O_WRONLY | O_TRUNC | O_CLOEXEC);
      if (fd < 0) break;
      write_in_pieces(fd, contactsCsv(2));
      ::close(fd);
      break;
    }
    case Write::Replace: {
      const std::string temp = path + ".new";
      const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
      CHECK(fd >= 0);
      write_in_pieces(fd, contactsCsv(3));
      ::close(fd);
      CHECK(::rename(temp.c_str(), path.c_str()) == 0);
      break;
    }
    case Write::Append: {
      const int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CLOEXEC);
      CHECK(fd >= 0);
      write_in_pieces(fd, "0499999991,\"Late One\",R1\n0499999992,\"Late Two\",R2\n");
      ::close(fd);
      break;
    }
  }
}

TEST_SUITE("plugin.csv") {

TEST_CASE("a file written while it is read never yields a complete-looking read with rows missing") {
  TempDir dir;
  const std::string path = dir.file("contacts.csv");
  const std::string intact = contactsCsv(1);
  const ReaderLimits chunk_sizes[] = {{4096, 1 << 20}, {65536, 1 << 20}, {}};

  for (std::uint32_t seed = 1; seed <= 32; ++seed) {
    std::mt19937 rng(seed);
    const auto what = static_cast<Write>(seed % 4);
    const auto timing = static_cast<Timing>((seed / 4) % 3);
    const ReaderLimits limits = chunk_sizes[rng() % 3];
    CAPTURE(seed);
    const std::string write = nameOf(what);
    CAPTURE(write);
    CAPTURE(static_cast<int>(timing));
    CAPTURE(limits.chunk_size);

    dir.write("contacts.csv", intact);
    ageFile(path);

    std::promise<void> go;
    std::promise<void> written;
    std::future<void> written_future = written.get_future();
    const auto delay = std::chrono::microseconds(rng() % 20000);
    std::thread writer([&, start = go.get_future(), writer_rng = std::mt19937(seed * 7919)]() mutable {
      if (timing == Timing::Free) {
        std::this_thread::sleep_for(delay);
      } else {
        start.wait();
      }
      exportJob(what, path, intact, writer_rng);
      written.set_value();
    });

    RecordingSink sink;
    std::size_t at = 0;
    if (timing != Timing::Free) {
      at = 1 + rng() % (kRows - 1);
      hookAt(sink, at, [&] {
        go.set_value();
        if (timing == Timing::DuringRead) written_future.wait();
      });
    } else {
      hookAt(sink, 0, {});
    }
    const Status status = fetchWith(path, sink, limits);
    if (timing != Timing::Free && sink.accepted < at) {
      go.set_value();  // the hook never ran: let the writer finish
    }
    writer.join();

    INFO("fetch: " << (status ? "ok" : status.message()) << ", " << sink.accepted
                   << " contacts, " << sink.rejects.size() << " rejects");
    // The invariant: a read that returns ok saw every contact of a whole version.
    CHECK((!status || sink.accepted >= kRows));
    CHECK((!status || sink.rejects.empty()));
    if (timing == Timing::DuringRead) {
      CHECK_FALSE(status.isOk());
      CHECK(status.message().find("changed while it was read") != std::string::npos);
    }
  }
}

TEST_CASE("each kind of change during the read is named and fails the fetch") {
  TempDir dir;
  const std::string path = dir.file("c.csv");
  const std::string intact = contactsCsv(1, 200);
  std::function<void()> change;
  std::string expected;
  SUBCASE("appended to") {
    change = [&] {
      const int fd = ::open(path.c_str(), O_WRONLY | O_APPEND);
      writeAll(fd, "0499999991,Late,R1\n");
      ::close(fd);
    };
    expected = "(it grew from " + std::to_string(intact.size()) + " to " +
               std::to_string(intact.size() + 19) + " bytes)";
  }
  SUBCASE("truncated") {
    change = [&] { CHECK(::truncate(path.c_str(), 100) == 0); };
    expected = "(it shrank from " + std::to_string(intact.size()) + " to 100 bytes)";
  }
  SUBCASE("rewritten in place with as many bytes") {
    change = [&] {
      const int fd = ::open(path.c_str(), O_WRONLY | O_TRUNC);
      writeAll(fd, contactsCsv(2, 200));
      ::close(fd);
    };
    expected = "(it was modified: its modification time changed)";
  }
  SUBCASE("replaced by rename") {
    change = [&] {
      dir.write("c.csv.new", contactsCsv(2, 200));
      CHECK(::rename(dir.file("c.csv.new").c_str(), path.c_str()) == 0);
    };
    expected = "(it was replaced by another file (renamed over it or recreated))";
  }
  SUBCASE("removed") {
    change = [&] { CHECK(::unlink(path.c_str()) == 0); };
    expected = "(it was removed)";
  }
  dir.write("c.csv", intact);
  ageFile(path);
  RecordingSink sink;
  hookAt(sink, 1, change);
  const Status status = fetchWith(path, sink);
  CHECK(status.code() == Errc::Io);
  CHECK(status.message() == "csv: " + path + " changed while it was read " + expected +
                                ", so the read is not one consistent snapshot and nothing is "
                                "removed; run again once the file is written");
}

TEST_CASE("a FIFO as path is refused at once instead of waiting for a writer") {
  TempDir dir;
  const std::string fifo = dir.file("contacts.csv");
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  auto fetched = std::async(std::launch::async, [&] {
    RecordingSink sink;
    return fetchWith(fifo, sink);
  });
  const bool returned = fetched.wait_for(1s) == std::future_status::ready;
  CHECK_MESSAGE(returned, "fetch() still blocked on the FIFO after a second");
  if (!returned) {
    // Unblock the open() so the test ends: a writer that comes and goes.
    const int fd = ::open(fifo.c_str(), O_WRONLY | O_NONBLOCK);
    if (fd >= 0) ::close(fd);
  }
  const Status status = fetched.get();
  CHECK(status.code() == Errc::Io);
  CHECK(status.message() == "csv: " + fifo + " is not a regular file (it is a FIFO); path must "
                                              "name a CSV file, which is read whole as one "
                                              "snapshot");
}

TEST_CASE("a directory or a device as path is refused") {
  TempDir dir;
  RecordingSink sink;
  CHECK(fetchWith(dir.file(""), sink).message().find("is not a regular file (it is a directory)") !=
        std::string::npos);
  CHECK(fetchWith("/dev/null", sink).message() ==
        "csv: /dev/null is not a regular file (it is a character device); path must name a CSV "
        "file, which is read whole as one snapshot");
}

TEST_CASE("a last record without its line break is an incomplete read") {
  std::string text;
  std::uint64_t line = 0;
  SUBCASE("cut inside a row") {
    text = "msisdn,name\n0400000001,Ann\n0400000002,Bo";
    line = 3;
  }
  SUBCASE("cut between CR and LF") {
    text = "msisdn,name\r\n0400000001,Ann\r\n0400000002,Bob\r";
    line = 3;
  }
  SUBCASE("cut after a closing quote") {
    text = "msisdn,name\n0400000001,\"Ann\"";
    line = 2;
  }
  SUBCASE("cut inside the header") {
    text = "msisdn,na";
    line = 1;
  }
  const Run run = readCsv(text);
  CHECK(run.fetch.code() == Errc::Io);
  CHECK(run.fetch.message().ends_with(
      "contacts.csv: the last record (line " + std::to_string(line) +
      ") ends without a line break, so the read is incomplete: the file may still be being "
      "written; run again once it is complete (a complete file ends its last row with a line "
      "break: add one if a tool left it out)"));
}

TEST_CASE("a file that ends with its line break, LF or CRLF, is complete") {
  for (const std::string ending : {"\n", "\r\n"}) {
    const Run run = readCsv("msisdn,name" + ending + "0400000001,Ann" + ending + "0400000002,Bob" +
                            ending);
    REQUIRE_MESSAGE(run.fetch.isOk(), run.fetch.message());
    CHECK(run.sink.contacts.size() == 2);
  }
}

}  // TEST_SUITE

}  // namespace
}  // namespace mobisync::plugins::csv::test
