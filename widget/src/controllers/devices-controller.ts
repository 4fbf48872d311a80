/**
 * The devices a person can pick for `<video-call>` (cameras, microphones, speakers), the chosen
 * speaker, the microphone level meter of the preview, and a watch on the camera/microphone
 * permission so a denied start can be retried as soon as the person allows it (no reload).
 * Capture itself (and switching the camera or microphone) is the MediaController's.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { VideoCallError } from '../errors.js';

/** The devices of each kind, as `enumerateDevices()` lists them. */
export interface DeviceLists {
  videoinput: MediaDeviceInfo[];
  audioinput: MediaDeviceInfo[];
  /** Speakers: empty where the browser cannot choose one (no `HTMLMediaElement.setSinkId`). */
  audiooutput: MediaDeviceInfo[];
}

export interface DevicesControllerOptions {
  /** The chosen speaker was unplugged: sound went back to the default one. Tell the person. */
  onDeviceLost?(kind: 'audiooutput', label: string): void;
  /**
   * The camera or microphone permission was denied and no longer is (the person changed the site
   * settings): a good moment to try again. Where the Permissions API knows these names.
   */
  onPermissionAllowed?(): void;
}

/** True where the browser can play audio on a chosen speaker (`setSinkId`). */
export const canChooseSpeaker = (): boolean => typeof HTMLMediaElement !== 'undefined' && 'setSinkId' in HTMLMediaElement.prototype;

/** At most this often does a moving level ask the host to render (15 Hz). */
const METER_RENDER_MS = 1000 / 15;
/** The meter falls by half in this time after a peak (steadier to read than raw levels). */
const METER_HALF_LIFE_MS = 150;

type SinkElement = HTMLMediaElement & { sinkId?: string; setSinkId?(id: string): Promise<void> };

/**
 * Reactive controller listing the devices (re-read on `devicechange`), choosing the speaker and
 * measuring the microphone level while a meter is shown. Call `refresh()` once capture has
 * started: before the permission browsers list devices without names.
 */
export class DevicesController implements ReactiveController {
  /** The devices of each kind (empty until `refresh()` has run). */
  devices: DeviceLists = { videoinput: [], audioinput: [], audiooutput: [] };
  /** The chosen speaker's device id; '' for the default. */
  speakerId = '';
  /** The pickers are open during a call (before a call they show with the preview). */
  open = false;
  /** Microphone level, 0 (silence, muted, or no meter) to 1 (full scale), while `meter(true)`. */
  level = 0;

  readonly #host: ReactiveControllerHost;
  readonly #options: DevicesControllerOptions;
  #refreshRun = 0;
  #connected = false;
  /** Elements playing the remote audio: the chosen speaker applies to them all. */
  readonly #sinks = new Set<SinkElement>();
  #permissions: PermissionStatus[] = [];
  /** Camera or microphone permission was denied when last seen. */
  #denied = false;
  #audio: AudioContext | null = null;
  #analyser: AnalyserNode | null = null;
  #samples: Float32Array<ArrayBuffer> | null = null;
  #meterTrack: MediaStreamTrack | null = null;
  #frame = 0;
  #peak = 0;
  #lastFrame = 0;
  #lastRender = 0;

  constructor(host: ReactiveControllerHost, options: DevicesControllerOptions = {}) {
    this.#host = host;
    this.#options = options;
    host.addController(this);
  }

