/**
 * Drives `<video-call>` elements into each state for the accessibility, layout and keyboard
 * tests, against the real signal service (web-test-runner.config.mjs serves its URL): a page of
 * elements in one room, a call between two of them, a refused camera, a fake screen share, and
 * a signal connection that can be cut and restored.
 *
 * Import this module before any element calls `start()`: it wraps `WebSocket` and
 * `XMLHttpRequest` so that a test can cut one element's connection to the service (socket.io
 * loads with the call engine, at the first `start()`, and reads `WebSocket` then).
 */
import { waitUntil } from '@open-wc/testing';
import '../src/index.js';
import type { CallState } from '../src/call/call-state.js';
import type { VideoCall } from '../src/video-call.js';
import { replaceMethod } from './replace-method.js';

/** The signal service's origin, e.g. `http://127.0.0.1:41234` (rooms of two, the default). */
export const serviceUrl = await (await fetch('/__signal-service-url')).text();
/** A second service whose rooms hold four (`ROOM_CAPACITY=4`), for group calls. */
export const groupServiceUrl = await (await fetch('/__group-signal-service-url')).text();

let roomCounter = 0;
/** A room name no other test uses. */
export const uniqueRoom = () => `a11y-${Date.now().toString(36)}-${roomCounter++}`;

/** The first element of `el`'s shadow DOM whose `part` list holds `name`, or null. */
export const part = <T extends HTMLElement = HTMLElement>(el: VideoCall, name: string) =>
  el.shadowRoot!.querySelector<T>(`[part~="${name}"]`);

/** The status line's text (for failure messages). */
export const statusText = (el: VideoCall) => part(el, 'status')?.textContent?.trim() ?? '';

/** Resolves when `el` is in `state`; fails after `timeout` ms naming the state it is in. */
export async function waitForState(el: VideoCall, state: CallState, timeout = 15000): Promise<void> {
  await waitUntil(() => el.state === state, `${el.name || 'element'}: state ${state} (is ${el.state}: “${statusText(el)}”)`, {
    timeout,
    interval: 20,
  });
  await settle(el);
}

/** Resolves once `el` has rendered and the browser has laid it out and painted a frame. */
export async function settle(el: VideoCall): Promise<void> {
  await el.updateComplete;
  await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
}

/** Collects the states an element goes through. */
export function recordStates(el: VideoCall): CallState[] {
  const states: CallState[] = [];
  el.addEventListener('vc-state-change', (e) => states.push(e.detail.state));
  return states;
}

/** Size of the box each element gets (CSS px); `null` leaves the element unsized. */
export type Box = { width: number; height: number } | null;

/** Elements mounted by {@link mount}, with a way to remove them (leaving the room first). */
export interface Mounted {
  /** The elements, in the order of `names`. */
  els: VideoCall[];
  /** The box around each element (its container in the layout tests). */
  boxes: HTMLDivElement[];
  /** A focusable button placed just before each element: Tab from it enters the element. */
  before: HTMLButtonElement[];
  /** Leaves the room with every element and removes them from the page. */
  remove(): void;
}

/**
 * Adds one `<video-call>` per name to the page, all in `room` (a fresh one by default) of
 * `service` (rooms of two by default), each in a `box` of its own with the element filling it,
 * preceded by a focusable "before" button.
 */
export function mount(
  names: string[],
  { room = uniqueRoom(), box = { width: 600, height: 440 }, service = serviceUrl }: { room?: string; box?: Box; service?: string } = {},
): Mounted {
  const root = document.createElement('div');
  root.style.cssText = 'display:flex;flex-wrap:wrap;gap:16px;align-items:flex-start;padding:8px';
  const els: VideoCall[] = [];
  const boxes: HTMLDivElement[] = [];
  const before: HTMLButtonElement[] = [];
  for (const name of names) {
    const wrap = document.createElement('div');
    const sentinel = document.createElement('button');
    sentinel.textContent = `before ${name}`;
    const holder = document.createElement('div');
    if (box) holder.style.cssText = `width:${box.width}px;height:${box.height}px`;
    const el = document.createElement('video-call');
    el.setAttribute('room', room);
    el.setAttribute('signaling-url', service);
    el.setAttribute('name', name);
    if (box) el.style.cssText = 'width:100%;height:100%';
    holder.append(el);
    wrap.append(sentinel, holder);
    root.append(wrap);
    els.push(el);
    boxes.push(holder);
    before.push(sentinel);
  }
  document.body.append(root);
  return {
    els,
    boxes,
    before,
    remove() {
      els.forEach((el) => el.leave());
      root.remove();
    },
  };
}

