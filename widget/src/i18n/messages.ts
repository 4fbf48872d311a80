/**
 * Every word `<video-call>` shows or says, as one typed catalog: the `Messages` interface (one
 * key per text, its `{param}` placeholders in the doc comment), English (`en`, in the entry
 * bundle) and `format()` (format.ts). French and Chinese are in fr.ts and zh.ts, loaded on demand
 * (catalogs.ts). A host page overrides any key with the element's `strings` property.
 *
 * Values are plain strings, so a catalog can come from JSON. Params are inserted as text (never
 * as HTML). Where a template takes `{name}`, the code passes the other person's name, else
 * `theOtherPerson` where the English sentence starts with it and `theOtherPersonLower`
 * elsewhere; write translations so that the name keeps that place (start of sentence, or not).
 */
export { en } from './en.js';

export interface Messages {
  // ── status line (one full sentence per state) ──
  /** idle: how to begin. */
  statusIdle: string;
  /** acquiring-media. */
  statusAcquiring: string;
  /** joining. `{room}`: the room. */
  statusJoining: string;
  /** waiting. `{room}`. */
  statusWaiting: string;
  /** waiting, right after someone left. `{name}` (sentence start), `{room}`. */
  statusLeftWaiting: string;
  /** ready. `{name}` (sentence start). */
  statusReady: string;
  /** ready, several members in the room and no call. `{name}`: their names as a list (sentence start). */
  statusReadyMany: string;
  /** ready, one member is in a call we are not in. `{name}` (sentence start). */
  statusCallRunning: string;
  /** ready, several members are in a call we are not in. `{name}`: their names as a list (sentence start). */
  statusCallRunningMany: string;
  /** calling. `{name}` (mid-sentence). */
  statusCalling: string;
  /** incoming. `{name}` (sentence start). */
  statusIncoming: string;
  /** incoming, others already in the call. `{name}`: who rings (sentence start); `{others}`: the names of the others (mid-sentence). */
  statusIncomingGroup: string;
  /** connecting. `{name}` (mid-sentence). */
  statusConnecting: string;
  /** connected. `{name}` (mid-sentence). */
  statusConnected: string;
  /** reconnecting: the other person's connection dropped. `{name}` (sentence start). */
  statusPeerDropped: string;
  /** reconnecting: the media path was lost. */
  statusMediaInterrupted: string;
  /** reconnecting: our connection to the service dropped, no call. */
  statusServiceLost: string;
  /** reconnecting: our connection to the service dropped during a call (which goes on). */
  statusServiceLostInCall: string;
  /** ended: they declined our call. `{name}` (sentence start). */
  endedDeclinedByThem: string;
  /** ended: we declined. */
  endedDeclinedByYou: string;
  /** ended: they did not answer. `{name}` (sentence start). */
  endedNoAnswer: string;
  /** ended: a call to us was cancelled or not answered. `{name}` (mid-sentence). */
  endedMissed: string;
  /** ended: they hung up. `{name}` (sentence start). */
  endedByThem: string;
  /** ended: the call failed. `{error}`: the error's own sentence (ends with its full stop). */
  endedFailed: string;
  /** ended: we hung up. */
  endedCall: string;
  /** The error of a failed call when none is known. */
  endedNotConnected: string;

  // ── placeholder in the stage (short) ──
  placeholderIdle: string;
  placeholderStarting: string;
  placeholderWaiting: string;
  /** ready or ended, unnamed peer (a named one shows the name). */
  placeholderSomeoneHere: string;
  /** On the stage of a member not in the call while others are in one (their names follow below). */
  placeholderCallRunning: string;
  /** calling. `{name}`: the peer's name (always given). */
  placeholderCalling: string;
  /** calling an unnamed peer. */
  placeholderCallingUnnamed: string;
  /** incoming. `{name}`: the name, else `someone`. */
  placeholderIncoming: string;
  placeholderConnecting: string;
  placeholderReconnecting: string;
  placeholderFull: string;
  placeholderError: string;

  // ── names ──
  /** The unnamed other person, at the start of a sentence. */
  theOtherPerson: string;
  /** The unnamed other person, mid-sentence. */
  theOtherPersonLower: string;
  /** An unnamed person, capitalised (the incoming placeholder). */
  someone: string;

  // ── buttons (fixed labels; toggles say their state with aria-pressed) ──
  start: string;
  tryAgain: string;
  call: string;
  /** The Call button while a call runs in the room without us: it joins that call. */
  join: string;
  accept: string;
  decline: string;
  cancel: string;
  hangUp: string;
  leave: string;
  /** The microphone toggle, pressed while muted. */
  mute: string;
  /** The camera toggle, pressed while the camera is off. */
  cameraOff: string;
  /** The screen-share toggle, pressed while sharing. */
  shareScreen: string;
  pictureInPicture: string;
  fullScreen: string;
  devices: string;
  /** The chat button, and the chat panel's name. */
  chat: string;
  send: string;
  /** Tooltip of a button with a keyboard shortcut. `{label}`: its label, `{key}`: the key. */
  shortcutHint: string;
  /** Shortcut key of the microphone toggle (one Latin letter: it is what `aria-keyshortcuts` says). */
  keyMute: string;
  /** Shortcut key of the camera toggle. */
  keyCamera: string;
  /** Shortcut key of hang up. */
  keyHangUp: string;

