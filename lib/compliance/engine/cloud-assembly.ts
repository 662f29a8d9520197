/**
 * Reads templates from files and cloud assemblies (cdk.out) for the CLI and the policy validation
 * plugin: the template, its staged assets (from `*.assets.json`) and construct metadata (from
 * `manifest.json`). Internal.
 */
import * as fs from 'fs';
import * as path from 'path';
import { MetadataEntry, TemplateSource } from './analyze';
import { parseYaml } from './yaml';

export function parseTemplate(file: string): any {
  const text = fs.readFileSync(file, 'utf8');
  if (/\.json$/i.test(file) || text.trimStart().startsWith('{')) {
    return JSON.parse(text);
  }
  return parseYaml(text);
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

/** Template files for a CLI argument: a template file, or a cloud assembly directory. */
export function templatesFor(target: string): string[] {
  const stat = fs.statSync(target);
  return stat.isDirectory() ? assemblyTemplates(target) : [target];
}
