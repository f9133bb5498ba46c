// The dashboard's view of the chain: one connection, and a snapshot of everything the pages show,
// read at one finalized block through the runtime APIs (SprintApi, HostsApi, EmissionApi,
// InferenceApi) and storage. Pages never talk to the node themselves.

import { ApiPromise, WsProvider } from '@polkadot/api';

/** Where the dashboard connects when the URL has no `?rpc=`: the dev node of scripts/run-dev.sh. */
export const DEFAULT_RPC = 'ws://127.0.0.1:9944';

/** The node URL from `?rpc=ws://…`, else {@link DEFAULT_RPC}. */
export function rpcFromLocation(search) {
  return new URLSearchParams(search).get('rpc') || DEFAULT_RPC;
}

/** Epochs of history the charts show (the sprint pallet keeps weights for `HistoryDepth` = 32). */
export const HISTORY = 32;

/** Most referenda / sessions listed (the newest). */
export const RECENT = 50;

/** What the dashboard needs of a runtime: a chain without them is the wrong chain. */
const NEEDED_APIS = ['sprintApi', 'hostsApi', 'emissionApi', 'inferenceApi'];
const NEEDED_PALLETS = ['sprint', 'hosts', 'emission', 'referenda', 'computeVoting', 'inference'];

/** An error the page shows with what to do about it. */
export class ChainError extends Error {
  constructor(kind, message) {
    super(message);
    this.kind = kind;
  }
}

/**
 * Connects to `url`, rejecting with a {@link ChainError} of kind `unreachable` if no connection
 * opens within `timeoutMs`, or `wrong-chain` if the runtime lacks Gonka's pallets or APIs. The
 * provider keeps reconnecting afterwards; `onState('connected' | 'disconnected')` follows it.
 */
export async function connect(url, { timeoutMs = 8000, onState = () => {} } = {}) {
  let provider;
  try {
    provider = new WsProvider(url, 2500);
  } catch (e) {
    throw new ChainError('unreachable', `"${url}" is not a WebSocket URL (${e.message})`);
  }
  const ready = ApiPromise.create({ provider, noInitWarn: true, throwOnConnect: false });
  const timeout = new Promise((_, reject) =>
    setTimeout(
      () => reject(new ChainError('unreachable', `no Gonka node answers at ${url}`)),
      timeoutMs,
    ),
  );
  let api;
  try {
    api = await Promise.race([ready, timeout]);
  } catch (e) {
    provider.disconnect().catch(() => {});
    throw e instanceof ChainError ? e : new ChainError('unreachable', `${url}: ${e.message}`);
  }
  const missing = [
    ...NEEDED_PALLETS.filter((p) => !api.query[p]),
    ...NEEDED_APIS.filter((a) => !api.call[a]),
  ];
  if (missing.length) {
    const chain = (await api.rpc.system.chain()).toString();
    await api.disconnect();
    throw new ChainError(
      'wrong-chain',
      `${url} serves "${chain}", which is not a Gonka chain (it lacks ${missing.join(', ')})`,
    );
  }
  api.on('disconnected', () => onState('disconnected'));
  api.on('connected', () => onState('connected'));
  return api;
}

const big = (codec) => BigInt(codec.toString());
const opt = (option, f = (x) => x) => (option.isSome ? f(option.unwrap()) : null);
const text = (bytes) => {
  try {
    return new TextDecoder().decode(bytes.toU8a(true)).replace(/\0+$/, '');
  } catch {
    return bytes.toString();
  }
};

/** `2 x H100 (80 GiB)`, or `CPU` for a development host without GPUs. */
function gpuText(hw) {
  const count = hw.gpuCount.toNumber();
  if (count === 0) return 'CPU';
  return `${count} x ${text(hw.gpuModel)} (${hw.gpuMemoryGib.toNumber()} GiB)`;
}

