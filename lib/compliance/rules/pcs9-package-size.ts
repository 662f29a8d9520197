import { cite, mb, notPython, offRequestPath } from './common';
import { DEFAULT_SIZE_BUDGET_MB as SIZE_GUARD_BUDGET_MB, LAMBDA_MAX_LAYERS, LAMBDA_UNZIPPED_LIMIT_BYTES } from '../../bundling/size-guard';
import { AWS_RULES } from '../../shared/aws-rules';
import { dirSizeBytes } from '../engine/assets';
import { CodeLocation, ColdStartRule, compliant, nonCompliant, notApplicable, RuleOutcome, unknown } from '../engine/model';
import { isUnresolved, Unresolved } from '../engine/values';
import { FindingLevel } from '../types';

/** The same default budget as the construct's synth-time size guard (one declaration). */
export const DEFAULT_SIZE_BUDGET_MB = SIZE_GUARD_BUDGET_MB;
const SIZE = AWS_RULES.PACKAGE_UNZIPPED_SIZE;
const LAYERS = AWS_RULES.MAX_LAYERS;
export const MAX_UNZIPPED_BYTES = LAMBDA_UNZIPPED_LIMIT_BYTES;
export const MAX_LAYERS = LAMBDA_MAX_LAYERS;

/** PCS9: deployment package plus layers above 250 MB unzipped (error) or above a budget. */
export const PCS9: ColdStartRule = {
  id: 'PCS9',
  title: 'Package plus layers too large',
  defaultLevel: FindingLevel.WARNING,
  explanation: `${SIZE.rule} (and ${LAYERS.rule.replace(/^A function can use/, 'can use')}); below that, every extra MB is downloaded and extracted on a cold start.`,
  fix: 'Remove unused dependencies and test data, avoid duplicating packages between code and layers, or move to a container image.',
  awsRules: [SIZE, LAYERS],
  evaluate(fn, ctx) {
    const np = notPython(fn);
    if (np) {
      return [np];
    }
    if (fn.packageType === 'Image') {
      return [notApplicable('container image: the .zip size limits do not apply')];
    }
    if (isUnresolved(fn.layers)) {
      return [unknown(fn.layers)];
    }
    const out: RuleOutcome[] = [];
    if (fn.layers.length > MAX_LAYERS) {
      out.push(nonCompliant(`${fn.layers.length} layers: ${cite(LAYERS)}; ${LAYERS.why}.`, { level: FindingLevel.ERROR }));
    }
    const parts: CodeLocation[] = [fn.code, ...fn.layers];
    const skipped = parts.find((p) => p.notInspected);
    if (skipped) {
      return out.length > 0 ? out : [notApplicable(skipped.notInspected!)];
    }
    let bytes = 0;
    const unknownParts: CodeLocation[] = [];
    const pending: CodeLocation[] = [];
    for (const p of parts) {
      if (p.dir) {
        bytes += dirSizeBytes(p.dir);
        if (p.pendingBuild) {
          pending.push(p);
        }
      } else if (p.inlineBytes !== undefined) {
        bytes += p.inlineBytes;
      } else {
        unknownParts.push(p);
      }
    }
    const budget = (ctx.settings.sizeBudgetMb ?? DEFAULT_SIZE_BUDGET_MB) * 1024 * 1024;
    const atLeast = pending.length + unknownParts.length > 0 ? 'at least ' : '';
    if (bytes > MAX_UNZIPPED_BYTES) {
      out.push(nonCompliant(`code plus layers are ${atLeast}${mb(bytes)} unzipped: ${cite(SIZE)}; ${SIZE.why}. Remove dependencies or use a container image.`, { level: FindingLevel.ERROR }));
    } else if (bytes > budget && offRequestPath(fn) === undefined) {
      out.push(nonCompliant(`code plus layers are ${atLeast}${mb(bytes)} unzipped, above the ${mb(budget)} budget: a larger package is slower to download and extract on every cold start. Remove unused dependencies.`));
    } else if (pending.length > 0 || unknownParts.length > 0) {
      const reasons = [
        ...pending.map((p) => `${p.property} (${p.pendingBuild})`),
        ...unknownParts.map((p) => `${p.property} (${p.unknownReason})`),
      ];
      out.push(unknown(new Unresolved([...pending, ...unknownParts].map((p) => p.property).join(', '), '',
        `cannot measure ${reasons.join(', ')}${bytes > 0 ? `; the parts read are ${mb(bytes)}` : ''}`)));
    } else if (out.length === 0) {
      out.push(compliant(`code plus layers are ${mb(bytes)} unzipped`));
    }
    return out;
  },
};
