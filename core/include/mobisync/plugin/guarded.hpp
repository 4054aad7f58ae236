// SPDX-License-Identifier: Apache-2.0
// guarded(): the exception guard every plugin entry point needs, written once. The host calls a
// plugin through an ABI boundary that an exception must not cross, so each init() and fetch()
// turns whatever escapes its work into a failed Status that names the plugin and the step.
#pragma once

#include <exception>
#include <string>
#include <string_view>
#include <utility>

#include "mobisync/result.hpp"
#include "mobisync/status.hpp"

namespace mobisync::plugin {

/// What `body()` (a callable returning Status) returns; an exception escaping it becomes
/// Status::internal("<what>: <detail>"), where detail is `scrub(e.what())` for a std::exception
/// (scrub removes what the message must not show, such as a password) and "unknown exception"
/// for anything else. `what` names the plugin and the step, e.g. "csv: init failed".
template <class Body, class Scrub>
Status guarded(std::string_view what, Body&& body, Scrub&& scrub) {
  try {
    return std::forward<Body>(body)();
  } catch (const std::exception& e) {
    return Status::internal(std::string(what) + ": " + std::string(scrub(std::string(e.what()))));
  } catch (...) {
    return Status::internal(std::string(what) + ": unknown exception");
  }
}

/// guarded() for an exception message that may be shown as it is.
template <class Body>
Status guarded(std::string_view what, Body&& body) {
  return guarded(what, std::forward<Body>(body), [](std::string message) { return message; });
}

/// `result`'s value moved into `target` and an ok Status, or `result`'s error with `target`
/// untouched: how init() keeps the options it has read.
template <class T>
Status assignTo(T& target, Result<T> result) {
  if (!result) return result.error();
  target = std::move(*result);
  return Status::ok();
}

}  // namespace mobisync::plugin
