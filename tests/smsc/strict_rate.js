// SPDX-License-Identifier: Apache-2.0
// A strict SMSC's rate check for smsc.js: at most N submit_sm accepted in any sliding second,
// counted on arrival (when node hands the PDU to the handler), as a real SMSC enforcing a
// per-account throughput does. Above it the submit is answered ESME_RTHROTTLED and does not count
// (it was not accepted). The scope is one bind ('bind') or every bind of one system_id together
// ('system'). Every arrival is recorded as
//   {"event": "arrival", "session", "system_id", "accepted": bool, "arrival_ms"}
// on the same clock as the record's t_ms, so a test can count accepted arrivals in any window.
'use strict';

class StrictRate {
  // maxPerSecond: N (0 disables the check); scope: 'bind' or 'system'; nowMs(): the record's
  // clock in ms; log(entry): writes one record line.
  constructor(maxPerSecond, scope, nowMs, log) {
    if (scope !== 'bind' && scope !== 'system') {
      throw new Error(`--rate-scope must be bind or system, not ${scope}`);
    }
    this.max = maxPerSecond;
    this.scope = scope;
    this.nowMs = nowMs;
    this.log = log;
    this.accepted = new Map();  // scope key -> arrival times (ms) accepted in the last second
  }

  enabled() { return this.max > 0; }

  // True when the submit_sm arriving now on `sessionId` bound as `systemId` may be accepted.
  admit(sessionId, systemId) {
    const now = this.nowMs();
    const key = this.scope === 'bind' ? `bind:${sessionId}` : `system:${systemId}`;
    let times = this.accepted.get(key);
    if (!times) {
      times = [];
      this.accepted.set(key, times);
    }
    // The sliding second ending now holds the arrivals after now - 1000 ms.
    while (times.length && times[0] <= now - 1000) times.shift();
    const ok = times.length < this.max;
    if (ok) times.push(now);
    this.log({ session: sessionId, event: 'arrival', system_id: systemId, accepted: ok,
               arrival_ms: now });
    return ok;
  }
}

module.exports = { StrictRate };
