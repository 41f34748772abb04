/**
 * The session's GPU side: a WebGPU context opened on first need, and the conversion of a fused kernel's result
 * into the executor's `QueryResult`. The physical plan (planner/physical) decides when the device is consulted;
 * it is opened on the first such query only.
 */
import type { ConnectorTable } from '../connectors/api.js';
import { HepqError, typedArrayFor } from '../exec/batch/index.js';
import {
  compileFusedKernel,
  type DeviceChoice,
  type FusedResult,
  GpuContext,
  type Placement,
} from '../exec/gpu/index.js';
import { compilePlan, type FunctionLookup, type QueryResult } from '../exec/index.js';
import type { LogicalPlan } from '../planner/ir/index.js';

export class SessionGpu {
  private ctx?: Promise<GpuContext>;

  private context(choice: DeviceChoice): Promise<GpuContext> {
    this.ctx ??= GpuContext.open({ choice });
    return this.ctx.then((c) => {
      c.choice = choice;
      return c;
    });
  }

  /** The device's placement of the fused pipeline (opens the device on first use), with the adapter's name. */
  async place(
    choice: DeviceChoice,
    plan: LogicalPlan,
    table: ConnectorTable,
  ): Promise<Placement & { name?: string }> {
    // A plan the fused-kernel compiler cannot take never opens a device (the compiler needs none).
    try {
      compileFusedKernel(plan, table.schema());
    } catch (e) {
      if (e instanceof HepqError && e.code === 'gpu/unsupported')
        return { device: 'cpu', reason: `not offloadable: ${e.message}` };
      throw e;
    }
    const ctx = await this.context(choice);
    const placed = ctx.place(plan, table);
    return ctx.costs?.device ? { ...placed, name: ctx.costs.device } : placed;
  }

  /** The GPU's result when the placement chose it (undefined: run on the CPU). */
  async run(
    choice: DeviceChoice,
    plan: LogicalPlan,
    table: ConnectorTable,
    functions: FunctionLookup,
    options: { signal?: AbortSignal; range?: { readonly start: number; readonly stop: number } },
  ): Promise<{ placement: Placement; result?: QueryResult }> {
    const ctx = await this.context(choice);
    const { placement, result } = await ctx.run(plan, table, options);
    return { placement, ...(result ? { result: toQueryResult(result, plan, table, functions) } : {}) };
  }

  async close(): Promise<void> {
    const ctx = await this.ctx?.catch(() => undefined);
    ctx?.close();
    this.ctx = undefined;
  }
}

function toQueryResult(
  r: FusedResult,
  plan: LogicalPlan,
  table: ConnectorTable,
  functions: FunctionLookup,
): QueryResult {
  if (r.kind === 'histogram') return { kind: 'histogram', histogram: r.histogram };
  // One value per kept row: the schema and shape the CPU would give, in its declared number type.
  const t = compilePlan(plan, table.schema(), { functions }).terminal;
  if (t.kind !== 'rows' || t.names.length !== 1)
    throw new Error('internal: a GPU values result of a non-column query');
  const type = t.nodes[0]!.type;
  if (type.kind !== 'primitive') throw new Error('internal: a GPU values result of a non-numeric column');
  const values = new (typedArrayFor(type.type))(r.values.length);
  for (let i = 0; i < r.values.length; i++) (values as Float64Array)[i] = r.values[i]!;
  const schema = { fields: [{ name: t.names[0]!, type }] };
  return {
    kind: 'rows',
    schema,
    shape: t.shape,
    batches: [
      {
        schema,
        columns: [{ kind: 'primitive', type: type.type, values: values as never }],
        length: values.length,
      },
    ],
  };
}
