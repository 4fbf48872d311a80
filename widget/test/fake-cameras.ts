/**
 * The fake cameras of Chromium with `--use-fake-device-for-media-stream=device-count=3`:
 * `fake_device_0` and `fake_device_2` send video; `fake_device_1` is a depth camera (Y16) that
 * previews but that WebRTC does not encode.
 */

/** The fake cameras' device ids by label, read once capture is allowed (labels need the permission). */
export async function cameras(): Promise<Map<string, string>> {
  const devices = await navigator.mediaDevices.enumerateDevices();
  return new Map(devices.filter((d) => d.kind === 'videoinput').map((d) => [d.label, d.deviceId]));
}
