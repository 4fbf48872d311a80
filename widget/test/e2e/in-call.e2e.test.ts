/**
 * In the call: what the other person does is visible (microphone, camera), and the two chat,
 * over the call's own data channel. Screen share, quality and devices: in-call-share.e2e.test.ts.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { openConnectedPair, useRig, waitForState } from './harness.js';
import type { StatsView } from '../stats-entry.js';
import { hasPart, partText } from './widget-parts.js';

const peerOf = (page: Page) => page.evaluate(() => document.querySelector('video-call')!.peer);
/** Waits until `page`'s `peer` has `field` equal to `value`. */
const waitForPeer = (page: Page, field: 'microphoneEnabled' | 'cameraEnabled', value: boolean) =>
  page.waitForFunction(([f, v]) => document.querySelector('video-call')!.peer?.[f as 'cameraEnabled'] === v, [field, value] as const, {
    timeout: 5000,
    polling: 20,
  });

/** Records every `vc-peer-change` and `vc-message` detail on the page. */
const recordDetails = (page: Page) =>
  page.evaluate(() => {
    const w = window as unknown as { __changes: unknown[]; __messages: { from: { name: string }; text: string }[] };
    w.__changes = [];
    w.__messages = [];
    document.addEventListener('vc-peer-change', (e) => w.__changes.push(e.detail.peer));
    document.addEventListener('vc-message', (e) => w.__messages.push(e.detail));
  });
const messagesOf = (page: Page) =>
  page.evaluate(() => (window as unknown as { __messages: { from: { name: string }; text: string }[] }).__messages);

