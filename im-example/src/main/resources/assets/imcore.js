/**
 * imcore.js: the browser client of ImCore (a plain ES module, no dependency, no build step).
 *
 * A terminal only receives on its WebSocket: everything the user does goes to the business backend over
 * HTTP. This client
 *  - asks the backend for a fresh one-time URL (`getUrl`, which calls ImHelper.prevConnectServer) before
 *    every connect and reconnect;
 *  - parses the frames of PROTOCOL.md section 3 (hello, msg, chan, receipt, pong, error) and hands them to
 *    callbacks;
 *  - reconnects by itself after a close or a network loss, with exponential backoff and jitter (bounded);
 *    after close code 1001 (node stopping or draining) after a short random delay; never after 1008
 *    (kicked by forceOffline) or after close(); for `lossWindow` ms after an open connection is lost
 *    abnormally (close 1006 or no pong: a node killed or cut off) no delay exceeds `lossMaxDelay`, so the
 *    page is back soon after the cluster gives it another node;
 *  - sends a `ping` frame every `heartbeat` seconds (from `hello`) and treats a ping left without `pong`
 *    until the next one as a dead connection;
 *  - calls `onOpen(hello, {reconnected, resumed})` after every connect, so the app can re-join its channels:
 *    the node drops a client's channels when its last connection closes;
 *  - acknowledges what it received (`&acks=1`, PROTOCOL.md section 3.1: batched, at most every `ackDelay` ms
 *    or every `ackEvery` frames), so receipts mean "the device has it", and resumes its session on every
 *    reconnect (`&session=…&seq=…` appended to the fresh URL): missed frames arrive once, in order; when the
 *    node could not resume (`resumed: false`) it calls `onResumeFailed(hello)`: re-read from the backend.
 *
 * @example
 * import { ImCoreClient } from '/imcore.js';
 * const im = new ImCoreClient({
 *   getUrl: async () => {
 *     const res = await fetch('/api/pre-connect', { method: 'POST',
 *       headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ clientId: 'alice' }) });
 *     if (!res.ok) throw new Error(`pre-connect: ${res.status}`);
 *     return (await res.json()).url;
 *   },
 *   onOpen: (hello, { reconnected }) => { if (reconnected) rejoinMyChannels(); },
 *   onMessage: (f) => console.log(`${f.from || 'system'}:`, f.data),
 *   onChannelMessage: (f) => console.log(`#${f.chan} ${f.from}:`, f.data),
 *   onReceipt: (f) => console.log(`message ${f.id} to ${f.to}: ${f.status}`),
 *   onStateChange: (state, info) => console.log(state, info),
 * });
 * im.connect();
 */

/** Close codes of PROTOCOL.md section 3 that change what the client does. */
export const CloseCodes = Object.freeze({
  NORMAL: 1000,
  GOING_AWAY: 1001,
  ABNORMAL: 1006,
  POLICY: 1008,
  TOO_BIG: 1009,
  INTERNAL_ERROR: 1011,
});

/** The client's states, as passed to onStateChange. */
export const States = Object.freeze({
  IDLE: 'idle',             // made, connect() not called yet
  CONNECTING: 'connecting', // fetching a URL or opening the socket, waiting for hello
  OPEN: 'open',             // hello received
  WAITING: 'waiting',       // closed, a reconnect is scheduled (info.delay ms)
  KICKED: 'kicked',         // closed with 1008: stays disconnected until connect() is called again
  CLOSED: 'closed',         // close() was called
});

