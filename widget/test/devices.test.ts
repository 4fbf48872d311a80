/**
 * Devices: the device lists, switching camera and microphone, the fallback when a device is lost,
 * and the microphone meter. Switching in a call is in device-switch-in-call.test.ts, the pickers'
 * template in devices-panel.test.ts. Needs three fake cameras (fake-cameras.ts) and the fake
 * microphones.
 */
import { expect, fixture, waitUntil } from '@open-wc/testing';
import { html } from 'lit';
import { DevicesController } from '../src/controllers/devices-controller.js';
import { MediaController, type CaptureKind } from '../src/controllers/media-controller.js';
import { VideoCallError } from '../src/errors.js';
import { replaceMethod } from './replace-method.js';
import { cameras } from './fake-cameras.js';
import { TestHost } from './test-host.js';

const videoTrack = (stream: MediaStream) => stream.getVideoTracks()[0]!;
const audioTrack = (stream: MediaStream) => stream.getAudioTracks()[0]!;

/** A playing `<video>` showing `stream`: the local preview. */
async function preview(stream: MediaStream): Promise<HTMLVideoElement> {
  const video = await fixture<HTMLVideoElement>(html`<video autoplay playsinline muted .muted=${true}></video>`);
  video.srcObject = stream;
  await video.play();
  return video;
}

/** Resolves when `video` presents a new frame (requestVideoFrameCallback), false after `ms`. */
const nextFrame = (video: HTMLVideoElement, ms = 3000) =>
  new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    video.requestVideoFrameCallback(() => (clearTimeout(timer), resolve(true)));
  });

