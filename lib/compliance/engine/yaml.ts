/**
 * YAML CloudFormation templates with short-form tags (!Ref, !GetAtt, !Sub...). Uses the `yaml`
 * package (v1 API) that aws-cdk-lib bundles for CfnInclude, so no extra runtime dependency. Internal.
 */
import * as path from 'path';

let yamlModule: any;

function loadYaml(): any {
  if (!yamlModule) {
    const candidates: string[] = [];
    try {
      candidates.push(path.dirname(require.resolve('aws-cdk-lib/package.json')));
    } catch {
      // fall through to a top-level yaml
    }
    for (const base of [...candidates, __dirname]) {
      try {
        const resolved = require.resolve('yaml', { paths: [base] });
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const version = require(path.join(resolved.slice(0, resolved.lastIndexOf(`${path.sep}yaml${path.sep}`) + 5), 'package.json')).version as string;
        if (version.startsWith('1.')) {
          // eslint-disable-next-line @typescript-eslint/no-require-imports
          yamlModule = require(resolved);
          break;
        }
      } catch {
        // try the next location
      }
    }
    if (!yamlModule) {
      throw new Error('Reading YAML templates needs the `yaml` package (v1) that aws-cdk-lib bundles; it was not found. Convert the template to JSON or install yaml@1.');
    }
  }
  return yamlModule;
}

const FN_TAGS = ['Base64', 'Cidr', 'FindInMap', 'GetAZs', 'ImportValue', 'Join', 'Sub', 'Select', 'Split',
  'Transform', 'And', 'Equals', 'If', 'Not', 'Or', 'GetAtt', 'Length', 'ToJsonString'];

function tag(name: string, key: string): any {
  return {
    identify: (v: unknown) => typeof v === 'string',
    tag: `!${name}`,
    resolve: (_doc: unknown, cst: any) => {
      let value = parseYaml(cst.toString().substring(name.length + 1));
      // !GetAtt Fn.Arn is the short form of ["Fn", "Arn"]
      if (name === 'GetAtt' && typeof value === 'string') {
        const dot = value.indexOf('.');
        value = [value.slice(0, dot), value.slice(dot + 1)];
      }
      return { [key]: value };
    },
  };
}

const TAGS = [...FN_TAGS.map((n) => tag(n, `Fn::${n}`)), tag('Ref', 'Ref'), tag('Condition', 'Condition')];

export function parseYaml(text: string): any {
  return loadYaml().parse(text, { customTags: TAGS, schema: 'core' });
}
