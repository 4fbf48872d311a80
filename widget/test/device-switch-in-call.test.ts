/**
 * Switching the camera in a call: the new camera's track goes on the sender with `replaceTrack`,
 * with no renegotiation, and the far side keeps decoding frames. Two RTCPeerConnections in one
 * page, the fake cameras `fake_device_0` and `fake_device_2` in turn (fake-cameras.ts). Prints
 * how long each switch took and how long until a frame decoded after it.
 */
import { expect, waitUntil } from '@open-wc/testing';
import { MediaController } from '../src/controllers/media-controller.js';
import { cameras } from './fake-cameras.js';
import type { StatsEntry } from './stats-entry.js';
import { TestHost } from './test-host.js';

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

describe('devices in a call', () => {
  const cleanups: (() => void)[] = [];
  afterEach(() => cleanups.splice(0).forEach((fn) => fn()));

  function media() {
    const host = new TestHost();
    const controller = new MediaController(host, {});
    cleanups.push(() => host.disconnect());
    return controller;
  }

  it('mid-call switch: replaceTrack, no renegotiation, the remote side keeps getting frames', async function () {
    this.timeout(60000);
    const m = media();
    const stream = (await m.start())!;
    const ids = await cameras();
    // fake_device_1 is Chromium's fake *depth* camera (Y16): it previews, but WebRTC does not
    // encode it. fake_device_2 (MJPEG) is a camera that sends.
    expect(ids.has('fake_device_2'), 'Chromium needs --use-fake-device-for-media-stream=device-count=3').to.equal(true);
    const a = new RTCPeerConnection();
    const b = new RTCPeerConnection();
    cleanups.push(() => (a.close(), b.close()));
    a.onicecandidate = ({ candidate }) => void b.addIceCandidate(candidate);
    b.onicecandidate = ({ candidate }) => void a.addIceCandidate(candidate);
    const senders = stream.getTracks().map((track) => a.addTrack(track, stream));
    await a.setLocalDescription();
    await b.setRemoteDescription(a.localDescription!);
    await b.setLocalDescription();
    await a.setRemoteDescription(b.localDescription!);
    let negotiations = 0;
    a.onnegotiationneeded = () => negotiations++;
    b.onnegotiationneeded = () => negotiations++;
    const framesDecoded = async () => {
      let frames = 0;
      (await b.getStats()).forEach((s: StatsEntry) => s.type === 'inbound-rtp' && s.kind === 'video' && (frames = s.framesDecoded ?? 0));
      return frames;
    };
    await waitUntil(async () => (await framesDecoded()) > 10, 'remote frames', { timeout: 10000 });

    const times: number[] = [];
    const firstFrames: number[] = [];
    for (const label of [
      'fake_device_2',
      'fake_device_0',
      'fake_device_2',
      'fake_device_0',
      'fake_device_2',
      'fake_device_0',
      'fake_device_2',
    ]) {
      const started = performance.now();
      const result = (await m.switchDevice('videoinput', ids.get(label)!))!;
      const sender = senders.find((s) => s.track?.kind === 'video')!;
      await sender.replaceTrack(result.next);
      times.push(performance.now() - started);
      expect(result.previous!.readyState).to.equal('ended'); // the old camera sends nothing any more
      const before = await framesDecoded();
      await waitUntil(async () => (await framesDecoded()) > before, `remote frames after switching to ${label}`, {
        timeout: 5000,
        interval: 5,
      });
      firstFrames.push(performance.now() - started);
      await waitUntil(async () => (await framesDecoded()) > before + 10, `remote frames after switching to ${label}`, { timeout: 5000 });
      expect(sender.track!.label).to.equal(label);
    }
    expect(negotiations).to.equal(0);
    expect(a.signalingState).to.equal('stable');
    console.log(
      `device switch (getUserMedia + replaceTrack), ms: ${times.map((t) => t.toFixed(0)).join(' ')}; median ${median(times).toFixed(0)}; ` +
        `to a remote frame decoded after it, ms: ${firstFrames.map((t) => t.toFixed(0)).join(' ')}; median ${median(firstFrames).toFixed(0)}`,
    );
  });
});
