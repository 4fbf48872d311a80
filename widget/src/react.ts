/**
 * `<VideoCall>` for React (`video-call/react`): the `<video-call>` element wrapped with
 * @lit/react, so that its settings are props (`room`, `signalingUrl`, `autoAnswer`, …), its
 * events are typed callback props (`onVcStateChange={(e) => e.detail.state}`), and `ref` gives
 * the element (`start()`, `call()`, …). Needs `react` and `@lit/react` (peer dependencies).
 *
 * ```tsx
 * import { VideoCall } from 'video-call/react';
 * <VideoCall room="team" signalingUrl="https://call.example.com" onVcError={(e) => show(e.detail.message)} />
 * ```
 */
import { createComponent, type EventName } from '@lit/react';
import * as React from 'react';
import { VideoCall as VideoCallElement } from './index.js';
import type { VideoCallEventName } from './jsx.js';
// The JSX types of `<video-call>` come with the wrapper (a module of types only).
import './jsx.js';

/** The wrapper's event props and the event each one listens to. */
const EVENT_PROPS = {
  onVcStateChange: 'vc-state-change',
  onVcIncomingCall: 'vc-incoming-call',
  onVcCallEnded: 'vc-call-ended',
  onVcError: 'vc-error',
  onVcPeerJoined: 'vc-peer-joined',
  onVcPeerLeft: 'vc-peer-left',
  onVcPeerChange: 'vc-peer-change',
  onVcParticipantsChange: 'vc-participants-change',
  onVcMessage: 'vc-message',
  onVcQualityChange: 'vc-quality-change',
} as const satisfies Record<`onVc${string}`, VideoCallEventName>;

/** Fails to compile when an event of events.ts has no prop above (T is not `never`). */
type Exhaustive<T extends never> = T;
type _EveryEventHasAProp = Exhaustive<Exclude<VideoCallEventName, (typeof EVENT_PROPS)[keyof typeof EVENT_PROPS]>>;

/** The event props typed with each event's class (VideoCallStateChangeEvent, …). */
type TypedEvents<T extends Record<string, VideoCallEventName>> = {
  [P in keyof T]: EventName<GlobalEventHandlersEventMap[T[P]]>;
};

/** `<VideoCall>`: `<video-call>` as a React component (see the file comment). */
export const VideoCall = createComponent({
  tagName: 'video-call',
  elementClass: VideoCallElement,
  react: React,
  events: EVENT_PROPS as TypedEvents<typeof EVENT_PROPS>,
  displayName: 'VideoCall',
});

/** The props of `<VideoCall>`. */
export type VideoCallProps = React.ComponentProps<typeof VideoCall>;
