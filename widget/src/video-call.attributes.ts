/**
 * The attributes of `<video-call>` (its settings) and its styles, in a base class of their own so
 * that video-call.ts holds the behaviour. Documented here for the manifest (custom-elements.json
 * inherits attributes, parts and custom properties from a superclass).
 */
import { LitElement, type PropertyDeclarations } from 'lit';
import { devicePickersStyles } from './devices-panel.js';
import { LocalizeController, type MessageOverrides } from './i18n/localize-controller.js';
import { inCallStyles } from './video-call.in-call.styles.js';
import { styles } from './video-call.styles.js';
import { tilesStyles } from './video-call.tiles.styles.js';

/**
 * `<video-call>`'s settings, each a property reflecting an attribute, and its styles with their
 * documented hooks (parts and custom properties). Its behaviour and events: VideoCall.
 *
 * @csspart stage - The box holding the videos.
 * @csspart tiles - The grid of the participants' tiles.
 * @csspart tile - One participant's tile (`data-participant-id` is their id); also `speaking` while they speak.
 * @csspart speaking - The tile of a participant who speaks now.
 * @csspart remote-video - A participant's `<video>`, in their tile.
 * @csspart local-video - Your own muted preview `<video>`.
 * @csspart placeholder - Text shown in the stage while there is no remote video.
 * @csspart status - The status line telling what is happening.
 * @csspart controls - The row of buttons.
 * @csspart button - Every button.
 * @csspart start-button - Start (or Try again).
 * @csspart call-button - Call.
 * @csspart accept-button - Accept, while a call rings.
 * @csspart decline-button - Decline, while a call rings.
 * @csspart cancel-button - Cancel, while our call rings.
 * @csspart hang-up-button - Hang up.
 * @csspart mic-button - Microphone on/off.
 * @csspart camera-button - Camera on/off.
 * @csspart leave-button - Leave the room.
 * @csspart share-button - Share the screen (pressed while sharing).
 * @csspart chat-button - Open the chat.
 * @csspart chat-unread - The chat button's count of unread messages.
 * @csspart pip-button - Picture in picture.
 * @csspart fullscreen-button - Full screen.
 * @csspart remote-screen - A participant's shared screen, large.
 * @csspart remote-name - A participant's name on their tile.
 * @csspart remote-muted - The mark beside their name when their microphone is off.
 * @csspart remote-placeholder - Their initial instead of black when their camera is off.
 * @csspart local-off - Says that your own camera is off.
 * @csspart quality - A participant's connection quality, on their tile, with the figures on hover and focus.
 * @csspart timer - How long the call has lasted.
 * @csspart chat - The chat panel.
 * @csspart chat-message - One message in the chat panel.
 * @csspart chat-input - The chat panel's text field.
 * @csspart chat-send-button - The chat panel's Send button.
 * @csspart devices - The device pickers' panel.
 * @csspart device-picker - Every device `<select>`; also `camera-picker`, `microphone-picker` or `speaker-picker`.
 * @csspart camera-picker - The camera `<select>`.
 * @csspart microphone-picker - The microphone `<select>`.
 * @csspart speaker-picker - The speaker `<select>` (where the browser can choose one).
 * @csspart mic-level - The microphone level meter beside the microphone picker.
 * @csspart devices-button - Shows the camera, microphone and speaker pickers (`devices`, `device-picker`, `mic-level`).
 * @csspart announcer - The visually hidden live region that tells screen readers what the others did.
 *
 * @cssprop [--video-call-background=light-dark(#f8fafc, #0f172a)] - Background of the element (around the stage) and its panels.
 * @cssprop [--video-call-color=light-dark(#0f172a, #f8fafc)] - Text colour.
 * @cssprop [--video-call-muted-color=light-dark(#475569, #cbd5e1)] - Secondary text (message times, placeholders of fields).
 * @cssprop [--video-call-border-color=light-dark(#94a3b8, #64748b)] - Borders of fields and pickers.
 * @cssprop [--video-call-stage-background=#000] - Behind the videos and the placeholder.
 * @cssprop [--video-call-stage-color=#f1f5f9] - Text on the stage (placeholder, camera-off notice).
 * @cssprop [--video-call-button-background=light-dark(#e2e8f0, #1e293b)] - Background of the ordinary buttons and toggles.
 * @cssprop [--video-call-button-color=var(--video-call-color)] - Text and icon colour of those buttons.
 * @cssprop [--video-call-button-hover-background=light-dark(#cbd5e1, #334155)] - Their background on hover.
 * @cssprop [--video-call-pressed-background=light-dark(#0f172a, #f8fafc)] - A pressed toggle (microphone muted, camera off, sharing).
 * @cssprop [--video-call-pressed-color=light-dark(#f8fafc, #0f172a)] - Text and icon colour of a pressed toggle.
 * @cssprop [--video-call-pressed-hover-background=light-dark(#334155, #cbd5e1)] - A pressed toggle on hover.
 * @cssprop [--video-call-accent=#2563eb] - Background of the main buttons (Start, Call, Accept) and the avatar.
 * @cssprop [--video-call-accent-color=#fff] - Text on the accent colour.
 * @cssprop [--video-call-accent-hover=#1d4ed8] - The main buttons on hover.
 * @cssprop [--video-call-danger=#dc2626] - Background of Hang up, Decline and Cancel, the unread badge, a poor connection.
 * @cssprop [--video-call-danger-color=#fff] - Text on the danger colour.
 * @cssprop [--video-call-danger-hover=#b91c1c] - Those buttons on hover.
 * @cssprop [--video-call-error-color=light-dark(#b91c1c, #fca5a5)] - The status line in the `error` and `full` states.
 * @cssprop [--video-call-focus-ring=light-dark(#1d4ed8, #93c5fd)] - The keyboard focus outline.
 * @cssprop [--video-call-overlay-background=rgb(0 0 0 / 0.7)] - Labels over the video (name, quality, timer).
 * @cssprop [--video-call-overlay-color=#fff] - Text of those labels.
 * @cssprop [--video-call-radius=12px] - Corner radius.
 * @cssprop [--video-call-font=system-ui, sans-serif] - Font family.
 * @cssprop [--video-call-aspect-ratio=16 / 9] - Aspect ratio of the stage when the host gives the element no height.
 * @cssprop [--video-call-local-width=28%] - Width of the local preview relative to the stage.
 * @cssprop [--video-call-speaking-color=#22c55e] - The ring around the tile of a participant who speaks.
 */
