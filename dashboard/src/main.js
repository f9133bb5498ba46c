// The dashboard application: connects to one node (`?rpc=ws://…`), follows its finalized blocks
// and renders the page the URL's hash names (#/, #/hosts, #/hosts/<account>, #/governance,
// #/market).

import { render } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { html } from './lib/ui.js';
import * as chain from './lib/chain.js';
import { accounts as loadAccounts, isDevChain, send } from './lib/signer.js';
import { NetworkPage } from './pages/network.js';
import { HostsPage, HostPage } from './pages/hosts.js';
import { GovernancePage } from './pages/governance.js';
import { MarketPage } from './pages/market.js';

const PAGES = [
  ['', 'Network'],
  ['hosts', 'Hosts'],
  ['governance', 'Governance'],
  ['market', 'Market'],
];

function route() {
  const parts = location.hash.replace(/^#\/?/, '').split('/');
  return { page: parts[0] || '', arg: parts[1] ? decodeURIComponent(parts[1]) : null };
}

/** The node URL form shown with connection errors. */
function NodeForm({ rpc }) {
  const [url, setUrl] = useState(rpc);
  const go = (e) => {
    e.preventDefault();
    const q = new URLSearchParams(location.search);
    q.set('rpc', url.trim());
    location.search = q.toString();
  };
  return html`<form onSubmit=${go}>
    <input style="flex: 1; min-width: 240px" value=${url} onInput=${(e) => setUrl(e.target.value)} data-testid="rpc-input" />
    <button>Connect</button>
  </form>`;
}

function App() {
  const rpc = chain.rpcFromLocation(location.search);
  const [where, setWhere] = useState(route());
  const [api, setApi] = useState(null);
  const [fatal, setFatal] = useState(null);
  const [connected, setConnected] = useState(true);
  const [upgrade, setUpgrade] = useState(null);
  const [message, setMessage] = useState(null);
  const [data, setData] = useState({});
  const [accounts, setAccounts] = useState([]);
  const [address, setAddress] = useState(localStorage.getItem('gonka.account') ?? '');
  const cache = useRef(new chain.EpochCache());
  const blockMs = useRef(null);
  const last = useRef(null);
  const whereRef = useRef(where);
  const accountRef = useRef(null);
  const account = accounts.find((a) => a.address === address) ?? null;
  whereRef.current = where;
  accountRef.current = account;

  useEffect(() => {
    const onHash = () => setWhere(route());
    addEventListener('hashchange', onHash);
    return () => removeEventListener('hashchange', onHash);
  }, []);

  // Connect, then follow finalized heads; loads never overlap (a block that arrives during one is
  // loaded after it, skipping any in between).
  useEffect(() => {
    let api;
    let stop = [];
    let pending = null;
    let loading = false;
    const load = async (hash) => {
      if (loading) {
        pending = hash;
        return;
      }
      loading = true;
      try {
        await refresh(api, hash);
      } catch (e) {
        setMessage({ kind: 'error', text: `Reading block ${hash.toString().slice(0, 10)}… failed: ${e.message}` });
      } finally {
        loading = false;
        if (pending) {
          const next = pending;
          pending = null;
          load(next);
        }
      }
    };
    (async () => {
      try {
        api = await chain.connect(rpc, { onState: (s) => setConnected(s === 'connected') });
      } catch (e) {
        setFatal(e);
        return;
      }
      setApi(api);
      const dev = await isDevChain(api);
      loadAccounts(api, { dev }).then(setAccounts);
      setData((d) => ({ ...d, tracks: chain.tracks(api) }));
      let firstSpec = null;
      stop.push(
        await api.rpc.state.subscribeRuntimeVersion((v) => {
          const spec = v.specVersion.toNumber();
          if (firstSpec === null) firstSpec = spec;
          else if (spec !== firstSpec) {
            setUpgrade({ from: firstSpec, to: spec });
            setData((d) => ({ ...d, tracks: chain.tracks(api) }));
          }
        }),
      );
      // Block time from when finalized heads arrive here, over the last 20 (a dev chain's
      // on-chain timestamps advance by the slot duration, not by the clock).
      const arrivals = [];
      stop.push(
        await api.rpc.chain.subscribeFinalizedHeads((header) => {
          arrivals.push([header.number.toNumber(), Date.now()]);
          if (arrivals.length > 20) arrivals.shift();
          const [[n0, t0], [n1, t1]] = [arrivals[0], arrivals[arrivals.length - 1]];
          if (arrivals.length >= 3 && n1 > n0) blockMs.current = (t1 - t0) / (n1 - n0);
          load(header.hash);
        }),
      );
    })();
    window.addEventListener('gonka:reload', () => last.current && load(last.current.hash));
    return () => {
      stop.forEach((f) => f());
      api?.disconnect();
    };
  }, []);

  async function refresh(api, hash) {
    const net = await chain.network(api, hash, cache.current);
    last.current = { block: net.block, hash };
    const { page, arg } = whereRef.current;
    const next = { net };
    // Hosts feed the network, hosts and market pages; governance does without them.
    if (page !== 'governance') next.hosts = await chain.hosts(api, hash, cache.current, net);
    if (page === '') {
      if (!cache.current.curve) cache.current.curve = await chain.emissionCurve(api, hash, cache.current);
      next.curve = cache.current.curve;
    }
    if (page === 'hosts' && arg) next.history = await chain.hostHistory(api, hash, cache.current, arg, net.activeEpoch);
    if (page === 'governance') {
      next.refs = await chain.referenda(api, hash, accountRef.current?.address);
      next.electorate = (await chain.electorate(api, hash, cache.current, net.activeEpoch)).total;
    }
    if (page === 'market') next.market = await chain.market(api, hash);
    setData((d) => ({ ...d, ...next }));
  }

  // A page switch or a new account reloads at the last block rather than waiting for the next.
  useEffect(() => {
    if (api && last.current) window.dispatchEvent(new Event('gonka:reload'));
  }, [where.page, where.arg, address]);
  useEffect(() => setMessage(null), [where.page, where.arg]);

  const chooseAccount = (a) => {
    setAddress(a);
    localStorage.setItem('gonka.account', a);
  };
  const { net, hosts } = data;
  const activeHosts = hosts ? hosts.filter((h) => h.weight > 0n).length : null;
  const host = where.arg && hosts ? hosts.find((h) => h.account === where.arg) : null;
  let body;
  if (fatal) body = null;
  else if (where.page === 'hosts' && where.arg) body = host === undefined ? html`<p class="bad">No host ${where.arg}.</p>` : html`<${HostPage} host=${host} history=${data.history} />`;
  else if (where.page === 'hosts') body = html`<${HostsPage} hosts=${hosts} epoch=${net?.activeEpoch} />`;
  else if (where.page === 'governance')
    body = html`<${GovernancePage} api=${api} refs=${data.refs} tracks=${data.tracks} electorate=${data.electorate ?? 0n} now=${net?.block ?? 0} blockMs=${blockMs.current} account=${account} send=${(tx) => send(api, tx, account)} setMessage=${(m) => { setMessage(m); window.dispatchEvent(new Event('gonka:reload')); }} />`;
  else if (where.page === 'market') body = html`<${MarketPage} market=${data.market} hosts=${hosts} />`;
  else body = html`<${NetworkPage} net=${net} curve=${data.curve} blockMs=${blockMs.current} activeHosts=${activeHosts} />`;

  return html`
    <header>
      <h1>Gonka</h1>
      <nav>${PAGES.map(([p, label]) => html`<a href=${`#/${p}`} class=${where.page === p ? 'current' : ''}>${label}</a>`)}</nav>
      <span class="conn" data-testid="connection">
        ${fatal ? 'not connected' : api ? (connected ? `${rpc} · #${net?.block ?? '…'}` : `${rpc} · reconnecting…`) : `connecting to ${rpc}…`}
      </span>
      ${accounts.length
        ? html`<select value=${address} onChange=${(e) => chooseAccount(e.target.value)} data-testid="account">
            <option value="">(no account)</option>
            ${accounts.map((a) => html`<option value=${a.address}>${a.name} (${a.source})</option>`)}
          </select>`
        : null}
    </header>
    <main>
      ${fatal
        ? html`<div class="banner error" data-testid="error">
            <b>${fatal.kind === 'wrong-chain' ? 'Wrong chain' : 'Node unreachable'}</b>: ${fatal.message}.
            ${fatal.kind === 'unreachable' ? ' Is the node running with --rpc-cors all? Try another node URL:' : ' Point the dashboard at a Gonka node:'}
            <${NodeForm} rpc=${rpc} />
          </div>`
        : null}
      ${!fatal && api && !connected ? html`<div class="banner error" data-testid="disconnected">Lost the connection to ${rpc}; reconnecting…</div>` : null}
      ${upgrade ? html`<div class="banner notice" data-testid="upgraded">The runtime was upgraded (spec ${upgrade.from} → ${upgrade.to}); the dashboard now reads it with the new metadata.</div>` : null}
      ${message ? html`<div class=${`banner ${message.kind}`} data-testid="message">${message.text}</div>` : null}
      ${body}
    </main>
  `;
}

render(html`<${App} />`, document.getElementById('app'));
