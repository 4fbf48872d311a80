/**
 * The call states of `<video-call>`, named for what the person experiences, in the order a call
 * usually passes through them. One reducer (call-machine.ts) decides every transition.
 *
 * - `idle`: nothing started; the Start button is shown.
 * - `acquiring-media`: asking for camera and microphone (the browser may show a prompt).
 * - `joining`: connecting to the signal service and joining the room.
 * - `waiting`: in the room, alone.
 * - `ready`: the other person is in the room; `call()` may be used.
 * - `calling`: we called; the other person's widget is ringing. No camera or microphone flows yet.
 * - `incoming`: the other person is calling us; `accept()` or `decline()`.
 * - `connecting`: the call was accepted; the media path is being set up.
 * - `connected`: media flows between the two people.
 * - `reconnecting`: something dropped and is being restored: the connection to the signal
 *   service (the call's media keeps flowing meanwhile), the other person's connection, or the
 *   call's own network path (ICE restart).
 * - `ended`: the last call ended (`vc-call-ended` said why); still in the room, camera off.
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
  'incoming',
  'connecting',
  'connected',
  'reconnecting',
  'ended',
  'full',
  'error',
] as const;

/** One of {@link CALL_STATES}. */
export type CallState = (typeof CALL_STATES)[number];

/**
 * Why a call ended (`vc-call-ended` `detail.reason`):
 * - `hang-up`: we ended it (hang-up, or cancelled our own ringing call);
 * - `remote-hang-up`: the other person ended it;
 * - `declined`: the callee declined (reported on both sides);
 * - `cancelled`: the caller gave up while it rang (reported to the callee);
 * - `no-answer`: nobody answered within the ring timeout (both sides);
 * - `peer-left`: the other person left the room, closed the tab or lost the network;
 * - `failed`: the connection could not be set up or restored (`vc-error` `call-failed` or
 *   `relay-unavailable` says more).
 */
export const CALL_END_REASONS = ['hang-up', 'remote-hang-up', 'declined', 'cancelled', 'no-answer', 'peer-left', 'failed'] as const;

/** One of {@link CALL_END_REASONS}. */
export type CallEndReason = (typeof CALL_END_REASONS)[number];
