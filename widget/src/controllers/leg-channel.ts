/**
 * A leg's data channel (peer to peer: the signal service never sees it): media state and chat
 * between two participants' widgets, in the message format of video-call-protocol
 * (data-channel.ts). Negotiated with a fixed id on both sides, so it is part of the leg's first
 * offer and needs no `ondatachannel`.
 */
import { DATA_CHANNEL_ID, DATA_CHANNEL_LABEL } from 'video-call-protocol';

/** What a leg's channel reports. */
export interface LegChannelEvents {
  /** The channel opened (on every new leg): say what has to be said. */
  onOpen?(): void;
  /** A message from the other participant (they may send anything: decode and check it). */
  onMessage?(data: unknown): void;
}

/** The data channel of one RTCPeerConnection. */
export class LegChannel {
  readonly #channel: RTCDataChannel;

  /** Creates the channel on `pc` (the offerer before its first offer, the answerer once the offer is applied). */
  constructor(pc: RTCPeerConnection, events: LegChannelEvents) {
    const channel = pc.createDataChannel(DATA_CHANNEL_LABEL, { negotiated: true, id: DATA_CHANNEL_ID });
    channel.onopen = () => events.onOpen?.();
    channel.onmessage = ({ data }) => events.onMessage?.(data);
    this.#channel = channel;
  }

  /** Sends `data` (a JSON text); false when the channel is not open. */
  send(data: string): boolean {
    if (this.#channel.readyState !== 'open') return false;
    this.#channel.send(data);
    return true;
  }

  /** Stops reporting; the channel closes with its connection. */
  detach(): void {
    this.#channel.onopen = this.#channel.onmessage = null;
  }
}
