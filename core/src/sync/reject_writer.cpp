// SPDX-License-Identifier: Apache-2.0
// RejectWriter: RFC 4180 output with an atomic rename at the end.
#include "sync/reject_writer.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

namespace mobisync::sync {

namespace {
void field(std::ofstream& out, const std::string& v) {
  if (v.find_first_of(",\"\r\n") == std::string::npos) {
    out << v;
    return;
  }
  out << '"';
  for (char c : v) {
    if (c == '"') out << '"';
    out << c;
  }
  out << '"';
}
}  // namespace

RejectWriter::RejectWriter(std::string path) : path_(std::move(path)) {}

RejectWriter::~RejectWriter() {
  if (out_.is_open()) {
    out_.close();
    std::remove((path_ + ".partial").c_str());
  }
}

Status RejectWriter::open() {
  if (path_.empty()) return Status::ok();
  std::error_code ec;
  auto dir = std::filesystem::path(path_).parent_path();
  if (!dir.empty()) std::filesystem::create_directories(dir, ec);
  out_.open(path_ + ".partial", std::ios::trunc | std::ios::binary);
  if (!out_) {
    return Status::io("cannot write reject file " + path_ + ".partial: " + std::strerror(errno));
  }
  out_ << "position,reason,raw\n";
  return Status::ok();
}

void RejectWriter::write(const std::string& position, const std::string& reason,
                         const std::string& raw) {
  ++count_;
  if (sample_.size() < kSampleSize) sample_.push_back(RejectedRow{position, raw, reason});
  line(position, reason, raw);
}

void RejectWriter::writeRefusal(const std::string& reason, const std::string& msisdn) {
  ++refusals_;
  line("provider", reason, msisdn);
}

void RejectWriter::line(const std::string& position, const std::string& reason,
                        const std::string& raw) {
  if (!out_.is_open()) return;
  field(out_, position);
  out_ << ',';
  field(out_, reason);
  out_ << ',';
  field(out_, raw);
  out_ << '\n';
}

Status RejectWriter::commit() {
  if (!out_.is_open()) return Status::ok();
  out_.close();
  if (!out_) return Status::io("cannot write reject file " + path_ + ".partial");
  if (std::rename((path_ + ".partial").c_str(), path_.c_str()) != 0) {
    return Status::io("cannot rename reject file to " + path_ + ": " + std::strerror(errno));
  }
  return Status::ok();
}

}  // namespace mobisync::sync
