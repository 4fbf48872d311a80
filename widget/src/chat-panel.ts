/**
 * The chat panel of `<video-call>` (`part="chat"`): the messages, oldest first, and a form to
 * send one to everyone in the room. Messages and names are member-supplied: Lit text bindings only.
 */
import { html, nothing } from 'lit';
import { MAX_CHAT_LENGTH } from 'video-call-protocol';
import type { ChatEntry } from './controllers/chat-controller.js';
import { english, type Translate } from './i18n/translator.js';

/** What the chat panel shows. */
export interface ChatView {
  messages: readonly ChatEntry[];
  open: boolean;
  /** Someone is there to read a message. */
  canSend: boolean;
  /** The name for a received message whose sender is unnamed ('' : `chatThem`). */
  fallbackName: string;
}

/** The panel for `chat`, worded by `t`; `send(text)` returns false when the text could not be sent. */
export function renderChatPanel(chat: ChatView, send: (text: string) => boolean, t: Translate = english, lang?: string) {
  const { canSend } = chat;
  if (!chat.open) return nothing;
  const onSubmit = (event: SubmitEvent) => {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const input = form.elements.namedItem('text') as HTMLInputElement;
    if (send(input.value)) input.value = '';
  };
  const time = (sentAt: number) => new Date(sentAt).toLocaleTimeString(lang ?? [], { hour: '2-digit', minute: '2-digit' });
  return html`
    <section part="chat" class="chat" aria-label=${t('chat')}>
      <ol class="messages" aria-live="polite">
        ${chat.messages.map(
          (m) => html`<li class=${m.mine ? 'mine' : 'theirs'} part="chat-message">
            <span class="who">${m.mine ? t('chatYou') : m.from.name || chat.fallbackName || t('chatThem')}</span>
            <span class="when">${time(m.sentAt)}</span>
            <span class="text">${m.text}</span>
          </li>`,
        )}
      </ol>
      <form class="compose" @submit=${onSubmit}>
        <input
          name="text"
          part="chat-input"
          aria-label=${t('chatInputLabel')}
          autocomplete="off"
          maxlength=${MAX_CHAT_LENGTH}
          placeholder=${canSend ? t('chatPlaceholder') : t('chatNobody')}
          ?disabled=${!canSend}
        />
        <button part="button chat-send-button" ?disabled=${!canSend}>${t('send')}</button>
      </form>
    </section>
  `;
}
