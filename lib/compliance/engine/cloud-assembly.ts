/**
 * Reads templates from files and cloud assemblies (cdk.out) for the CLI and the policy validation
 * plugin: the template, its staged assets (from `*.assets.json`) and construct metadata (from
 * `manifest.json`). Internal.
 */
import * as fs from 'fs';
import * as path from 'path';
import { MetadataEntry, TemplateSource } from './analyze';
import { parseYaml } from './yaml';

/** The input is not a CloudFormation or SAM template: says what was expected. */
export class TemplateInputError extends Error {}

const EXPECTED = 'expected a CloudFormation or SAM template: a JSON or YAML object with a Resources section';

/**
 * Reads a template file (JSON or YAML, a UTF-8 byte order mark allowed) and checks that it is one:
 * an object whose Resources is an object of resources. Anything else is a TemplateInputError.
 */
export function parseTemplate(file: string): any {
  let text = fs.readFileSync(file, 'utf8');
  if (text.charCodeAt(0) === 0xfeff) {
    text = text.slice(1); // UTF-8 BOM (Windows editors): CloudFormation accepts it, so do we
  }
  if (text.trim() === '') {
    throw new TemplateInputError(`${file}: the file is empty; ${EXPECTED}`);
  }
  let doc: any;
  try {
    doc = /\.json$/i.test(file) || /^\s*[[{]/.test(text) ? JSON.parse(text) : parseYaml(text);
  } catch (e) {
    throw new TemplateInputError(`${file}: not valid ${/\.json$/i.test(file) ? 'JSON' : 'JSON or YAML'} (${(e as Error).message}); ${EXPECTED}`);
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
    throw new TemplateInputError(`${file}: the document is ${Array.isArray(doc) ? 'a list' : doc === null ? 'null' : `a ${typeof doc}`}; ${EXPECTED}`);
  }
  if (!('Resources' in doc)) {
    const hint = path.basename(file) === 'package.json' || 'dependencies' in doc || ('name' in doc && 'version' in doc)
      ? ' (this looks like a package manifest; pass the template, or cdk.out after `cdk synth`)' : '';
    throw new TemplateInputError(`${file}: no Resources section${hint}; ${EXPECTED}`);
  }
  const res = doc.Resources;
  if (res === null || typeof res !== 'object' || Array.isArray(res)) {
    throw new TemplateInputError(`${file}: Resources is ${Array.isArray(res) ? 'a list' : JSON.stringify(res)}, not an object of resources; ${EXPECTED}`);
  }
  return doc;
}

function readJson(file: string): any {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

/** Asset hash → absolute staged directory, from every `*.assets.json` in an assembly directory. */
function assetDirsIn(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  let names: string[] = [];
  try {
    names = fs.readdirSync(dir).filter((n) => n.endsWith('.assets.json'));
  } catch {
    return out;
  }
  for (const n of names) {
    const manifest = readJson(path.join(dir, n));
    for (const [hash, entry] of Object.entries<any>(manifest?.files ?? {})) {
      if (typeof entry?.source?.path === 'string') {
        out.set(hash, path.resolve(dir, entry.source.path));
      }
    }
  }
  return out;
}

interface StackArtifact {
  readonly name: string;
  readonly metadata: Record<string, MetadataEntry[]>;
}

/** Stack artifacts of an assembly by template file name. */
function stackArtifacts(dir: string): Map<string, StackArtifact> {
  const out = new Map<string, StackArtifact>();
  const manifest = readJson(path.join(dir, 'manifest.json'));
  for (const [id, a] of Object.entries<any>(manifest?.artifacts ?? {})) {
    if (a?.type === 'aws:cloudformation:stack' && typeof a.properties?.templateFile === 'string') {
      // Recent CDK versions write construct metadata to a separate file (additionalMetadataFile).
      const extra = typeof a.additionalMetadataFile === 'string' ? readJson(path.join(dir, a.additionalMetadataFile)) : undefined;
      const metadata = { ...(a.metadata ?? {}), ...(extra ?? {}) };
      out.set(a.properties.templateFile, { name: a.properties.stackName ?? a.displayName ?? id, metadata });
    }
  }
  return out;
}

/** Loads one template file with whatever assembly information sits next to it. */
export function loadTemplateSource(file: string, artifacts?: Map<string, StackArtifact>): TemplateSource {
  const dir = path.dirname(path.resolve(file));
  const base = path.basename(file);
  const artifact = (artifacts ?? stackArtifacts(dir)).get(base);
  const byLogicalId = new Map<string, MetadataEntry[]>();
  const paths = new Map<string, string>();
  const all = artifact?.metadata ?? {};
  for (const [p, entries] of Object.entries(all)) {
    const idEntry = entries.find((e) => e.type === 'aws:cdk:logicalId');
    if (idEntry && typeof idEntry.data === 'string') {
      // An L2's metadata (path without /Resource) belongs to its default child too.
      const owner = p.endsWith('/Resource') ? all[p.slice(0, -'/Resource'.length)] ?? [] : [];
      byLogicalId.set(idEntry.data, [...owner, ...entries]);
      paths.set(idEntry.data, p.replace(/^\//, ''));
    }
  }
  return {
    stackName: artifact?.name ?? base.replace(/\.template\.json$|\.(json|ya?ml|template)$/i, ''),
    template: parseTemplate(file),
    baseDir: dir,
    assetDirs: assetDirsIn(dir),
    paths,
    metadata: (id) => byLogicalId.get(id) ?? [],
  };
}

/** Template files of a cloud assembly directory (nested assemblies of stages included). */
export function assemblyTemplates(dir: string): string[] {
  const manifest = readJson(path.join(dir, 'manifest.json'));
  if (!manifest) {
    return fs.readdirSync(dir).filter((n) => /\.template\.json$/.test(n)).sort().map((n) => path.join(dir, n));
  }
  const out: string[] = [];
  for (const a of Object.values<any>(manifest.artifacts ?? {})) {
    if (a?.type === 'aws:cloudformation:stack' && typeof a.properties?.templateFile === 'string') {
      out.push(path.join(dir, a.properties.templateFile));
    } else if (a?.type === 'cdk:cloud-assembly' && typeof a.properties?.directoryName === 'string') {
      out.push(...assemblyTemplates(path.join(dir, a.properties.directoryName)));
    }
  }
  return out.sort();
}

/** SAM's default template names (`sam build` / `sam deploy` read the first that exists). */
export const SAM_TEMPLATE_NAMES = ['template.yaml', 'template.yml', 'template.json'];

/**
 * Template files for a CLI argument: a template file; a cloud assembly directory (manifest.json);
 * a SAM project folder (template.yaml); or a folder of `*.template.json|yaml|yml` files. A folder
 * with none of these is a TemplateInputError.
 */
export function templatesFor(target: string): string[] {
  const stat = fs.statSync(target);
  if (!stat.isDirectory()) {
    return [target];
  }
  if (fs.existsSync(path.join(target, 'manifest.json'))) {
    const found = assemblyTemplates(target);
    if (found.length === 0) {
      throw new TemplateInputError(`${target}: a cloud assembly without stack templates (manifest.json lists none)`);
    }
    return found;
  }
  const sam = SAM_TEMPLATE_NAMES.map((n) => path.join(target, n)).find((f) => fs.existsSync(f));
  if (sam) {
    return [sam];
  }
  const names = fs.readdirSync(target);
  const templates = names.filter((n) => /\.template\.(json|ya?ml)$/.test(n)).sort().map((n) => path.join(target, n));
  if (templates.length === 0) {
    throw new TemplateInputError(`${target}: ${names.length === 0 ? 'the folder is empty' : 'no templates in this folder'}; expected a cdk.out folder (manifest.json), a SAM project (template.yaml) or *.template.json files`);
  }
  return templates;
}
