// The demo chat page. Every action is an HTTP call to the business app (/api/…); the WebSocket of
// imcore.js only receives. Text from others is always inserted with textContent, never as HTML.
import { ImCoreClient, States } from './imcore.js';

const $ = (id) => document.getElementById(id);
const REFRESH_MS = 5000;

const page = {
  me: null,
  im: null,
  joined: new Set(),          // channels this page chose; re-joined after every reconnect
  earlyReceipts: new Map(),   // receipts that arrived before the send call returned the message id
  seen: new Set(),            // every user seen online since the page opened: stays a private target offline
  refreshTimer: null,
};

/** Calls the business app; resolves with the JSON answer or rejects with its reason. */
async function api(method, path, body) {
  const init = { method, headers: {} };
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const res = await fetch(path, init);
  const text = await res.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch (e) { /* not JSON */ }
  if (!res.ok) {
    throw new Error((json && json.message) || `${res.status} ${res.statusText}`);
  }
  return json;
}

// ---- the log -------------------------------------------------------------------------------------

function entry(type, attrs = {}) {
  const li = document.createElement('li');
  li.dataset.type = type;
  li.className = type;
  for (const [k, v] of Object.entries(attrs)) li.dataset[k] = v;
  const time = document.createElement('span');
  time.className = 'meta';
  time.textContent = new Date().toLocaleTimeString();
  li.append(time);
  return li;
}

function span(className, text) {
  const s = document.createElement('span');
  s.className = className;
  s.textContent = text;
  return s;
}

function append(li) {
  const log = $('log');
  const atBottom = log.scrollHeight - log.scrollTop - log.clientHeight < 40;
  log.append(li);
  if (atBottom) log.scrollTop = log.scrollHeight;
}

function notice(text, kind = 'notice') {
  const li = entry(kind);
  li.classList.add('notice');
  li.append(span('text', text));
  append(li);
}

function receiptBadge(li, id) {
  const badge = span('receipt', 'sending…');
  badge.dataset.status = 'sending';
  li.append(badge);
  if (id) attachId(li, id);
  return badge;
}

function attachId(li, id) {
  li.dataset.id = id;
  const early = page.earlyReceipts.get(id);
  if (early) {
    page.earlyReceipts.delete(id);
    showReceipt(li, early);
  }
}

function showReceipt(li, frame) {
  const badge = li.querySelector('.receipt');
  if (!badge) return;
  badge.dataset.status = frame.status;
  // with imcore.js on the other side, "delivered" means its browser acknowledged the message
  badge.textContent = frame.status === 'delivered' ? 'delivered ✓' : 'offline: not delivered';
  badge.title = frame.status === 'delivered' ? 'the other browser has it' : '';
}

/** The send call returned: the node has the message; ✓ comes when the receiver's browser has it. */
function showSent(li) {
  const badge = li.querySelector('.receipt');
  if (badge && badge.dataset.status === 'sending') {
    badge.dataset.status = 'sent';
    badge.textContent = 'sent';
  }
}

function describeSize(size) {
  if (!(size >= 0)) return '';
  if (size < 1024) return ` (${size} B)`;
  if (size < 1024 * 1024) return ` (${(size / 1024).toFixed(1)} KiB)`;
  return ` (${(size / 1024 / 1024).toFixed(1)} MiB)`;
}

// ---- frames from the node ------------------------------------------------------------------------

function onChannelMessage(frame) {
  if (frame.data && frame.data.kind === 'presence') { // the demo sends them to the lobby, where every page is
    onPresence(frame.data);
    return;
  }
  const li = entry('chan', { chan: frame.chan, id: frame.id, from: frame.from });
  li.append(span('chan-tag', `#${frame.chan}`), span('from', frame.from || 'system'),
    span('text', textOf(frame.data)));
  append(li);
}

function onPresence(data) {
  const li = entry('presence', { client: data.clientId, status: data.status });
  li.classList.add('notice');
  li.append(span('text', `${data.clientId} is ${data.status}`
    + (data.status === 'offline' && data.reason && data.reason !== 'disconnect' ? ` (${data.reason})` : '')));
  append(li);
  refresh();
  setTimeout(refresh, 1000); // a page joins its channels just after it comes online
}

function onMessage(frame) {
  const data = frame.data;
  if (data && data.kind === 'file') {
    onFileNotice(frame, data);
    return;
  }
  const li = entry('msg', { id: frame.id, from: frame.from });
  if (frame.from) li.classList.add('private');
  li.append(span('from', frame.from || 'system'), span('text', textOf(data)));
  append(li);
}

function onFileNotice(frame, data) {
  const li = entry('file', { id: frame.id, from: frame.from, status: data.status, fileId: data.fileId });
  li.append(span('from', frame.from));
  if (data.status === 'transferring') {
    li.append(span('text', `is sending you ${data.name}${describeSize(data.size)}… transferring`));
  } else if (data.status === 'done') {
    li.append(span('text', `sent you a file: `));
    const a = document.createElement('a');
    a.href = data.url;
    a.textContent = data.name;
    a.setAttribute('download', data.name);
    li.append(a, span('meta', describeSize(data.size) + ' done'));
  } else {
    li.append(span('text', `could not send you ${data.name}: the transfer failed`));
  }
  append(li);
}

