// Governance: referenda with their compute-weighted tallies against the track curves, voting and
// proposing from the page.

import { useState } from 'preact/hooks';
import { html, ChartBox } from '../lib/ui.js';
import { int, gnk, perbill, duration, short } from '../lib/format.js';
import { threshold, samples, ONE } from '../lib/curves.js';

/** Which origin each track's proposals carry (runtime/src/governance/tracks.rs). */
export const TRACK_ORIGINS = {
  root: { system: 'Root' },
  parameters: { Origins: 'ParametersAdmin' },
  catalogue: { Origins: 'CatalogueAdmin' },
  'community-pool': { Origins: 'CommunityPoolSpender' },
};

/** Longest call proposed inline; longer ones are noted as a preimage first (as the CLI does). */
const MAX_INLINE = 128;

const ratio = (part, whole) => (whole === 0n ? 0n : (part * ONE) / whole);

/** Approval, support and the thresholds they must meet now, all Perbill. */
export function standing(ref, track, electorate, now) {
  const { ayes, nays, abstains } = ref.tally;
  const approval = ratio(ayes, ayes + nays);
  let support = ratio(ayes + abstains, electorate);
  if (support > ONE) support = ONE;
  const elapsed = ref.deciding ? BigInt(Math.max(0, now - ref.deciding.since)) : 0n;
  const x = track.decisionPeriod === 0 ? ONE : ratio(elapsed, BigInt(track.decisionPeriod));
  const needApproval = threshold(track.minApproval, x > ONE ? ONE : x);
  const needSupport = threshold(track.minSupport, x > ONE ? ONE : x);
  return { approval, support, x, needApproval, needSupport, passing: approval >= needApproval && support >= needSupport };
}

function phaseText(ref, track, now, blockMs) {
  const when = (blocks) => (blockMs ? ` (≈ ${duration(blocks * blockMs)})` : '');
  if (!ref.hasDecisionDeposit) return 'awaiting the decision deposit';
  if (!ref.deciding) {
    const left = ref.submitted + track.preparePeriod - now;
    return left > 0 ? `preparing: deciding in ${left} blocks${when(left)}` : 'waiting for a deciding slot';
  }
  if (ref.deciding.confirming !== null) {
    const left = ref.deciding.confirming - now;
    return `confirming: passes in ${Math.max(0, left)} blocks${when(Math.max(0, left))}`;
  }
  const left = ref.deciding.since + track.decisionPeriod - now;
  return `deciding: ${Math.max(0, left)} blocks left${when(Math.max(0, left))}`;
}

function Referendum({ referendum: ref, track, electorate, now, blockMs, account, onVote, busy }) {
  if (ref.status !== 'Ongoing') {
    return html`<div class="referendum" data-testid=${`referendum-${ref.index}`}>
      <h3>#${ref.index} <span class="muted">${ref.status.toLowerCase()} at block ${ref.endedAt}</span></h3>
    </div>`;
  }
  const s = standing(ref, track, electorate, now);
  const curves = {
    labels: samples(track.minApproval, 20).map(([x]) => `${x}%`),
    datasets: [
      { label: 'approval needed', data: samples(track.minApproval, 20).map(([, y]) => y), borderColor: '#3ecf8e', pointRadius: 0 },
      { label: 'support needed', data: samples(track.minSupport, 20).map(([, y]) => y), borderColor: '#ffb84d', pointRadius: 0 },
      { label: 'approval now', data: samples(track.minApproval, 20).map(([x]) => (Math.abs(x - Number(s.x) / 1e7) <= 2.5 ? Number(s.approval) / 1e7 : null)), borderColor: '#3ecf8e', backgroundColor: '#3ecf8e', showLine: false, pointRadius: 6 },
      { label: 'support now', data: samples(track.minSupport, 20).map(([x]) => (Math.abs(x - Number(s.x) / 1e7) <= 2.5 ? Number(s.support) / 1e7 : null)), borderColor: '#ffb84d', backgroundColor: '#ffb84d', showLine: false, pointRadius: 6 },
    ],
  };
  const voted = ref.myVote;
  return html`<div class="referendum" data-testid=${`referendum-${ref.index}`}>
    <h3>#${ref.index} on <span data-testid="track">${track.name}</span> <span class=${s.passing ? 'good' : 'muted'}>${s.passing ? 'passing' : 'not passing'}</span></h3>
    <div class="row">
      <span>${phaseText(ref, track, now, blockMs)}</span>
      <span class="muted mono" data-testid="proposal">${ref.proposal}</span>
    </div>
    <div class="row" data-testid="tally">
      <span>aye <b data-testid="ayes">${int(ref.tally.ayes)}</b></span>
      <span>nay <b data-testid="nays">${int(ref.tally.nays)}</b></span>
      <span>abstain <b data-testid="abstains">${int(ref.tally.abstains)}</b></span>
      <span>approval <b>${perbill(s.approval)}</b> <span class="muted">(needs ${perbill(s.needApproval)})</span></span>
      <span>support <b>${perbill(s.support)}</b> <span class="muted">(needs ${perbill(s.needSupport)} of ${int(electorate)})</span></span>
    </div>
    <div class="charts">
      <${ChartBox} title="Thresholds over the decision period" config=${{ type: 'line', data: curves, options: { scales: { y: { min: 0, max: 100, title: { display: true, text: '%' } } } } }} />
    </div>
    <div class="row">
      ${account
        ? html`
            <button data-testid="vote-aye" disabled=${busy} onClick=${() => onVote(ref.index, 'Aye')}>Aye</button>
            <button class="nay" data-testid="vote-nay" disabled=${busy} onClick=${() => onVote(ref.index, 'Nay')}>Nay</button>
            <button class="abstain" data-testid="vote-abstain" disabled=${busy} onClick=${() => onVote(ref.index, 'Abstain')}>Abstain</button>
            <span class="muted" data-testid="my-vote">${voted ? `${short(account.address)} voted ${voted.vote} with ${int(voted.weight)}` : `${account.name} has not voted`}</span>`
        : html`<span class="muted">Choose an account (top right) to vote.</span>`}
    </div>
  </div>`;
}

