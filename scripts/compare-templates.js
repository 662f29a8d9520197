#!/usr/bin/env node
/*
 * Compares the CloudFormation templates of two cloud assemblies, e.g. the TypeScript example's and the Python
 * example's:
 *
 *   node scripts/compare-templates.js cdk.out cdk.out.python
 *
 * Every stack must exist in both, and its template must be identical except the CDKMetadata resource (and its
 * CDKMetadataAvailable condition), which records the app's language. Asset hashes are content hashes, so they
 * are compared too: through the templates (S3 keys, asset metadata) and the asset manifests' file and image ids.
 * Prints each difference with its JSON path and exits 1 when there is any, 2 on a usage error.
 */
'use strict';
const fs = require('fs');
const path = require('path');

const MAX_DIFFS_PER_STACK = 40;

function readJson(file) {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

/** Stack name -> { template, assets } for every CloudFormation stack of an assembly, nested assemblies included. */
function stacksOf(dir, prefix = '') {
  const manifestFile = path.join(dir, 'manifest.json');
  if (!fs.existsSync(manifestFile)) throw new Error(`${dir} is not a cloud assembly (no manifest.json)`);
  const stacks = new Map();
  for (const [id, artifact] of Object.entries(readJson(manifestFile).artifacts ?? {})) {
    if (artifact.type === 'aws:cloudformation:stack') {
      const assetsId = (artifact.dependencies ?? []).find((d) => d === `${id}.assets`);
      const assetsFile = assetsId ? path.join(dir, `${assetsId}.json`) : undefined;
      stacks.set(prefix + id, {
        template: readJson(path.join(dir, artifact.properties.templateFile)),
        assets: assetsFile && fs.existsSync(assetsFile) ? readJson(assetsFile) : undefined,
      });
    } else if (artifact.type === 'cdk:cloud-assembly') {
      for (const [k, v] of stacksOf(path.join(dir, artifact.properties.directoryName), `${prefix}${id}/`)) stacks.set(k, v);
    }
  }
  return stacks;
}

/** The template without what records the app's language. */
function normalize(template) {
  const t = JSON.parse(JSON.stringify(template));
  delete t.Resources?.CDKMetadata;
  delete t.Conditions?.CDKMetadataAvailable;
  if (t.Conditions && Object.keys(t.Conditions).length === 0) delete t.Conditions;
  return t;
}

function short(v) {
  const s = v === undefined ? '(absent)' : JSON.stringify(v);
  return s.length > 160 ? `${s.slice(0, 157)}...` : s;
}

/** Every difference between a and b, as "path: expected X, got Y". */
function diff(a, b, at, out) {
  if (JSON.stringify(a) === JSON.stringify(b)) return out;
  const bothObjects = a && b && typeof a === 'object' && typeof b === 'object' && Array.isArray(a) === Array.isArray(b);
  if (!bothObjects) {
    out.push(`${at || '/'}: expected ${short(a)}, got ${short(b)}`);
    return out;
  }
  if (Array.isArray(a) && a.length !== b.length) {
    out.push(`${at}: expected ${a.length} item(s), got ${b.length}: expected ${short(a)}, got ${short(b)}`);
    return out;
  }
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  for (const k of keys) diff(a[k], b[k], `${at}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`, out);
  return out;
}

/** The content hashes of the stack's file and image assets (not of its template, which contains CDKMetadata). */
function assetIds(assets) {
  if (!assets) return { files: [], dockerImages: [] };
  const files = Object.entries(assets.files ?? {})
    .filter(([, a]) => !/\.template\.json$/.test(a.source?.path ?? ''))
    .map(([id]) => id);
  return { files: files.sort(), dockerImages: Object.keys(assets.dockerImages ?? {}).sort() };
}

/** Returns the list of differences between two assemblies (empty when they match). */
function compareAssemblies(expectedDir, actualDir) {
  const expected = stacksOf(expectedDir);
  const actual = stacksOf(actualDir);
  const problems = [];
  for (const name of expected.keys()) if (!actual.has(name)) problems.push(`stack ${name}: missing from ${actualDir}`);
  for (const name of actual.keys()) if (!expected.has(name)) problems.push(`stack ${name}: not in ${expectedDir}`);
  for (const [name, exp] of expected) {
    const act = actual.get(name);
    if (!act) continue;
    const d = diff(normalize(exp.template), normalize(act.template), '', []);
    diff(assetIds(exp.assets), assetIds(act.assets), '(asset ids)', d);
    for (const line of d.slice(0, MAX_DIFFS_PER_STACK)) problems.push(`stack ${name}: ${line}`);
    if (d.length > MAX_DIFFS_PER_STACK) problems.push(`stack ${name}: ... and ${d.length - MAX_DIFFS_PER_STACK} more difference(s)`);
  }
  return { problems, stacks: [...expected.keys()].filter((n) => actual.has(n)) };
}

module.exports = { compareAssemblies, normalize };

if (require.main === module) {
  const [expectedDir, actualDir] = process.argv.slice(2);
  if (!expectedDir || !actualDir) {
    process.stderr.write('usage: compare-templates.js <expected cloud assembly> <actual cloud assembly>\n');
    process.exit(2);
  }
  let result;
  try {
    result = compareAssemblies(expectedDir, actualDir);
  } catch (e) {
    process.stderr.write(`compare-templates: ${e.message}\n`);
    process.exit(2);
  }
  if (result.problems.length) {
    process.stderr.write(`compare-templates: ${actualDir} differs from ${expectedDir} (CDKMetadata ignored):\n`);
    for (const p of result.problems) process.stderr.write(`  ${p}\n`);
    process.exit(1);
  }
  process.stdout.write(`compare-templates: ${result.stacks.length} stack(s) identical (${result.stacks.join(', ')}), CDKMetadata ignored\n`);
}
