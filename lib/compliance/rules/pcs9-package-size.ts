import { mb, notPython } from './common';
import { dirSizeBytes } from '../engine/assets';
import { CodeLocation, ColdStartRule, compliant, nonCompliant, RuleOutcome, unknown } from '../engine/model';
import { isUnresolved, Unresolved } from '../engine/values';
import { FindingLevel } from '../types';

export const DEFAULT_SIZE_BUDGET_MB = 100;
/** aws-facts (Packaging): 250 MB unzipped for function code plus all its layers; at most 5 layers. */
export const MAX_UNZIPPED_BYTES = 250 * 1024 * 1024;
export const MAX_LAYERS = 5;

/** PCS9: deployment package plus layers above 250 MB unzipped (error) or above a budget. */
export const PCS9: ColdStartRule = {
  id: 'PCS9',
  title: 'Package plus layers too large',
  defaultLevel: FindingLevel.WARNING,
  explanation: 'Lambda rejects more than 250 MB unzipped for code plus layers (and more than 5 layers); below that, every extra MB is downloaded and extracted on a cold start.',
  fix: 'Remove unused dependencies and test data, avoid duplicating packages between code and layers, or move to a container image.',
  evaluate(fn, ctx) {
    const np = notPython(fn);
    if (np) {
      return [np];
    }
    if (isUnresolved(fn.layers)) {
      return [unknown(fn.layers)];
    }
    const parts: CodeLocation[] = [fn.code, ...fn.layers];
    let bytes = 0;
    const unknownParts: CodeLocation[] = [];
    for (const p of parts) {
      if (p.dir) {
        bytes += dirSizeBytes(p.dir);
      } else if (p.inlineBytes !== undefined) {
        bytes += p.inlineBytes;
      } else {
        unknownParts.push(p);
      }
    }
    const out: RuleOutcome[] = [];
    if (fn.layers.length > MAX_LAYERS) {
      out.push(nonCompliant(`${fn.layers.length} layers: Lambda allows at most ${MAX_LAYERS} (aws-facts: Packaging).`, { level: FindingLevel.ERROR }));
    }
    const budget = (ctx.settings.sizeBudgetMb ?? DEFAULT_SIZE_BUDGET_MB) * 1024 * 1024;
    if (bytes > MAX_UNZIPPED_BYTES) {
      out.push(nonCompliant(`code plus layers are at least ${mb(bytes)} unzipped, above Lambda's 250 MB limit (aws-facts: Packaging): the deployment fails. Remove dependencies or use a container image.`, { level: FindingLevel.ERROR }));
    } else if (bytes > budget) {
      out.push(nonCompliant(`code plus layers are at least ${mb(bytes)} unzipped, above the ${mb(budget)} budget: a larger package is slower to download and extract on every cold start. Remove unused dependencies.`));
    } else if (unknownParts.length > 0) {
      out.push(unknown(new Unresolved(unknownParts.map((p) => p.property).join(', '), '',
        `cannot measure ${unknownParts.map((p) => `${p.property} (${p.unknownReason})`).join(', ')}`), {}));
    } else if (out.length === 0) {
      out.push(compliant(`code plus layers are ${mb(bytes)} unzipped`));
    }
    return out;
  },
};
