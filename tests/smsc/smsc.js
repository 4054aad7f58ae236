// SPDX-License-Identifier: Apache-2.0
// An SMSC no one on the project wrote: the npm `smpp` package as a server, for the smpp
// plugin's interop tests. Listens on 127.0.0.1 (port 0 = a free one), prints
// "node-smsc on 127.0.0.1:PORT", accepts binds with the given credentials, answers submit_sm
// with message ids (hex), sends a delivery receipt deliver_sm per accepted submit that asked for
// one (its id in decimal, so the client must match across bases), answers enquire_link and
// unbind, and writes every PDU it receives or sends as one JSON line to --record.
//
// Faults, each counted over all sessions by the submit_sm number (1-based):
//   --throttle-from N --throttle-count C   answer submits N..N+C-1 with ESME_RTHROTTLED (0x58)
//   --hold-from N --drop-after-held H      from submit N, answer nothing; once H submits are
//                                          held, destroy that connection (once)
//   --reject-dest MSISDN                   answer ESME_RINVDSTADR (0x0B) for that destination
//   --malformed-after-bind 1               after the first bind, send a deliver_sm whose
//                                          destination_addr has no NUL and a PDU with an
//                                          unknown command_id, as raw bytes
//   --garbage-after-bind 1                 after the first bind, send a header whose
//                                          command_length is 8 (the stream cannot be framed)
// TLS: --tls-cert FILE --tls-key FILE serve SMPP over TLS with that certificate.
// Strict rate (strict_rate.js): --max-per-second N --rate-scope bind|system   at most N submit_sm
// accepted per sliding second on arrival, per bind or per system_id; above it ESME_RTHROTTLED.
// Realism (realism.js): receipts --dlr-delay-min-ms/--dlr-delay-max-ms late, --dlr-lose-percent
// lost, --dlr-repeat-percent repeated (--seed); replies --mo-after-submit N --mo-text T, or
// --mo-inject FILE; receipts and replies go to a receiving bind of the account, held until one.
'use strict';

const fs = require('fs');
const smpp = require('smpp');
const { PDU } = require('smpp/lib/pdu');
const { StrictRate } = require('./strict_rate');
const realismOptions = require('./realism').takeOptions(process.argv);  // late/lost/repeated, MO

// Keep each PDU's bytes as received, so the C++ test checks the wire, not node's reading of it.
const fromBuffer = PDU.prototype.fromBuffer;
PDU.prototype.fromBuffer = function (buffer) {
  Object.defineProperty(this, 'raw', { value: Buffer.from(buffer), enumerable: false });
  return fromBuffer.call(this, buffer);
};

function parseArgs(argv) {
  const opts = {
    port: 0, systemId: 'demo', password: 'secret', record: null, dlrDelayMs: 50,
    throttleFrom: 0, throttleCount: 0, holdFrom: 0, dropAfterHeld: 0, rejectDest: [],
    enquireMs: 0, malformedAfterBind: 0, garbageAfterBind: 0, tlsCert: null, tlsKey: null,
    maxPerSecond: 0, rateScope: 'bind',
  };
  const names = {
    '--port': ['port', Number], '--system-id': ['systemId', String],
    '--password': ['password', String], '--record': ['record', String],
    '--dlr-delay-ms': ['dlrDelayMs', Number], '--throttle-from': ['throttleFrom', Number],
    '--throttle-count': ['throttleCount', Number], '--hold-from': ['holdFrom', Number],
    '--drop-after-held': ['dropAfterHeld', Number], '--enquire-ms': ['enquireMs', Number],
    '--malformed-after-bind': ['malformedAfterBind', Number],
    '--garbage-after-bind': ['garbageAfterBind', Number],
    '--tls-cert': ['tlsCert', String], '--tls-key': ['tlsKey', String],
    '--max-per-second': ['maxPerSecond', Number], '--rate-scope': ['rateScope', String],
  };
  for (let i = 2; i < argv.length; i += 2) {
    if (argv[i] === '--reject-dest') { opts.rejectDest.push(argv[i + 1]); continue; }
    const spec = names[argv[i]];
    if (!spec || i + 1 >= argv.length) {
      process.stderr.write(`node-smsc: unknown or incomplete option ${argv[i]}\n`);
      process.exit(64);
    }
    opts[spec[0]] = spec[1](argv[i + 1]);
  }
  if (!opts.record) {
    process.stderr.write('node-smsc: --record FILE is required\n');
    process.exit(64);
  }
  return opts;
}

