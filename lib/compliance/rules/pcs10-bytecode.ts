import { cite, offRequestPath, pythonVersionOrOutcomes, sample } from './common';
import { AWS_RULES } from '../../shared/aws-rules';
import { scanBytecode } from '../engine/assets';
import { CodeLocation, ColdStartRule, compliant, nonCompliant, notApplicable, RuleOutcome, unknown } from '../engine/model';
import { isUnresolved, Unresolved } from '../engine/values';
import { FindingLevel } from '../types';

const RULE = AWS_RULES.READ_ONLY_CODE_DIRECTORY;

/** PCS10: code or dependencies without usable bytecode. */
export const PCS10: ColdStartRule = {
  id: 'PCS10',
  title: 'Python modules without usable bytecode',
  defaultLevel: FindingLevel.WARNING,
  explanation: `${RULE.rule}: ${RULE.why}. Timestamp-based .pyc are ignored after the CDK zips assets with 1980 mtimes.`,
  fix: 'Compile the bundle with the runtime\'s Python: python3.12 -m compileall -q --invalidation-mode unchecked-hash <dir> (or build with SOURCE_DATE_EPOCH set).',
  awsRules: [RULE],
  evaluate(fn) {
    const v = pythonVersionOrOutcomes(fn);
    if (Array.isArray(v)) {
      return v;
    }
    const off = offRequestPath(fn);
    if (off) {
      return [off];
    }
    if (fn.packageType === 'Image') {
      return [notApplicable('container image: bytecode of the image is not inspected')];
    }
    if (v.major < 3) {
      return [notApplicable(`python${v.major}.${v.minor}: the bytecode check covers CPython 3 (__pycache__) only`)];
    }
    const minor = v.minor;
    if (isUnresolved(fn.layers)) {
      return [unknown(fn.layers)];
    }
    const all: CodeLocation[] = [fn.code, ...fn.layers];
    const skipped = all.find((p) => p.notInspected);
    if (skipped) {
      return [notApplicable(skipped.notInspected!)];
    }
    // Inline code (ZipFile / InlineCode) is one module that Lambda writes as index.py: it has no
    // .pyc and is compiled on every cold start, exactly like a one-file folder.
    const inline = all.filter((p) => p.inlineBytes !== undefined);
    const parts = all.filter((p) => p.inlineBytes === undefined);
    const unknownParts = parts.filter((p) => !p.dir);
    let modules = inline.length;
    const missing: string[] = inline.map((p) => `${p.property} (inline code)`);
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
      const hint = inline.length > 0 && parts.length === 0
        ? ' For a small handler this costs little; for more code, ship it as an asset compiled with python3.' + minor + ' -m compileall --invalidation-mode unchecked-hash.'
        : ` Run python3.${minor} -m compileall --invalidation-mode unchecked-hash on the bundle.`;
      out.push(nonCompliant(`of ${modules} Python modules, ${what.join('; ')}: they are compiled on every cold start (${cite(RULE)}).${hint}`));
    } else if (unknownParts.length > 0) {
      out.push(unknown(new Unresolved(unknownParts.map((p) => p.property).join(', '), '',
        `cannot read the bytecode of ${unknownParts.map((p) => `${p.property} (${p.unknownReason})`).join(', ')}`)));
    } else {
      out.push(compliant(`${modules} Python modules have hash-based cpython-3${minor} bytecode`));
    }
    return out;
  },
};