function ProposeForm({ tracks, account, onPropose, busy }) {
  const [track, setTrack] = useState(tracks[0]?.name ?? 'root');
  const [call, setCall] = useState('');
  const submit = (e) => {
    e.preventDefault();
    onPropose(track, call.trim());
  };
  return html`<form class="referendum" onSubmit=${submit} data-testid="propose-form">
    <h3>Propose</h3>
    <p class="muted">Any active host may propose (deposit: the track's submission deposit). Paste the SCALE call data of what the referendum should dispatch (Polkadot.js Apps' extrinsics page shows it as "encoded call data"); the page then places the track's decision deposit in a second transaction.</p>
    <div class="row">
      <select value=${track} onChange=${(e) => setTrack(e.target.value)} data-testid="propose-track">
        ${tracks.map((t) => html`<option value=${t.name}>${t.id} ${t.name} (decision deposit ${gnk(t.decisionDeposit, 0)})</option>`)}
      </select>
      <input class="mono" style="flex: 1; min-width: 240px" placeholder="0x…" value=${call} onInput=${(e) => setCall(e.target.value)} data-testid="propose-call" />
      <button disabled=${busy || !account || !/^0x([0-9a-fA-F]{2})+$/.test(call.trim())} data-testid="propose-submit">Submit</button>
    </div>
  </form>`;
}

/** The referendum index of a `Referenda.Submitted` event in `events`. */
function submittedIndex(events) {
  const e = events.find(({ event }) => event.section === 'referenda' && event.method === 'Submitted');
  return e ? e.event.data[0].toNumber() : null;
}

export function GovernancePage({ api, refs, tracks, electorate, now, blockMs, account, send, setMessage }) {
  const [busy, setBusy] = useState(false);
  if (!refs || !tracks) return html`<p class="muted">Loading referenda…</p>`;
  const byId = new Map(tracks.map((t) => [t.id, t]));
  const run = async (what, tx) => {
    setBusy(true);
    setMessage({ kind: 'notice', text: `${what}: signing as ${account.name}…` });
    try {
      const { events } = await send(tx);
      setMessage({ kind: 'notice', text: `${what}: included in a block.` });
      return events;
    } catch (e) {
      setMessage({ kind: 'error', text: `${what} failed: ${e.message}` });
      return null;
    } finally {
      setBusy(false);
    }
  };
  const onVote = (index, vote) => run(`vote ${vote} on #${index}`, api.tx.computeVoting.vote(index, vote));
  const onPropose = async (trackName, callHex) => {
    const track = tracks.find((t) => t.name === trackName);
    let call;
    try {
      call = api.createType('Call', callHex);
    } catch (e) {
      setMessage({ kind: 'error', text: `That call data is not a call of this runtime: ${e.message}` });
      return;
    }
    const bytes = call.toU8a();
    const txs = [];
    let proposal;
    if (bytes.length <= MAX_INLINE) {
      proposal = { Inline: callHex };
    } else {
      txs.push(api.tx.preimage.notePreimage(callHex));
      proposal = { Lookup: { hash: call.hash, len: bytes.length } };
    }
    txs.push(api.tx.referenda.submit(TRACK_ORIGINS[track.name] ?? TRACK_ORIGINS.root, proposal, { After: 0 }));
    const what = `propose ${call.section}.${call.method} on ${track.name}`;
    const events = await run(what, txs.length === 1 ? txs[0] : api.tx.utility.batchAll(txs));
    const index = events && submittedIndex(events);
    if (index === null || index === undefined) return;
    // The index is known only once submitted: the decision deposit is a second transaction.
    if (await run(`decision deposit for #${index}`, api.tx.referenda.placeDecisionDeposit(index)))
      setMessage({ kind: 'notice', text: `referendum #${index} submitted on ${track.name}, decision deposit placed` });
  };
  return html`
    <p class="muted">Votes count with the voter's compute weight in the voting epoch; support is measured against the electorate of ${int(electorate)} (total weight of that epoch).</p>
    ${refs.length === 0 ? html`<p class="muted" data-testid="no-referenda">No referenda yet.</p>` : null}
    ${refs.map((r) => html`<${Referendum} key=${r.index} referendum=${r} track=${byId.get(r.track)} electorate=${electorate} now=${now} blockMs=${blockMs} account=${account} onVote=${onVote} busy=${busy} />`)}
    <${ProposeForm} tracks=${tracks} account=${account} onPropose=${onPropose} busy=${busy} />
  `;
}