  // ── the stage ──
  /** The widget's region. */
  stageLabel: string;
  /** The group of buttons. */
  controlsLabel: string;
  /** Their camera `<video>`. `{name}` (mid-sentence: `theOtherPersonLower` when unnamed). */
  remoteVideoLabel: string;
  /** Their shared screen `<video>`. `{name}` (mid-sentence: `theOtherPersonLower` when unnamed). */
  remoteScreenLabel: string;
  /** Our own preview `<video>`. */
  localVideoLabel: string;
  /** The grid of the participants' tiles. */
  participantsLabel: string;
  /** Who is in a call we are not in. `{names}`: their names as a list. */
  inCallList: string;
  /** On our preview while our camera is off. */
  localCameraOff: string;
  /** Over their video while their camera is off. `{name}` (sentence start). */
  remoteCameraOff: string;
  /** After their name while their microphone is off. */
  remoteMuted: string;
  /** Tooltip of that mark. */
  remoteMutedTitle: string;
  /** The call timer's name. */
  callDuration: string;
  /** The chat button's badge. `{count}`: unread messages (a number). */
  unread: string;

  // ── announcements (spoken by screen readers) ──
  /** A call rings for us (assertive). `{name}` (sentence start). */
  announceIncoming: string;
  /** They muted their microphone. `{name}` (sentence start). */
  announceMicOff: string;
  /** They unmuted it. `{name}` (sentence start). */
  announceMicOn: string;
  /** They turned their camera off. `{name}` (sentence start). */
  announceCameraOff: string;
  /** They turned it on. `{name}` (sentence start). */
  announceCameraOn: string;
  /** They started sharing their screen. `{name}` (sentence start). */
  announceScreenOn: string;
  /** They stopped. `{name}` (sentence start). */
  announceScreenOff: string;
  /** They left the room. `{name}` (sentence start). */
  announceLeft: string;
  /** They joined the room. `{name}` (sentence start). */
  announceJoined: string;
  /** They joined our call. `{name}` (sentence start). */
  announceJoinedCall: string;
  /** They left our call (and stay in the room). `{name}` (sentence start). */
  announceLeftCall: string;
  /** They speak now (said at most every few seconds). `{name}` (sentence start). */
  announceSpeaking: string;
  /** A chat message. `{name}` (mid-sentence), `{text}`: the message. */
  announceMessage: string;

  // ── connection quality ──
  qualityGood: string;
  qualityFair: string;
  qualityPoor: string;
  qualityLost: string;
  /** `{ms}`: round-trip time, milliseconds (a number). */
  qualityRoundTrip: string;
  /** `{percent}`: packet loss, percent (a number). */
  qualityLoss: string;
  /** `{kbps}`: estimated upload bandwidth, kbit/s (a number). */
  qualityUpload: string;
  /** `{fps}`: received frames per second (a number). */
  qualityFps: string;
  /** The indicator's accessible name. `{level}`: one of the quality words, `{figures}`: the figures joined. */
  qualitySummary: string;
  /** Between the items of a list (the quality figures). */
  listSeparator: string;

  // ── chat panel ──
  /** Sender of our own messages. */
  chatYou: string;
  /** Sender of theirs when unnamed. */
  chatThem: string;
  /** The message field's name. */
  chatInputLabel: string;
  chatPlaceholder: string;
  /** The field's placeholder when nobody is in the room. */
  chatNobody: string;

  // ── device pickers ──
  deviceCamera: string;
  deviceMicrophone: string;
  deviceSpeaker: string;
  /** A device without a label. `{kind}`: one of the three words above, `{number}`: its place in the list (a number). */
  deviceUnnamed: string;
  microphoneLevel: string;

  // ── device-lost (an error `message`: sentence = one of lost/gone, then one of the endings) ──
  /** `{device}`: the device's label. */
  deviceLostCamera: string;
  deviceLostMicrophone: string;
  deviceLostSpeaker: string;
  /** The device had no label. */
  deviceGoneCamera: string;
  deviceGoneMicrophone: string;
  deviceGoneSpeaker: string;
  /** `{lost}`: one of the six above; `{fallback}`: the label of the device that took over. */
  deviceNowUsing: string;
  /** `{lost}`. */
  deviceNoOtherCamera: string;
  deviceNoOtherMicrophone: string;
  deviceDefaultSpeaker: string;

  // ── errors (the `message` of `vc-error`, by code; see errors.ts) ──
  errorUnknown: string;
  errorMissingRoom: string;
  /** No signal service configured (a bundled copy without `signaling-url`). */
  errorMissingSignalingUrl: string;
  errorMediaPermissionDenied: string;
  errorMediaNotFound: string;
  errorMediaInUse: string;
  errorMediaUnsupported: string;
  errorMediaFailed: string;
  errorSignalingUnreachable: string;
  errorSignalingLost: string;
  /** `{room}`. Also the status line of `full`. */
  errorRoomFull: string;
  errorTicketRequired: string;
  errorTicketInvalid: string;
  errorTicketExpired: string;
  errorTicketWrongRoom: string;
  /** `{room}`; `{reason}`: the service's own words (not translated). */
  errorJoinFailed: string;
  /** join-failed: the service is overloaded. */
  errorServiceBusy: string;
  /** signaling-unreachable: a request timed out. */
  errorServiceTimeout: string;
  /** signaling-lost: a request while disconnected. */
  errorNotConnected: string;
  errorIceDegraded: string;
  errorRelayUnavailable: string;
  errorCallFailed: string;
  /** Choosing a speaker (media-unsupported, media-not-found, media-permission-denied, media-failed). */
  errorSpeakerUnsupported: string;
  errorSpeakerNotFound: string;
  errorSpeakerDenied: string;
  errorSpeakerFailed: string;
}

/** The name of a message. */
export type MessageKey = keyof Messages;

export { format, type MessageParams } from './format.js';
