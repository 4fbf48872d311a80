/** What the live regions say when the other person acts (a11y/announcements.ts), in node. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { announce, type AnnouncedView } from '../../src/a11y/announcements.js';
import { en } from '../../src/i18n/en.js';
import { format, type MessageKey, type MessageParams } from '../../src/i18n/messages.js';

const t = (key: MessageKey, params?: MessageParams) => format(en[key], params);
const base: AnnouncedView = {
  state: 'connected',
  peerName: 'Ann',
  inCall: true,
  microphoneEnabled: true,
  cameraEnabled: true,
  screenSharing: false,
  unread: 0,
  lastReceived: null,
};

test('an incoming call is announced assertively, once', () => {
  const ready = { ...base, state: 'ready' as const, inCall: false };
  const incoming = { ...ready, state: 'incoming' as const };
  assert.deepEqual(announce(ready, incoming, t), { polite: [], assertive: ['Ann is calling you'] });
  assert.deepEqual(announce(incoming, incoming, t), { polite: [], assertive: [] });
});

test('their microphone, camera and screen share are announced during a call', () => {
  const muted = { ...base, microphoneEnabled: false, cameraEnabled: false };
  assert.deepEqual(announce(base, muted, t).polite, ['Ann muted their microphone', 'Ann turned their camera off']);
  assert.deepEqual(announce(muted, base, t).polite, ['Ann turned their microphone on', 'Ann turned their camera on']);
  assert.deepEqual(announce(base, { ...base, screenSharing: true }, t).polite, ['Ann is sharing their screen']);
});

test('media changes outside a call (state reset between calls) are not announced', () => {
  const before = { ...base, inCall: false, microphoneEnabled: false };
  assert.deepEqual(announce(before, { ...before, microphoneEnabled: true }, t).polite, []);
  assert.deepEqual(announce(base, { ...base, inCall: false, microphoneEnabled: false }, t).polite, []);
});

test('a departure names who left; an unnamed peer is "The other person"', () => {
  assert.deepEqual(announce(base, { ...base, peerName: null, inCall: false }, t).polite, ['Ann left']);
  assert.deepEqual(announce({ ...base, peerName: '' }, { ...base, peerName: null, inCall: false }, t).polite, ['The other person left']);
});

test('a chat message received while the chat is closed is read out as text', () => {
  const next = { ...base, unread: 1, lastReceived: { name: 'Ann', text: '<b>hi</b>' } };
  assert.deepEqual(announce(base, next, t).polite, ['Message from Ann: <b>hi</b>']);
  assert.deepEqual(announce(next, { ...next, unread: 0 }, t).polite, []);
});
