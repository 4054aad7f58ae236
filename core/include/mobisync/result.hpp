// SPDX-License-Identifier: Apache-2.0
// Result<T>: a value or the Status that explains why there is none (std::expected spelling).
#pragma once

#include <stdexcept>
#include <utility>
#include <variant>

#include "mobisync/status.hpp"

namespace mobisync {

/// Holds either a T or a failed Status. Accessing the wrong side throws std::logic_error, so an
/// unchecked access is a loud bug, never undefined behaviour. Value type; thread-compatible.
template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}  // NOLINT(google-explicit-constructor)
  Result(Status error) : v_(std::move(error)) {  // NOLINT(google-explicit-constructor)
    if (std::get<Status>(v_).isOk()) {
      v_ = Status::internal("Result built from an ok Status without a value");
    }
  }

  bool has_value() const { return v_.index() == 0; }
  explicit operator bool() const { return has_value(); }

  T& value() & { check(); return std::get<T>(v_); }
  const T& value() const& { check(); return std::get<T>(v_); }
  T&& value() && { check(); return std::get<T>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  const Status& error() const {
    if (has_value()) throw std::logic_error("Result::error() on a value");
    return std::get<Status>(v_);
  }

 private:
  void check() const {
    if (!has_value()) throw std::logic_error("Result::value() on an error: " + error().message());
  }
  std::variant<T, Status> v_;
};

}  // namespace mobisync
