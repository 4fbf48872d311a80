/**
 * What the template of `<video-call>` is given: one plain object, read from the room context and
 * the call's controllers after each change. The templates (video-call.view.ts, stage.view.ts,
 * chat-panel.ts, devices-panel.ts) render it and nothing else: they never reach into a
 * controller.
 */
import type { ChatEntry } from './controllers/chat-controller.js';
import type { CallController } from './controllers/call-controller.js';
import type { DevicePickersView } from './devices-panel.js';
import type { CallState } from './call/call-state.js';
import type { Quality } from './call/quality.js';
import type { RoomContext } from './call/room-context.js';
import { acceptedLegs, callState, canCall, canStart, membersOf, runningCall } from './call/room-state.js';
import { listNames, placeholderText, statusText } from './call/status-text.js';
import type { Translate } from './i18n/translator.js';

/** One participant of our call, as their tile shows them. */
export interface TileView {
  /** Their connection id (`data-participant-id`, and `id` in `participants`). */
  id: string;
  peerId: string;
  /** Member-supplied: rendered as text. */
  name: string;
  /** Their camera and microphone stream; shown once `live`. */
  stream: MediaStream | null;
  /** Their media flows (the leg connected once): the video is shown. */
  live: boolean;
  /** Not in our call yet (it rings, its connection is up): laid out and hidden, see `tilesOf`. */
  pending: boolean;
  microphoneEnabled: boolean;
  cameraEnabled: boolean;
  /** They share a screen (their widget says so)… */
  screenSharing: boolean;
  /** … and its stream, once it arrives (null before, and when they do not share). */
  screen: MediaStream | null;
  speaking: boolean;
  quality: Quality | null;
  /** `connecting` before the leg first connected, `reconnecting` while its path or their connection is lost. */
  status: 'connecting' | 'connected' | 'reconnecting';
}

/** Everything the template shows. */
export interface CallView {
  /** The language of the words (BCP 47), for the `lang` attribute and times. */
  lang: string;
  state: CallState;
  status: string;
  placeholder: string;
  canStart: boolean;
  /** `call()` may be used now; `join`: it joins the call running in the room. */
  canCall: boolean;
  join: boolean;
  /** In the room, outside a call: Call (or Join) and Leave show. */
  inRoom: boolean;
  /** We are in a call (accepted, or we started or joined it). */
  inCall: boolean;
  /** Who is in the call running in the room we are not in, as one phrase ('' when none). */
  runningCallNames: string;
  /** Who rings us, while `incoming` ('' when unnamed or not ringing). */
  ringer: string;
  /** The other members of the room (present or away), in join order. */
  members: { id: string; name: string }[];
  /** The `peerId` of who speaks now (or spoke last) in our call, '' when nobody. */
  speaker: string;
  tiles: TileView[];
  /** Every tile the stage lays out, in the order the members joined: `tiles` and the `pending` ones (hidden, see `tilesOf`). */
  stageTiles: TileView[];
  /** The tile of the participant whose screen fills the stage, or null. */
  sharing: TileView | null;
  /** Our camera preview, or null while the camera is off. */
  local: { stream: MediaStream; audioMuted: boolean; videoMuted: boolean } | null;
  /** How long the call has lasted (`m:ss`), or '' outside one. */
  timer: string;
  screenShare: { supported: boolean; active: boolean };
  /** Picture-in-picture and full screen are possible (a video is live and the page allows them). */
  pictureInPicture: boolean;
  fullscreen: boolean;
  devices: { pickers: DevicePickersView; open: boolean } | null;
  chat: { messages: readonly ChatEntry[]; unread: number; open: boolean; canSend: boolean; fallbackName: string } | null;
}

