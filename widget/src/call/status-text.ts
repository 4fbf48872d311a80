/**
 * The words `<video-call>` shows: the status line and the placeholder in the stage. Pure
 * functions of the machine's context and a translate function (the element's `i18n.t`), so
 * every state says in words, in the element's language, what is happening.
 */
import { errorText } from '../errors.js';
import { english, type Translate } from '../i18n/translator.js';
import { callState, reconnectingCause, type CallContext } from './call-context.js';

/** The status line for `ctx`: a full sentence telling the person what is happening. */
export function statusText(ctx: CallContext, t: Translate = english): string {
  const { room } = ctx;
  const name = (ctx.peer ?? ctx.away)?.name || '';
  /** The other person, for a sentence's start (`Name`) or middle (`name`). */
  const Name = name || t('theOtherPerson');
  const inner = name || t('theOtherPersonLower');
  switch (callState(ctx)) {
    case 'idle':
      return t('statusIdle');
    case 'acquiring-media':
      return t('statusAcquiring');
    case 'joining':
      return t('statusJoining', { room });
    case 'waiting':
      return ctx.lastLeft === null
        ? t('statusWaiting', { room })
        : t('statusLeftWaiting', { name: ctx.lastLeft || t('theOtherPerson'), room });
    case 'ready':
      return t('statusReady', { name: Name });
    case 'calling':
      return t('statusCalling', { name: inner });
    case 'incoming':
      return t('statusIncoming', { name: Name });
    case 'connecting':
      return t('statusConnecting', { name: inner });
    case 'connected':
      return t('statusConnected', { name: inner });
    case 'reconnecting': {
      const cause = reconnectingCause(ctx);
      if (cause === 'peer') return t('statusPeerDropped', { name: Name });
      if (cause === 'media') return t('statusMediaInterrupted');
      return ctx.call ? t('statusServiceLostInCall') : t('statusServiceLost');
    }
    case 'ended':
      return endedText(ctx, t);
    case 'full':
      return t('errorRoomFull', { room });
    case 'error':
      return ctx.error ? errorText(ctx.error, t) : t('errorUnknown');
  }
}

/** How the last call ended, in words, and what can be done now. */
function endedText(ctx: CallContext, t: Translate): string {
  const ended = ctx.ended!;
  const Name = ended.peerName || t('theOtherPerson');
  const inner = ended.peerName || t('theOtherPersonLower');
  const outgoing = ended.direction === 'outgoing';
  switch (ended.reason) {
    case 'declined':
      return outgoing ? t('endedDeclinedByThem', { name: Name }) : t('endedDeclinedByYou');
    case 'no-answer':
      return outgoing ? t('endedNoAnswer', { name: Name }) : t('endedMissed', { name: inner });
    case 'cancelled':
      return t('endedMissed', { name: inner });
    case 'remote-hang-up':
      return t('endedByThem', { name: Name });
    case 'failed':
      return t('endedFailed', { error: ended.error ? errorText(ended.error, t) : t('endedNotConnected') });
    default:
      return t('endedCall');
  }
}

/** The short text shown in the stage while there is no remote video ('' while connected). */
export function placeholderText(ctx: CallContext, t: Translate = english): string {
  const name = (ctx.peer ?? ctx.away)?.name || '';
  switch (callState(ctx)) {
    case 'idle':
      return t('placeholderIdle');
    case 'acquiring-media':
    case 'joining':
      return t('placeholderStarting');
    case 'waiting':
      return t('placeholderWaiting');
    case 'ready':
    case 'ended':
      return name || t('placeholderSomeoneHere');
    case 'calling':
      return name ? t('placeholderCalling', { name }) : t('placeholderCallingUnnamed');
    case 'incoming':
      return t('placeholderIncoming', { name: name || t('someone') });
    case 'connecting':
      return t('placeholderConnecting');
    case 'reconnecting':
      return t('placeholderReconnecting');
    case 'full':
      return t('placeholderFull');
    case 'error':
      return t('placeholderError');
    case 'connected':
      return '';
  }
}
