/**
 * The status line, the placeholder and the error messages in French and Chinese, from contexts
 * reached by real event sequences; errors keep their code in every language.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { errorText, VideoCallError } from '../../src/errors.js';
import { placeholderText, statusText } from '../../src/call/status-text.js';
import { en } from '../../src/i18n/en.js';
import { fr } from '../../src/i18n/fr.js';
import { mergeOverrides } from '../../src/i18n/localize-controller.js';
import { createTranslate, english } from '../../src/i18n/translator.js';
import { zh } from '../../src/i18n/zh.js';
import { initialContext } from '../../src/call/room-context.js';
import { bob, call, connected, drive, fire, from, full, incoming, memberLeft, ready, sig, start } from './helpers.js';

const t = { fr: createTranslate(fr, 'fr'), zh: createTranslate(zh, 'zh') };
const unnamed = { ...bob, name: '' };

describe('status text in French and Chinese', () => {
  test('idle, ready, ringing on both sides', () => {
    assert.equal(statusText(initialContext(), t.fr), 'Appuyez sur «\u202fDémarrer\u202f» pour allumer votre caméra et rejoindre l’appel.');
    assert.equal(statusText(initialContext(), t.zh), '按“开始”打开摄像头并加入通话。');
    assert.equal(statusText(ready(), t.fr), 'Bob est là. Appuyez sur «\u202fAppeler\u202f» pour commencer.');
    assert.equal(statusText(ready(), t.zh), 'Bob已在房间里。按“呼叫”开始通话。');
    const calling = drive(ready(), call()).context;
    assert.equal(statusText(calling, t.fr), 'Vous appelez Bob… En attente de sa réponse.');
    assert.equal(statusText(calling, t.zh), '正在呼叫Bob……等待对方接听。');
    assert.equal(placeholderText(calling, t.zh), '正在呼叫Bob……');
    assert.equal(statusText(incoming(), t.fr), 'Bob vous appelle.');
    assert.equal(statusText(incoming(), t.zh), 'Bob正在呼叫您。');
  });

  test('an unnamed peer: the fallback fits its place in the sentence', () => {
    const nameless = drive(
      initialContext(),
      start(),
      { type: 'media-ready' },
      { type: 'joined', self: 'aaa-self-peer-id-00001', members: [unnamed] },
    ).context;
    assert.equal(statusText(nameless, t.fr), 'L’autre personne est là. Appuyez sur «\u202fAppeler\u202f» pour commencer.');
    assert.equal(statusText(drive(nameless, call()).context, t.fr), 'Vous appelez l’autre personne… En attente de sa réponse.');
    assert.equal(statusText(nameless, t.zh), '对方已在房间里。按“呼叫”开始通话。');
    assert.equal(placeholderText(drive(nameless, from(sig.ring(), unnamed)).context, t.fr), 'Quelqu’un vous appelle');
    assert.equal(statusText(nameless, english), 'The other person is here. Press Call to start.');
  });

  test('leaving, ending, full, a failed start', () => {
    assert.equal(
      statusText(drive(connected(), memberLeft(bob, 'left')).context, t.fr),
      'Bob a quitté le salon. En attente de quelqu’un dans le salon «\u202froom-1\u202f»…',
    );
    assert.equal(statusText(drive(connected(), from(sig.hangUp())).context, t.zh), 'Bob结束了通话。');
    assert.equal(statusText(drive(drive(ready(), call()).context, fire('ring')).context, t.zh), 'Bob没有接听。按“呼叫”可再次呼叫。');
    assert.equal(
      statusText(full(), t.fr),
      'Le salon «\u202froom-1\u202f» est complet\u202f: il accueille déjà autant de personnes qu’il le peut.',
    );
    assert.equal(placeholderText(full(), t.zh), '房间已满');
    const badRoom = drive(initialContext(), start('no spaces allowed')).context;
    assert.equal(statusText(badRoom, t.fr), fr.errorMissingRoom);
    assert.equal(statusText(badRoom, t.zh), zh.errorMissingRoom);
    assert.equal(statusText(badRoom), en.errorMissingRoom);
  });

  test('a host override shows in the status line', () => {
    const custom = createTranslate(mergeOverrides(fr, { statusReady: '{name} attend votre appel.' }), 'fr');
    assert.equal(statusText(ready(), custom), 'Bob attend votre appel.');
  });
});

describe('error messages', () => {
  test('a VideoCallError keeps its code; its message is English; the person reads it in their language', () => {
    const error = new VideoCallError('room-full', { params: { room: 'r1' } });
    assert.equal(error.code, 'room-full');
    assert.equal(error.message, 'Room “r1” is full: it already has as many people as it holds.');
    assert.equal(
      errorText(error, t.fr),
      'Le salon «\u202fr1\u202f» est complet\u202f: il accueille déjà autant de personnes qu’il le peut.',
    );
    assert.equal(errorText(error, t.zh), '房间“r1”已满：人数已达上限。');
  });

  test('a variant of a code has its own words; the service’s reason is kept as a param', () => {
    const speaker = new VideoCallError('media-not-found', { key: 'errorSpeakerNotFound' });
    assert.equal(speaker.message, 'That speaker was not found.');
    assert.equal(errorText(speaker, t.zh), '未找到该扬声器。');
    const refused = new VideoCallError('join-failed', {
      params: { room: 'r1', reason: 'invalid payload' },
      protocolCode: 'invalid-payload',
    });
    assert.equal(refused.protocolCode, 'invalid-payload');
    assert.equal(errorText(refused, t.fr), 'Impossible de rejoindre le salon «\u202fr1\u202f»\u202f: invalid payload');
  });

  test('device-lost names the device and what took over, in each language', () => {
    const camera = { code: 'device-lost' as const, params: { kind: 'videoinput' as const, device: 'USB Cam', fallback: 'FaceTime HD' } };
    assert.equal(errorText(camera, english), 'The camera “USB Cam” is no longer available; now using “FaceTime HD”.');
    assert.equal(
      errorText(camera, t.fr),
      'La caméra «\u202fUSB Cam\u202f» n’est plus disponible\u202f; utilisation de «\u202fFaceTime HD\u202f» à la place.',
    );
    assert.equal(errorText(camera, t.zh), '摄像头“USB Cam”已不可用；现在使用“FaceTime HD”。');
    const speaker = { code: 'device-lost' as const, params: { kind: 'audiooutput' as const, device: '' } };
    assert.equal(errorText(speaker, english), 'The chosen speaker is not available; sound plays on the default speaker.');
    assert.equal(
      errorText(speaker, t.fr),
      'Le haut-parleur choisi n’est pas disponible\u202f; le son passe par le haut-parleur par défaut.',
    );
    const mic = { code: 'device-lost' as const, params: { kind: 'audioinput' as const, device: 'Headset' } };
    assert.equal(errorText(mic, t.zh), '麦克风“Headset”已不可用；未找到其他麦克风。');
  });

  test('every code has words in every language', () => {
    const codes = [
      'missing-room',
      'media-permission-denied',
      'media-not-found',
      'media-in-use',
      'media-unsupported',
      'media-failed',
      'signaling-unreachable',
      'signaling-lost',
      'room-full',
      'ticket-required',
      'ticket-invalid',
      'ticket-expired',
      'ticket-wrong-room',
      'join-failed',
      'ice-degraded',
      'relay-unavailable',
      'call-failed',
    ] as const;
    for (const code of codes) {
      const words = [english, t.fr, t.zh].map((translate) => errorText({ code, params: { room: 'r1', reason: 'x' } }, translate));
      assert.equal(new Set(words).size, 3, `${code}: ${words.join(' | ')}`);
      assert.ok(
        words.every((w) => w.length > 5 && !w.includes('{')),
        code,
      );
    }
  });
});