const opts = parseArgs(process.argv);
const record = fs.openSync(opts.record, 'a');
const started = process.hrtime.bigint();
function write(entry) {
  entry.t_ms = Number(process.hrtime.bigint() - started) / 1e6;
  fs.writeSync(record, JSON.stringify(entry) + '\n');
}

const nowMs = () => Number(process.hrtime.bigint() - started) / 1e6;
const strictRate = new StrictRate(opts.maxPerSecond, opts.rateScope, nowMs, write);
const realism = new (require('./realism').Realism)(
  realismOptions, opts.dlrDelayMs, opts.systemId,
  (session, event, extra) => write(Object.assign({ session, event }, extra)));

function hex(buf) { return Buffer.isBuffer(buf) ? buf.toString('hex') : ''; }

// Reads what node's smpp decoder made of a submit_sm or deliver_sm: UDH, text, TLVs.
function describeMessage(pdu) {
  const out = {
    service_type: pdu.service_type, source_addr_ton: pdu.source_addr_ton,
    source_addr_npi: pdu.source_addr_npi, source_addr: pdu.source_addr,
    dest_addr_ton: pdu.dest_addr_ton, dest_addr_npi: pdu.dest_addr_npi,
    destination_addr: pdu.destination_addr, esm_class: pdu.esm_class,
    registered_delivery: pdu.registered_delivery, data_coding: pdu.data_coding,
  };
  const sm = pdu.short_message;
  if (sm && typeof sm === 'object' && !Buffer.isBuffer(sm)) {
    // node splits the UDH into its elements and drops the length octet; put it back.
    const elements = sm.udh || [];
    if (elements.length) {
      const body = Buffer.concat(elements);
      out.udh = hex(Buffer.concat([Buffer.from([body.length]), body]));
    } else {
      out.udh = '';
    }
    out.text = typeof sm.message === 'string' ? sm.message : hex(sm.message);
  }
  if (pdu.dest_subaddress !== undefined) out.dest_subaddress = hex(pdu.dest_subaddress);
  return out;
}

let submitCount = 0;
let nextId = 0x1a2b00;
let held = 0;
let dropped = false;
let sessionCount = 0;
let faultSent = false;

function header(length, id, status, seq) {
  const b = Buffer.alloc(16);
  b.writeUInt32BE(length, 0);
  b.writeUInt32BE(id, 4);
  b.writeUInt32BE(status, 8);
  b.writeUInt32BE(seq, 12);
  return b;
}

// Bytes no SMSC should send, written past node's own encoder.
function sendFaults(session) {
  if (faultSent) return;
  faultSent = true;
  if (opts.malformedAfterBind) {
    // deliver_sm: service_type "", TON/NPI, source_addr "1", TON/NPI, then 25 digits without NUL.
    const body = Buffer.concat([Buffer.from([0, 1, 1]), Buffer.from('1\0'), Buffer.from([1, 1]),
                                Buffer.from('4'.repeat(25))]);
    session.socket.write(Buffer.concat([header(16 + body.length, 0x00000005, 0, 9001), body]));
    session.socket.write(header(16, 0x00001234, 0, 9002));
    log0('fault', { kind: 'malformed' });
  }
  if (opts.garbageAfterBind) {
    session.socket.write(header(8, 0x00000015, 0, 9003));
    log0('fault', { kind: 'garbage' });
  }
}
function log0(event, extra) { write(Object.assign({ session: 0, event }, extra)); }

function two(n) { return String(n).padStart(2, '0'); }
function smppDate(d) {
  return two(d.getUTCFullYear() % 100) + two(d.getUTCMonth() + 1) + two(d.getUTCDate()) +
         two(d.getUTCHours()) + two(d.getUTCMinutes());
}

// The package serves TLS when given a key and a certificate, plain TCP otherwise.
const tlsOptions = opts.tlsCert && opts.tlsKey
  ? { cert: fs.readFileSync(opts.tlsCert), key: fs.readFileSync(opts.tlsKey) }
  : {};
