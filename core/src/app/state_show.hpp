// SPDX-License-Identifier: Apache-2.0
// `state show`: the state's jobs, recent runs and leases, as a table or JSON.
#pragma once

#include <ostream>
#include <string>

#include "state/state_store.hpp"

namespace mobisync::app {

/// `name`: how the state is called in the table's first line (its path or url). `job`: only
/// this job's runs ("" for every job's).
void printStateTable(std::ostream& out, state::StateStore& store, const std::string& name,
                     const std::string& job);
void printStateJson(std::ostream& out, state::StateStore& store, const std::string& name,
                    const std::string& job);

}  // namespace mobisync::app