/** True when the remote video is shown and plays a picture. */
export function remoteVideoPlaying(el: VideoCall): boolean {
  const video = part<HTMLVideoElement>(el, 'remote-video');
  return !!video && !video.hidden && video.videoWidth > 0 && video.readyState >= 2;
}

/** `caller` calls `callee`; the callee rings. Both must be `ready`. */
export async function ring(caller: VideoCall, callee: VideoCall): Promise<void> {
  await caller.call();
  await waitForState(callee, 'incoming');
  await settle(caller);
}

/** `caller` calls and `callee` accepts; resolves when both are connected and see each other. */
export async function connect(caller: VideoCall, callee: VideoCall): Promise<void> {
  await ring(caller, callee);
  callee.accept();
  await waitForState(caller, 'connected');
  await waitForState(callee, 'connected');
  await waitUntil(() => remoteVideoPlaying(caller) && remoteVideoPlaying(callee), 'both remote videos playing', { timeout: 15000 });
  await settle(caller);
  await settle(callee);
}

/** Starts both elements of a fresh pair (the first waits alone first): both `ready`. */
export async function startPair(a: VideoCall, b: VideoCall): Promise<void> {
  await startTracked(a);
  await startTracked(b);
  await waitForState(a, 'ready');
  await waitForState(b, 'ready');
}

/** Makes `getUserMedia` reject with `name` (e.g. `NotAllowedError`) until the returned function runs. */
export function refuseCamera(name = 'NotAllowedError'): () => void {
  return replaceMethod(navigator.mediaDevices, 'getUserMedia', () => () => Promise.reject(new DOMException('Refused by the test', name)));
}

/**
 * Replaces `getDisplayMedia` (which needs a person's choice) with a moving canvas of 640×360 at
 * 15 frames/s, until the returned function runs.
 */
export function fakeScreenShare(): () => void {
  return replaceMethod(navigator.mediaDevices, 'getDisplayMedia', () => () => {
    const canvas = Object.assign(document.createElement('canvas'), { width: 640, height: 360 });
    const g = canvas.getContext('2d')!;
    let frame = 0;
    const timer = setInterval(() => {
      g.fillStyle = frame % 2 ? '#336' : '#633';
      g.fillRect(0, 0, 640, 360);
      g.fillStyle = '#fff';
      g.fillText(`screen ${frame++}`, 20, 40);
    }, 66);
    const stream = canvas.captureStream(15);
    stream.getVideoTracks()[0]!.addEventListener('ended', () => clearInterval(timer));
    return Promise.resolve(stream);
  });
}

// ---- The signal connection: cut and restored per element ----

const sockets: WebSocket[] = [];
const owned = new WeakMap<VideoCall, WebSocket[]>();
let blocked = false;
/** Nothing listens on port 9 (discard): connections there fail at once. */
const DEAD = 'http://127.0.0.1:9';
const NativeWebSocket = window.WebSocket;
window.WebSocket = class extends NativeWebSocket {
  constructor(url: string | URL, protocols?: string | string[]) {
    const target = String(url);
    super(blocked && target.startsWith(serviceUrl.replace(/^http/, 'ws')) ? `ws://127.0.0.1:9/socket.io/` : url, protocols);
    sockets.push(this);
  }
};
replaceMethod(XMLHttpRequest.prototype, 'open', (nativeOpen) => {
  const open = nativeOpen as (this: XMLHttpRequest, ...args: unknown[]) => void;
  return function (this: XMLHttpRequest, method: string, url: string | URL, ...rest: unknown[]) {
    const target = String(url);
    open.call(this, method, blocked && target.startsWith(serviceUrl) ? `${DEAD}/socket.io/` : url, ...rest);
  };
});

/** `el.start()`, remembering the connection it opens to the service (for {@link cutSignaling}). */
export async function startTracked(el: VideoCall): Promise<void> {
  const mark = sockets.length;
  await el.start();
  owned.set(el, sockets.slice(mark));
}

/**
 * Cuts `el`'s connection to the signal service (started with {@link startTracked}) and keeps
 * every reconnection attempt failing until {@link restoreSignaling}: socket.io retries with
 * back-off, the element shows `reconnecting`, and the service tells the other member it dropped.
 * @throws Error when `el` was not started with `startTracked`.
 */
export function cutSignaling(el: VideoCall): void {
  const mine = owned.get(el);
  if (!mine?.length) throw new Error('cutSignaling: start the element with startTracked()');
  blocked = true;
  mine.forEach((ws) => ws.close());
}

/** Lets the service be reached again: the next reconnection attempt succeeds. */
export function restoreSignaling(): void {
  blocked = false;
}
