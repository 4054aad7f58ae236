// SPDX-License-Identifier: Apache-2.0
// Writes a job's confirmed state straight into a state file, through the real StateStore, so a
// plan benchmark can start from a million confirmed subscriptions without a million calls.
// usage: mobisync_bench_seed_state STATE_DB JOB CSV
//   CSV rows: msisdn,name,reference,application (E.164 digits, one application per row)
#include <fstream>
#include <iostream>
#include <sstream>

#include "state/state_store.hpp"

int main(int argc, char** argv) {
  if (argc != 4) {
    std::cerr << "usage: " << argv[0] << " STATE_DB JOB CSV\n";
    return 64;
  }
  mobisync::state::StateStore store(argv[1]);
  std::ifstream in(argv[3]);
  if (!in) {
    std::cerr << "cannot read " << argv[3] << "\n";
    return 66;
  }
  std::vector<mobisync::state::PairChange> batch;
  std::string line;
  std::int64_t n = 0;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    std::stringstream s(line);
    mobisync::state::PairRow row;
    std::getline(s, row.msisdn, ',');
    std::getline(s, row.name, ',');
    std::getline(s, row.reference, ',');
    std::getline(s, row.application, ',');
    batch.push_back({mobisync::state::PairChange::Kind::Upsert, std::move(row)});
    if (batch.size() == 50000) {
      store.apply(argv[2], batch);
      n += static_cast<std::int64_t>(batch.size());
      batch.clear();
    }
  }
  store.apply(argv[2], batch);
  n += static_cast<std::int64_t>(batch.size());
  std::cout << "seeded " << n << " subscriptions for job " << argv[2] << "\n";
  return 0;
}