describe('devices', () => {
  const cleanups: (() => void)[] = [];
  afterEach(() => cleanups.splice(0).forEach((fn) => fn()));

  function media(options: ConstructorParameters<typeof MediaController>[1] = {}) {
    const host = new TestHost();
    const controller = new MediaController(host, options);
    cleanups.push(() => host.disconnect());
    return controller;
  }

  it('lists two cameras, the microphones and the speakers (getDevices)', async () => {
    const m = media();
    await m.start();
    const host = new TestHost();
    const devices = new DevicesController(host);
    cleanups.push(() => host.disconnect());
    const lists = await devices.refresh();
    const labels = lists.videoinput.map((d) => d.label);
    expect(labels.length).to.be.at.least(2);
    expect(labels).to.include.members(['fake_device_0', 'fake_device_1']);
    expect(lists.audioinput.length).to.be.greaterThan(0);
    expect('setSinkId' in HTMLMediaElement.prototype).to.equal(true);
    expect(lists.audiooutput.every((d) => d.kind === 'audiooutput')).to.equal(true);
    expect(devices.devices).to.equal(lists);
  });

  it('start() captures the chosen devices (exact), and falls back to the default when one is gone', async () => {
    const lost: [CaptureKind, string][] = [];
    const m = media({ onDeviceLost: (kind, label) => lost.push([kind, label]) });
    await m.start();
    const ids = await cameras();
    m.stop();
    m.videoDeviceId = ids.get('fake_device_1')!;
    const stream = (await m.start())!;
    expect(videoTrack(stream).label).to.equal('fake_device_1');
    expect(m.currentDeviceId('videoinput')).to.equal(ids.get('fake_device_1'));

    m.stop();
    m.videoDeviceId = 'no-such-camera';
    const fallback = (await m.start())!;
    expect(videoTrack(fallback).readyState).to.equal('live');
    expect(m.videoDeviceId).to.equal('');
    expect(lost).to.deep.equal([['videoinput', '']]);
  });

  it('switchDevice: the new camera in the same stream, still off if it was; the old track stopped; the preview keeps playing', async () => {
    const switched: MediaStreamTrack[] = [];
    const m = media({ onTrackSwitched: (next) => switched.push(next) });
    const stream = (await m.start())!;
    const ids = await cameras();
    const video = await preview(stream);
    const old = videoTrack(stream);
    expect(old.label).to.equal('fake_device_0');
    m.setVideoMuted(true);

    const result = (await m.switchDevice('videoinput', ids.get('fake_device_1')!))!;
    expect(m.stream).to.equal(stream);
    expect(stream.getVideoTracks()).to.deep.equal([result.next]);
    expect(result.previous).to.equal(old);
    expect(result.next.label).to.equal('fake_device_1');
    expect(result.next.enabled).to.equal(false);
    expect(m.videoMuted).to.equal(true);
    expect(old.readyState).to.equal('ended');
    expect(switched).to.deep.equal([result.next]);
    expect(audioTrack(stream).readyState).to.equal('live'); // the microphone was not touched
    expect(m.videoDeviceId).to.equal(ids.get('fake_device_1'));

    m.setVideoMuted(false);
    expect(result.next.enabled).to.equal(true);
    expect(await nextFrame(video)).to.equal(true);
    expect(video.paused).to.equal(false);
    // The same device again: nothing to do.
    expect(await m.switchDevice('videoinput', ids.get('fake_device_1')!)).to.equal(null);
  });

  it('switchDevice: the microphone keeps its mute; an unknown device is refused and the old track stays', async () => {
    const m = media();
    const stream = (await m.start())!;
    const mics = (await navigator.mediaDevices.enumerateDevices()).filter((d) => d.kind === 'audioinput');
    const other = mics.find((d) => d.deviceId !== audioTrack(stream).getSettings().deviceId && d.deviceId !== 'default')!;
    m.setAudioMuted(true);
    const result = (await m.switchDevice('audioinput', other.deviceId))!;
    expect(audioTrack(stream)).to.equal(result.next);
    expect(result.next.getSettings().deviceId).to.equal(other.deviceId);
    expect(result.next.enabled).to.equal(false);
    expect(result.previous!.readyState).to.equal('ended');

    const camera = videoTrack(stream);
    let error: unknown;
    await m.switchDevice('videoinput', 'no-such-camera').catch((e: unknown) => (error = e));
    expect(error).to.be.instanceOf(VideoCallError);
    expect((error as VideoCallError).code).to.equal('media-not-found');
    expect(videoTrack(stream)).to.equal(camera);
    expect(camera.readyState).to.equal('live');
  });

  it('switchDevice before start() is remembered for start(); stop() during a switch drops its track', async () => {
    const m = media();
    await m.start();
    const ids = await cameras();
    m.stop();
    expect(await m.switchDevice('videoinput', ids.get('fake_device_1')!)).to.equal(null);
    const stream = (await m.start())!;
    expect(videoTrack(stream).label).to.equal('fake_device_1');
    const pending = m.switchDevice('videoinput', ids.get('fake_device_0')!);
    m.stop();
    expect(await pending).to.equal(null);
    expect(m.stream).to.equal(null);
  });

  it('a camera lost mid-capture (track ended) falls back to the default one and says so', async () => {
    const lost: [CaptureKind, string, MediaStreamTrack | null][] = [];
    const switched: MediaStreamTrack[] = [];
    const m = media({ onDeviceLost: (...args) => lost.push(args), onTrackSwitched: (next) => switched.push(next) });
    const stream = (await m.start())!;
    const ids = await cameras();
    await m.switchDevice('videoinput', ids.get('fake_device_1')!);
    m.setVideoMuted(true);
    const unplugged = videoTrack(stream);
    // As when the camera is unplugged: stop() alone does not fire `ended`.
    unplugged.stop();
    unplugged.dispatchEvent(new Event('ended'));
    await waitUntil(() => lost.length === 1, 'fallback reported', { timeout: 5000 });
    const next = videoTrack(stream);
    expect(lost[0]).to.deep.equal(['videoinput', 'fake_device_1', next]);
    expect(next).to.not.equal(unplugged);
    expect(next.readyState).to.equal('live');
    expect(next.label).to.equal('fake_device_0');
    expect(next.enabled).to.equal(false);
    expect(stream.getVideoTracks().length).to.equal(1);
    expect(switched.at(-1)).to.equal(next);
    expect(m.videoDeviceId).to.equal('');
  });

  it('a microphone lost mid-capture falls back too', async () => {
    const lost: [CaptureKind, string][] = [];
    const m = media({ onDeviceLost: (kind, label) => lost.push([kind, label]) });
    const stream = (await m.start())!;
    const mic = audioTrack(stream);
    mic.stop();
    mic.dispatchEvent(new Event('ended'));
    await waitUntil(() => lost.length === 1, 'fallback reported', { timeout: 5000 });
    expect(lost[0]).to.deep.equal(['audioinput', mic.label]);
    expect(audioTrack(stream).readyState).to.equal('live');
    expect(audioTrack(stream)).to.not.equal(mic);
  });

  it('the microphone meter reports a level for the fake microphone (its beep), only while shown', async () => {
    const m = media();
    const stream = (await m.start())!;
    const host = new TestHost();
    const devices = new DevicesController(host);
    cleanups.push(() => host.disconnect());
    devices.meter(true, stream);
    await waitUntil(() => devices.level > 0, 'a level', { timeout: 5000 });
    expect(devices.level).to.be.at.most(1);
    // Renders are throttled: at most 15 a second (plus one).
    const updates = host.updates;
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(host.updates - updates).to.be.at.most(16);

    // The meter follows a microphone switch (a new track) when asked again.
    const mics = (await navigator.mediaDevices.enumerateDevices()).filter((d) => d.kind === 'audioinput');
    const other = mics.find((d) => d.deviceId !== audioTrack(stream).getSettings().deviceId && d.deviceId !== 'default')!;
    await m.switchDevice('audioinput', other.deviceId);
    devices.meter(true, stream);
    expect(devices.level).to.equal(0);
    await waitUntil(() => devices.level > 0, 'a level from the new microphone', { timeout: 5000 });

    devices.meter(false);
    expect(devices.level).to.equal(0);
    const after = host.updates;
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(host.updates).to.equal(after);
  });

  it('setSpeaker plays on the chosen speaker (setSinkId) and refuses an unknown one', async () => {
    const host = new TestHost();
    const devices = new DevicesController(host);
    cleanups.push(() => host.disconnect());
    const video = document.createElement('video');
    await devices.setSpeaker('', video);
    expect(devices.speakerId).to.equal('');
    let error: unknown;
    await devices.setSpeaker('no-such-speaker').catch((e: unknown) => (error = e));
    expect((error as VideoCallError).code).to.equal('media-not-found');
    expect(devices.speakerId).to.equal('');
  });
  it('re-reads the devices on devicechange; a chosen speaker that is gone goes back to the default, and says so', async () => {
    const lost: [string, string][] = [];
    const host = new TestHost();
    const devices = new DevicesController(host, { onDeviceLost: (kind, label) => lost.push([kind, label]) });
    cleanups.push(() => host.disconnect());
    await devices.refresh();
    devices.devices = { videoinput: [], audioinput: [], audiooutput: [] };
    devices.speakerId = 'unplugged-speaker';
    navigator.mediaDevices.dispatchEvent(new Event('devicechange'));
    await waitUntil(() => devices.devices.videoinput.length > 0 && lost.length === 1, 'lists read again', { timeout: 3000 });
    expect(lost).to.deep.equal([['audiooutput', '']]);
    expect(devices.speakerId).to.equal('');
  });

  it('permission denied: an actionable coded error, and start() works again without a reload', async () => {
    const m = media();
    const restore = replaceMethod(
      navigator.mediaDevices,
      'getUserMedia',
      () => () => Promise.reject(new DOMException('Permission denied', 'NotAllowedError')),
    );
    let error: unknown;
    try {
      await m.start().catch((e: unknown) => (error = e));
    } finally {
      restore();
    }
    expect((error as VideoCallError).code).to.equal('media-permission-denied');
    expect((error as VideoCallError).message).to.contain('Try again');
    expect(m.stream).to.equal(null);
    const stream = (await m.start())!;
    expect(stream.getTracks().map((t) => t.readyState)).to.deep.equal(['live', 'live']);
  });

  it('tells when a denied camera or microphone permission is allowed again (Permissions API)', async () => {
    class FakeStatus extends EventTarget {
      constructor(public state: PermissionState) {
        super();
      }
    }
    const statuses = { camera: new FakeStatus('denied'), microphone: new FakeStatus('granted') };
    const restore = replaceMethod(
      navigator.permissions,
      'query',
      () => (({ name }: { name: 'camera' | 'microphone' }) => Promise.resolve(statuses[name])) as unknown as Permissions['query'],
    );
    let allowed = 0;
    const host = new TestHost();
    try {
      new DevicesController(host, { onPermissionAllowed: () => allowed++ });
      await new Promise((resolve) => setTimeout(resolve, 0));
    } finally {
      restore();
    }
    cleanups.push(() => host.disconnect());
    statuses.microphone.dispatchEvent(new Event('change'));
    expect(allowed).to.equal(0);
    statuses.camera.state = 'prompt';
    statuses.camera.dispatchEvent(new Event('change'));
    expect(allowed).to.equal(1);
    host.disconnect();
    statuses.camera.state = 'denied';
    statuses.camera.dispatchEvent(new Event('change'));
    statuses.camera.state = 'granted';
    statuses.camera.dispatchEvent(new Event('change'));
    expect(allowed).to.equal(1);
  });
});