/**
 * Reads epoch-keyed values once: final weights and scheduled rewards never change, so the
 * dashboard asks for each epoch once per connection.
 */
export class EpochCache {
  constructor() {
    this.totals = new Map();
    this.scheduled = new Map();
    this.hostWeights = new Map();
  }

  async total(at, epoch) {
    if (!this.totals.has(epoch)) this.totals.set(epoch, big(await at.call.sprintApi.totalWeight(epoch)));
    return this.totals.get(epoch);
  }

  async scheduledReward(at, epoch) {
    if (!this.scheduled.has(epoch))
      this.scheduled.set(epoch, big(await at.call.emissionApi.scheduledReward(epoch)));
    return this.scheduled.get(epoch);
  }

  async hostWeight(at, epoch, host) {
    const key = `${epoch}/${host}`;
    if (!this.hostWeights.has(key))
      this.hostWeights.set(key, big(await at.call.sprintApi.weightOf(epoch, host)));
    return this.hostWeights.get(key);
  }
}

/** Phase names as the sprint pallet spells them, in clock order. */
export const PHASES = ['Waiting', 'Sprint', 'CommitGrace', 'Validation', 'Settlement'];

/**
 * Blocks from block `n` until the next sprint starts (0 during a sprint), from the epoch clock
 * (`EpochClock::position` in primitives/src/epoch.rs: epoch `e` starts at block `e * length`).
 */
export function blocksToSprint(clock, n) {
  const offset = n % clock.epochLength;
  const end = clock.sprintStart + clock.sprintLength;
  if (offset < clock.sprintStart) return clock.sprintStart - offset;
  if (offset < end) return 0;
  return clock.epochLength - offset + clock.sprintStart;
}

/** The network at one finalized block: epoch, compute, emission (what the Network page shows). */
export async function network(api, hash, cache) {
  const at = await api.at(hash);
  const [header, status, clockRaw, active, totalsRaw, hostCount, now, version] = await Promise.all([
    api.rpc.chain.getHeader(hash),
    at.call.sprintApi.epochStatus(),
    at.call.sprintApi.epochClock(),
    at.call.sprintApi.activeEpoch(),
    at.call.emissionApi.totals(),
    at.query.hosts.hostCount(),
    at.query.timestamp.now(),
    at.query.system.lastRuntimeUpgrade(),
  ]);
  const clock = {
    epochLength: clockRaw.epochLength.toNumber(),
    sprintStart: clockRaw.sprintStart.toNumber(),
    sprintLength: clockRaw.sprintLength.toNumber(),
    commitGrace: clockRaw.commitGrace.toNumber(),
    validationWindow: clockRaw.validationWindow.toNumber(),
  };
  const activeEpoch = opt(active, (e) => e.toNumber());
  const history = [];
  if (activeEpoch !== null) {
    for (let e = Math.max(0, activeEpoch - HISTORY + 1); e <= activeEpoch; e++) {
      history.push({ epoch: e, total: await cache.total(at, e) });
    }
  }
  const totals = {
    miningAllocation: big(totalsRaw.miningAllocation),
    committed: big(totalsRaw.committed),
    minted: big(totalsRaw.minted),
    communityPoolGenesis: big(totalsRaw.communityPoolGenesis),
    lastSettled: opt(totalsRaw.lastSettled, (e) => e.toNumber()),
    openEpochs: totalsRaw.openEpochs.map((e) => e.toNumber()),
  };
  const epoch = status.epoch.toNumber();
  let reward = null;
  let rewardPerWeight = null;
  if (totals.lastSettled !== null) {
    const r = await at.call.emissionApi.epochReward(totals.lastSettled);
    reward = opt(r, (x) => ({
      epoch: totals.lastSettled,
      reward: big(x.reward),
      totalWeight: big(x.totalWeight),
      paid: big(x.paid),
    }));
    // FixedU128: base units of GNK per unit of weight, times 10^18.
    const rpw = await at.call.emissionApi.rewardPerWeight(totals.lastSettled);
    rewardPerWeight = opt(rpw, big);
  }
  const scheduledNow = await cache.scheduledReward(at, epoch);
  return {
    block: header.number.toNumber(),
    hash: hash.toString(),
    timestamp: Number(now.toBigInt()),
    specVersion: opt(version, (v) => v.specVersion.toNumber()),
    epoch,
    phase: status.phase.type,
    blocksLeft: status.blocksLeft.toNumber(),
    clock,
    activeEpoch,
    activeTotal: activeEpoch === null ? 0n : await cache.total(at, activeEpoch),
    history,
    hostCount: hostCount.toNumber(),
    totals,
    reward,
    rewardPerWeight,
    scheduledNow,
  };
}

