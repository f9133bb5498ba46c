// Who signs from the page: accounts of a Polkadot.js-compatible browser extension
// (`@polkadot/extension-dapp`), and on a development chain the well-known dev accounts
// (//Alice, //Bob, ...), whose keys are public by design.

import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { web3Accounts, web3Enable, web3FromAddress } from '@polkadot/extension-dapp';

/** The dev accounts a `--dev` chain funds (seeds `//Name` of the well-known phrase). */
export const DEV_NAMES = ['Alice', 'Bob', 'Charlie', 'Dave', 'Eve', 'Ferdie'];

/** Whether the connected chain is a development or local chain (dev accounts are offered). */
export async function isDevChain(api) {
  const type = await api.rpc.system.chainType();
  return type.isDevelopment || type.isLocal;
}

/**
 * The accounts the page can sign with: `{ address, name, source, pair? }`. Dev accounts carry
 * their key pair; extension accounts are signed for by the extension.
 */
export async function accounts(api, { dev }) {
  const out = [];
  if (dev) {
    await cryptoWaitReady();
    const keyring = new Keyring({ type: 'sr25519', ss58Format: api.registry.chainSS58 ?? 42 });
    for (const name of DEV_NAMES) {
      const pair = keyring.addFromUri(`//${name}`, { name });
      out.push({ address: pair.address, name, source: 'dev', pair });
    }
  }
  try {
    const extensions = await web3Enable('Gonka dashboard');
    if (extensions.length) {
      for (const a of await web3Accounts()) {
        out.push({ address: a.address, name: a.meta.name ?? a.address, source: a.meta.source });
      }
    }
  } catch {
    // No extension: only dev accounts (if any).
  }
  return out;
}

/**
 * Signs and sends `tx` from `account`, resolving when it is in a block with no dispatch error;
 * rejects with the runtime's error name and doc (e.g. `computeVoting.NoComputeWeight: …`).
 */
export async function send(api, tx, account) {
  const signer = account.pair ?? account.address;
  const options = {};
  if (!account.pair) options.signer = (await web3FromAddress(account.address)).signer;
  return new Promise((resolve, reject) => {
    let unsub = () => {};
    tx.signAndSend(signer, options, ({ status, dispatchError, events }) => {
      if (dispatchError) {
        unsub();
        if (dispatchError.isModule) {
          const { section, name, docs } = api.registry.findMetaError(dispatchError.asModule);
          reject(new Error(`${section}.${name}: ${docs.join(' ')}`));
        } else {
          reject(new Error(dispatchError.toString()));
        }
      } else if (status.isInBlock || status.isFinalized) {
        unsub();
        resolve({ block: status.isInBlock ? status.asInBlock.toString() : status.asFinalized.toString(), events });
      }
    })
      .then((u) => {
        unsub = u;
      })
      .catch(reject);
  });
}
