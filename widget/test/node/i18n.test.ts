/**
 * The catalogs: every language has every key and the same placeholders as English, each
 * follows its typography, and `format()` fills templates safely.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { en } from '../../src/i18n/en.js';
import { fr } from '../../src/i18n/fr.js';
import { format, type MessageKey, type Messages } from '../../src/i18n/messages.js';
import { zh } from '../../src/i18n/zh.js';

const CATALOGS: Record<string, Messages> = { en, fr, zh };
const KEYS = Object.keys(en).sort() as MessageKey[];
const NNBSP = '\u202f';
const placeholders = (text: string) => [...text.matchAll(/\{([A-Za-z0-9_]+)\}/g)].map((m) => m[1]).sort();
/** Entries of `catalog` whose text matches `pattern` (the offending ones, for the message). */
const offending = (catalog: Messages, pattern: RegExp) =>
  (Object.entries(catalog) as [string, string][]).filter(([, text]) => pattern.test(text)).map(([key, text]) => `${key}: ${text}`);

describe('catalogs', () => {
  for (const [lang, catalog] of Object.entries(CATALOGS)) {
    test(`${lang}: exactly the English keys, each a non-empty string`, () => {
      assert.deepEqual(Object.keys(catalog).sort(), KEYS);
      for (const key of KEYS) assert.ok(typeof catalog[key] === 'string' && catalog[key].trim() !== '', `${lang}.${key}`);
    });

    test(`${lang}: the same {placeholders} as English for every key`, () => {
      for (const key of KEYS) assert.deepEqual(placeholders(catalog[key]), placeholders(en[key]), `${lang}.${key}: ${catalog[key]}`);
    });

    test(`${lang}: no ASCII double quotes or three dots (“ ” « » and … instead)`, () => {
      assert.deepEqual(offending(catalog, /"|\.\.\./), []);
    });
  }

  test('the keys the view needs for accessibility are there', () => {
    const needed = [
      ...['start', 'tryAgain', 'call', 'accept', 'decline', 'cancel', 'hangUp', 'leave', 'mute', 'cameraOff', 'shareScreen'],
      ...['pictureInPicture', 'fullScreen', 'devices', 'chat', 'send', 'shortcutHint', 'keyMute', 'keyCamera', 'keyHangUp'],
      ...['remoteVideoLabel', 'remoteScreenLabel', 'localVideoLabel', 'theOtherPerson', 'theOtherPersonLower', 'someone'],
      ...['localCameraOff', 'remoteCameraOff', 'remoteMuted', 'remoteMutedTitle', 'callDuration', 'unread'],
      ...['announceIncoming', 'announceMicOff', 'announceMicOn', 'announceCameraOff', 'announceCameraOn', 'announceScreenOn'],
      ...['announceScreenOff', 'announceLeft', 'announceJoined', 'announceMessage'],
      ...['qualityGood', 'qualityFair', 'qualityPoor', 'qualityLost', 'qualityRoundTrip', 'qualityLoss', 'qualityUpload', 'qualityFps'],
      ...['stageLabel', 'controlsLabel'],
    ];
    assert.deepEqual(
      needed.filter((key) => !(key in en)),
      [],
    );
    assert.equal(en.shortcutHint, '{label} ({key})');
    assert.equal(en.mute, 'Mute');
    assert.equal(en.cameraOff, 'Camera off');
  });

  test('the shortcut keys stay the same Latin letters in every language', () => {
    for (const catalog of [fr, zh]) assert.deepEqual([catalog.keyMute, catalog.keyCamera, catalog.keyHangUp], ['M', 'V', 'H']);
  });

  test('English: typographic apostrophes and quotes only', () => {
    assert.deepEqual(offending(en, /'/), []);
  });

  test('French: a narrow no-break space before ; : ! ? and inside « », and the apostrophe ’', () => {
    // Any ; : ! ? not preceded by U+202F (a URL's "://" aside).
    assert.deepEqual(offending(fr, /[^\u202f][;:!?](?!\/\/)/), []);
    assert.deepEqual(offending(fr, new RegExp(`«(?!${NNBSP})|(?<!${NNBSP})»`)), []);
    assert.deepEqual(offending(fr, /'|[“”]/), []);
    // … and one kind of space: no U+00A0 mixed in.
    assert.deepEqual(offending(fr, /\u00a0/), []);
    assert.match(fr.statusIdle, /^Appuyez sur «\u202fDémarrer\u202f» pour allumer votre caméra et rejoindre l’appel\.$/);
  });

  test('Chinese: full-width punctuation next to Chinese text, no space before it', () => {
    const cjk = '[\\u3400-\\u9fff]';
    // ASCII , . ? : ! ; ( ) right after or before a Chinese character.
    assert.deepEqual(offending(zh, new RegExp(`${cjk}[,.?:!;()]|[,?:!;()]${cjk}`)), []);
    // No space between Chinese text and its punctuation.
    assert.deepEqual(offending(zh, new RegExp(`${cjk} [，。：；？！”）]|[“（] ${cjk}| [，。：；？！]`)), []);
    // Six-dot ellipsis, never a single … after Chinese text.
    assert.deepEqual(offending(zh, new RegExp(`${cjk}…(?!…)`)), []);
    assert.equal(zh.statusIdle, '按“开始”打开摄像头并加入通话。');
  });
});

describe('format', () => {
  test('fills each {param}; a missing one gives nothing; other braces stay', () => {
    assert.equal(format('Hello {name}, room “{room}”', { name: 'Ann', room: 'r1' }), 'Hello Ann, room “r1”');
    assert.equal(format('{name} left.', {}), ' left.');
    assert.equal(format('{a}{a}{ b } {}', { a: 'x' }), 'xx{ b } {}');
  });

  test('params are text: a value is never read as a template, and prototype names are not params', () => {
    assert.equal(format('{name} is here', { name: '{room} <b>x</b>', room: 'r1' }), '{room} <b>x</b> is here');
    assert.equal(format('[{constructor}][{toString}]', {}), '[][]');
  });

  test('numbers are written for the language', () => {
    assert.equal(format('{n}', { n: 1234.5 }, 'fr'), `1${NNBSP}234,5`);
    assert.equal(format('{n}', { n: 1234.5 }, 'en'), '1,234.5');
    assert.equal(format('{n}', { n: 1234.5 }, 'zh'), '1,234.5');
    assert.equal(format('{n}', { n: 1234.5 }), '1234.5');
    assert.equal(format('{n}', { n: 2 }, 'not a tag!'), '2');
    assert.equal(format(fr.qualityLoss, { percent: 1.5 }, 'fr'), `pertes 1,5${NNBSP}%`);
  });
});
