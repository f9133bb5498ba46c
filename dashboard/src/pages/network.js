// Network: the epoch clock, total proven compute and its history, hosts, GNK emission.

import { html, Card, ChartBox } from '../lib/ui.js';
import { int, gnk, duration, num, GNK } from '../lib/format.js';
import { blocksToSprint } from '../lib/chain.js';

const PHASE_LABEL = {
  Waiting: 'waiting (inference)',
  Sprint: 'sprint',
  CommitGrace: 'commit grace',
  Validation: 'validation',
  Settlement: 'settlement',
};

/** `n / d` as a decimal string with 3 fraction digits (BigInt in, no floats). */
function ratio3(n, d) {
  const x = (n * 1000n) / d;
  return `${int(x / 1000n)}.${(x % 1000n).toString().padStart(3, '0')}`;
}

/**
 * GNK paid per unit of compute weight in the last settled epoch, and its inverse, the weight
 * that mined one GNK ("the cost of a GNK"). `rewardPerWeight` is `EmissionApi.reward_per_weight`:
 * a FixedU128 (10^18 scale) of base units per weight.
 */
function costOfGnk(rewardPerWeight) {
  if (!rewardPerWeight) return null;
  const scale = 10n ** 18n;
  return { gnkPerWeight: rewardPerWeight / scale, weightPerGnk: ratio3(GNK * scale, rewardPerWeight) };
}

export function NetworkPage({ net, curve, blockMs, activeHosts }) {
  if (!net) return html`<p class="muted">Loading the network…</p>`;
  const toSprint = blocksToSprint(net.clock, net.block);
  const cost = costOfGnk(net.rewardPerWeight);
  const history = {
    labels: net.history.map((h) => String(h.epoch)),
    datasets: [{ label: 'total compute weight', data: net.history.map((h) => num(h.total)), backgroundColor: '#5aa9ff' }],
  };
  const emission = curve && {
    labels: curve.map((p) => String(p.epoch)),
    datasets: [
      { label: 'scheduled reward per epoch (GNK)', data: curve.map((p) => num(p.reward / GNK)), borderColor: '#5aa9ff', yAxisID: 'y', pointRadius: 0 },
      { label: 'cumulative scheduled (GNK)', data: curve.map((p) => num(p.cumulative / GNK)), borderColor: '#3ecf8e', yAxisID: 'y1', pointRadius: 0 },
      { label: 'mining allocation (cap)', data: curve.map(() => num(net.totals.miningAllocation / GNK)), borderColor: '#ff6b6b', borderDash: [6, 4], yAxisID: 'y1', pointRadius: 0 },
      { label: 'minted so far', data: curve.map(() => num(net.totals.minted / GNK)), borderColor: '#ffb84d', borderDash: [2, 3], yAxisID: 'y1', pointRadius: 0 },
    ],
  };
  return html`
    <div class="cards">
      <${Card} testid="epoch" label="Epoch" value=${int(net.epoch)} sub=${`block #${int(net.block)} · ${net.clock.epochLength} blocks per epoch`} />
      <${Card} testid="phase" label="Phase" value=${PHASE_LABEL[net.phase] ?? net.phase} sub=${`${net.blocksLeft} block(s) left in this phase`} />
      <${Card} testid="next-sprint" label="Next sprint" value=${toSprint === 0 ? 'now' : `in ${toSprint} blocks`} sub=${toSprint && blockMs ? `≈ ${duration(toSprint * blockMs)}` : ''} />
      <${Card} testid="total-compute" label="Total proven compute" value=${int(net.activeTotal)} sub=${net.activeEpoch === null ? 'no epoch activated yet' : `weight of epoch ${net.activeEpoch} (active)`} />
      <${Card} testid="hosts" label="Hosts" value=${`${activeHosts ?? '…'} / ${int(net.hostCount)}`} sub="with weight / registered" />
      <${Card} testid="minted" label="GNK minted (mining)" value=${gnk(net.totals.minted, 2)} sub=${`of ${gnk(net.totals.miningAllocation, 0)} allocated`} />
      <${Card} testid="reward" label="Epoch reward" value=${net.reward ? gnk(net.reward.reward, 2) : '—'} sub=${net.reward ? `epoch ${net.reward.epoch}, ${gnk(net.reward.paid, 2)} claimed` : `scheduled now: ${gnk(net.scheduledNow, 2)}`} />
      <${Card} testid="gnk-per-weight" label="GNK per unit of weight" value=${cost ? gnk(cost.gnkPerWeight, 6) : '—'} sub=${cost ? `${cost.weightPerGnk} weight mined 1 GNK in epoch ${net.totals.lastSettled}` : 'after the first settled epoch'} />
    </div>
    <div class="charts">
      <${ChartBox} testid="history-chart" title="Total compute weight per epoch" config=${{ type: 'bar', data: history, options: { plugins: { legend: { display: false } } } }} />
      ${emission &&
      html`<${ChartBox} testid="emission-chart" title="Emission curve" config=${{
        type: 'line',
        data: emission,
        options: {
          scales: {
            x: { title: { display: true, text: 'epoch' } },
            y: { position: 'left', title: { display: true, text: 'GNK / epoch' } },
            y1: { position: 'right', grid: { drawOnChartArea: false }, title: { display: true, text: 'GNK' } },
          },
        },
      }} />`}
    </div>
    <p class="muted">Runtime spec ${net.specVersion ?? '?'} · finalized block ${net.hash.slice(0, 18)}…</p>
  `;
}
