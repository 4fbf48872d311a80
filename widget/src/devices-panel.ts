/**
 * The device pickers of `<video-call>`: camera, microphone (with its level meter) and speaker
 * (where the browser can choose one). A pure template and its styles, small enough to load
 * with `import()` when the preview first shows. Device labels are rendered as text.
 */
import { css, html, nothing } from 'lit';
import { english, type Translate } from './i18n/translator.js';

/** What a picker changes: `MediaDeviceInfo.kind`. */
export type PickerKind = 'videoinput' | 'audioinput' | 'audiooutput';

/** What the pickers show. */
export interface DevicePickersView {
  /** Devices of each kind; a kind without any gets no picker (speakers: none without `setSinkId`). */
  devices: Readonly<Record<PickerKind, readonly MediaDeviceInfo[]>>;
  /** The device id in use for each kind ('' = the default, or not known). */
  selected: Readonly<Record<PickerKind, string>>;
  /** Microphone level, 0–1; null: no meter. */
  level: number | null;
  /** A switch is under way: the pickers wait. */
  busy?: boolean;
  /** Shown by themselves with the preview before a call, not asked for (narrow layouts hide them until asked). */
  auto?: boolean;
}

/** What the pickers do. */
export interface DevicePickersActions {
  /** The person chose `deviceId` for `kind` (e.g. the element's `switchDevice`). */
  pick(kind: PickerKind, deviceId: string): unknown;
}

const PICKERS = {
  videoinput: { name: 'deviceCamera', part: 'device-picker camera-picker' },
  audioinput: { name: 'deviceMicrophone', part: 'device-picker microphone-picker' },
  audiooutput: { name: 'deviceSpeaker', part: 'device-picker speaker-picker' },
} as const;

/** The pickers (labelled `<select>`s, part `device-picker` plus `camera-picker` …) and the meter (part `mic-level`), worded by `t`. */
export function renderDevicePickers(view: DevicePickersView, actions: DevicePickersActions, t: Translate = english) {
  const picker = (kind: PickerKind, extra: unknown = nothing) => {
    const devices = view.devices[kind];
    if (devices.length === 0) return nothing;
    const { part } = PICKERS[kind];
    const name = t(PICKERS[kind].name);
    const change = (event: Event) => void Promise.resolve(actions.pick(kind, (event.target as HTMLSelectElement).value)).catch(() => {});
    return html`<div class="device">
      <label>
        <span class="device-name">${name}</span>
        <select part=${part} ?disabled=${view.busy === true} @change=${change}>
          ${devices.map(
            (device, i) =>
              html`<option value=${device.deviceId} ?selected=${device.deviceId === view.selected[kind]}>
                ${device.label || t('deviceUnnamed', { kind: name, number: i + 1 })}
              </option>`,
          )}
        </select>
      </label>
      ${extra}
    </div>`;
  };
  const level =
    view.level === null
      ? nothing
      : html`<meter part="mic-level" class="level" min="0" max="1" .value=${view.level} aria-label=${t('microphoneLevel')}></meter>`;
  return html`<div part="devices" class=${view.auto ? 'devices auto' : 'devices'}>
    ${picker('videoinput')} ${picker('audioinput', level)} ${picker('audiooutput')}
  </div>`;
}

/** Styles of the pickers, to add to the element's styles (or adopt when this chunk loads). */
export const devicePickersStyles = css`
  .devices {
    display: flex;
    flex-direction: column;
    gap: 8px;
    padding: 0 4px 8px;
  }
  .device {
    display: flex;
    flex-direction: column;
    gap: 4px;
    min-width: 0;
  }
  .device label {
    display: flex;
    flex-direction: column;
    gap: 2px;
    font-size: 0.85rem;
  }
  .device select {
    font: inherit;
    font-size: 0.9rem;
    min-height: 36px;
    width: 100%;
    padding: 0 8px;
    border-radius: 8px;
    border: 1px solid var(--_border);
    background: var(--_bg);
    color: var(--_fg);
  }
  .device select:focus-visible {
    outline: 3px solid var(--_focus);
    outline-offset: 2px;
  }
  .level {
    width: 100%;
    height: 8px;
  }
`;