const server = smpp.createServer(tlsOptions, (session) => {
  const sessionId = ++sessionCount;
  let bound = false;
  let boundSystemId = '';
  let enquireTimer = null;
  const log = (event, extra) => write(Object.assign({ session: sessionId, event }, extra || {}));

  session.on('pdu', (pdu) => {
    log('received', { command: pdu.command, command_id: pdu.command_id,
                      command_status: pdu.command_status, sequence: pdu.sequence_number,
                      raw: hex(pdu.raw) });
  });
  // Record what is sent before it is written: the client may act on it (and the test read the
  // record) before node's write callback runs.
  const send = session.send.bind(session);
  session.send = (pdu, ...rest) => {
    if (!session.socket.writable) return false;  // as node's send: nothing goes out
    if (!pdu.isResponse() && !pdu.sequence_number) {
      if (session.sequence === 0x7FFFFFFF) session.sequence = 0;
      pdu.sequence_number = ++session.sequence;
    }
    log('sent', { command: pdu.command, command_status: pdu.command_status,
                  sequence: pdu.sequence_number, message_id: pdu.message_id });
    return send(pdu, ...rest);
  };
  session.on('error', (e) => log('error', { message: String(e && e.message) }));
  session.on('close', () => {
    if (enquireTimer) clearInterval(enquireTimer);
    log('close');
    realism.closed(sessionId);
  });

  const onBind = (pdu) => {
    const ok = pdu.system_id === opts.systemId && pdu.password === opts.password;
    log('bind', { command: pdu.command, system_id: pdu.system_id, system_type: pdu.system_type,
                  interface_version: pdu.interface_version, password_ok: ok });
    if (!ok) {
      session.send(pdu.response({ command_status: smpp.ESME_RINVPASWD }));
      return;
    }
    bound = true;
    boundSystemId = pdu.system_id;
    session.send(pdu.response({ system_id: 'node-smsc' }));
    if (opts.enquireMs > 0) {
      enquireTimer = setInterval(() => session.enquire_link(), opts.enquireMs);
    }
    if (opts.malformedAfterBind || opts.garbageAfterBind) setTimeout(() => sendFaults(session), 20);
    realism.bound(sessionId, session, pdu.system_id, pdu.command);
  };
  session.on('bind_transceiver', onBind);
  session.on('bind_transmitter', onBind);
  session.on('bind_receiver', onBind);

  session.on('submit_sm', (pdu) => {
    const n = ++submitCount;
    const message = describeMessage(pdu);
    log('submit_sm', Object.assign({ n, sequence: pdu.sequence_number }, message));
    if (!bound) {
      session.send(pdu.response({ command_status: smpp.ESME_RINVBNDSTS }));
      return;
    }
    if (strictRate.enabled() && !strictRate.admit(sessionId, boundSystemId)) {
      session.send(pdu.response({ command_status: smpp.ESME_RTHROTTLED }));
      return;
    }
    if (opts.holdFrom > 0 && n >= opts.holdFrom && !dropped) {
      held += 1;
      log('held', { n });
      if (held >= opts.dropAfterHeld) {
        dropped = true;
        log('drop', { held });
        session.destroy();
      }
      return;
    }
    if (opts.throttleCount > 0 && n >= opts.throttleFrom && n < opts.throttleFrom + opts.throttleCount) {
      session.send(pdu.response({ command_status: smpp.ESME_RTHROTTLED }));
      return;
    }
    if (opts.rejectDest.includes(pdu.destination_addr)) {
      session.send(pdu.response({ command_status: smpp.ESME_RINVDSTADR }));
      return;
    }
    const id = nextId++;
    session.send(pdu.response({ message_id: id.toString(16) }));
    const submitted = new Date();
    // Receipts (and MO replies) by tests/smsc/realism.js: late, lost or repeated as asked.
    realism.accepted(sessionId, pdu, id.toString(16), () =>
      `id:${id} sub:001 dlvrd:001 submit date:${smppDate(submitted)} ` +
      `done date:${smppDate(new Date())} stat:DELIVRD err:000 text:`);
  });

  session.on('enquire_link', (pdu) => session.send(pdu.response()));
  session.on('unbind', (pdu) => {
    log('unbind');
    session.send(pdu.response());
    session.close();
  });
  session.on('unknown', (pdu) => session.send(pdu.response()));
});

server.listen(opts.port, '127.0.0.1', () => {
  process.stdout.write(`node-smsc on 127.0.0.1:${server.address().port}\n`);
});

const stop = () => server.close(() => process.exit(0));
process.on('SIGTERM', () => { for (const s of server.sessions.slice()) s.destroy(); stop(); setTimeout(() => process.exit(0), 500).unref(); });
process.on('SIGINT', () => process.exit(0));