function onReceipt(frame) {
  const li = document.querySelector(`#log li[data-id="${CSS.escape(frame.id)}"]`);
  if (li) {
    showReceipt(li, frame);
  } else {
    page.earlyReceipts.set(frame.id, frame);
  }
}

function textOf(data) {
  if (data && typeof data === 'object' && typeof data.text === 'string') return data.text;
  return typeof data === 'string' ? data : JSON.stringify(data);
}

function onStateChange(state, info) {
  const status = $('status');
  status.dataset.state = state;
  switch (state) {
    case States.CONNECTING:
      status.textContent = 'connecting…';
      break;
    case States.OPEN:
      status.textContent = `connected as ${info.clientId} · node ${info.node}`;
      break;
    case States.WAITING:
      status.textContent = `reconnecting in ${(info.delay / 1000).toFixed(1)} s`;
      if (info.code === 1001) notice('The node is restarting; reconnecting…');
      break;
    case States.KICKED:
      status.textContent = 'disconnected by the server';
      notice('You were disconnected by the server (kicked) and will not reconnect automatically.', 'kicked');
      $('reconnect').hidden = false;
      break;
    case States.CLOSED:
      status.textContent = 'not connected';
      break;
    default:
      status.textContent = state;
  }
}

async function onOpen(hello, { reconnected, resumed }) {
  $('reconnect').hidden = true;
  if (!reconnected) {
    notice(`Connected to node ${hello.node} as ${hello.clientId}.`, 'connected');
  } else if (resumed) {
    // the node replays what we missed, once and in order, right after this hello
    notice(`Reconnected to node ${hello.node}; messages sent meanwhile follow.`, 'reconnected');
  } else {
    notice(`Reconnected to node ${hello.node}. Messages sent while this page was away may be missing.`,
      'reconnected');
  }
  if (!reconnected && page.joined.size === 0) {
    // First visit: remember channels joined earlier under this nickname, or start in the first default one.
    try {
      const channels = await api('GET', `/api/channels?clientId=${encodeURIComponent(page.me)}`);
      channels.filter((c) => c.joined).forEach((c) => page.joined.add(c.chan));
      if (page.joined.size === 0 && channels.length > 0) page.joined.add(channels[0].chan);
    } catch (e) {
      notice(`Could not list channels: ${e.message}`, 'error');
    }
  }
  if (!resumed) {
    // A new session: the node left our channels when the previous one ended, join them again.
    await Promise.all([...page.joined].map((chan) =>
      api('POST', '/api/join', { clientId: page.me, chan })
        .catch((e) => notice(`Could not join #${chan}: ${e.message}`, 'error'))));
  }
  await refresh();
}

// ---- lists ---------------------------------------------------------------------------------------

async function refresh() {
  if (!page.me) return;
  try {
    const [channels, users] = await Promise.all([
      api('GET', `/api/channels?clientId=${encodeURIComponent(page.me)}`),
      api('GET', '/api/online'),
    ]);
    renderChannels(channels);
    renderUsers(users);
    renderTargets(users);
  } catch (e) {
    // keep the last lists; the next refresh tries again
  }
}

function renderChannels(channels) {
  const ul = $('channels');
  ul.replaceChildren();
  for (const c of channels) {
    const joined = page.joined.has(c.chan);
    const li = document.createElement('li');
    li.dataset.chan = c.chan;
    li.dataset.online = String(c.online);
    if (joined) li.classList.add('joined');
    const button = document.createElement('button');
    button.type = 'button';
    button.className = joined ? 'secondary' : '';
    button.textContent = joined ? 'Leave' : 'Join';
    button.addEventListener('click', () => (joined ? leave(c.chan) : join(c.chan)));
    li.append(span('name', `#${c.chan}`), span('count', `${c.online} online`), button);
    ul.append(li);
  }
}

function renderUsers(users) {
  const ul = $('users');
  ul.replaceChildren();
  for (const id of users) {
    const li = document.createElement('li');
    li.dataset.client = id;
    li.append(span('name', id));
    if (id === page.me) {
      li.append(span('you', 'you'));
    } else {
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'secondary';
      button.textContent = 'Message';
      button.addEventListener('click', () => {
        $('target').value = `user:${id}`;
        $('text').focus();
      });
      li.append(button);
    }
    ul.append(li);
  }
}

function renderTargets(users) {
  const select = $('target');
  const previous = select.value;
  select.replaceChildren();
  const channels = document.createElement('optgroup');
  channels.label = 'Channels';
  [...page.joined].sort().forEach((chan) => channels.append(new Option(`#${chan}`, `chan:${chan}`)));
  const people = document.createElement('optgroup');
  people.label = 'Private';
  users.forEach((u) => page.seen.add(u));
  if (previous.startsWith('user:')) page.seen.add(previous.slice(5));
  // users who went offline stay selectable: a message to one of them gets the "offline" receipt
  const online = new Set(users);
  [...page.seen].filter((u) => u !== page.me).sort().forEach((u) =>
    people.append(new Option(online.has(u) ? `@${u}` : `@${u} (offline)`, `user:${u}`)));
  select.append(channels, people);
  if ([...select.options].some((o) => o.value === previous)) select.value = previous;
}