const DEFAULTS = Object.freeze({
  minDelay: 500,          // first reconnect delay (ms)
  maxDelay: 30000,        // backoff cap (ms)
  goingAwayMinDelay: 250, // after 1001: a random delay in [goingAwayMinDelay, goingAwayMaxDelay] (ms)
  goingAwayMaxDelay: 2000,
  stableAfter: 10000,     // an open connection this old resets the backoff (ms)
  lossMaxDelay: 2000,     // after an abnormal loss of an open connection: backoff cap (ms) ...
  lossWindow: 15000,      // ... for this long from the loss (ms)
  helloTimeout: 10000,    // no hello this long after opening the socket: give up on it and retry (ms)
  defaultHeartbeat: 25,   // seconds, when hello has none
  acks: true,             // ask for acks mode and resume (PROTOCOL.md section 3.1)
  ackDelay: 100,          // an ack at most this long after the first unacked frame (ms)
  ackEvery: 32,           // ... or at once when this many frames are unacked
});

const noop = () => {};

/** One terminal connection to an ImCore node, kept alive across node restarts and network losses. */
export class ImCoreClient {
  /**
   * @param {object} options
   * @param {() => Promise<string>} options.getUrl returns a fresh ws:// URL with a one-time token
   * @param {(hello: object, info: {reconnected: boolean, resumed: boolean}) => void} [options.onOpen] after
   *   every hello
   * @param {(hello: object) => void} [options.onResumeFailed] after a hello that could not resume the session:
   *   frames may have been missed, re-read from the backend
   * @param {(frame: object) => void} [options.onMessage] `msg` frames (private and broadcast messages)
   * @param {(frame: object) => void} [options.onChannelMessage] `chan` frames
   * @param {(frame: object) => void} [options.onReceipt] `receipt` frames
   * @param {(frame: object) => void} [options.onError] `error` frames (a frame the node did not accept)
   * @param {(state: string, info: object) => void} [options.onStateChange] see States
   * @param {number} [options.minDelay] first reconnect delay, ms (500)
   * @param {number} [options.maxDelay] largest reconnect delay, ms (30000)
   * @param {number} [options.lossMaxDelay] largest reconnect delay within `lossWindow` of an abnormal loss of an
   *   open connection (close 1006, no pong), ms (2000)
   * @param {number} [options.lossWindow] how long that smaller cap holds from the loss, ms (15000)
   */
  constructor(options) {
    if (!options || typeof options.getUrl !== 'function') {
      throw new TypeError('ImCoreClient needs options.getUrl, a function returning the WebSocket URL');
    }
    this.options = { ...DEFAULTS, ...options };
    this.state = States.IDLE;
    this.hello = null;
    this.attempt = 0;        // failed attempts since the last stable connection
    this.connections = 0;    // hellos received so far
    this.ws = null;
    this.timers = { retry: null, hello: null, ping: null, stable: null, ack: null };
    this.session = null;     // the node's session of this client, from hello
    this.seq = 0;            // the last sequence number received, every one before it too
    this.unacked = 0;        // frames received since the last ack
    this.awaitingPong = false;
    this.lossUntil = 0;      // until then (Date.now() ms) the backoff is capped at lossMaxDelay
    this.generation = 0;     // bumps on every connect/close so stale callbacks do nothing
    this.onNetworkBack = () => {
      if (this.state === States.WAITING) {
        this.#clearTimer('retry');
        this.#open();
      }
    };
  }

  /** Connects (again after a kick or close()); does nothing while connecting or open. */
  connect() {
    if (this.state === States.CONNECTING || this.state === States.OPEN || this.state === States.WAITING) {
      return;
    }
    this.attempt = 0;
    if (typeof window !== 'undefined') {
      window.addEventListener('online', this.onNetworkBack);
    }
    this.#open();
  }

  /** Closes for good: no reconnect until connect() is called again. */
  close() {
    this.generation++;
    this.#stopTimers();
    this.#detach(1000, 'client closed');
    if (typeof window !== 'undefined') {
      window.removeEventListener('online', this.onNetworkBack);
    }
    this.#setState(States.CLOSED, {});
  }

  /** The client id from the current hello, or null. */
  get clientId() {
    return this.hello ? this.hello.clientId : null;
  }

