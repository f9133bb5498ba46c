import { test } from 'node:test';
import assert from 'node:assert/strict';
import { blocksToSprint, rpcFromLocation, DEFAULT_RPC } from '../../src/lib/chain.js';

// The dev clock: 20-block epochs, sprint at offset 2 for 4 blocks.
const clock = { epochLength: 20, sprintStart: 2, sprintLength: 4, commitGrace: 1, validationWindow: 6 };

test('the countdown to the next sprint follows the epoch clock', () => {
  assert.equal(blocksToSprint(clock, 40), 2); // epoch start: waiting
  assert.equal(blocksToSprint(clock, 41), 1);
  assert.equal(blocksToSprint(clock, 42), 0); // in the sprint
  assert.equal(blocksToSprint(clock, 45), 0);
  assert.equal(blocksToSprint(clock, 46), 16); // after it: the next epoch's
  assert.equal(blocksToSprint(clock, 59), 3);
});

test('the node URL comes from ?rpc=, else the dev node', () => {
  assert.equal(rpcFromLocation('?rpc=ws%3A%2F%2Fexample.org%3A9944'), 'ws://example.org:9944');
  assert.equal(rpcFromLocation(''), DEFAULT_RPC);
});
