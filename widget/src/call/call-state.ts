/**
 * The call states of `<video-call>`, in the order a call usually passes through them.
 *
 * - `idle`: nothing started; the Start button is shown.
 * - `acquiring-media`: asking for camera and microphone (the browser may show a prompt).
 * - `joining`: connecting to the signal service and joining the room.
 * - `waiting`: in the room, alone.
 * - `ready`: a peer is in the room; `call()` may be used.
 * - `calling`: the call is being set up (offer/answer, ICE checks).
 * - `connected`: media flows between the two peers.
 * - `reconnecting`: something dropped and is being restored: the connection to the signal
 *   service (the call's media keeps flowing meanwhile), the other person's connection, or the
 *   call's own network path (ICE restart). Back to the state before, or `error`.
 * - `ended`: the call was hung up by either side; still in the room, camera on.
 * - `full`: the room already had two people; not joined.
 * - `error`: something failed; `vc-error` said what. `start()` may be tried again.
 */
export const CALL_STATES = [
  'idle',
  'acquiring-media',
  'joining',
  'waiting',
  'ready',
  'calling',
  'connected',
  'reconnecting',
  'ended',
  'full',
  'error',
] as const;

/** One of {@link CALL_STATES}. */
export type CallState = (typeof CALL_STATES)[number];

/** States from which `start()` may be called. */
export const STARTABLE_STATES: readonly CallState[] = ['idle', 'full', 'error'];
