// Market: open sessions, tokens served, prices, validation outcomes, escrow paid and refunded.

import { html, Card, SortableTable } from '../lib/ui.js';
import { int, gnk, pct, short, perbill } from '../lib/format.js';

const SESSION_COLUMNS = [
  { key: 'id', label: 'Session' },
  { key: 'owner', label: 'Owner', render: (s) => html`<span title=${s.owner}>${short(s.owner)}</span>` },
  { key: 'model', label: 'Model' },
  { key: 'phase', label: 'Phase' },
  { key: 'slots', label: 'Slots' },
  { key: 'requests', label: 'Requests claimed', render: (s) => int(s.requests) },
  { key: 'tokens', label: 'Tokens (in / out)', render: (s) => `${int(s.inTokens)} / ${int(s.outTokens)}`, sort: (s) => s.inTokens + s.outTokens },
  { key: 'claimed', label: 'Spent', render: (s) => gnk(s.claimed, 9) },
  { key: 'available', label: 'Escrow left', render: (s) => gnk(s.available, 9) },
  { key: 'price', label: 'Price / 1k tokens', render: (s) => gnk(s.price, 6) },
  { key: 'expiresAt', label: 'Expires at', render: (s) => `#${s.expiresAt}` },
];

export function MarketPage({ market, hosts }) {
  if (!market) return html`<p class="muted">Loading the market…</p>`;
  const live = market.sessions.filter((s) => !s.settled);
  const tokens = live.reduce((t, s) => t + s.inTokens + s.outTokens, 0n);
  const valid = (hosts ?? []).reduce((t, h) => t + h.valid, 0);
  const invalid = (hosts ?? []).reduce((t, h) => t + h.invalid, 0);
  const served = (hosts ?? []).reduce((t, h) => t + h.served, 0n);
  const slashed = market.invalidSlash === null ? null : market.invalidSlash * BigInt(invalid);
  return html`
    <div class="cards">
      <${Card} testid="open-sessions" label="Open sessions" value=${int(market.open)} sub=${`${market.sessions.length} newest listed`} />
      <${Card} label="Tokens claimed (listed sessions)" value=${int(tokens)} sub=${`requests served in settled lanes: ${int(served)}`} />
      <${Card} label="Deposited" value=${gnk(market.escrow.deposited, 2)} sub="into session escrow, ever" />
      <${Card} label="Paid to hosts" value=${gnk(market.escrow.paid, 2)} sub="executors and validators" />
      <${Card} label="Refunded" value=${gnk(market.escrow.refunded, 2)} sub="returned to developers" />
      <${Card} label="Validation pass rate" value=${pct(BigInt(valid), BigInt(valid + invalid))} sub=${`${valid} valid · ${invalid} invalid sampled leaves (reputation window)`} />
      <${Card} label="Slashed" value=${slashed === null ? '—' : gnk(slashed, 2)} sub="invalid leaves × InvalidSlash (reputation window)" />
    </div>
    <h3>Prices</h3>
    <div class="table-wrap"><table data-testid="prices">
      <thead><tr><th>Model</th><th>Price / 1k tokens</th><th>Validation threshold</th><th>Precision</th><th>Status</th></tr></thead>
      <tbody>${market.catalogue.map(
        (m) => html`<tr><td>${m.name}</td><td>${gnk(m.price, 6)}</td><td>${perbill(m.threshold)}</td><td data-col="precision">${m.precision.toLowerCase()}</td><td>${m.status}</td></tr>`,
      )}</tbody>
    </table></div>
    <h3>Sessions</h3>
    ${live.length === 0
      ? html`<p class="muted">No open or settling session.</p>`
      : html`<${SortableTable} testid="sessions-table" columns=${SESSION_COLUMNS} rows=${live} rowKey=${(s) => String(s.id)} initial=${{ key: 'id', asc: false }} />`}
  `;
}
