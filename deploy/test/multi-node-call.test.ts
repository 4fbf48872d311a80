/**
 * A call across nodes, end to end: two processes of the built service on one redis-server, two
 * headless Chromium pages, each loading the demo from a different node (so each page's widget
 * talks to its own node). Alice calls, Bob accepts; ring, SDP and ICE candidates cross the nodes
 * through Redis; both remote videos play.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import {
  callAndAccept,
  errorCodes,
  expectRemoteVideoPlaying,
  history,
  launchBrowser,
  openDemo,
  startWidget,
  waitForState,
} from '../../widget/test/e2e/harness.js';
import { startCluster, type Cluster } from './multi-node.js';

let cluster: Cluster;
let browser: Browser;

before(async () => {
  cluster = await startCluster();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await cluster?.stop();
});

describe('a call between pages on different nodes', () => {
  test('ring → accept → connected, with video playing both ways', async () => {
    const [nodeA, nodeB] = cluster.nodes;
    const alice = await openDemo(browser, `${nodeA.url}/?room=multi-node-call&name=Alice`);
    const bob = await openDemo(browser, `${nodeB.url}/?room=multi-node-call&name=Bob`);
    await startWidget(alice);
    await startWidget(bob);
    await waitForState(alice, 'ready');
    await waitForState(bob, 'ready');
    const nodes = await cluster.nodesOfMembers('multi-node-call');
    assert.equal(nodes.length, 2, 'both pages are members, recorded in Redis');
    assert.notEqual(nodes[0], nodes[1], 'each page is a member through its own node');

    await callAndAccept(alice, bob);
    const [toBob, toAlice] = [await expectRemoteVideoPlaying(bob), await expectRemoteVideoPlaying(alice)];
    assert.ok(toBob.width > 0 && toAlice.width > 0);
    assert.deepEqual(await errorCodes(alice), []);
    assert.deepEqual(await errorCodes(bob), []);
    assert.ok((await history(alice)).peers.includes('joined:Bob'));
  });
});