/**
 * The emission schedule for the chart: `points` epochs spread over the horizon in which the
 * scheduled reward falls below 1% of epoch 0's, with the cumulative schedule against the
 * mining allocation (trapezoid sums between the sampled epochs).
 */
export async function emissionCurve(api, hash, cache, points = 40) {
  const at = await api.at(hash);
  const first = await cache.scheduledReward(at, 0);
  let horizon = 1;
  while (horizon < 1 << 24 && (await cache.scheduledReward(at, horizon)) * 100n > first) horizon *= 2;
  const out = [];
  let cumulative = 0n;
  let prev = { epoch: 0, reward: first };
  for (let i = 0; i <= points; i++) {
    const epoch = Math.round((horizon * i) / points);
    const reward = await cache.scheduledReward(at, epoch);
    if (epoch > prev.epoch) cumulative += ((prev.reward + reward) * BigInt(epoch - prev.epoch)) / 2n;
    out.push({ epoch, reward, cumulative });
    prev = { epoch, reward };
  }
  return out;
}

/** Every registered host with its weights, outcome, reputation and earnings (the Hosts page). */
export async function hosts(api, hash, cache, net) {
  const at = await api.at(hash);
  const views = [];
  let after = null;
  for (;;) {
    const page = await at.call.hostsApi.hosts(after, 1000);
    views.push(...page);
    if (page.length < 1000) break;
    after = page[page.length - 1].account;
  }
  const active = net.activeEpoch;
  const prevEpoch = active !== null && active > 0 ? active - 1 : null;
  const prevTotal = prevEpoch === null ? 0n : await cache.total(at, prevEpoch);
  const openRewards = [];
  for (const e of net.totals.openEpochs) {
    const r = await at.call.emissionApi.epochReward(e);
    if (r.isSome) openRewards.push({ epoch: e, reward: big(r.unwrap().reward), total: big(r.unwrap().totalWeight) });
  }
  const catalogue = await models(at);
  return Promise.all(
    views.map(async (v) => {
      const account = v.account.toString();
      const [weight, previous, outcome, reputation, claimable] = await Promise.all([
        active === null ? 0n : cache.hostWeight(at, active, account),
        prevEpoch === null ? 0n : cache.hostWeight(at, prevEpoch, account),
        active === null ? null : at.query.sprint.outcomes(active, account),
        at.call.inferenceApi.reputation(account),
        at.call.emissionApi.claimableEpochs(account),
      ]);
      let mined = 0n;
      for (const r of openRewards) {
        const w = await cache.hostWeight(at, r.epoch, account);
        if (r.total > 0n) mined += (r.reward * w) / r.total;
      }
      const o = outcome && outcome.isSome ? outcome.unwrap() : null;
      const win = reputation.window;
      return {
        account,
        endpoint: text(v.endpoint),
        gpus: gpuText(v.hardware),
        models: v.models.map((m) => catalogue.get(m.toNumber())?.name ?? `#${m}`),
        weight,
        previous,
        share: [weight, net.activeTotal],
        previousShare: [previous, prevTotal],
        outcome: o ? (o.isAccepted ? 'accepted' : 'rejected') : null,
        active: v.active.isTrue,
        collateral: big(v.collateral),
        unbonding: big(v.unbonding),
        samplingRate: big(reputation.samplingRate),
        drawFactor: big(reputation.drawFactor),
        served: big(win.served),
        valid: win.valid.toNumber(),
        invalid: win.invalid.toNumber(),
        misses: win.misses.toNumber(),
        marketEarned: big(reputation.earned),
        mined,
        claimable: claimable.reduce((s, [, amount]) => s + big(amount), 0n),
        registeredAt: v.registeredAt.toNumber(),
      };
    }),
  );
}

