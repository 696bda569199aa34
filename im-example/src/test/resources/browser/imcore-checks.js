// Run by BrowserImcoreJsTest with executeAsyncScript on the demo page: drives imcore.js against a scripted
// fake WebSocket (installed as window.WebSocket) and reports what the client did, as JSON.
const done = arguments[arguments.length - 1];

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

class FakeSocket {
  static script = () => {};
  static all = [];
  constructor(url) {
    this.url = url;
    this.sent = [];
    this.closedByClient = null;
    FakeSocket.all.push(this);
    setTimeout(() => FakeSocket.script(this), 0);
  }
  send(text) { this.sent.push(text); if (this.onsend) this.onsend(text); }
  close(code, reason) { this.closedByClient = { code, reason }; }
  frame(obj) { if (this.onmessage) this.onmessage({ data: JSON.stringify(obj) }); }
  drop(code) { if (this.onclose) this.onclose({ code, reason: '' }); }
}

function client(imcore, extra = {}) {
  const record = { states: [], opens: [], urls: 0 };
  const im = new imcore.ImCoreClient({
    getUrl: async () => { record.urls++; return 'ws://fake/ws?token=t' + record.urls; },
    onStateChange: (state, info) => record.states.push({ state, ...info }),
    onOpen: (hello, info) => record.opens.push(info.reconnected),
    ...extra,
  });
  return { im, record };
}

const hello = (heartbeat) => ({ v: 1, type: 'hello', clientId: 'c', node: 'n', heartbeat });

async function missingPong(imcore) {
  FakeSocket.all = [];
  FakeSocket.script = (ws) => ws.frame(hello(0.1)); // never answers a ping
  const { im, record } = client(imcore, { minDelay: 5000 });
  im.connect();
  await sleep(600);
  im.close();
  const first = FakeSocket.all[0];
  return {
    pingsSent: first.sent.filter((t) => t === '{"type":"ping"}').length,
    closedByClient: first.closedByClient,
    waiting: record.states.find((s) => s.state === 'waiting') || null,
  };
}

async function pongsKeepItOpen(imcore) {
  FakeSocket.all = [];
  FakeSocket.script = (ws) => {
    ws.onsend = (text) => { if (text === '{"type":"ping"}') ws.frame({ v: 1, type: 'pong', ts: 1 }); };
    ws.frame(hello(0.1));
  };
  const { im, record } = client(imcore);
  im.connect();
  await sleep(700);
  const state = im.state;
  im.close();
  return { state, pings: FakeSocket.all[0].sent.length, sockets: FakeSocket.all.length, urls: record.urls };
}

async function backoff(imcore) {
  const delays = [];
  let calls = 0;
  const im = new imcore.ImCoreClient({
    getUrl: async () => { calls++; throw new Error('backend down'); },
    onStateChange: (state, info) => { if (state === 'waiting') delays.push({ delay: info.delay, reason: info.reason }); },
    minDelay: 10,
    maxDelay: 80,
  });
  im.connect();
  while (delays.length < 8) await sleep(20);
  im.close();
  return { delays, calls };
}

async function lossCapsBackoff(imcore) {
  FakeSocket.all = [];
  let lostAt = null;
  FakeSocket.script = (ws) => {
    if (FakeSocket.all.length === 1) {
      ws.frame(hello(25));
      setTimeout(() => { lostAt = Date.now(); ws.drop(1006); }, 10);
    } else {
      ws.drop(1006); // the dead node's URL again: refused
    }
  };
  const delays = [];
  const { im } = client(imcore, {
    minDelay: 10, maxDelay: 5000, lossMaxDelay: 40, lossWindow: 500,
    onStateChange: (state, info) => {
      if (state === 'waiting') delays.push({ delay: info.delay, after: Date.now() - lostAt });
    },
  });
  im.connect();
  await sleep(1200);
  im.close();
  return { delays };
}

async function kicked(imcore) {
  FakeSocket.all = [];
  FakeSocket.script = (ws) => { ws.frame(hello(25)); setTimeout(() => ws.drop(1008), 10); };
  const { im, record } = client(imcore, { minDelay: 10 });
  im.connect();
  await sleep(500);
  const state = im.state;
  im.close();
  return { state, urls: record.urls, sockets: FakeSocket.all.length };
}

async function goingAway(imcore) {
  FakeSocket.all = [];
  FakeSocket.script = (ws) => {
    ws.frame(hello(25));
    if (FakeSocket.all.length === 1) setTimeout(() => ws.drop(1001), 10);
  };
  const { im, record } = client(imcore, { goingAwayMinDelay: 30, goingAwayMaxDelay: 60 });
  im.connect();
  await sleep(400);
  const state = im.state;
  im.close();
  return { state, opens: record.opens, urls: record.urls,
    waiting: record.states.find((s) => s.state === 'waiting') || null };
}

async function closeStops(imcore) {
  FakeSocket.all = [];
  FakeSocket.script = (ws) => ws.frame(hello(25));
  const { im, record } = client(imcore, { minDelay: 10 });
  im.connect();
  await sleep(50);
  im.close();
  await sleep(200);
  return { state: im.state, urls: record.urls, closedByClient: FakeSocket.all[0].closedByClient };
}

(async () => {
  window.WebSocket = FakeSocket;
  const imcore = await import('/imcore.js');
  return {
    missingPong: await missingPong(imcore),
    pongsKeepItOpen: await pongsKeepItOpen(imcore),
    backoff: await backoff(imcore),
    lossCapsBackoff: await lossCapsBackoff(imcore),
    kicked: await kicked(imcore),
    goingAway: await goingAway(imcore),
    closeStops: await closeStops(imcore),
  };
})().then((result) => done(JSON.stringify(result)), (e) => done(JSON.stringify({ error: String(e && e.stack || e) })));
