/**
 * The words `<video-call>` shows for each state: the status line and the placeholder in the stage.
 * Pure functions of what the element knows, so every state says what is happening.
 */
import type { CallState } from './call-state.js';

/** What the status line needs to know besides the state. */
export interface StatusFacts {
  state: CallState;
  room: string;
  /** The other person's display name, or '' when unknown or unnamed. */
  peerName: string;
  /** True when a peer is in the room. */
  hasPeer: boolean;
  /** True when a call is in progress (its media may flow while signaling reconnects). */
  inCall?: boolean;
  /** Why the state is `reconnecting`. */
  reconnecting?: 'signaling' | 'peer' | 'media';
  /** Message of the last error, for state `error`. */
  errorMessage: string;
}

/** The status line: a full sentence telling the person what is happening. */
export function statusText(facts: StatusFacts): string {
  const { room, errorMessage } = facts;
  const peerName = facts.peerName || 'the other person';
  const PeerName = facts.peerName || 'The other person';
  switch (facts.state) {
    case 'idle':
      return 'Press Start to turn on your camera and join the call.';
    case 'acquiring-media':
      return 'Asking for your camera and microphone…';
    case 'joining':
      return `Joining room “${room}”…`;
    case 'waiting':
      return `Waiting for someone to join room “${room}”…`;
    case 'ready':
      return `${PeerName} is here. Press Call to start.`;
    case 'calling':
      return `Connecting to ${peerName}…`;
    case 'connected':
      return `In a call with ${peerName}.`;
    case 'reconnecting':
      if (facts.reconnecting === 'peer') return `${PeerName}’s connection dropped. Waiting for them to come back…`;
      if (facts.reconnecting === 'media') return 'The connection was interrupted. Reconnecting the call…';
      return facts.inCall
        ? 'Lost the connection to the call service. Reconnecting… The call goes on meanwhile.'
        : 'Lost the connection to the call service. Reconnecting…';
    case 'ended':
      return facts.hasPeer ? 'Call ended. Press Call to call again.' : 'Call ended.';
    case 'full':
      return `Room “${room}” is full: a call there already has two people.`;
    case 'error':
      return errorMessage || 'Something went wrong.';
  }
}

/** The short text shown in the stage while there is no remote video. */
export function placeholderText(facts: StatusFacts): string {
  switch (facts.state) {
    case 'idle':
      return 'Camera is off';
    case 'acquiring-media':
    case 'joining':
      return 'Starting…';
    case 'waiting':
      return 'Nobody else is here yet';
    case 'ready':
    case 'ended':
      return facts.peerName || 'Someone is here';
    case 'calling':
      return 'Connecting…';
    case 'reconnecting':
      return 'Reconnecting…';
    case 'full':
      return 'Room full';
    case 'error':
      return 'Not connected';
    case 'connected':
      return '';
  }
}
