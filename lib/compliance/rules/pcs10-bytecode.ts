import { offRequestPath, pythonMinorOrOutcomes, sample } from './common';
import { scanBytecode } from '../engine/assets';
import { CodeLocation, ColdStartRule, compliant, nonCompliant, RuleOutcome, unknown } from '../engine/model';
import { isUnresolved, Unresolved } from '../engine/values';
import { FindingLevel } from '../types';

/** PCS10: code or dependencies without usable bytecode. */
export const PCS10: ColdStartRule = {
  id: 'PCS10',
  title: 'Python modules without usable bytecode',
  defaultLevel: FindingLevel.WARNING,
  explanation: "Lambda's code directory is read-only, so every module without a usable .pyc is compiled again on every cold start. Timestamp-based .pyc are ignored after the CDK zips assets with 1980 mtimes.",
  fix: 'Compile the bundle with the runtime\'s Python: python3.12 -m compileall -q --invalidation-mode unchecked-hash <dir> (or build with SOURCE_DATE_EPOCH set).',
  evaluate(fn) {
    const minor = pythonMinorOrOutcomes(fn);
    if (typeof minor === 'object') {
      return minor;
    }
    const off = offRequestPath(fn);
    if (off) {
      return [off];
    }
    if (isUnresolved(fn.layers)) {
      return [unknown(fn.layers)];
    }
    const parts: CodeLocation[] = [fn.code, ...fn.layers].filter((p) => p.inlineBytes === undefined);
    const unknownParts = parts.filter((p) => !p.dir);
    let modules = 0;
    const missing: string[] = [];
    const stale: string[] = [];
    for (const p of parts.filter((x) => x.dir)) {
      const scan = scanBytecode(p.dir!, minor);
      modules += scan.modules;
      const prefix = p.property === 'Code' || p.property === 'CodeUri' ? '' : `${p.property}:`;
      missing.push(...scan.missing.map((m) => prefix + m));
      stale.push(...scan.timestampBased.map((m) => prefix + m));
    }
    const out: RuleOutcome[] = [];
    if (missing.length + stale.length > 0) {
      const what: string[] = [];
      if (missing.length > 0) {
        what.push(`${missing.length} have no cpython-3${minor} .pyc (${sample(missing)})`);
      }
      if (stale.length > 0) {
        what.push(`${stale.length} have timestamp-based .pyc that Lambda ignores after the CDK zips with 1980 mtimes (${sample(stale)})`);
      }
      out.push(nonCompliant(`of ${modules} Python modules, ${what.join('; ')}: they are compiled on every cold start (aws-facts: Packaging). Run python3.${minor} -m compileall --invalidation-mode unchecked-hash on the bundle.`));
    } else if (unknownParts.length > 0) {
      out.push(unknown(new Unresolved(unknownParts.map((p) => p.property).join(', '), '',
        `cannot read the bytecode of ${unknownParts.map((p) => `${p.property} (${p.unknownReason})`).join(', ')}`)));
    } else if (parts.length === 0) {
      out.push(compliant('inline code only'));
    } else {
      out.push(compliant(`${modules} Python modules have hash-based cpython-3${minor} bytecode`));
    }
    return out;
  },
};
