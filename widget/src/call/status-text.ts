/**
 * The words `<video-call>` shows: the status line and the placeholder in the stage. Pure
 * functions of the room context, a translate function (the element's `i18n.t`) and its
 * language, so every state says in words, in the element's language, what is happening and with
 * whom (one person by name, several as a list: "Bob and Carol", « Bob et Carol », “Bob和Carol”).
 */
import { errorText } from '../errors.js';
import { english, type Translate } from '../i18n/translator.js';
import type { RoomContext, RoomMember } from './room-context.js';
import { acceptedLegs, callState, firstMember, membersOf, reconnectingCause, runningCall } from './room-state.js';

/** `names` as one phrase in `lang` ("Bob, Carol and Dan"); falls back to English. */
export function listNames(names: string[], lang = 'en'): string {
  try {
    return new Intl.ListFormat(lang, { type: 'conjunction' }).format(names);
  } catch {
    return new Intl.ListFormat('en', { type: 'conjunction' }).format(names);
  }
}

/** The words that name the people a sentence is about, at a sentence's start and in its middle. */
function who(people: RoomMember[], t: Translate, lang: string): { Name: string; inner: string } {
  if (people.length <= 1) {
    const name = people[0]?.name ?? '';
    return { Name: name || t('theOtherPerson'), inner: name || t('theOtherPersonLower') };
  }
  const names = people.map((m, i) => m.name || (i === 0 ? t('theOtherPerson') : t('theOtherPersonLower')));
  const list = listNames(names, lang);
  return { Name: list, inner: list };
}

/** The status line for `ctx`: a full sentence telling the person what is happening. */
export function statusText(ctx: RoomContext, t: Translate = english, lang = 'en'): string {
  const { room } = ctx;
  const members = membersOf(ctx);
  const first = firstMember(ctx);
  const one = who(first ? [first] : [], t, lang);
  const inCall = acceptedLegs(ctx).map(([m]) => m);
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
    case 'ready': {
      const running = runningCall(ctx);
      if (running) {
        const participants = members.filter((m) => m.call === running);
        const { Name } = who(participants, t, lang);
        return t(participants.length > 1 ? 'statusCallRunningMany' : 'statusCallRunning', { name: Name });
      }
      return members.length > 1 ? t('statusReadyMany', { name: who(members, t, lang).Name }) : t('statusReady', { name: one.Name });
    }
    case 'calling':
      return t('statusCalling', {
        name: who(
          members.filter((m) => ctx.legs[m.peerId]),
          t,
          lang,
        ).inner,
      });
    case 'incoming': {
      const others = members.filter((m) => m.call === ctx.call?.id && !ctx.legs[m.peerId]);
      const ringer = members.filter((m) => ctx.legs[m.peerId]);
      const { Name } = who(ringer, t, lang);
      return others.length > 0
        ? t('statusIncomingGroup', { name: Name, others: who(others, t, lang).inner })
        : t('statusIncoming', { name: Name });
    }
    case 'connecting':
      return t('statusConnecting', { name: who(inCall, t, lang).inner });
    case 'connected':
      return t('statusConnected', {
        name: who(
          inCall.filter((m) => ctx.legs[m.peerId]?.connected),
          t,
          lang,
        ).inner,
      });
    case 'reconnecting': {
      const cause = reconnectingCause(ctx);
      if (cause === 'peer')
        return t('statusPeerDropped', {
          name: who(
            members.filter((m) => m.away),
            t,
            lang,
          ).Name,
        });
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
function endedText(ctx: RoomContext, t: Translate): string {
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

/** The short text shown in the stage while no participant's video shows ('' while connected). */
export function placeholderText(ctx: RoomContext, t: Translate = english, lang = 'en'): string {
  const members = membersOf(ctx);
  const name = firstMember(ctx)?.name ?? '';
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
      // The names of those in the call follow below it (the view's in-call list).
      if (runningCall(ctx)) return t('placeholderCallRunning');
      if (members.length > 1)
        return listNames(
          members.map((m) => m.name || t('someone')),
          lang,
        );
      return name || t('placeholderSomeoneHere');
    case 'calling': {
      const called = members.filter((m) => ctx.legs[m.peerId]);
      if (called.length > 1)
        return t('placeholderCalling', {
          name: listNames(
            called.map((m) => m.name || t('someone')),
            lang,
          ),
        });
      return called[0]?.name ? t('placeholderCalling', { name: called[0].name }) : t('placeholderCallingUnnamed');
    }
    case 'incoming':
      return t('placeholderIncoming', { name: members.find((m) => ctx.legs[m.peerId])?.name || t('someone') });
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
