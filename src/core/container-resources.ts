import { Size } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';

/**
 * CPU and memory for a container: both requests and limits are always set, so the scheduler
 * reserves what the container needs and a runaway container cannot starve its neighbours.
 * Checked at synth: amounts are positive, CPU in whole millicores, memory at least 1 MiB in
 * whole KiB, and each request at most its limit.
 */
export interface ContainerResources {
  /** CPU request, e.g. `Cpu.millis(100)`. */
  readonly cpuRequest: Cpu;
  /** CPU limit, e.g. `Cpu.millis(500)` or `Cpu.units(1)`. */
  readonly cpuLimit: Cpu;
  /** Memory request, e.g. `Size.mebibytes(128)`. */
  readonly memoryRequest: Size;
  /** Memory limit, e.g. `Size.mebibytes(256)` or `Size.gibibytes(1)`. */
  readonly memoryLimit: Size;
}
