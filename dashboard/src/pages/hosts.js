// Hosts: every registered host with its compute, validation, reputation and earnings; one page
// per host with its weight history.

import { html, SortableTable, ChartBox, Card } from '../lib/ui.js';
import { int, gnk, pct, perbill, short, num } from '../lib/format.js';

const share = ([part, whole]) => (whole === 0n ? 0n : (part * 1_000_000n) / whole);

export const HOST_COLUMNS = [
  { key: 'account', label: 'Host', render: (h) => html`<a href=${`#/hosts/${h.account}`} title=${h.account}>${short(h.account)}</a>`, sort: (h) => h.account },
  { key: 'endpoint', label: 'Endpoint', render: (h) => h.endpoint },
  { key: 'gpus', label: 'GPUs', render: (h) => h.gpus },
  { key: 'models', label: 'Models', render: (h) => h.models.join(', ') || '—', sort: (h) => h.models.join() },
  { key: 'weight', label: 'Weight', render: (h) => int(h.weight) },
  { key: 'previous', label: 'Last epoch', render: (h) => int(h.previous) },
  { key: 'share', label: 'Share', render: (h) => pct(...h.share), sort: (h) => share(h.share) },
  { key: 'outcome', label: 'Validation', render: (h) => (h.outcome ? html`<span class=${h.outcome === 'accepted' ? 'good' : 'bad'}>${h.outcome}</span>` : '—'), sort: (h) => h.outcome ?? '' },
  { key: 'reputation', label: 'Sampling', render: (h) => perbill(h.samplingRate), sort: (h) => h.samplingRate },
  { key: 'collateral', label: 'Collateral', render: (h) => gnk(h.collateral, 2) },
  { key: 'earned', label: 'GNK earned', render: (h) => gnk(h.mined + h.marketEarned, 2), sort: (h) => h.mined + h.marketEarned },
];

export function HostsPage({ hosts, epoch }) {
  if (!hosts) return html`<p class="muted">Loading hosts…</p>`;
  return html`
    <p>Active epoch: <b data-testid="hosts-epoch">${epoch ?? '—'}</b></p>
    <p class="muted">${hosts.length} registered host(s). Weight is the host's final compute weight in the active epoch; "GNK earned" is its mining reward in the epochs still open for claims plus what it earned serving inference.</p>
    <${SortableTable} testid="hosts-table" columns=${HOST_COLUMNS} rows=${hosts} rowKey=${(h) => h.account} initial=${{ key: 'weight', asc: false }} />
  `;
}

export function HostPage({ host, history }) {
  if (!host) return html`<p class="muted">Loading the host…</p>`;
  const chart = {
    labels: (history ?? []).map((p) => String(p.epoch)),
    datasets: [
      { label: 'weight', data: (history ?? []).map((p) => num(p.weight)), borderColor: '#5aa9ff', yAxisID: 'y' },
      { label: 'share of the network (%)', data: (history ?? []).map((p) => (p.total === 0n ? 0 : Number((p.weight * 10000n) / p.total) / 100)), borderColor: '#3ecf8e', yAxisID: 'y1' },
    ],
  };
  return html`
    <h2 class="mono" data-testid="host-account">${host.account}</h2>
    <div class="cards">
      <${Card} testid="host-weight" label="Weight (active epoch)" value=${int(host.weight)} sub=${`share ${pct(...host.share)}`} />
      <${Card} label="Last epoch" value=${int(host.previous)} sub=${`share ${pct(...host.previousShare)}`} />
      <${Card} label="Validation" value=${host.outcome ?? '—'} sub=${host.active ? 'active host' : 'inactive'} />
      <${Card} label="Collateral" value=${gnk(host.collateral, 2)} sub=${`${gnk(host.unbonding, 2)} unbonding`} />
      <${Card} label="Mined (open epochs)" value=${gnk(host.mined, 2)} sub=${`${gnk(host.claimable, 2)} claimable now`} />
      <${Card} label="Market earned" value=${gnk(host.marketEarned, 2)} sub=${`${int(host.served)} requests served`} />
      <${Card} label="Market reputation" value=${`sampled ${perbill(host.samplingRate)}`} sub=${`valid ${host.valid} · invalid ${host.invalid} · misses ${host.misses} · draw ${perbill(host.drawFactor)}`} />
      <${Card} label="Serves" value=${host.models.join(', ') || '—'} sub=${`${host.gpus} · ${host.endpoint}`} />
    </div>
    <div class="charts">
      <${ChartBox} testid="host-chart" title="Weight per epoch" config=${{
        type: 'line',
        data: chart,
        options: { scales: { y: { position: 'left' }, y1: { position: 'right', min: 0, max: 100, grid: { drawOnChartArea: false } } } },
      }} />
    </div>
  `;
}
