/**
 * A stand-in for the element that hosts reactive controllers (Lit's `ReactiveControllerHost`) in
 * controller tests: it connects each controller as it is added, counts `requestUpdate()` calls
 * (`updates`), and disconnects them all on `disconnect()`.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';

export class TestHost implements ReactiveControllerHost {
  controllers: ReactiveController[] = [];
  updates = 0;
  addController(controller: ReactiveController) {
    this.controllers.push(controller);
    controller.hostConnected?.();
  }
  removeController() {}
  requestUpdate() {
    this.updates++;
  }
  disconnect() {
    this.controllers.forEach((controller) => controller.hostDisconnected?.());
  }
  get updateComplete() {
    return Promise.resolve(true);
  }
}