// ---- actions -------------------------------------------------------------------------------------

async function join(chan) {
  try {
    await api('POST', '/api/join', { clientId: page.me, chan });
    page.joined.add(chan);
    notice(`You joined #${chan}.`, 'joined');
    await refresh();
    $('target').value = `chan:${chan}`;
  } catch (e) {
    notice(`Could not join #${chan}: ${e.message}`, 'error');
  }
}

async function leave(chan) {
  try {
    await api('POST', '/api/leave', { clientId: page.me, chan });
    page.joined.delete(chan);
    notice(`You left #${chan}.`, 'left');
    await refresh();
  } catch (e) {
    notice(`Could not leave #${chan}: ${e.message}`, 'error');
  }
}

async function send(target, text) {
  if (target.startsWith('chan:')) {
    await api('POST', '/api/send-channel', { from: page.me, chan: target.slice(5), text });
    return; // the channel message comes back to us through the node, like to every member
  }
  const to = target.slice(5);
  const li = entry('sent', { to });
  li.append(span('from', `to ${to}`), span('text', text));
  receiptBadge(li);
  append(li);
  try {
    const sent = await api('POST', '/api/send', { from: page.me, to, text });
    showSent(li);
    attachId(li, sent.id);
  } catch (e) {
    li.querySelector('.receipt').textContent = `not sent: ${e.message}`;
    li.querySelector('.receipt').dataset.status = 'error';
  }
}

async function sendFile(to, file) {
  const li = entry('sent-file', { to });
  li.append(span('from', `to ${to}`), span('text', `file ${file.name}${describeSize(file.size)}`));
  receiptBadge(li);
  append(li);
  try {
    const query = new URLSearchParams({ from: page.me, to, name: file.name });
    const res = await fetch(`/api/files?${query}`, {
      method: 'POST', headers: { 'Content-Type': 'application/octet-stream' }, body: file,
    });
    const json = await res.json().catch(() => null);
    if (!res.ok) throw new Error((json && json.message) || `${res.status}`);
    showSent(li);
    attachId(li, json.id);
  } catch (e) {
    li.querySelector('.receipt').textContent = `not sent: ${e.message}`;
    li.querySelector('.receipt').dataset.status = 'error';
  }
}

function start(nickname) {
  page.me = nickname;
  page.joined.clear();
  $('me').textContent = nickname;
  $('login').hidden = true;
  $('chat').hidden = false;
  page.im = new ImCoreClient({
    getUrl: async () => (await api('POST', '/api/pre-connect', { clientId: page.me })).url,
    onOpen,
    onMessage,
    onChannelMessage,
    onReceipt,
    onError: (frame) => notice(`The node refused a frame: ${frame.message}`, 'error'),
    onStateChange,
  });
  page.im.connect();
  clearInterval(page.refreshTimer);
  page.refreshTimer = setInterval(refresh, REFRESH_MS);
}

function stop() {
  if (page.im) page.im.close();
  clearInterval(page.refreshTimer);
  page.me = null;
  $('chat').hidden = true;
  $('login').hidden = false;
  $('log').replaceChildren();
}

document.addEventListener('DOMContentLoaded', () => {
  const reconnect = document.createElement('button');
  reconnect.id = 'reconnect';
  reconnect.type = 'button';
  reconnect.className = 'link';
  reconnect.textContent = 'reconnect';
  reconnect.hidden = true;
  reconnect.addEventListener('click', () => page.im && page.im.connect());
  $('disconnect').after(' ', reconnect);

  $('login-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const nickname = $('nickname').value.trim();
    $('login-error').textContent = '';
    try {
      // Ask the business app first, so a bad nickname gets its reason here and not a reconnect loop.
      await api('GET', `/api/channels?clientId=${encodeURIComponent(nickname)}`);
      start(nickname);
    } catch (e) {
      $('login-error').textContent = `Cannot use "${nickname}": ${e.message}`;
    }
  });
  $('disconnect').addEventListener('click', stop);
  $('join-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const chan = $('new-chan').value.trim();
    if (chan) join(chan).then(() => { $('new-chan').value = ''; });
  });
  $('send-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const target = $('target').value;
    const text = $('text').value;
    if (!target || !text.trim()) return;
    $('text').value = '';
    try {
      await send(target, text);
    } catch (e) {
      notice(`Could not send: ${e.message}`, 'error');
    }
  });
  $('file-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const target = $('target').value;
    const file = $('file').files[0];
    if (!file) return;
    if (!target.startsWith('user:')) {
      notice('Choose a person (not a channel) to send a file to.', 'error');
      return;
    }
    sendFile(target.slice(5), file);
    $('file').value = '';
  });
});
