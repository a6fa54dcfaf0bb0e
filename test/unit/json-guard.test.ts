import assert from 'node:assert/strict';
import { test } from 'node:test';
import { jsonShapeProblem } from '../../src/json-guard.ts';

const b = (s: string) => Buffer.from(s);

test('ordinary requests, a multi-MB photo among them, pass', () => {
  assert.equal(jsonShapeProblem(b('{"GroupIds":["a","b"],"Image":"' + 'A'.repeat(5_000_000) + '","MaxFaceNum":1}')), undefined);
  const tasks = Array.from({ length: 100 }, (_, i) => ({ dataId: `d${i}`, url: `https://x/${i}.jpg`, extras: { groupId: 'g' } }));
  assert.equal(jsonShapeProblem(b(JSON.stringify({ scenes: ['sface-n'], tasks }))), undefined);
});

test('deep nesting is refused, also when brackets hide inside strings elsewhere', () => {
  assert.match(jsonShapeProblem(b('['.repeat(17) + ']'.repeat(17)))!, /more than 16 deep/);
  assert.match(jsonShapeProblem(b('{"a":' + '{"b":'.repeat(20) + '1' + '}'.repeat(21)))!, /deep/);
  assert.equal(jsonShapeProblem(b('{"a":"' + '['.repeat(1000) + '"}')), undefined, 'brackets in a string are text');
  assert.equal(jsonShapeProblem(b('{"a":"\\"[[[[[[[[[[[[[[[[[[[[[["}')), undefined, 'an escaped quote does not end the string');
  // an escaped backslash before a quote does end it: what follows is counted again
  assert.match(jsonShapeProblem(b('{"a":"x\\\\","b":' + '['.repeat(17) + ']'.repeat(17) + '}'))!, /deep/);
});

test('a million tiny values are refused', () => {
  assert.match(jsonShapeProblem(b('{"GroupIds":[' + '"a",'.repeat(30_000) + '"a"]}'))!, /more than 20000 values/);
  assert.match(jsonShapeProblem(b('[' + '0,'.repeat(30_000) + '0]'))!, /values/);
});
