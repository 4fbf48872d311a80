/**
 * The words `<video-call>` shows: the status line and the placeholder in the stage. Pure
 * functions of the machine's context, so every state says in words what is happening.
 */
import { errorMessage } from '../errors.js';
import { callState, reconnectingCause, type CallContext } from './call-context.js';

/** The status line: a full sentence telling the person what is happening. */
export function statusText(ctx: CallContext, fallbackRoom = ''): string {
  const room = ctx.room || fallbackRoom;
  const name = (ctx.peer ?? ctx.away)?.name || '';
  const peerName = name || 'the other person';
  const PeerName = name || 'The other person';
  switch (callState(ctx)) {
    case 'idle':
      return 'Press Start to turn on your camera and join the call.';
    case 'acquiring-media':
      return 'Asking for your camera and microphone…';
    case 'joining':
      return `Joining room “${room}”…`;
    case 'waiting': {
      const left = ctx.lastLeft === null ? '' : `${ctx.lastLeft || 'The other person'} left. `;
      return `${left}Waiting for someone to join room “${room}”…`;
    }
    case 'ready':
      return `${PeerName} is here. Press Call to start.`;
    case 'calling':
      return `Calling ${peerName}… Waiting for them to answer.`;
    case 'incoming':
      return `${PeerName} is calling you.`;
    case 'connecting':
      return `Connecting to ${peerName}…`;
    case 'connected':
      return `In a call with ${peerName}.`;
    case 'reconnecting': {
      const cause = reconnectingCause(ctx);
      if (cause === 'peer') return `${PeerName}’s connection dropped. Waiting for them to come back…`;
      if (cause === 'media') return 'The connection was interrupted. Reconnecting the call…';
      return ctx.call
        ? 'Lost the connection to the call service. Reconnecting… The call goes on meanwhile.'
        : 'Lost the connection to the call service. Reconnecting…';
    }
    case 'ended':
      return endedText(ctx);
    case 'full':
      return `Room “${room}” is full: a call there already has two people.`;
    case 'error':
      return ctx.error ? errorMessage(ctx.error) : 'Something went wrong.';
  }
}

/** How the last call ended, in words, and what can be done now. */
function endedText(ctx: CallContext): string {
  const ended = ctx.ended!;
  const name = ended.peerName || 'The other person';
  const outgoing = ended.direction === 'outgoing';
  const again = ' Press Call to call again.';
  switch (ended.reason) {
    case 'declined':
      return outgoing ? `${name} declined the call.` : 'You declined the call.';
    case 'no-answer':
      return outgoing ? `${name} did not answer.${again}` : `You missed a call from ${ended.peerName || 'the other person'}.`;
    case 'cancelled':
      return `You missed a call from ${ended.peerName || 'the other person'}.`;
    case 'remote-hang-up':
      return `${name} ended the call.`;
    case 'failed': {
      return `${ended.error ? errorMessage(ended.error) : 'The call could not be connected.'}${again}`;
    }
    default:
      return `Call ended.${again}`;
  }
}

/** The short text shown in the stage while there is no remote video. */
export function placeholderText(ctx: CallContext): string {
  const name = (ctx.peer ?? ctx.away)?.name || '';
  switch (callState(ctx)) {
    case 'idle':
      return 'Camera is off';
    case 'acquiring-media':
    case 'joining':
      return 'Starting…';
    case 'waiting':
      return 'Nobody else is here yet';
    case 'ready':
    case 'ended':
      return name || 'Someone is here';
    case 'calling':
      return name ? `Calling ${name}…` : 'Calling…';
    case 'incoming':
      return `${name || 'Someone'} is calling`;
    case 'connecting':
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
