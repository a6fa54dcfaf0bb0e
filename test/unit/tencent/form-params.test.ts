import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FormShapeError, unflatten } from '../../../src/tencent/params.ts';

const parse = (q: string) => unflatten(new URLSearchParams(q));

test('scalars, lists and lists of objects', () => {
  assert.deepEqual(
    parse('GroupId=g1&GroupIds.0=a&GroupIds.1=b&Infos.0.Index=1&Infos.0.Name=x&Infos.1.Index=2&Infos.1.Name=y'),
    {
      GroupId: 'g1',
      GroupIds: ['a', 'b'],
      Infos: [
        { Index: '1', Name: 'x' },
        { Index: '2', Name: 'y' },
      ],
    },
  );
});

test('list order follows the index, not the query order', () => {
  assert.deepEqual(parse('L.1=b&L.0=a&L.2=c').L, ['a', 'b', 'c']);
});

test('malformed shapes are rejected', () => {
  for (const q of ['L.0=a&L.2=c', 'A=1&A.0=2', 'A.0=1&A=2', 'A=1&A=2', 'A..0=1', '__proto__.x=1', 'L.01=a']) {
    assert.throws(() => parse(q), FormShapeError, q);
  }
});
