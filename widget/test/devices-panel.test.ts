/**
 * The device pickers' template (devices-panel.ts): labelled pickers with member-supplied labels
 * rendered as text, the microphone meter, the speaker picker only where there are speakers, and
 * a choice calling `pick(kind, deviceId)`.
 */
import { expect } from '@open-wc/testing';
import { render } from 'lit';
import { renderDevicePickers, type DevicePickersView, type PickerKind } from '../src/devices-panel.js';

describe('device pickers (devices-panel.ts)', () => {
  const device = (kind: PickerKind, deviceId: string, label: string) => ({ kind, deviceId, label, groupId: '' }) as MediaDeviceInfo;
  const view = (overrides: Partial<DevicePickersView> = {}): DevicePickersView => ({
    devices: {
      videoinput: [device('videoinput', 'c0', 'Front <b>camera</b>'), device('videoinput', 'c1', '')],
      audioinput: [device('audioinput', 'm0', 'Mic')],
      audiooutput: [],
    },
    selected: { videoinput: 'c1', audioinput: 'm0', audiooutput: '' },
    level: 0.4,
    ...overrides,
  });

  it('renders labelled pickers (labels as text), the meter, and no speaker picker without speakers', () => {
    const root = document.createElement('div');
    render(renderDevicePickers(view(), { pick: () => {} }), root);
    const camera = root.querySelector<HTMLSelectElement>('[part~="camera-picker"]')!;
    expect(camera.getAttribute('part')).to.equal('device-picker camera-picker');
    expect(camera.closest('label')!.textContent).to.contain('Camera');
    expect([...camera.options].map((o) => o.textContent.trim())).to.deep.equal(['Front <b>camera</b>', 'Camera 2']);
    expect(camera.querySelector('b')).to.equal(null);
    expect(camera.value).to.equal('c1');
    expect(root.querySelector('[part~="microphone-picker"]')).to.be.instanceOf(HTMLSelectElement);
    expect(root.querySelector('[part~="speaker-picker"]')).to.equal(null);
    const meter = root.querySelector<HTMLMeterElement>('[part="mic-level"]')!;
    expect(meter.value).to.equal(0.4);
    expect(meter.getAttribute('aria-label')).to.equal('Microphone level');

    render(
      renderDevicePickers(view({ level: null, devices: { ...view().devices, audiooutput: [device('audiooutput', 's0', 'Speakers')] } }), {
        pick: () => {},
      }),
      root,
    );
    expect(root.querySelector('[part~="speaker-picker"]')).to.be.instanceOf(HTMLSelectElement);
    expect(root.querySelector('[part="mic-level"]')).to.equal(null);
  });

  it('a choice calls pick(kind, deviceId)', () => {
    const picks: [PickerKind, string][] = [];
    const root = document.createElement('div');
    render(renderDevicePickers(view(), { pick: (kind, id) => picks.push([kind, id]) }), root);
    const camera = root.querySelector<HTMLSelectElement>('[part~="camera-picker"]')!;
    camera.value = 'c0';
    camera.dispatchEvent(new Event('change'));
    expect(picks).to.deep.equal([['videoinput', 'c0']]);
  });
});
