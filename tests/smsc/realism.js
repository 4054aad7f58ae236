// SPDX-License-Identifier: Apache-2.0
// What makes smsc.js answer like a real SMSC after the submit: delivery receipts that come late
// (a seeded spread), some never, some twice; and mobile-originated messages (replies, STOP) on
// request. Receipts and MO messages go to the session that submitted when it is still bound, else
// to any bound receiving session (transceiver or receiver) of the same system_id, else they wait
// for the next bind; a deliver_sm whose deliver_sm_resp never came (the connection went) is sent
// again on a later bind, as an SMSC retries what it does not know to be delivered.
//
// Options (all optional):
//   --dlr-delay-min-ms A --dlr-delay-max-ms B  each receipt waits a uniform A..B ms (else
//                                              --dlr-delay-ms, fixed)
//   --dlr-lose-percent P                       P% of receipts are never sent
//   --dlr-repeat-percent P                     P% of receipts are sent twice (the copy later)
//   --seed S                                   the random draws above (default 1)
//   --mo-after-submit N --mo-text T            after every Nth accepted submit_sm, the handset
//                                              replies T (repeat --mo-text: used in turn)
//   --mo-inject FILE                           each JSON line appended to FILE,
//                                              {"from": "...", "to": "...", "text": "..."},
//                                              becomes an MO deliver_sm
// Records: {"event": "dlr_plan", "message_id", "lost", "delays_ms": [...]},
//          {"event": "dlr_sent", "message_id", "copy"}, {"event": "dlr_acked", "message_id"},
//          {"event": "mo_sent", "from", "to", "text", "data_coding"}, {"event": "mo_acked", ...}.
'use strict';

const fs = require('fs');
const smppDefs = require('smpp/lib/defs');

