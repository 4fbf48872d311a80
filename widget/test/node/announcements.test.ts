/** What the live regions say when the others act (a11y/announcements.ts), in node. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { announce, type AnnouncedTile, type AnnouncedView } from '../../src/a11y/announcements.js';
import { en } from '../../src/i18n/en.js';
import { format, type MessageKey, type MessageParams } from '../../src/i18n/messages.js';

const t = (key: MessageKey, params?: MessageParams) => format(en[key], params);
const ann: AnnouncedTile = { id: 'ann-1', name: 'Ann', microphoneEnabled: true, cameraEnabled: true, screenSharing: false };
const ben: AnnouncedTile = { ...ann, id: 'ben-1', name: 'Ben' };
const base: AnnouncedView = {
  state: 'connected',
  ringer: '',
  members: [{ id: ann.id, name: 'Ann' }],
  tiles: [ann],
  speaker: '',
  unread: 0,
  lastReceived: null,
};
const nobody = { polite: [], assertive: [], speaker: '' };

test('an incoming call is announced assertively, once', () => {
  const ready = { ...base, state: 'ready' as const, tiles: [] };
  const incoming = { ...ready, state: 'incoming' as const, ringer: 'Ann' };
  assert.deepEqual(announce(ready, incoming, t), { ...nobody, assertive: ['Ann is calling you'] });
  assert.deepEqual(announce(incoming, incoming, t), nobody);
});

test('their microphone, camera and screen share are announced during a call', () => {
  const muted = { ...base, tiles: [{ ...ann, microphoneEnabled: false, cameraEnabled: false }] };
  assert.deepEqual(announce(base, muted, t).polite, ['Ann muted their microphone', 'Ann turned their camera off']);
  assert.deepEqual(announce(muted, base, t).polite, ['Ann turned their microphone on', 'Ann turned their camera on']);
  assert.deepEqual(announce(base, { ...base, tiles: [{ ...ann, screenSharing: true }] }, t).polite, ['Ann is sharing their screen']);
});

test("media changes outside a call are not announced, nor the call's own start and end", () => {
  const before = { ...base, tiles: [] };
  assert.deepEqual(announce(before, { ...before, state: 'ready' }, t).polite, []);
  assert.deepEqual(announce(before, base, t).polite, [], 'the first participant: the status line says it');
  assert.deepEqual(announce(base, { ...base, state: 'ended', tiles: [] }, t).polite, [], 'the call ended: the status line says it');
});

test('a departure from the room names who left; an unnamed member is "The other person"', () => {
  assert.deepEqual(announce(base, { ...base, members: [], tiles: [], state: 'ready' }, t).polite, ['Ann left']);
  const unnamed = { ...base, members: [{ id: ann.id, name: '' }] };
  assert.deepEqual(announce(unnamed, { ...base, members: [], tiles: [], state: 'ready' }, t).polite, ['The other person left']);
  assert.deepEqual(
    announce(base, { ...base, members: [], tiles: [], state: 'waiting' }, t).polite,
    [],
    'back to waiting: the status line says it',
  );
});

test('in a group call: who joins and who leaves the call, once each', () => {
  const two = {
    ...base,
    members: [
      { id: ann.id, name: 'Ann' },
      { id: ben.id, name: 'Ben' },
    ],
    tiles: [ann, ben],
  };
  assert.deepEqual(announce(base, { ...two }, t).polite, ['Ben joined the call']);
  assert.deepEqual(announce(two, { ...two, tiles: [ann] }, t).polite, ['Ben left the call'], 'Ben hung up and stays in the room');
  assert.deepEqual(announce(two, { ...base }, t).polite, ['Ben left'], 'Ben left the room: said once, as leaving');
});

test('who speaks is offered only in a group call, when it changes', () => {
  const two = { ...base, tiles: [ann, ben] };
  assert.equal(announce(two, { ...two, speaker: 'Ben' }, t).speaker, 'Ben is speaking');
  assert.equal(announce({ ...two, speaker: 'Ben' }, { ...two, speaker: 'Ben' }, t).speaker, '');
});

test('a chat message received while the chat is closed is read out as text', () => {
  const next = { ...base, unread: 1, lastReceived: { name: 'Ann', text: '<b>hi</b>' } };
  assert.deepEqual(announce(base, next, t).polite, ['Message from Ann: <b>hi</b>']);
  assert.deepEqual(announce(next, { ...next, unread: 0 }, t).polite, []);
});