/** `host`'s weight and share in each of the last {@link HISTORY} epochs (a host's page). */
export async function hostHistory(api, hash, cache, host, activeEpoch) {
  if (activeEpoch === null) return [];
  const at = await api.at(hash);
  const out = [];
  for (let e = Math.max(0, activeEpoch - HISTORY + 1); e <= activeEpoch; e++) {
    out.push({ epoch: e, weight: await cache.hostWeight(at, e, host), total: await cache.total(at, e) });
  }
  return out;
}

/** The model catalogue by id: name, price per 1,000 tokens, threshold, status, precision. */
export async function models(at) {
  const raw = await at.call.hostsApi.catalogue();
  const out = new Map();
  for (const [id, info] of raw) {
    out.set(id.toNumber(), {
      id: id.toNumber(),
      name: text(info.name),
      price: big(info.pricePer1kTokens),
      threshold: big(info.validationThreshold),
      status: info.status.type ?? info.status.toString(),
      // Runtimes before spec 7 have no precision: every host computed in f32.
      precision: info.precision ? (info.precision.type ?? info.precision.toString()) : 'F32',
    });
  }
  return out;
}

/** A track from `Referenda.Tracks`: id, name, periods (blocks), deposit, curves. */
function track(id, info) {
  const name = info.name.toU8a ? text(info.name) : String(info.name);
  return {
    id: id.toNumber(),
    name,
    maxDeciding: info.maxDeciding.toNumber(),
    decisionDeposit: big(info.decisionDeposit),
    preparePeriod: info.preparePeriod.toNumber(),
    decisionPeriod: info.decisionPeriod.toNumber(),
    confirmPeriod: info.confirmPeriod.toNumber(),
    minEnactmentPeriod: info.minEnactmentPeriod.toNumber(),
    minApproval: info.minApproval.toJSON(),
    minSupport: info.minSupport.toJSON(),
  };
}

/**
 * What a referendum proposes, readable: `system.remark("0x…")` for an inline call (decoded with
 * the runtime's metadata), or the preimage's hash and length.
 */
export function proposalText(registry, proposal) {
  if (proposal.isInline) {
    try {
      const call = registry.createType('Call', proposal.asInline.toU8a(true));
      const args = JSON.stringify(call.toHuman().args ?? {});
      return `${call.section}.${call.method}(${args.length > 80 ? `${args.slice(0, 80)}…` : args})`;
    } catch {
      return `inline call ${proposal.asInline.toHex()}`;
    }
  }
  const json = proposal.toJSON();
  const lookup = json.lookup ?? json.legacy ?? {};
  return `preimage ${String(lookup.hash).slice(0, 18)}…${lookup.len ? ` (${lookup.len} bytes)` : ''}`;
}

/** The runtime's referendum tracks (`Referenda.Tracks`). */
export function tracks(api) {
  return api.consts.referenda.tracks.map((entry) => {
    // stable releases spell it `(id, info)`; newer ones `{ id, info }`.
    const [id, info] = Array.isArray(entry) ? entry : [entry.id, entry.info];
    return track(id, info);
  });
}

/**
 * The newest {@link RECENT} referenda: ongoing ones with track, tally, deposits and decision
 * timing; finished ones with their outcome and end block. `account` (optional) adds its vote.
 */