// mulberry32: small, seeded, good enough to spread delays.
function seededRandom(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6D2B79F5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const OPTION_NAMES = {
  '--dlr-delay-min-ms': ['dlrDelayMinMs', Number], '--dlr-delay-max-ms': ['dlrDelayMaxMs', Number],
  '--dlr-lose-percent': ['dlrLosePercent', Number],
  '--dlr-repeat-percent': ['dlrRepeatPercent', Number], '--seed': ['seed', Number],
  '--mo-after-submit': ['moAfterSubmit', Number], '--mo-inject': ['moInject', String],
};

// Takes this module's options out of `argv` (modified in place) into a new options object.
function takeOptions(argv) {
  const opts = { dlrDelayMinMs: -1, dlrDelayMaxMs: -1, dlrLosePercent: 0, dlrRepeatPercent: 0,
                 seed: 1, moAfterSubmit: 0, moTexts: [], moInject: null };
  for (let i = 2; i + 1 < argv.length;) {
    if (argv[i] === '--mo-text') {
      opts.moTexts.push(argv[i + 1]);
      argv.splice(i, 2);
    } else if (OPTION_NAMES[argv[i]]) {
      const [key, convert] = OPTION_NAMES[argv[i]];
      opts[key] = convert(argv[i + 1]);
      argv.splice(i, 2);
    } else {
      i += 2;
    }
  }
  if (opts.moAfterSubmit > 0 && opts.moTexts.length === 0) opts.moTexts.push('STOP');
  return opts;
}

// The coding node's encoder will use for `text`, as an SMSC would pick it.
function codingOf(text) {
  const kind = smppDefs.encodings.detect(text);  // 'ASCII' (GSM 03.38), 'LATIN1' or 'UCS2'
  if (kind === 'LATIN1') return 0x03;
  if (kind === 'UCS2') return 0x08;
  return 0x00;
}

class Realism {
  // fixedDelayMs: --dlr-delay-ms; systemId: the account injected messages go to;
  // log(sessionId, event, extra) writes one record line.
  constructor(opts, fixedDelayMs, systemId, log) {
    this.opts = opts;
    this.fixedDelayMs = fixedDelayMs;
    this.systemId = systemId;
    this.log = log;
    this.random = seededRandom(opts.seed);
    this.sessions = new Map();  // id -> {session, systemId, receives, pending: Map}
    this.nextItem = 0;
    this.waiting = [];           // {systemId, options, record} for the next bind
    this.acceptedCount = 0;
    this.moTurn = 0;
    if (opts.moInject) this.watchInject(opts.moInject);
  }

  bound(sessionId, session, systemId, command) {
    this.sessions.set(sessionId, { session, systemId, receives: command !== 'bind_transmitter',
                                   pending: new Map() });
    const now = this.waiting.filter((w) => w.systemId === systemId);
    this.waiting = this.waiting.filter((w) => w.systemId !== systemId);
    for (const w of now) this.deliver(sessionId, w);
  }

  // What the session was sent and did not answer goes out again, elsewhere or later.
  closed(sessionId) {
    const s = this.sessions.get(sessionId);
    this.sessions.delete(sessionId);
    if (s) for (const item of s.pending.values()) this.deliver(-1, item);
  }

  // An accepted submit_sm: plan its receipt (if it asked for one) and maybe a reply.
  accepted(sessionId, pdu, messageId, receiptText) {
    const systemId = this.sessions.has(sessionId) ? this.sessions.get(sessionId).systemId : '';
    this.acceptedCount += 1;
    if ((pdu.registered_delivery & 0x03) !== 0) {
      this.planReceipt(sessionId, systemId, pdu, messageId, receiptText);
    }
    if (this.opts.moAfterSubmit > 0 && this.acceptedCount % this.opts.moAfterSubmit === 0) {
      const text = this.opts.moTexts[this.moTurn++ % this.opts.moTexts.length];
      this.sendMo(sessionId, systemId, pdu.destination_addr, pdu.source_addr, text);
    }
  }

  planReceipt(sessionId, systemId, pdu, messageId, receiptText) {
    const o = this.opts;
    const draw = () => {
      if (o.dlrDelayMinMs < 0 || o.dlrDelayMaxMs < 0) return this.fixedDelayMs;
      return Math.round(o.dlrDelayMinMs + this.random() * (o.dlrDelayMaxMs - o.dlrDelayMinMs));
    };
    const lost = this.random() * 100 < o.dlrLosePercent;
    const delays = [draw()];
    if (!lost && this.random() * 100 < o.dlrRepeatPercent) delays.push(delays[0] + draw());
    this.log(sessionId, 'dlr_plan', { message_id: messageId, lost, delays_ms: lost ? [] : delays });
    if (lost) return;
    delays.forEach((delay, copy) => setTimeout(() => {
      const options = {
        source_addr: pdu.destination_addr, destination_addr: pdu.source_addr, esm_class: 0x04,
        data_coding: 0, short_message: Buffer.from(receiptText(), 'ascii'),
      };
      const record = { kind: 'dlr', message_id: messageId, copy };
      this.deliver(sessionId, { systemId, options, record });
    }, delay));
  }

  sendMo(sessionId, systemId, from, to, text) {
    const options = {
      source_addr_ton: 1, source_addr_npi: 1, source_addr: from, dest_addr_ton: 0,
      dest_addr_npi: 0, destination_addr: to, esm_class: 0, data_coding: codingOf(text),
      short_message: text,
    };
    this.deliver(sessionId, { systemId, options, record: { kind: 'mo', from, to, text,
                                                             data_coding: options.data_coding } });
  }

  // Sends on `preferred` when it can still receive, else on another bound receiving session of
  // the system, else waits for a bind. Unanswered on a connection that went: sent again.
  deliver(preferred, item) {
    let id = preferred;
    let target = this.sessions.get(id);
    if (!target || !target.receives || target.systemId !== item.systemId) {
      id = [...this.sessions.keys()].find((k) => {
        const s = this.sessions.get(k);
        return s.receives && s.systemId === item.systemId;
      });
      target = id === undefined ? undefined : this.sessions.get(id);
    }
    if (!target) {
      this.waiting.push(item);
      return;
    }
    const { kind, ...fields } = item.record;
    const key = this.nextItem++;
    target.pending.set(key, item);
    const sent = target.session.deliver_sm(Object.assign({}, item.options), (resp) => {
      target.pending.delete(key);
      this.log(id, `${kind}_acked`, Object.assign({ command_status: resp.command_status }, fields));
    });
    if (!sent) {
      target.pending.delete(key);
      this.waiting.push(item);
      return;
    }
    this.log(id, `${kind}_sent`, fields);
  }

  // Polls `file` for new JSON lines (from a test) and sends each as an MO message.
  watchInject(file) {
    let offset = 0;
    let partial = '';
    setInterval(() => {
      let text;
      try {
        const buffer = fs.readFileSync(file);
        text = buffer.subarray(offset).toString('utf8');
        offset = buffer.length;
      } catch (e) {
        return;  // not written yet
      }
      const lines = (partial + text).split('\n');
      partial = lines.pop();
      for (const line of lines.filter((l) => l.trim())) {
        const m = JSON.parse(line);
        this.sendMo(-1, m.system_id || this.systemId, m.from, m.to, m.text);
      }
    }, 50).unref();
  }
}

module.exports = { Realism, takeOptions };
