/** The words the widget shows: who left, who is there, how a call ended, on both sides. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { placeholderText, statusText } from '../../src/call/status-text.js';
import {
  accept,
  bob,
  BOB_CALL,
  call,
  carol,
  connected,
  decline,
  drive,
  fire,
  from,
  hangUp,
  incoming,
  memberJoined,
  memberLeft,
  ready,
  sig,
} from './helpers.js';

describe('status text', () => {
  test('the other person joins, leaves, and someone else comes', () => {
    assert.equal(statusText(ready()), 'Bob is here. Press Call to start.');
    const gone = drive(ready(), memberLeft(bob, 'left')).context;
    assert.equal(statusText(gone), 'Bob left. Waiting for someone to join room “room-1”…');
    assert.equal(statusText(drive(gone, memberJoined(carol)).context), 'Carol is here. Press Call to start.');
    assert.equal(statusText(drive(connected(), memberLeft(bob, 'left')).context), 'Bob left. Waiting for someone to join room “room-1”…');
  });

  test('ringing, on both sides', () => {
    const calling = drive(ready(), call()).context;
    assert.equal(statusText(calling), 'Calling Bob… Waiting for them to answer.');
    assert.equal(placeholderText(calling), 'Calling Bob…');
    assert.equal(statusText(incoming()), 'Bob is calling you.');
  });

  test('how a call ended, in words, on each side', () => {
    const calling = drive(ready(), call()).context;
    assert.equal(statusText(drive(calling, from(sig.decline())).context), 'Bob declined the call.');
    assert.equal(statusText(drive(incoming(), decline).context), 'You declined the call.');
    assert.equal(statusText(drive(calling, fire('ring')).context), 'Bob did not answer. Press Call to call again.');
    assert.equal(statusText(drive(incoming(), from(sig.hangUp(BOB_CALL))).context), 'You missed a call from Bob.');
    assert.equal(statusText(drive(connected(), from(sig.hangUp())).context), 'Bob ended the call.');
    assert.equal(statusText(drive(connected(), hangUp).context), 'Call ended. Press Call to call again.');
    assert.equal(statusText(drive(incoming(), accept).context), 'Connecting to Bob…');
  });
});
