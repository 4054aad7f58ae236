// SPDX-License-Identifier: Apache-2.0
// The baseline of bench/smpp: the npm `smpp` package as a client, sending N single-part GSM-7
// submit_sm on one transceiver bind with at most WINDOW unanswered, the same work the plugin's
// ESME does in esme_bench. Timed from the bind_resp to the last submit_sm_resp; prints one
// JSON line like esme_bench.
// usage: node node_client.js PORT COUNT WINDOW   (system_id demo, password from BENCH_SMPP_PASSWORD)
'use strict';

const path = require('path');
const smpp = require(path.join(__dirname, '../../tests/smsc/node_modules/smpp'));

const [port, count, windowSize] = process.argv.slice(2).map(Number);
const session = smpp.connect({ url: `smpp://127.0.0.1:${port}`, auto_enquire_link_period: 0 });
session.on('error', (e) => { process.stderr.write(`node_client: ${e.message}\n`); process.exit(1); });

session.bind_transceiver({ system_id: 'demo', password: process.env.BENCH_SMPP_PASSWORD }, (bound) => {
  if (bound.command_status !== 0) {
    process.stderr.write(`node_client: bind refused, status ${bound.command_status}\n`);
    process.exit(1);
  }
  const start = process.hrtime.bigint();
  let sent = 0, answered = 0, ok = 0;
  const pump = () => {
    while (sent < count && sent - answered < windowSize) {
      const i = sent++;
      session.submit_sm({
        source_addr_ton: 5, source_addr_npi: 0, source_addr: 'MobiSync',
        dest_addr_ton: 1, dest_addr_npi: 1, destination_addr: String(447930000000 + i),
        data_coding: 0, registered_delivery: 0,
        short_message: `Benchmark message ${i} from MobiSync`,
      }, (resp) => {
        answered++;
        if (resp.command_status === 0) ok++;
        if (answered === count) {
          const seconds = Number(process.hrtime.bigint() - start) / 1e9;
          process.stdout.write(JSON.stringify({ sent: count, ok, seconds, per_second: ok / seconds }) + '\n');
          session.unbind(() => { session.close(); process.exit(ok === count ? 0 : 1); });
          return;
        }
        pump();
      });
    }
  };
  pump();
});
