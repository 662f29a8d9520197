import { parseYaml } from '../../lib/compliance/engine/yaml';

test('CloudFormation short-form tags become intrinsic functions', () => {
  const doc = parseYaml([
    'a: !Ref Fn',
    'b: !GetAtt Fn.Arn',
    'c: !GetAtt [Fn, Arn]',
    "d: !Join ['', ['function:', !Ref Fn, ':live']]",
    "e: !Sub ['function:${F}:live', { F: !Ref Fn }]",
    'f: !If [IsProd, 1024, 256]',
  ].join('\n'));
  expect(doc).toEqual({
    a: { Ref: 'Fn' },
    b: { 'Fn::GetAtt': ['Fn', 'Arn'] },
    c: { 'Fn::GetAtt': ['Fn', 'Arn'] },
    d: { 'Fn::Join': ['', ['function:', { Ref: 'Fn' }, ':live']] },
    e: { 'Fn::Sub': ['function:${F}:live', { F: { Ref: 'Fn' } }] },
    f: { 'Fn::If': ['IsProd', 1024, 256] },
  });
});
