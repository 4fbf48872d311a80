/**
 * The attributes of `<video-call>` (its settings), in a base class of their own so that
 * video-call.ts holds the behaviour. Documented on the element (video-call.ts) for the manifest.
 */
import { LitElement, type PropertyDeclarations } from 'lit';
import { devicePickersStyles } from './devices-panel.js';
import { LocalizeController, type MessageOverrides } from './i18n/localize-controller.js';
import { inCallStyles } from './video-call.in-call.styles.js';
import { styles } from './video-call.styles.js';

/** `<video-call>`'s settings: each a property reflecting an attribute (see VideoCall). */
export class VideoCallAttributes extends LitElement {
  static override styles = [styles, inCallStyles, devicePickersStyles];

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