export class VideoCallAttributes extends LitElement {
  static override styles = [styles, tilesStyles, inCallStyles, devicePickersStyles];

  static override properties: PropertyDeclarations = {
    room: { type: String, reflect: true },
    signalingUrl: { type: String, attribute: 'signaling-url' },
    name: { type: String },
    iceTransportPolicy: { type: String, attribute: 'ice-transport-policy' },
    ticket: { type: String },
    autoAnswer: { type: Boolean, attribute: 'auto-answer' },
    ringTimeout: { type: Number, attribute: 'ring-timeout' },
    strings: { attribute: false },
  };

  /** Room to join (attribute `room`). */
  declare room: string;
  /** Origin of the signal service (attribute `signaling-url`); empty: the script's origin. */
  declare signalingUrl: string;
  /** Display name shown to the peer (attribute `name`). */
  declare name: string;
  /** `all` (default) or `relay` (attribute `ice-transport-policy`). */
  declare iceTransportPolicy: RTCIceTransportPolicy;
  /** Room ticket (JWT) from the host site's backend, when the service requires one (attribute `ticket`). */
  declare ticket: string;
  /** Accept incoming calls at once (attribute `auto-answer`). Default false: calls ring. */
  declare autoAnswer: boolean;
  /** Seconds an unanswered call rings before it ends as `no-answer` (attribute `ring-timeout`). Default 30. */
  declare ringTimeout: number;
  /**
   * The host page's own words for any of the widget's texts, by message key (property only, no
   * attribute), e.g. `{ start: 'Join', statusIdle: 'Press Join when you are ready.' }`. They
   * replace the built-in words in every language; `{param}` placeholders are filled in as in
   * the built-in ones. Assign a new object to change them (the element re-renders). Keys and
   * params: the `Messages` type (i18n/messages.ts); unknown keys and non-string values are
   * ignored with a console warning.
   */
  declare strings: MessageOverrides;

  /**
   * The words in the element's language (from `lang` on it or an ancestor, the document or the
   * browser), with `strings` applied; re-renders when they change.
   * @internal
   */
  readonly i18n = new LocalizeController(this, () => this.strings);

  /** The first render waits (at most 1 s) for the words of the page's language: no flash of English. */
  protected override async scheduleUpdate(): Promise<void> {
    if (!this.hasUpdated) await this.i18n.settled();
    await super.scheduleUpdate();
  }

  constructor() {
    super();
    this.room = '';
    this.signalingUrl = '';
    this.name = '';
    this.iceTransportPolicy = 'all';
    this.ticket = '';
    this.autoAnswer = false;
    this.ringTimeout = 30;
    this.strings = {};
  }
}
