/**
 * The device pickers of `<video-call>`: camera, microphone (with its level meter) and speaker
 * (where the browser can choose one). A pure template and its styles, small enough to load
 * with `import()` when the preview first shows. Device labels are rendered as text.
 */
import { css, html, nothing } from 'lit';

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
}

/** What the pickers do. */
export interface DevicePickersActions {
  /** The person chose `deviceId` for `kind` (e.g. the element's `switchDevice`). */
  pick(kind: PickerKind, deviceId: string): unknown;
}

const PICKERS = {
  videoinput: { name: 'Camera', part: 'device-picker camera-picker' },
  audioinput: { name: 'Microphone', part: 'device-picker microphone-picker' },
  audiooutput: { name: 'Speaker', part: 'device-picker speaker-picker' },
} as const;

/** The pickers (labelled `<select>`s, part `device-picker` plus `camera-picker` …) and the meter (part `mic-level`). */
export function renderDevicePickers(view: DevicePickersView, actions: DevicePickersActions) {
  const picker = (kind: PickerKind, extra: unknown = nothing) => {
    const devices = view.devices[kind];
    if (devices.length === 0) return nothing;
    const { name, part } = PICKERS[kind];
    const change = (event: Event) => void Promise.resolve(actions.pick(kind, (event.target as HTMLSelectElement).value)).catch(() => {});
    return html`<div class="device">
      <label>
        <span class="device-name">${name}</span>
        <select part=${part} ?disabled=${view.busy === true} @change=${change}>
          ${devices.map(
            (device, i) =>
              html`<option value=${device.deviceId} ?selected=${device.deviceId === view.selected[kind]}>
                ${device.label || `${name} ${i + 1}`}
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
      : html`<meter part="mic-level" class="level" min="0" max="1" .value=${view.level} aria-label="Microphone level"></meter>`;
  return html`<div part="devices" class="devices">
    ${picker('videoinput')} ${picker('audioinput', level)} ${picker('audiooutput')}
  </div>`;
}

/** Styles of the pickers, to add to the element's styles (or adopt when this chunk loads). */
export const devicePickersStyles = css`
  .devices {
    display: flex;
    flex-wrap: wrap;
    gap: 8px 12px;
    padding: 0 4px 8px;
  }
  .device {
    display: flex;
    flex-direction: column;
    gap: 4px;
    flex: 1 1 10rem;
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
    border: 1px solid rgb(255 255 255 / 0.25);
    background: rgb(255 255 255 / 0.08);
    color: inherit;
  }
  .device option {
    color: #0f172a;
    background: #fff;
  }
  .device select:focus-visible {
    outline: 3px solid color-mix(in srgb, var(--video-call-accent, #2563eb) 70%, white);
    outline-offset: 2px;
  }
  .level {
    width: 100%;
    height: 8px;
  }
`;