describe('in the call', () => {
  const rig = useRig();

  test('camera off and mute show on the other side, and back; vc-peer-change reports each change', async () => {
    const [alice, bob] = await openConnectedPair(rig.browser, `${rig.service.url}/?room=in-call-media`);
    await recordDetails(bob);
    assert.deepEqual(await peerOf(bob), {
      id: (await peerOf(bob))!.id,
      name: 'Alice',
      microphoneEnabled: true,
      cameraEnabled: true,
      screenSharing: false,
    });
    assert.equal(await partText(bob, 'remote-name'), 'Alice');

    await alice.evaluate(() => document.querySelector('video-call')!.setCameraEnabled(false));
    await waitForPeer(bob, 'cameraEnabled', false);
    assert.equal(await hasPart(bob, 'remote-placeholder'), true);
    assert.match((await partText(bob, 'remote-placeholder'))!, /^A\s+Alice turned the camera off$/);
    assert.equal(await alice.evaluate(() => document.querySelector('video-call')!.cameraEnabled), false);
    assert.equal(await hasPart(alice, 'local-off'), true, 'Alice is told her own camera is off');

    await alice.evaluate(() => document.querySelector('video-call')!.setMicrophoneEnabled(false));
    await waitForPeer(bob, 'microphoneEnabled', false);
    assert.equal(await hasPart(bob, 'remote-muted'), true);

    // The built-in buttons do the same.
    await alice.locator('video-call').locator('[part~="camera-button"]').click();
    await alice.locator('video-call').locator('[part~="mic-button"]').click();
    await waitForPeer(bob, 'cameraEnabled', true);
    await waitForPeer(bob, 'microphoneEnabled', true);
    assert.equal(await hasPart(bob, 'remote-placeholder'), false);
    assert.equal(await hasPart(bob, 'remote-muted'), false);
    const changes = await bob.evaluate(
      () => (window as unknown as { __changes: { cameraEnabled: boolean; microphoneEnabled: boolean }[] }).__changes,
    );
    assert.deepEqual(
      changes.map((p) => [p.cameraEnabled, p.microphoneEnabled]),
      [
        [false, true],
        [false, false],
        [true, false],
        [true, true],
      ],
    );
    await alice.context().close();
    await bob.context().close();
  });

  test('chat both ways over the data channel during the call, through the service after it; a hostile string is shown as text', async () => {
    const [alice, bob] = await openConnectedPair(rig.browser, `${rig.service.url}/?room=in-call-chat`);
    await recordDetails(alice);
    await recordDetails(bob);
    const hostile = '<img src=x onerror="window.__pwned=1"><b>hi</b>';
    await alice.evaluate((text) => document.querySelector('video-call')!.sendMessage(text), hostile);
    await bob.waitForFunction(() => (window as unknown as { __messages: unknown[] }).__messages.length === 1);
    assert.deepEqual(
      (await messagesOf(bob)).map((m) => [m.from.name, m.text]),
      [['Alice', hostile]],
    );
    assert.deepEqual(
      (await messagesOf(alice)).map((m) => m.text),
      [hostile],
      'vc-message fires for a sent message too',
    );

    // Bob sees an unread count, opens the panel, reads it as text, and answers through the form.
    assert.equal(await partText(bob, 'chat-unread'), '1');
    const chat = bob.locator('video-call');
    await chat.locator('[part~="chat-button"]').click();
    assert.equal(await hasPart(bob, 'chat-unread'), false);
    assert.match((await partText(bob, 'chat'))!, /Alice.*<img src=x onerror="window.__pwned=1"><b>hi<\/b>/s);
    assert.equal(
      await bob.evaluate(() => document.querySelector('video-call')!.shadowRoot!.querySelector('[part~="chat"] img, [part~="chat"] b')),
      null,
    );
    await chat.locator('[part~="chat-input"]').fill('Hello Alice');
    await chat.locator('[part~="chat-send-button"]').click();
    await alice.waitForFunction(() => (window as unknown as { __messages: unknown[] }).__messages.length === 2);
    assert.deepEqual(
      (await messagesOf(alice)).map((m) => [m.from.name, m.text]),
      [
        ['', hostile],
        ['Bob', 'Hello Alice'],
      ],
    );
    assert.equal(await bob.evaluate(() => (window as unknown as { __pwned?: number }).__pwned), undefined);

    // It went peer to peer: the data channel carried it.
    const channel = await alice.evaluate(async () => {
      const stats: StatsView | null = await document.querySelector('video-call')!.getStats();
      const dc = [...(stats?.values() ?? [])].find((s) => s.type === 'data-channel');
      return { sent: dc?.messagesSent ?? 0, received: dc?.messagesReceived ?? 0 };
    });
    assert.ok(channel.sent >= 1 && channel.received >= 1, JSON.stringify(channel));

    // Bad messages are refused with a clear error and send nothing.
    const refused = await alice.evaluate(() => {
      const el = document.querySelector('video-call')!;
      const names: string[] = [];
      for (const text of ['', '   ', 'x'.repeat(2001)]) {
        try {
          el.sendMessage(text);
        } catch (error) {
          names.push((error as DOMException).name);
        }
      }
      return names;
    });
    assert.deepEqual(refused, ['SyntaxError', 'SyntaxError', 'SyntaxError']);
    // After the call, chat goes on through the service's room relay (no data channel any more).
    await alice.evaluate(() => document.querySelector('video-call')!.hangUp());
    await waitForState(bob, 'ended');
    await alice.evaluate(() => document.querySelector('video-call')!.sendMessage('still there?'));
    await bob.waitForFunction(() => (window as unknown as { __messages: unknown[] }).__messages.length === 3);
    assert.deepEqual((await messagesOf(bob)).at(-1)!.text, 'still there?');
    // Nobody in the room: refused.
    await bob.evaluate(() => document.querySelector('video-call')!.leave());
    await waitForState(alice, 'waiting');
    const alone = await alice.evaluate(() => {
      try {
        document.querySelector('video-call')!.sendMessage('anyone?');
        return 'sent';
      } catch (error) {
        return (error as DOMException).name;
      }
    });
    assert.equal(alone, 'InvalidStateError');
    await alice.context().close();
    await bob.context().close();
  });
});
