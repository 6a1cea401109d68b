import { App, Chart, Size } from 'cdk8s';
import { Cpu, k8s } from 'cdk8s-plus-28';
import { ContainerResources } from '../../src/core/container-resources';
import { renderResources, resourceRequirements } from '../../src/private/pod-security';
import { expectSynthErrors, synthErrors } from '../support/errors';

const GOOD: ContainerResources = {
  cpuRequest: Cpu.millis(100),
  cpuLimit: Cpu.units(1),
  memoryRequest: Size.mebibytes(128),
  memoryLimit: Size.gibibytes(1),
};

/** An app whose one object takes `resources` through the renderer. */
function render(resources: ContainerResources): { app: App; rendered: ReturnType<typeof renderResources> } {
  const app = new App();
  const chart = new Chart(app, 'chart');
  const rendered = renderResources(chart, 'resources', resources);
  return { app, rendered };
}

describe('ContainerResources', () => {
  test('renders the quantity strings written before the values were typed', () => {
    expect(render(GOOD).rendered).toEqual({ cpuRequest: '100m', cpuLimit: '1', memoryRequest: '128Mi', memoryLimit: '1Gi' });
    expect(render({
      cpuRequest: Cpu.units(0.25),
      cpuLimit: Cpu.millis(2000),
      memoryRequest: Size.kibibytes(1536),
      memoryLimit: Size.mebibytes(3072),
    }).rendered)
      .toEqual({ cpuRequest: '250m', cpuLimit: '2', memoryRequest: '1536Ki', memoryLimit: '3Gi' });
  });

  test('as L1 requirements: requests and limits', () => {
    const chart = new Chart(new App(), 'chart');
    expect(k8s.toJson_ResourceRequirements(resourceRequirements(chart, 'resources', GOOD)))
      .toEqual({ requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '1', memory: '1Gi' } });
    expect(synthErrors(chart.node.root as App)).toEqual([]);
  });

  test('nonsense values are refused at synth with path, property and fix', () => {
    const { app } = render({
      cpuRequest: Cpu.millis(-1),
      cpuLimit: Cpu.millis(0.5),
      memoryRequest: Size.mebibytes(0),
      memoryLimit: Size.kibibytes(512),
    });
    const errors = expectSynthErrors(app, [
      /\[chart\] .*'chart': resources\.cpuRequest: '-1m' is not a positive number of whole millicores: use e\.g\. Cpu\.millis/,
      /resources\.cpuLimit: '0\.5m' is not a positive number of whole millicores/,
      /resources\.memoryRequest: 0 KiB is not a usable memory size: give at least 1 MiB/,
      /resources\.memoryLimit: 512 KiB is not a usable memory size/,
    ]);
    expect(errors).toHaveLength(4);
  });

  test('a request above its limit is refused', () => {
    const { app } = render({
      cpuRequest: Cpu.units(2),
      cpuLimit: Cpu.millis(500),
      memoryRequest: Size.gibibytes(2),
      memoryLimit: Size.mebibytes(512),
    });
    expectSynthErrors(app, [
      /resources\.cpuRequest: 2 is more than cpuLimit 500m: .* lower cpuRequest or raise cpuLimit/,
      /resources\.memoryRequest: 2Gi is more than memoryLimit 512Mi: .* lower memoryRequest or raise memoryLimit/,
    ]);
  });

  test('free strings are refused (JavaScript users; TypeScript no longer compiles them)', () => {
    // @ts-expect-error free strings no longer type-check: 'lots' is not a Cpu (tsc fails if it ever does)
    const untyped: ContainerResources = { ...GOOD, cpuLimit: 'lots' };
    expect(untyped.cpuLimit).toBe('lots');
    // What a JavaScript caller could still pass:
    const lots = { ...GOOD, cpuLimit: 'lots', memoryLimit: '256Mi' } as unknown as ContainerResources;
    const { app } = render(lots);
    expectSynthErrors(app, [
      /resources\.cpuLimit: 'lots' is not a CPU amount: use Cpu\.millis\(n\) or Cpu\.units\(n\)/,
      /resources\.memoryLimit: '256Mi' is not a memory size: use Size\.mebibytes\(n\)/,
    ]);
  });
});