  async #open() {
    const generation = ++this.generation;
    this.#setState(States.CONNECTING, { attempt: this.attempt });
    let url;
    try {
      url = await this.options.getUrl();
    } catch (e) {
      if (generation === this.generation) {
        this.#retry(this.#backoff(), { reason: `getUrl failed: ${e && e.message ? e.message : e}` });
      }
      return;
    }
    if (generation !== this.generation) {
      return; // close() or another connect happened meanwhile
    }
    if (this.options.acks) {
      url += '&acks=1';
      if (this.session !== null) {
        url += `&session=${encodeURIComponent(this.session)}&seq=${this.seq}`;
      }
    }
    let ws;
    try {
      ws = new WebSocket(url);
    } catch (e) {
      this.#retry(this.#backoff(), { reason: `bad URL: ${e.message}` });
      return;
    }
    this.ws = ws;
    ws.onmessage = (event) => this.#onFrame(generation, event.data);
    ws.onclose = (event) => this.#onClose(generation, event.code, event.reason);
    ws.onerror = noop; // a close event follows
    this.timers.hello = setTimeout(() => {
      this.timers.hello = null;
      if (generation === this.generation) {
        this.#dead('no hello from the node in time');
      }
    }, this.options.helloTimeout);
  }

  #onFrame(generation, text) {
    if (generation !== this.generation) {
      return;
    }
    let frame;
    try {
      frame = JSON.parse(text);
    } catch (e) {
      return; // the node sends JSON only; ignore anything else
    }
    switch (frame.type) {
      case 'hello':
        this.#onHello(generation, frame);
        break;
      case 'pong':
        this.awaitingPong = false;
        break;
      case 'msg':
        if (this.#numbered(frame)) this.#call('onMessage', frame);
        break;
      case 'chan':
        if (this.#numbered(frame)) this.#call('onChannelMessage', frame);
        break;
      case 'receipt':
        if (this.#numbered(frame)) this.#call('onReceipt', frame);
        break;
      case 'error':
        this.#call('onError', frame);
        break;
      default:
        break; // a newer node's frame: ignore
    }
  }

  /** Records a data frame's seq and schedules the ack; false for a frame already received (never expected). */
  #numbered(frame) {
    if (typeof frame.seq !== 'number') {
      return true; // a node without sessions
    }
    if (frame.seq <= this.seq) {
      return false;
    }
    this.seq = frame.seq;
    if (this.options.acks) {
      this.unacked++;
      if (this.unacked >= this.options.ackEvery) {
        this.#ack();
      } else if (this.timers.ack === null) {
        this.timers.ack = setTimeout(() => { this.timers.ack = null; this.#ack(); }, this.options.ackDelay);
      }
    }
    return true;
  }

  #ack() {
    this.#clearTimer('ack');
    if (this.unacked === 0 || !this.ws || this.ws.readyState !== 1) {
      return;
    }
    this.unacked = 0;
    this.ws.send(JSON.stringify({ type: 'ack', seq: this.seq }));
  }

  #onHello(generation, hello) {
    this.hello = hello;
    const askedToResume = this.options.acks && this.session !== null;
    const resumed = hello.resumed === true;
    if (typeof hello.session === 'string') {
      this.session = hello.session;
      this.seq = Number(hello.seq) || 0;
      this.unacked = 0;
    }
    const reconnected = this.connections > 0;
    this.connections++;
    this.awaitingPong = false;
    this.#clearTimer('hello');
    const heartbeat = Number(hello.heartbeat) > 0 ? Number(hello.heartbeat) : this.options.defaultHeartbeat;
    this.#clearTimer('ping');
    this.timers.ping = setInterval(() => this.#heartbeat(generation), heartbeat * 1000);
    this.#clearTimer('stable');
    this.timers.stable = setTimeout(() => { this.attempt = 0; }, this.options.stableAfter);
    this.#setState(States.OPEN, { node: hello.node, clientId: hello.clientId, reconnected });
    this.#call('onOpen', hello, { reconnected, resumed });
    if (askedToResume && !resumed) {
      this.#call('onResumeFailed', hello);
    }
  }

  #heartbeat(generation) {
    if (generation !== this.generation || !this.ws) {
      return;
    }
    if (this.awaitingPong) {
      // The last ping got no pong within a heartbeat: the node or the network is gone.
      this.#dead('no pong within the heartbeat');
      return;
    }
    this.awaitingPong = true;
    try {
      this.ws.send('{"type":"ping"}');
    } catch (e) {
      this.#dead(`ping failed: ${e.message}`);
    }
  }

  #dead(reason) {
    if (this.state === States.OPEN) {
      this.#lost();
    }
    this.generation++;
    this.#stopTimers();
    this.#detach(1000, reason);
    this.#retry(this.#backoff(), { reason });
  }

  #onClose(generation, code, reason) {
    if (generation !== this.generation) {
      return;
    }
    if (code === CloseCodes.ABNORMAL && this.state === States.OPEN) {
      this.#lost();
    }
    this.generation++;
    this.#stopTimers();
    this.ws = null;
    if (code === CloseCodes.POLICY) {
      if (typeof window !== 'undefined') {
        window.removeEventListener('online', this.onNetworkBack);
      }
      this.#setState(States.KICKED, { code, reason });
      return;
    }
    const delay = code === CloseCodes.GOING_AWAY
      ? this.#between(this.options.goingAwayMinDelay, this.options.goingAwayMaxDelay)
      : this.#backoff();
    this.#retry(delay, { code, reason });
  }

  /**
   * An open connection ended without a close frame or stopped answering pings: its node is probably dead, and the
   * cluster gives the client another one within its lease (8 s with defaults). A window starts (not extended by
   * later losses within it) in which retries stay frequent enough to get there soon after that.
   */
  #lost() {
    const now = Date.now();
    if (now >= this.lossUntil) {
      this.lossUntil = now + this.options.lossWindow;
    }
  }

  /**
   * Exponential backoff with jitter: a random delay in [base/2, base], base = min * 2^attempt, capped at maxDelay
   * (at lossMaxDelay within a loss window).
   */
  #backoff() {
    const cap = Date.now() < this.lossUntil
      ? Math.min(this.options.maxDelay, this.options.lossMaxDelay)
      : this.options.maxDelay;
    const base = Math.min(cap, this.options.minDelay * 2 ** Math.min(this.attempt, 30));
    this.attempt++;
    return this.#between(base / 2, base);
  }

  #between(min, max) {
    return Math.round(min + Math.random() * (max - min));
  }

  #retry(delay, info) {
    this.#clearTimer('retry');
    this.#setState(States.WAITING, { ...info, delay, attempt: this.attempt });
    this.timers.retry = setTimeout(() => {
      this.timers.retry = null;
      this.#open();
    }, delay);
  }

  #detach(code, reason) {
    const ws = this.ws;
    this.ws = null;
    if (!ws) {
      return;
    }
    ws.onmessage = noop;
    ws.onclose = noop;
    try {
      ws.close(code, reason.slice(0, 120));
    } catch (e) {
      // already closing
    }
  }

  #stopTimers() {
    for (const name of Object.keys(this.timers)) {
      this.#clearTimer(name);
    }
    this.awaitingPong = false;
  }

  #clearTimer(name) {
    if (this.timers[name] !== null) {
      clearTimeout(this.timers[name]);
      clearInterval(this.timers[name]);
      this.timers[name] = null;
    }
  }

  #setState(state, info) {
    this.state = state;
    this.#call('onStateChange', state, info);
  }

  #call(name, ...args) {
    const callback = this.options[name];
    if (typeof callback !== 'function') {
      return;
    }
    try {
      callback(...args);
    } catch (e) {
      console.error(`imcore.js: ${name} threw`, e);
    }
  }
}