export async function referenda(api, hash, account) {
  const at = await api.at(hash);
  const count = (await at.query.referenda.referendumCount()).toNumber();
  const out = [];
  for (let i = count - 1; i >= Math.max(0, count - RECENT); i--) {
    const info = await at.query.referenda.referendumInfoFor(i);
    if (info.isNone) continue;
    const r = info.unwrap();
    const item = { index: i, status: r.type };
    if (r.isOngoing) {
      const s = r.asOngoing;
      item.track = s.track.toNumber();
      item.origin = JSON.stringify(s.origin.toJSON());
      item.proposal = proposalText(at.registry, s.proposal);
      item.submitted = s.submitted.toNumber();
      item.hasDecisionDeposit = s.decisionDeposit.isSome;
      item.deciding = opt(s.deciding, (d) => ({
        since: d.since.toNumber(),
        confirming: opt(d.confirming, (c) => c.toNumber()),
      }));
      item.tally = { ayes: big(s.tally.ayes), nays: big(s.tally.nays), abstains: big(s.tally.abstains) };
      item.inQueue = s.inQueue.isTrue;
    } else {
      const finished = r.value;
      item.endedAt = finished[0] ? finished[0].toNumber() : finished.toNumber();
    }
    if (account) {
      const vote = await at.query.computeVoting.votingFor(i, account);
      item.myVote = opt(vote, (v) => ({ vote: v.vote.type, weight: big(v.weight) }));
    }
    out.push(item);
  }
  return out;
}

/**
 * The electorate: total weight of the voting epoch (the latest activated epoch with positive
 * weight, as `pallets/compute-voting`'s `ActiveElectorate`).
 */
export async function electorate(api, hash, cache, activeEpoch) {
  if (activeEpoch === null) return { epoch: null, total: 0n };
  const at = await api.at(hash);
  for (let e = activeEpoch; e >= Math.max(0, activeEpoch - HISTORY); e--) {
    const total = await cache.total(at, e);
    if (total > 0n) return { epoch: e, total };
  }
  return { epoch: null, total: 0n };
}

/** The market: escrow totals, the newest sessions, the catalogue's prices. */
export async function market(api, hash) {
  const at = await api.at(hash);
  const [totals, next, count] = await Promise.all([
    at.query.inference.totals(),
    at.query.inference.nextSessionId(),
    at.query.inference.sessionCount(),
  ]);
  const catalogue = await models(at);
  const sessions = [];
  const last = Number(next.toString());
  for (let id = last - 1; id >= Math.max(0, last - RECENT); id--) {
    const view = await at.call.inferenceApi.session(id);
    if (view.isNone) {
      sessions.push({ id, settled: true });
      continue;
    }
    const s = view.unwrap();
    let inTokens = 0n;
    let outTokens = 0n;
    let requests = 0n;
    for (const slot of s.slots) {
      if (slot.claimed.isSome) {
        const v = slot.claimed.unwrap();
        inTokens += big(v.inTokens);
        outTokens += big(v.outTokens);
        requests += big(v.seq);
      }
    }
    sessions.push({
      id,
      settled: false,
      owner: s.owner.toString(),
      model: catalogue.get(s.model.toNumber())?.name ?? `#${s.model}`,
      price: big(s.pricePer1kTokens),
      deposit: big(s.deposit),
      claimed: big(s.claimed),
      available: big(s.available),
      expiresAt: s.expiresAt.toNumber(),
      phase: s.phase.type,
      slots: s.slots.length,
      requests,
      inTokens,
      outTokens,
    });
  }
  return {
    escrow: { deposited: big(totals.deposited), paid: big(totals.paid), refunded: big(totals.refunded) },
    open: count.toNumber(),
    sessions,
    catalogue: [...catalogue.values()],
    invalidSlash: api.consts.inference.invalidSlash ? big(api.consts.inference.invalidSlash) : null,
  };
}