/** The view of `ctx` and `call` (null until `start()` loaded the engine), worded by `t` in `lang`. */
export function callView(ctx: RoomContext, call: CallController | null, t: Translate, lang: string): CallView {
  const state = callState(ctx);
  const media = call?.media;
  const all = call ? tilesOf(ctx, call) : [];
  const tiles = all.filter((tile) => !tile.pending);
  const live = tiles.some((tile) => tile.live);
  const sharing = tiles.find((tile) => tile.live && tile.screenSharing) ?? null;
  const inCall = ctx.call?.joined === true;
  const preCall = state === 'waiting' || state === 'ready';
  const running = runningCall(ctx);
  const devicesOpen = call?.devices.open ?? false;
  const showPickers = !!media?.stream && (preCall || (inCall && devicesOpen));
  return {
    lang,
    state,
    status: statusText(ctx, t, lang),
    placeholder: placeholderText(ctx, t, lang),
    canStart: canStart(ctx),
    canCall: canCall(ctx),
    join: running !== null,
    inRoom: state === 'waiting' || state === 'ready' || state === 'ended',
    inCall,
    runningCallNames: running
      ? listNames(
          membersOf(ctx)
            .filter((m) => m.call === running)
            .map((m) => m.name || t('someone')),
          lang,
        )
      : '',
    ringer: state === 'incoming' ? (membersOf(ctx).find((m) => ctx.legs[m.peerId])?.name ?? '') : '',
    members: membersOf(ctx).map(({ id, name }) => ({ id, name })),
    speaker: call?.speaking.active ?? '',
    tiles,
    stageTiles: all,
    sharing,
    local: media?.stream ? { stream: media.stream, audioMuted: media.audioMuted, videoMuted: media.videoMuted } : null,
    timer: call?.timer.startedAt ? call.timer.text : '',
    screenShare: { supported: call?.inCall.screen.supported ?? false, active: !!call?.inCall.screen.stream },
    pictureInPicture: live && document.pictureInPictureEnabled === true,
    fullscreen: live && document.fullscreenEnabled === true,
    devices:
      call && media && showPickers
        ? {
            open: devicesOpen,
            pickers: {
              devices: call.devices.devices,
              selected: {
                videoinput: media.currentDeviceId('videoinput'),
                audioinput: media.currentDeviceId('audioinput'),
                audiooutput: call.devices.speakerId,
              },
              level: call.devices.level,
              auto: !inCall && !devicesOpen,
            },
          }
        : null,
    chat: chatOf(ctx, call),
  };
}

/**
 * A tile per participant of our call whose leg both accepted, in the order they joined the room;
 * and, `pending`, one per leg that rings with its connection already up (ICE and DTLS finish
 * while it rings): laid out and bound to its stream but hidden, so that accepting only reveals
 * it and the first frame waits for no layout.
 */
function tilesOf(ctx: RoomContext, call: CallController): TileView[] {
  const legs = Object.entries(ctx.legs).flatMap(([peerId, leg]) =>
    ctx.members[peerId] && (leg.accepted || leg.everConnected) ? [[ctx.members[peerId], leg] as const] : [],
  );
  return legs.map(([m, leg]) => {
    const connection = call.legs.get(m.peerId);
    const pending = !leg.accepted;
    const live = !pending && leg.everConnected && !!connection?.remoteStream;
    return {
      id: m.id,
      peerId: m.peerId,
      name: m.name,
      stream: live || pending ? (connection?.remoteStream ?? null) : null,
      live,
      pending,
      microphoneEnabled: leg.media.microphoneEnabled,
      cameraEnabled: leg.media.cameraEnabled,
      screenSharing: live && leg.media.screenSharing,
      screen: live && leg.media.screenSharing ? (connection?.remoteScreen ?? null) : null,
      speaking: call.speaking.speaking(m.peerId),
      quality: live ? call.legs.quality(m.peerId) : null,
      status: !leg.everConnected ? 'connecting' : leg.connected && !m.away ? 'connected' : 'reconnecting',
    };
  });
}

function chatOf(ctx: RoomContext, call: CallController | null): CallView['chat'] {
  const chat = call?.inCall.chat;
  const members = membersOf(ctx);
  if (!chat || (members.length === 0 && chat.messages.length === 0)) return null;
  const present = members.some((m) => !m.away);
  return {
    messages: chat.messages,
    unread: chat.unread,
    open: chat.open,
    canSend: present && !ctx.signalingDown,
    fallbackName: members.length === 1 ? (members[0]!.name ?? '') : '',
  };
}

/** True when at least one participant's media flows (the call's first frame may show). */
export const anyLive = (ctx: RoomContext) => acceptedLegs(ctx).some(([, leg]) => leg.everConnected);