  hostConnected(): void {
    this.#connected = true;
    navigator.mediaDevices?.addEventListener?.('devicechange', this.#onDeviceChange);
    void this.#watchPermissions();
  }

  hostDisconnected(): void {
    this.#connected = false;
    navigator.mediaDevices?.removeEventListener?.('devicechange', this.#onDeviceChange);
    this.#permissions.forEach((status) => status.removeEventListener('change', this.#onPermissionChange));
    this.#permissions = [];
    this.stop();
  }

  /** Stops the meter and closes its AudioContext. */
  stop(): void {
    this.meter(false);
  }

  /** Reads the device lists again (resolves with them); a chosen speaker that is gone is reset. */
  /** Opens or closes the pickers during a call. */
  setOpen(open: boolean): void {
    this.open = open;
    this.#host.requestUpdate();
  }

  async refresh(): Promise<DeviceLists> {
    const run = ++this.#refreshRun;
    const all = (await navigator.mediaDevices?.enumerateDevices?.()) ?? [];
    if (run !== this.#refreshRun) return this.devices;
    const speakers = canChooseSpeaker();
    const lists: DeviceLists = { videoinput: [], audioinput: [], audiooutput: [] };
    for (const device of all) if (device.kind !== 'audiooutput' || speakers) lists[device.kind]?.push(device);
    const lost = this.speakerId && !lists.audiooutput.some((d) => d.deviceId === this.speakerId);
    const label = this.devices.audiooutput.find((d) => d.deviceId === this.speakerId)?.label ?? '';
    this.devices = lists;
    this.#host.requestUpdate();
    if (lost) {
      await this.setSpeaker('').catch(() => {});
      this.#options.onDeviceLost?.('audiooutput', label);
    }
    return lists;
  }

  /**
   * Plays the call's sound on speaker `deviceId` ('' = default): on `elements` and on those given
   * before (give the remote `<video>` once; later calls may pass none).
   * @throws VideoCallError `media-unsupported` (no `setSinkId`), `media-not-found` (no such speaker),
   *   `media-permission-denied` or `media-failed`; the previous speaker stays.
   */
  async setSpeaker(deviceId: string, ...elements: HTMLMediaElement[]): Promise<void> {
    if (!canChooseSpeaker()) throw new VideoCallError('media-unsupported', { key: 'errorSpeakerUnsupported' });
    elements.forEach((element) => this.#sinks.add(element));
    try {
      await Promise.all([...this.#sinks].filter((el) => el.sinkId !== deviceId).map((el) => el.setSinkId(deviceId)));
    } catch (error) {
      const name = (error as { name?: string } | null)?.name;
      if (name === 'NotFoundError') throw new VideoCallError('media-not-found', { key: 'errorSpeakerNotFound' });
      if (name === 'NotAllowedError') throw new VideoCallError('media-permission-denied', { key: 'errorSpeakerDenied' });
      throw new VideoCallError('media-failed', { key: 'errorSpeakerFailed' });
    }
    this.speakerId = deviceId;
    this.#host.requestUpdate();
  }

  /**
   * Plays the participants' sound from `elements` (their tiles' videos, which come and go with
   * them) on the chosen speaker too. Elements already known, or a default speaker, cost nothing.
   */
  adopt(elements: readonly HTMLMediaElement[]): void {
    for (const element of elements) {
      if (this.#sinks.has(element)) continue;
      this.#sinks.add(element);
      if (this.speakerId && element.sinkId !== this.speakerId) void element.setSinkId?.(this.speakerId).catch(() => {});
    }
    for (const element of this.#sinks) if (!element.isConnected) this.#sinks.delete(element);
  }

  /**
   * Shows (`on`) the level of `stream`'s microphone in `level`, measured every animation frame
   * (Web Audio AnalyserNode); renders at most 15 times a second, only while the level moves.
   * Call again whenever the stream's audio track may have changed (cheap when it did not);
   * `meter(false)` stops measuring and closes the AudioContext.
   */
  meter(on: boolean, stream?: MediaStream | null): void {
    const track = (on && stream?.getAudioTracks().find((t) => t.readyState === 'live')) || null;
    if (track === this.#meterTrack) return;
    cancelAnimationFrame(this.#frame);
    void this.#audio?.close().catch(() => {});
    this.#audio = this.#analyser = this.#samples = this.#meterTrack = null;
    if (this.level !== 0) {
      this.level = this.#peak = 0;
      this.#host.requestUpdate();
    }
    if (!track || typeof AudioContext === 'undefined') return;
    const audio = new AudioContext();
    const analyser = audio.createAnalyser();
    analyser.fftSize = 1024;
    // Not connected to the destination: nothing is played, the analyser is pulled on its own.
    audio.createMediaStreamSource(new MediaStream([track])).connect(analyser);
    void audio.resume().catch(() => {});
    this.#audio = audio;
    this.#analyser = analyser;
    this.#samples = new Float32Array(analyser.fftSize);
    this.#meterTrack = track;
    this.#lastFrame = performance.now();
    this.#frame = requestAnimationFrame(this.#tick);
  }

  #tick = (now: number): void => {
    const analyser = this.#analyser;
    const samples = this.#samples;
    if (!analyser || !samples) return;
    analyser.getFloatTimeDomainData(samples);
    let sum = 0;
    for (const sample of samples) sum += sample * sample;
    const rms = Math.sqrt(sum / samples.length);
    // -60 dBFS (a quiet room) … 0 dBFS (full scale) onto 0 … 1.
    const instant = rms > 0 ? Math.min(1, Math.max(0, (20 * Math.log10(rms) + 60) / 60)) : 0;
    this.#peak = Math.max(instant, this.#peak * 0.5 ** ((now - this.#lastFrame) / METER_HALF_LIFE_MS));
    this.#lastFrame = now;
    const shown = Math.round(this.#peak * 50) / 50;
    if (shown !== this.level && now - this.#lastRender >= METER_RENDER_MS) {
      this.level = shown;
      this.#lastRender = now;
      this.#host.requestUpdate();
    }
    this.#frame = requestAnimationFrame(this.#tick);
  };

  #onDeviceChange = () => void this.refresh();

  async #watchPermissions(): Promise<void> {
    let statuses: PermissionStatus[];
    try {
      const names = ['camera', 'microphone'] as unknown as PermissionName[];
      statuses = await Promise.all(names.map((name) => navigator.permissions.query({ name })));
    } catch {
      return; // no Permissions API, or it does not know these names
    }
    if (!this.#connected || this.#permissions.length) return;
    this.#permissions = statuses;
    this.#denied = statuses.some((status) => status.state === 'denied');
    statuses.forEach((status) => status.addEventListener('change', this.#onPermissionChange));
  }

  #onPermissionChange = () => {
    const denied = this.#permissions.some((status) => status.state === 'denied');
    if (this.#denied && !denied) this.#options.onPermissionAllowed?.();
    this.#denied = denied;
  };
}
