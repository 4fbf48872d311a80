/**
 * JSX types for React 19: `<video-call>` in TSX, with its attributes, its settings as properties
 * and its events. Types only (the module is empty at run time). A React app takes them with
 * `import type {} from 'video-call/jsx'` once (importing `video-call/react` brings them too).
 *
 * How React 19 hands these props to the element: a prop the element has as a property (`room`,
 * `signalingUrl`, `autoAnswer`, …) is set as that property, any other (`signaling-url`,
 * `auto-answer`, …) as an attribute; `onvc-state-change={fn}` adds `fn` as a listener of
 * `vc-state-change` (the name after `on`, as it is).
 */
import type { LitElement } from 'lit';
import type { DetailedHTMLProps, HTMLAttributes } from 'react';
import type { VideoCallAttributes } from './video-call.attributes.js';
import type { VideoCall } from './video-call.js';
// Brings the `vc-*` entries of GlobalEventHandlersEventMap (events.ts) into every program that
// reads these types.
import type {} from './events.js';

/** The names of the element's own events: `vc-state-change`, `vc-error`, … (events.ts). */
export type VideoCallEventName = Extract<keyof GlobalEventHandlersEventMap, `vc-${string}`>;

/**
 * The attributes of `<video-call>` as they are written in HTML (VideoCall's `@attr` tags; a test
 * checks that this lists every attribute of custom-elements.json).
 */
export interface VideoCallAttributeProps {
  room?: string;
  'signaling-url'?: string;
  name?: string;
  'ice-transport-policy'?: RTCIceTransportPolicy;
  ticket?: string;
  'auto-answer'?: boolean;
  'ring-timeout'?: number | string;
}

/**
 * The element's settings as properties (camelCase: `signalingUrl`, `autoAnswer`, `strings`, …:
 * every property of video-call.attributes.ts); React 19 sets these on the element.
 */
export type VideoCallPropertyProps = Partial<Pick<VideoCall, Exclude<keyof VideoCallAttributes, keyof LitElement | 'i18n'>>>;

/** `onvc-state-change`, `onvc-error`, …: listeners of the element's events, typed by event. */
export type VideoCallEventProps = {
  [K in VideoCallEventName as `on${K}`]?: (event: GlobalEventHandlersEventMap[K]) => void;
};

/** Everything `<video-call …>` takes in TSX: the usual HTML props, `ref`, `key`, and the above. */
export type VideoCallJsxProps = DetailedHTMLProps<HTMLAttributes<VideoCall>, VideoCall> &
  VideoCallAttributeProps &
  VideoCallPropertyProps &
  VideoCallEventProps;

declare module 'react' {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace JSX {
    interface IntrinsicElements {
      'video-call': VideoCallJsxProps;
    }
  }
}
